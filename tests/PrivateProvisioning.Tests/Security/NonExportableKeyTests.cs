using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Protection;
using PrivateProvisioning.Core.Security;
using PrivateProvisioning.Core.Security.Enrollment;
using PrivateProvisioning.Tests.Support;
using Xunit;
using static PrivateProvisioning.Tests.Enrollment.EnrollmentPeers;

namespace PrivateProvisioning.Tests.Security
{
    /// <summary>
    /// A key from the Windows certificate store (Get-PfxCertificate, Cert:\) signs and decrypts but cannot be
    /// exported. Every operation either works through the key object, byte for byte as with the PEM key, or
    /// stops with PrivateKeyNotExportable / SigningFailed naming the certificate: never a raw CryptographicException.
    /// </summary>
    public class NonExportableKeyTests
    {
        [Theory]
        [InlineData("SEP001122334455.cnf.xml", CiscoDigest.Sha1, "SEP001122334455.cnf.xml.sgn")]
        [InlineData("SoftKeys.xml", CiscoDigest.Sha512, "SoftKeys.xml.sgn")]
        public void Sgn_files_signed_with_a_non_exportable_key_equal_the_golden_files(string input, CiscoDigest digest, string headerName)
        {
            using var tftp = NonExportableKeys.Load(CiscoVectors.Asterisk);
            using var signer = new CiscoSigner(tftp, digest);
            Assert.True(signer.SignsWithKeyObject);
            var built = SignedFile.Sign(signer, File.ReadAllBytes(CiscoVectors.File("sgn/" + input)), headerName, SignedFileTests.Stamp);
            Assert.Equal(Convert.ToHexString(File.ReadAllBytes(CiscoVectors.File("sgn/" + input + ".sgn"))), Convert.ToHexString(built));
            Assert.True(((NonExportableRsa)tftp.PrivateKey!).PrivateOperations > 0);
        }

        [Fact]
        public void Bulk_signing_in_parallel_with_a_non_exportable_key_signs_every_file()
        {
            using var dir = new TempDirectory();
            for (int i = 0; i < 24; i++) File.WriteAllText(dir.File($"SEP0011223344{i:D2}.cnf.xml"), $"<device><n>{i}</n></device>");
            using var tftp = NonExportableKeys.Load(CiscoVectors.Asterisk);
            using var protector = new CiscoFileProtector(tftp, timestamp: SignedFileTests.Stamp);
            var jobs = Directory.GetFiles(dir.Path, "*.xml").Select(f => new ProtectionJob(f, protector.DestinationFor(f, null))).ToList();
            var outcomes = protector.ProtectFiles(jobs);
            Assert.Equal(24, outcomes.Count(o => o.Error == null));
            using var pem = PemCredential.Load(CiscoVectors.Asterisk);
            foreach (var job in jobs)
                SignedFile.Strip(File.ReadAllBytes(job.Destination), job.Destination, pem.Certificate, out _); // throws on a bad signature
        }

        [Fact]
        public void An_itl_signed_with_a_non_exportable_sast_key_equals_the_golden_file()
        {
            using var sast = NonExportableKeys.Load(CiscoVectors.Sast);
            using var signer = new CiscoSigner(sast, CiscoDigest.Sha1);
            using var ccm = PemCredential.Load(CiscoVectors.Asterisk);
            using var sastPublic = PemCredential.Load(CiscoVectors.Sast);
            var entries = new[] { new ItlEntry(sastPublic.Certificate, ItlFile.ParseRole("sast")), new ItlEntry(ccm.Certificate, ItlFile.ParseRole("ccm")) };
            var built = ItlFile.Build(signer, entries, "ITLFile.tlv", "1.0", DateTimeOffset.FromUnixTimeSeconds(1795344868));
            Assert.Equal(Convert.ToHexString(File.ReadAllBytes(CiscoVectors.File("itl/ITLFile.tlv"))), Convert.ToHexString(built));
        }

