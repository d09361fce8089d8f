using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Security
{
    public static class CiscoVectors
    {
        public static string Dir => Path.Combine(TestPaths.Vectors, "cisco");
        public static string File(string relative) => Path.Combine(Dir, relative);
        public static string Sast => File("certs/sast.pem");
        public static string Asterisk => File("certs/asterisk.pem");
        public static string ApacheEc => File("certs/apache-ec.pem");
        public static string Phone => File("certs/phone-SEP001122334455.pem");
    }

    public class PemCredentialTests
    {
        [Theory]
        [InlineData("certs/sast.pem", CertificateKeyAlgorithm.Rsa, "CN=SAST,O=SAST,OU=SAST", "9d48d96bedbea5648732759d023a8289")]
        [InlineData("certs/asterisk.pem", CertificateKeyAlgorithm.Rsa, "CN=Asterisk,O=Asterisk,OU=Asterisk", "8d9a175fcd9135ece1ad4cdd8a52b147")]
        [InlineData("certs/apache-ec.pem", CertificateKeyAlgorithm.EC, "CN=Apache-EC,O=Apache-EC,OU=Apache-EC", "d414573c49cb0ddd2b44486c2483a5af")]
        [InlineData("certs/phone-SEP001122334455.pem", CertificateKeyAlgorithm.Rsa, "CN=SEP001122334455,O=Test Phones,OU=LSC,L=Wellington,C=NZ", "241ee1f64dae6f5bf04af4a1c78850aa")]
        public void Mkcert_files_load_with_their_private_key(string file, CertificateKeyAlgorithm algorithm, string name, string serial)
        {
            using var credential = PemCredential.Load(CiscoVectors.File(file));
            Assert.Equal(algorithm, credential.KeyAlgorithm);
            Assert.True(credential.HasPrivateKey);
            Assert.Equal(name, CertificateNames.Format(credential.Certificate.SubjectName));
            Assert.Equal(serial, Convert.ToHexString(CertificateNames.SerialBytes(credential.Certificate)).ToLowerInvariant());
            Assert.True(PemCredential.KeyMatches(credential.Certificate, credential.PrivateKey!));
        }

        [Fact]
        public void Private_key_signs_what_the_certificate_verifies()
        {
            using var credential = PemCredential.Load(CiscoVectors.Asterisk);
            var data = Encoding.ASCII.GetBytes("hello");
            var signature = credential.GetRsaPrivateKey("a test").SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            Assert.True(credential.Certificate.GetRSAPublicKey()!.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }

        [Fact]
        public void Ec_key_where_rsa_is_required_is_a_clear_error()
        {
            using var credential = PemCredential.Load(CiscoVectors.ApacheEc);
            var ex = Assert.Throws<ProvisioningException>(() => credential.GetRsaPrivateKey("signing the ITL file"));
            Assert.Equal("RsaKeyRequired", ex.ErrorId);
            Assert.Contains("CN=Apache-EC", ex.Message);
            Assert.Contains("signing the ITL file", ex.Message);
        }

        /// <summary>Every key form openssl writes, separate from the certificate, encrypted or not, through both readers.</summary>
        [Theory]
        [InlineData("certs/asterisk.pem", "pkcs8", null)]
        [InlineData("certs/asterisk.pem", "pkcs1", null)]
        [InlineData("certs/asterisk.pem", "pkcs8-encrypted", "s3cret pass")]
        [InlineData("certs/asterisk.pem", "legacy-encrypted", "s3cret pass")]
        [InlineData("certs/apache-ec.pem", "sec1", null)]
        [InlineData("certs/apache-ec.pem", "pkcs8", null)]
        [InlineData("certs/apache-ec.pem", "pkcs8-encrypted", "s3cret pass")]
        [InlineData("certs/apache-ec.pem", "legacy-encrypted", "s3cret pass")]
        public void Separate_key_files_in_every_openssl_form_load(string vector, string form, string? password)
        {
            using var dir = new TempDirectory();
            var source = CiscoVectors.File(vector);
            var isRsa = vector.Contains("asterisk");
            var keyFile = dir.File("key.pem");
            var certFile = dir.File("cert.pem");
            ProcessRunner.Tool("openssl", new[] { "x509", "-in", source, "-out", certFile }).AssertSuccess();
            var tool = isRsa ? "rsa" : "ec";
            var args = form switch
            {
                "pkcs8" => new[] { "pkey", "-in", source, "-out", keyFile },
                "pkcs1" => new[] { "rsa", "-in", source, "-traditional", "-out", keyFile },
                "sec1" => new[] { "ec", "-in", source, "-out", keyFile },
                "pkcs8-encrypted" => new[] { "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", source, "-out", keyFile, "-passout", "env:PW" },
                "legacy-encrypted" => new[] { tool, "-in", source, "-aes128", "-traditional", "-out", keyFile, "-passout", "env:PW" }
                    .Where(a => isRsa || a != "-traditional").ToArray(),
                _ => throw new ArgumentException(form),
            };
            ProcessRunner.Tool("openssl", args, environment: new System.Collections.Generic.Dictionary<string, string> { ["PW"] = password ?? "" }).AssertSuccess();
            if (form == "legacy-encrypted") Assert.Contains("Proc-Type: 4,ENCRYPTED", File.ReadAllText(keyFile));
            if (form == "pkcs8-encrypted") Assert.Contains("BEGIN ENCRYPTED PRIVATE KEY", File.ReadAllText(keyFile));

            using var credential = PemCredential.Load(certFile, keyFile, password?.ToCharArray());
            Assert.Equal(isRsa ? CertificateKeyAlgorithm.Rsa : CertificateKeyAlgorithm.EC, credential.KeyAlgorithm);
            Assert.True(PemCredential.KeyMatches(credential.Certificate, credential.PrivateKey!));

            // The netstandard2.0 path (what the PowerShell module runs) must read the same key.
            var block = PemDocument.Parse(File.ReadAllText(keyFile), keyFile).Single();
            using var viaBouncyCastle = PrivateKeyCodec.ReadWithBouncyCastle(block, password?.ToCharArray(), keyFile);
            Assert.True(PemCredential.KeyMatches(credential.Certificate, viaBouncyCastle));

            if (password != null)
            {
                var wrong = Assert.Throws<ProvisioningException>(() => PemCredential.Load(certFile, keyFile, "wrong".ToCharArray()));
                Assert.Equal("PrivateKeyPasswordWrong", wrong.ErrorId);
                Assert.DoesNotContain("wrong", wrong.Message.Replace("is wrong", ""));
                var missing = Assert.Throws<ProvisioningException>(() => PemCredential.Load(certFile, keyFile));
                Assert.Equal("PrivateKeyPasswordRequired", missing.ErrorId);
                using var viaBytes = PemCredential.Load(certFile, keyFile, Encoding.UTF8.GetBytes(password));
                Assert.True(viaBytes.HasPrivateKey);
            }
        }

        [Theory]
        [InlineData("certs/asterisk.pem")]
        [InlineData("certs/apache-ec.pem")]
        public void Saved_pem_is_owner_only_and_openssl_reads_both_blocks(string vector)
        {
            using var dir = new TempDirectory();
            using var credential = PemCredential.Load(CiscoVectors.File(vector));
            var output = dir.File("out.pem");
            Assert.Equal(WriteStatus.Created, credential.Save(output));
            Assert.Equal(WriteStatus.Unchanged, credential.Save(output));
            Assert.Equal(System.IO.UnixFileMode.UserRead | System.IO.UnixFileMode.UserWrite, File.GetUnixFileMode(output));
            var check = ProcessRunner.Tool("openssl", new[] { "pkey", "-in", output, "-check", "-noout" });
            Assert.True(check.ExitCode == 0, check.ToString());
            var x509 = ProcessRunner.Tool("openssl", new[] { "x509", "-in", output, "-noout", "-fingerprint", "-sha1" });
            Assert.Contains(credential.Certificate.Thumbprint, x509.StdOut.Replace(":", ""));
            using var again = PemCredential.Load(output);
            Assert.True(PemCredential.KeyMatches(credential.Certificate, again.PrivateKey!));

            // The netstandard2.0 writer gives a key openssl accepts too.
            var bcPem = PrivateKeyCodec.ExportPemWithBouncyCastle(credential.PrivateKey!);
            File.WriteAllText(dir.File("bc.pem"), bcPem);
            Assert.Equal(0, ProcessRunner.Tool("openssl", new[] { "pkey", "-in", dir.File("bc.pem"), "-check", "-noout" }).ExitCode);
            Assert.Equal(PrivateKeyCodec.ExportPemWithPlatform(credential.PrivateKey!), bcPem);
        }

        [Fact]
        public void Der_certificate_without_key_loads_as_public_only()
        {
            using var dir = new TempDirectory();
            ProcessRunner.Tool("openssl", new[] { "x509", "-in", CiscoVectors.Phone, "-outform", "DER", "-out", dir.File("phone.der") }).AssertSuccess();
            using var credential = PemCredential.Load(dir.File("phone.der"));
            Assert.False(credential.HasPrivateKey);
            var ex = Assert.Throws<ProvisioningException>(() => credential.GetRsaPrivateKey("signing"));
            Assert.Equal("PrivateKeyRequired", ex.ErrorId);
            Assert.NotNull(credential.GetRsaPublicKey("encrypting"));
        }

        [Fact]
        public void From_certificate_takes_the_attached_key()
        {
            using var loaded = PemCredential.Load(CiscoVectors.Asterisk);
            using var withKey = loaded.Certificate.CopyWithPrivateKey((RSA)loaded.PrivateKey!);
            using var credential = PemCredential.FromCertificate(withKey);
            Assert.True(credential.HasPrivateKey);
            using var publicOnly = PemCredential.FromCertificate(loaded.Certificate);
            Assert.False(publicOnly.HasPrivateKey);
            using var sast = PemCredential.Load(CiscoVectors.Sast);
            Assert.Equal("PrivateKeyMismatch", Assert.Throws<ProvisioningException>(() => PemCredential.FromCertificate(loaded.Certificate, sast.PrivateKey!)).ErrorId);
        }

        [Fact]
        public void Key_from_another_certificate_is_refused()
        {
            using var dir = new TempDirectory();
            ProcessRunner.Tool("openssl", new[] { "pkey", "-in", CiscoVectors.Sast, "-out", dir.File("sast.key") }).AssertSuccess();
            var ex = Assert.Throws<ProvisioningException>(() => PemCredential.Load(CiscoVectors.Asterisk, dir.File("sast.key")));
            Assert.Equal("PrivateKeyMismatch", ex.ErrorId);
        }

        [Theory]
        [InlineData("-----BEGIN CERTIFICATE-----\nMIIB\n", "PemInvalid", "no END line")]
        [InlineData("-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n", "PemInvalid", "not valid base64")]
        [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "CertificateInvalid", "cannot be read")]
        [InlineData("just text\n", "CertificateNotFound", "holds no certificate")]
        public void Garbage_is_a_clean_error(string text, string errorId, string fragment)
        {
            using var dir = new TempDirectory();
            File.WriteAllText(dir.File("bad.pem"), text);
            var ex = Assert.Throws<ProvisioningException>(() => PemCredential.Load(dir.File("bad.pem")));
            Assert.Equal(errorId, ex.ErrorId);
            Assert.Contains(fragment, ex.Message);
            Assert.Contains("bad.pem", ex.Message);
        }

        [Fact]
        public void Missing_file_is_named()
        {
            var ex = Assert.Throws<ProvisioningException>(() => PemCredential.Load("/nonexistent/x.pem"));
            Assert.Equal("CertificateFileNotFound", ex.ErrorId);
            Assert.Contains("/nonexistent/x.pem", ex.Message);
        }

        [Theory]
        [InlineData("Org, Inc", "Org\\, Inc")]
        [InlineData("#x", "\\#x")]
        [InlineData(" a ", "\\ a\\ ")]
        [InlineData("a+b<c>;\"\\", "a\\+b\\<c\\>\\;\\\"\\\\")]
        public void Names_are_escaped_as_rfc4514(string value, string expected) =>
            Assert.Equal(expected, CertificateNames.Escape(value));
    }

    internal static class ProcessResultAssertions
    {
        public static ProcessResult AssertSuccess(this ProcessResult result)
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            return result;
        }
    }
}
