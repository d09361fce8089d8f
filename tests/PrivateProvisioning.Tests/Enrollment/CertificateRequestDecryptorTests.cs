using System.Collections.Generic;
using System.IO;
using System.Linq;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security.Enrollment;
using PrivateProvisioning.Tests.Support;
using Xunit;
using static PrivateProvisioning.Tests.Enrollment.EnrollmentPeers;

namespace PrivateProvisioning.Tests.Enrollment
{
    /// <summary>Every request here is encrypted by `openssl cms -encrypt`, the reference for our Cms method.</summary>
    public class CertificateRequestDecryptorTests
    {
        private static (string Server, string Csr) Setup(TempDirectory dir)
        {
            var server = OpenSslCa(dir, "server");
            var csr = CertificateRequestGenerator.Write(dir.File("alice.csr"), null, new CertificateSubject("alice", organization: "ACME"), CertificateRequestKeyAlgorithm.EcP256).Path;
            return (server, csr);
        }

        private static string Encrypt(TempDirectory dir, string csr, string recipient, string name, params string[] options)
        {
            var output = dir.File(name);
            var args = new List<string> { "cms", "-encrypt", "-binary", "-in", csr, "-out", output };
            args.AddRange(options);
            args.Add(recipient);
            Ok(ProcessRunner.Tool("openssl", args));
            return output;
        }

        [Theory]
        [InlineData("der-aes256-pkcs1.p7m", "-outform", "DER", "-aes256")]
        [InlineData("pem-aes128.p7m", "-outform", "PEM", "-aes128")]
        [InlineData("smime-aes256.p7m", "-outform", "SMIME", "-aes256")]
        [InlineData("der-3des.p7m", "-outform", "DER", "-des3")]
        [InlineData("der-aes256-gcm.p7m", "-outform", "DER", "-aes-256-gcm")]
        [InlineData("pem-aes128-gcm.p7m", "-outform", "PEM", "-aes-128-gcm")]
        [InlineData("der-keyid.p7m", "-outform", "DER", "-aes256", "-keyid")]
        [InlineData("der-oaep-sha1.p7m", "-outform", "DER", "-aes256", "-recip", "RECIP", "-keyopt", "rsa_padding_mode:oaep")]
        [InlineData("pem-oaep-sha256.p7m", "-outform", "PEM", "-aes256", "-recip", "RECIP", "-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256", "-keyopt", "rsa_mgf1_md:sha256")]
        public void What_openssl_cms_encrypt_writes_decrypts_to_the_original_request(string name, params string[] options)
        {
            using var dir = new TempDirectory();
            var (server, csr) = Setup(dir);
            // -keyopt applies to the preceding -recip; then the positional recipient must not repeat it.
            var opts = options.Select(o => o == "RECIP" ? server : o).ToArray();
            var encrypted = opts.Contains("-recip")
                ? EncryptWithRecipOption(dir, csr, name, opts)
                : Encrypt(dir, csr, server, name, opts);

            using var credential = PrivateProvisioning.Core.Security.CertificateSource.FromFile(server).Load((char[]?)null, "decrypting");
            var result = CertificateRequestDecryptor.DecryptFile(encrypted, credential, CertificateRequestProtection.Cms, dir.File("out"));

            Assert.True(result.WasEncrypted);
            Assert.Equal("alice", result.UserName);
            Assert.Equal(dir.File("out/" + Path.GetFileNameWithoutExtension(name) + ".csr"), result.OutputPath);
            var original = Ok(Openssl("req", "-in", csr, "-outform", "DER")).StdOut;
            var decrypted = Ok(Openssl("req", "-in", result.OutputPath!, "-outform", "DER")).StdOut;
            Assert.Equal(original, decrypted);
            Assert.Equal(File.ReadAllText(csr), File.ReadAllText(result.OutputPath!));
        }

        private static string EncryptWithRecipOption(TempDirectory dir, string csr, string name, string[] options)
        {
            var output = dir.File(name);
            var args = new List<string> { "cms", "-encrypt", "-binary", "-in", csr, "-out", output };
            args.AddRange(options);
            Ok(ProcessRunner.Tool("openssl", args));
            return output;
        }

        [Fact]
        public void OAEP_SHA256_decrypts_with_a_key_that_knows_only_OAEP_SHA1()
        {
            using var dir = new TempDirectory();
            var (server, csr) = Setup(dir);
            var encrypted = EncryptWithRecipOption(dir, csr, "oaep256.p7m", new[] { "-outform", "DER", "-aes256", "-recip", server,
                "-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256", "-keyopt", "rsa_mgf1_md:sha256" });
            using var loaded = PrivateProvisioning.Core.Security.CertificateSource.FromFile(server).Load((char[]?)null, "decrypting");
#pragma warning disable CA1416 // RSACryptoServiceProvider: what Windows PowerShell 5.1 gets from RSA.Create()
            using var csp = new System.Security.Cryptography.RSACryptoServiceProvider();
            csp.ImportParameters(((System.Security.Cryptography.RSA)loaded.PrivateKey!).ExportParameters(true));
#pragma warning restore CA1416
            Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() =>
                csp.Decrypt(new byte[256], System.Security.Cryptography.RSAEncryptionPadding.OaepSHA256));
            using var credential = PrivateProvisioning.Core.Security.PemCredential.FromCertificate(loaded.Certificate, csp);
            var result = CertificateRequestDecryptor.DecryptFile(encrypted, credential);
            Assert.Equal("alice", result.CommonName);
        }