        [Fact]
        public void Enc_sgn_signed_and_decrypted_with_non_exportable_keys_round_trips()
        {
            using var tftp = NonExportableKeys.Load(CiscoVectors.Asterisk);
            using var phone = NonExportableKeys.Load(CiscoVectors.Phone);
            using var signer = new CiscoSigner(tftp, CiscoDigest.Sha512);
            var cnf = File.ReadAllBytes(CiscoVectors.File("sgn/SEP001122334455.cnf.xml"));
            var files = EncryptedConfig.Encrypt(signer, phone.Certificate, cnf, "SEP001122334455.cnf.xml", SignedFileTests.Stamp);
            var plain = EncryptedConfig.Decrypt(files.Encrypted, files.EncryptedFileName, phone, tftp.Certificate, out var info);
            Assert.Equal(cnf, plain);
            Assert.True(info.SignatureValid == true);
        }

        [Fact]
        public void A_key_that_cannot_sign_sha512_is_a_clear_error_before_any_file_is_signed()
        {
            using var tftp = NonExportableKeys.Load(CiscoVectors.Asterisk, k => k.RefusesSha512 = true);
            var ex = Assert.Throws<ProvisioningException>(() => new CiscoSigner(tftp, CiscoDigest.Sha512));
            Assert.Equal("SigningFailed", ex.ErrorId);
            Assert.Contains("CN=Asterisk", ex.Message);
            Assert.Contains("SHA-512", ex.Message);
            Assert.Contains("sign with the SHA-1 digest (--digest).", PrivateProvisioning.Cli.CliSpelling.Message(ex));
            using var sha1 = new CiscoSigner(tftp, CiscoDigest.Sha1); // the same key signs SHA-1
        }

        [Theory]
        [InlineData("rsa:2048")]
        [InlineData("ec:prime256v1")]
        public void A_ca_with_a_non_exportable_key_issues_certificates_that_openssl_verifies(string keyType)
        {
            using var dir = new TempDirectory();
            var caPath = OpenSslCa(dir, "store", keyType);
            using var ca = NonExportableKeysFromPair(caPath, dir.File("store.key"));
            var leaf = ProvisioningCertificate.CreateFile(new CertificateRequestOptions("Asterisk", "Lab", "Voice", issuer: ca), dir.File("leaf.pem"));
            Assert.StartsWith("CN=store test CA", leaf.Issuer);
            var verify = ProcessRunner.Tool("openssl", new[] { "verify", "-CAfile", caPath, leaf.Path });
            Assert.True(verify.ExitCode == 0, verify.ToString());
            var text = ProcessRunner.Tool("openssl", new[] { "x509", "-in", leaf.Path, "-noout", "-text" }).AssertSuccess().StdOut;
            Assert.Contains(keyType.StartsWith("ec", StringComparison.Ordinal) ? "ecdsa-with-SHA256" : "sha256WithRSAEncryption", text);
        }

        [Fact]
        public void Approving_a_request_with_a_non_exportable_ca_key_works()
        {
            using var dir = new TempDirectory();
            var caPath = OpenSslCa(dir, "store");
            using var ca = NonExportableKeysFromPair(caPath, dir.File("store.key"));
            var csr = CertificateRequestGenerator.Write(dir.File("alice.csr"), null, new CertificateSubject("alice", organization: "ACME"), CertificateRequestKeyAlgorithm.EcP256).Path;
            var issued = CertificateRequestApprover.ApproveFile(csr, ca, dir.File("out"))!;
            var verify = ProcessRunner.Tool("openssl", new[] { "verify", "-CAfile", caPath, issued.Path });
            Assert.True(verify.ExitCode == 0, verify.ToString());
        }

        [Theory]
        [InlineData("-keyopt", "rsa_padding_mode:pkcs1")]
        [InlineData("-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256", "-keyopt", "rsa_mgf1_md:sha256")]
        public void Csr_decryption_with_a_non_exportable_key_works_when_the_key_decrypts_itself(params string[] keyOptions)
        {
            using var dir = new TempDirectory();
            var (server, encrypted) = EncryptedRequest(dir, keyOptions);
            using var credential = NonExportableKeysFromPair(server, dir.File("server.key"));
            Assert.Equal("alice", CertificateRequestDecryptor.DecryptFile(encrypted, credential).CommonName);
        }

