using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Security
{
    public class ProvisioningCertificateTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 11, 22, 10, 54, 28, TimeSpan.Zero);

        [Fact]
        public void Rsa_certificate_has_the_mkcert_profile_as_openssl_prints_it()
        {
            using var dir = new TempDirectory();
            var options = new CertificateRequestOptions("SEP001122334455", "Test Phones", "LSC", locality: "Wellington", country: "NZ", years: 5);
            var info = ProvisioningCertificate.CreateFile(options, dir.File("phone.pem"), now: Now);
            Assert.Equal(WriteStatus.Created, info.Status);
            Assert.Equal(System.IO.UnixFileMode.UserRead | System.IO.UnixFileMode.UserWrite, File.GetUnixFileMode(info.Path));

            var text = ProcessRunner.Tool("openssl", new[] { "x509", "-in", info.Path, "-noout", "-text" }).AssertSuccess().StdOut;
            Assert.Contains("Version: 3 (0x2)", text);
            Assert.Contains("Issuer: CN = SEP001122334455, O = Test Phones, OU = LSC, L = Wellington, C = NZ", text);
            Assert.Contains("Subject: CN = SEP001122334455, O = Test Phones, OU = LSC, L = Wellington, C = NZ", text);
            Assert.Contains("Not Before: Nov 22 00:00:00 2026 GMT", text);
            Assert.Contains("Not After : Nov 22 00:00:00 2031 GMT", text);
            Assert.Contains("Public-Key: (2048 bit)", text);
            Assert.Contains("sha256WithRSAEncryption", text);
            Assert.Contains("X509v3 Basic Constraints: critical\n                CA:TRUE, pathlen:0", text);
            Assert.Contains("Digital Signature, Key Encipherment, Data Encipherment, Certificate Sign, CRL Sign", text);
            Assert.Contains("TLS Web Server Authentication, TLS Web Client Authentication, IPSec End System", text);
            Assert.Contains("X509v3 Subject Key Identifier", text);
            Assert.Contains("DNS:sep001122334455", text);
            Assert.DoesNotContain("Authority Key Identifier", text);
            Assert.InRange(CertificateNames.SerialBytes(info.Certificate).Length, 14, 16); // 16 random bytes, fewer when they start with 00

            // Self-signed and valid: openssl verify accepts it as its own trust anchor (as of its notBefore).
            var verify = ProcessRunner.Tool("openssl", new[] { "verify", "-attime", Now.ToUnixTimeSeconds().ToString(), "-CAfile", info.Path, info.Path });
            Assert.True(verify.ExitCode == 0, verify.ToString());
            Assert.Contains("BEGIN PRIVATE KEY", File.ReadAllText(info.Path));
            using var loaded = PemCredential.Load(info.Path);
            Assert.True(loaded.HasPrivateKey);
        }

        [Theory]
        [InlineData(CertificateCurve.Secp256r1, "prime256v1", 256)]
        [InlineData(CertificateCurve.Secp384r1, "secp384r1", 384)]
        [InlineData(CertificateCurve.Secp521r1, "secp521r1", 521)]
        public void Ec_certificates_on_each_curve(CertificateCurve curve, string opensslName, int bits)
        {
            using var dir = new TempDirectory();
            var info = ProvisioningCertificate.CreateFile(new CertificateRequestOptions("Apache-EC", "Apache-EC", "Apache-EC", curve: curve), dir.File("ec.pem"));
            Assert.Equal(CertificateKeyAlgorithm.EC, info.KeyAlgorithm);
            Assert.Equal(bits, info.KeySize);
            var text = ProcessRunner.Tool("openssl", new[] { "x509", "-in", info.Path, "-noout", "-text" }).AssertSuccess().StdOut;
            Assert.Contains("ASN1 OID: " + opensslName, text);
            Assert.Contains("ecdsa-with-SHA256", text);
            Assert.Contains("BEGIN EC PRIVATE KEY", File.ReadAllText(info.Path));
            Assert.Equal(0, ProcessRunner.Tool("openssl", new[] { "verify", "-CAfile", info.Path, info.Path }).ExitCode);
        }

        [Fact]
        public void Issued_certificate_verifies_against_its_ca_and_rsa_1024_works()
        {
            using var dir = new TempDirectory();
            var ca = ProvisioningCertificate.CreateFile(new CertificateRequestOptions("Lab CA", "Lab", "PKI", years: 20), dir.File("ca.pem"));
            using var caCredential = PemCredential.Load(ca.Path);
            var leaf = ProvisioningCertificate.CreateFile(new CertificateRequestOptions("Asterisk", "Lab", "Voice", rsaKeySize: 1024, issuer: caCredential), dir.File("leaf.pem"));
            Assert.Equal("CN=Lab CA,O=Lab,OU=PKI", leaf.Issuer);
            Assert.Equal(1024, leaf.KeySize);
            var verify = ProcessRunner.Tool("openssl", new[] { "verify", "-CAfile", ca.Path, leaf.Path });
            Assert.True(verify.ExitCode == 0, verify.ToString());
            Assert.NotEqual(0, ProcessRunner.Tool("openssl", new[] { "verify", "-CAfile", leaf.Path, leaf.Path }).ExitCode);
        }

        [Theory]
        [InlineData(4096, "up to 2048 bits")]
        [InlineData(3072, "up to 2048 bits")]
        [InlineData(512, "not secure")]
        public void Key_sizes_phones_cannot_use_are_refused_with_the_reason(int bits, string reason)
        {
            var ex = Assert.Throws<ProvisioningException>(() => new CertificateRequestOptions("a", "b", "c", rsaKeySize: bits));
            Assert.Equal("UnsupportedKeySize", ex.ErrorId);
            Assert.Contains(reason, ex.Message);
        }

        [Theory]
        [InlineData("", "O", "OU", null, "SubjectFieldRequired")]
        [InlineData("CN", " ", "OU", null, "SubjectFieldRequired")]
        [InlineData("CN", "O", "OU", "nz", "InvalidCountry")]
        [InlineData("CN", "O", "OU", "NZL", "InvalidCountry")]
        public void Bad_subjects_are_refused(string cn, string o, string ou, string? country, string errorId) =>
            Assert.Equal(errorId, Assert.Throws<ProvisioningException>(() => new CertificateRequestOptions(cn, o, ou, country: country)).ErrorId);

        [Fact]
        public void Existing_file_is_not_replaced_without_force()
        {
            using var dir = new TempDirectory();
            var path = dir.File("sast.pem");
            File.WriteAllText(path, "precious key");
            var options = new CertificateRequestOptions("SAST", "SAST", "SAST");
            Assert.Equal("CertificateFileExists", Assert.Throws<ProvisioningException>(() => ProvisioningCertificate.CreateFile(options, path)).ErrorId);
            Assert.Equal("precious key", File.ReadAllText(path));
            Assert.Equal(WriteStatus.Updated, ProvisioningCertificate.CreateFile(options, path, force: true).Status);
        }

        [Fact]
        public void Default_file_name_follows_mkcert() =>
            Assert.Equal("Test_Name_1-a.pem", new CertificateRequestOptions("Test Name.1-a", "O", "OU").DefaultFileName);

        [Fact]
        public void Pprov_cert_new_end_to_end()
        {
            using var dir = new TempDirectory();
            var result = ProcessRunner.Pprov("cert", "new", "--cn", "Asterisk", "--org", "Asterisk", "--ou", "Asterisk", "--curve", "secp384r1", "--years", "2", "--json", dir.File("a.pem"));
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("\"subject\":\"CN=Asterisk,O=Asterisk,OU=Asterisk\"", result.StdOut);
            Assert.Contains("\"keyAlgorithm\":\"EC\"", result.StdOut);

            var issued = ProcessRunner.Pprov("cert", "new", "--cn", "Leaf", "--org", "O", "--ou", "U", "--issuer", dir.File("a.pem"), dir.File("leaf.pem"));
            Assert.True(issued.ExitCode == 0, issued.ToString());
            Assert.Equal(0, ProcessRunner.Tool("openssl", new[] { "verify", "-CAfile", dir.File("a.pem"), dir.File("leaf.pem") }).ExitCode);

            var refused = ProcessRunner.Pprov("cert", "new", "--cn", "A", "--org", "O", "--ou", "U", "--key-size", "4096", dir.File("b.pem"));
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("up to 2048 bits", refused.StdErr);
            Assert.False(File.Exists(dir.File("b.pem")));

            var exists = ProcessRunner.Pprov("cert", "new", "--cn", "A", "--org", "O", "--ou", "U", dir.File("a.pem"));
            Assert.Equal(1, exists.ExitCode);
            Assert.Contains("already exists", exists.StdErr);
            Assert.DoesNotContain("   at ", exists.StdErr);
        }
    }
}