        [Fact]
        public void A_request_encrypted_to_another_certificate_is_refused_and_nothing_is_written()
        {
            using var dir = new TempDirectory();
            var (server, csr) = Setup(dir);
            var other = OpenSslCa(dir, "other");
            var encrypted = Encrypt(dir, csr, other, "alice.p7m", "-outform", "DER", "-aes256");
            using var credential = PrivateProvisioning.Core.Security.CertificateSource.FromFile(server).Load((char[]?)null, "decrypting");

            var ex = Assert.Throws<ProvisioningException>(() =>
                CertificateRequestDecryptor.DecryptFile(encrypted, credential, CertificateRequestProtection.Cms, dir.File("out")));
            Assert.Equal("NotEncryptedToThisCertificate", ex.ErrorId);
            Assert.Contains("other test CA", ex.Message);
            Assert.Contains(encrypted, ex.Message);
            Assert.False(Directory.Exists(dir.File("out")));
        }

        [Fact]
        public void Garbage_is_refused_with_the_file_named()
        {
            using var dir = new TempDirectory();
            var (server, _) = Setup(dir);
            File.WriteAllBytes(dir.File("junk.p7m"), new byte[] { 0x30, 0x03, 0x02, 0x01, 0x05, 0xFF });
            File.WriteAllText(dir.File("text.p7m"), "hello, I am not encrypted\n");
            using var credential = PrivateProvisioning.Core.Security.CertificateSource.FromFile(server).Load((char[]?)null, "decrypting");
            foreach (var name in new[] { "junk.p7m", "text.p7m" })
            {
                var ex = Assert.Throws<ProvisioningException>(() => CertificateRequestDecryptor.DecryptFile(dir.File(name), credential, CertificateRequestProtection.Cms, dir.File("out")));
                Assert.Equal("InvalidEncryptedRequest", ex.ErrorId);
                Assert.Contains(name, ex.Message);
            }
            Assert.False(Directory.Exists(dir.File("out")));
        }

        [Fact]
        public void A_plain_request_passes_through()
        {
            using var dir = new TempDirectory();
            var (server, csr) = Setup(dir);
            using var credential = PrivateProvisioning.Core.Security.CertificateSource.FromFile(server).Load((char[]?)null, "decrypting");
            var result = CertificateRequestDecryptor.DecryptFile(csr, credential);
            Assert.False(result.WasEncrypted);
            Assert.Null(result.OutputPath);
            Assert.Equal("alice", result.CommonName);

            // Decrypting "into" its own folder leaves a plain request where it is.
            var inPlace = CertificateRequestDecryptor.DecryptFile(csr, credential, CertificateRequestProtection.Cms, dir.Path);
            Assert.Equal(csr, inPlace.OutputPath);
            Assert.Equal(WriteStatus.Unchanged, inPlace.Status);
        }

        [Fact]
        public void Altered_AES_GCM_content_and_an_EC_server_key_get_clear_errors()
        {
            using var dir = new TempDirectory();
            var (server, csr) = Setup(dir);
            var gcm = Encrypt(dir, csr, server, "gcm.p7m", "-outform", "DER", "-aes-256-gcm");
            var bytes = File.ReadAllBytes(gcm);
            bytes[bytes.Length - 3] ^= 0x01; // DER output ends with the 16-byte GCM tag
            File.WriteAllBytes(gcm, bytes);
            using var credential = PrivateProvisioning.Core.Security.CertificateSource.FromFile(server).Load((char[]?)null, "decrypting");
            var ex = Assert.Throws<ProvisioningException>(() => CertificateRequestDecryptor.DecryptFile(gcm, credential, CertificateRequestProtection.Cms, dir.File("out")));
            Assert.Equal("ContentDecryptionFailed", ex.ErrorId);
            Assert.False(Directory.Exists(dir.File("out")));

            var ecServer = OpenSslCa(dir, "ec-server", "ec:P-256");
            var toEc = Encrypt(dir, csr, ecServer, "alice.p7m", "-outform", "DER", "-aes256");
            using var ec = PrivateProvisioning.Core.Security.CertificateSource.FromFile(ecServer).Load((char[]?)null, "decrypting");
            var notRsa = Assert.Throws<ProvisioningException>(() => CertificateRequestDecryptor.DecryptFile(toEc, ec));
            Assert.Equal("RsaServerKeyRequired", notRsa.ErrorId);
            Assert.Contains("ECDH", notRsa.Message);
        }

        [Fact]
        public void Pprov_csr_decrypt_with_an_encrypted_server_key_from_the_environment()
        {
            using var dir = new TempDirectory();
            var (server, csr) = Setup(dir);
            Ok(Openssl("pkey", "-in", dir.File("server.key"), "-aes256", "-passout", "pass:s3cret-pass", "-out", dir.File("server-enc.key")));
            var encrypted = Encrypt(dir, csr, server, "alice.csr.p7m", "-outform", "PEM", "-aes256");

            var run = PprovWithEnv(new Dictionary<string, string> { ["KEYPW"] = "s3cret-pass" },
                "csr", "decrypt", encrypted, "--cert", server, "--key", dir.File("server-enc.key"), "--key-password-env", "KEYPW", "--out", dir.File("dec"), "--json");
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.DoesNotContain("s3cret-pass", run.StdOut + run.StdErr);
            Ok(Openssl("req", "-in", dir.File("dec/alice.csr"), "-verify", "-noout"));

            var wrong = PprovWithEnv(new Dictionary<string, string> { ["KEYPW"] = "wrong" },
                "csr", "decrypt", encrypted, "--cert", server, "--key", dir.File("server-enc.key"), "--key-password-env", "KEYPW", "--out", dir.File("dec2"));
            Assert.Equal(1, wrong.ExitCode);
            Assert.Contains("password is wrong", wrong.StdErr);
            Assert.False(Directory.Exists(dir.File("dec2")));
        }
    }
}