        [Fact]
        public void Oaep_sha256_with_a_non_exportable_cryptoapi_key_says_the_key_cannot_be_exported()
        {
            using var dir = new TempDirectory();
            var (server, encrypted) = EncryptedRequest(dir, "-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256", "-keyopt", "rsa_mgf1_md:sha256");
            using var loaded = PrivateProvisioning.Core.Security.CertificateSource.FromFile(server).Load((char[]?)null, "decrypting");
#pragma warning disable CA1416 // RSACryptoServiceProvider: what Windows PowerShell 5.1 holds for a CryptoAPI key; OAEP with SHA-1 only
            var csp = new RSACryptoServiceProvider();
            csp.ImportParameters(((RSA)loaded.PrivateKey!).ExportParameters(true));
#pragma warning restore CA1416
            using var credential = PemCredential.FromCertificate(loaded.Certificate, new NonExportableRsa(csp));
            var ex = Assert.Throws<ProvisioningException>(() => CertificateRequestDecryptor.DecryptFile(encrypted, credential));
            Assert.Equal("PrivateKeyNotExportable", ex.ErrorId);
            Assert.Contains("CN=server test CA", ex.Message);
            Assert.Contains("OAEP", ex.Message);
            Assert.Contains("-Exportable", ex.Message);
        }

        [Fact]
        public void Writing_a_non_exportable_key_to_pem_is_a_clear_error_and_writes_nothing()
        {
            using var dir = new TempDirectory();
            using var credential = NonExportableKeys.Load(CiscoVectors.Asterisk);
            var ex = Assert.Throws<ProvisioningException>(() => credential.Save(dir.File("out.pem")));
            Assert.Equal("PrivateKeyNotExportable", ex.ErrorId);
            Assert.Contains("CN=Asterisk", ex.Message);
            Assert.Contains("PEM", ex.Message);
            Assert.False(File.Exists(dir.File("out.pem")));
            // The netstandard2.0 (Windows PowerShell 5.1) route through BouncyCastle gives the same error.
            Assert.Equal("PrivateKeyNotExportable", Assert.Throws<ProvisioningException>(() => PrivateKeyCodec.ExportPemWithBouncyCastle(credential.PrivateKey!)).ErrorId);
            using var ec = NonExportableKeys.Load(CiscoVectors.ApacheEc);
            Assert.Equal("PrivateKeyNotExportable", Assert.Throws<ProvisioningException>(() => PrivateKeyCodec.ExportPemWithBouncyCastle(ec.PrivateKey!)).ErrorId);
            Assert.Equal("PrivateKeyNotExportable", Assert.Throws<ProvisioningException>(() => ec.ExportPrivateKeyPem()).ErrorId);
        }

        private static (string Server, string Encrypted) EncryptedRequest(TempDirectory dir, params string[] keyOptions)
        {
            var server = OpenSslCa(dir, "server");
            var csr = CertificateRequestGenerator.Write(dir.File("alice.csr"), null, new CertificateSubject("alice", organization: "ACME"), CertificateRequestKeyAlgorithm.EcP256).Path;
            var output = dir.File("alice.p7m");
            var args = new[] { "cms", "-encrypt", "-binary", "-in", csr, "-out", output, "-outform", "DER", "-aes256", "-recip", server }.Concat(keyOptions).ToArray();
            Ok(ProcessRunner.Tool("openssl", args));
            return (server, output);
        }

        /// <summary>An openssl CA (certificate + .key) as a credential whose key cannot be exported.</summary>
        private static PemCredential NonExportableKeysFromPair(string certificate, string key)
        {
            var combined = certificate + ".combined.pem";
            File.WriteAllText(combined, File.ReadAllText(key) + File.ReadAllText(certificate));
            return NonExportableKeys.Load(combined);
        }
    }
}
