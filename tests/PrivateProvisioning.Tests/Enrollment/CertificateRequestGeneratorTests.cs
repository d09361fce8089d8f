using System.IO;
using System.Linq;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security.Enrollment;
using PrivateProvisioning.Tests.Support;
using Xunit;
using static PrivateProvisioning.Tests.Enrollment.EnrollmentPeers;

namespace PrivateProvisioning.Tests.Enrollment
{
    public class CertificateRequestGeneratorTests
    {
        [Theory]
        [InlineData(CertificateRequestKeyAlgorithm.Rsa2048, "Public-Key: (2048 bit)")]
        [InlineData(CertificateRequestKeyAlgorithm.Rsa3072, "Public-Key: (3072 bit)")]
        [InlineData(CertificateRequestKeyAlgorithm.EcP256, "NIST CURVE: P-256")]
        [InlineData(CertificateRequestKeyAlgorithm.EcP384, "NIST CURVE: P-384")]
        public void Openssl_verifies_the_request_and_reads_the_key(CertificateRequestKeyAlgorithm algorithm, string keyText)
        {
            using var dir = new TempDirectory();
            var result = CertificateRequestGenerator.Write(dir.File("alice.csr"), null, new CertificateSubject("alice"), algorithm);

            Assert.Equal(dir.File("alice.key"), result.KeyPath);
            var verify = Ok(Openssl("req", "-in", result.Path, "-verify", "-noout"));
            Assert.Contains("verify OK", verify.StdErr + verify.StdOut);
            Assert.Contains(keyText, Ok(Openssl("req", "-in", result.Path, "-noout", "-text")).StdOut);
            // The key is the request's key: openssl derives the same public key from both.
            var fromKey = Ok(Openssl("pkey", "-in", result.KeyPath, "-pubout")).StdOut;
            var fromRequest = Ok(Openssl("req", "-in", result.Path, "-noout", "-pubkey")).StdOut;
            Assert.Equal(fromRequest, fromKey);
            Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(result.KeyPath));
            Assert.True(IsOwnerOnly(result.KeyPath), "the key must be readable by its owner only");
            Assert.False(IsOwnerOnly(result.Path), "a request is public");
        }

        [Fact]
        public void The_PrivateWave_subject_fields_come_out_as_openssl_names_them()
        {
            using var dir = new TempDirectory();
            var subject = new CertificateSubject("alice", organization: "ACME Srl", organizationalUnit: "Voice", country: "it", state: "Lazio",
                locality: "Roma", street: "Via Roma 1", postalCode: "00100", title: "Engineer", email: "alice@example.com");
            var result = CertificateRequestGenerator.Write(dir.File("alice.csr"), null, subject);
            var printed = Ok(Openssl("req", "-in", result.Path, "-noout", "-subject", "-nameopt", "RFC2253")).StdOut.Trim();
            Assert.Equal("subject=emailAddress=alice@example.com,CN=alice,title=Engineer,OU=Voice,O=ACME Srl,postalCode=00100,street=Via Roma 1,L=Roma,ST=Lazio,C=IT", printed);
        }

        [Fact]
        public void A_server_request_carries_its_subject_alternative_names()
        {
            using var dir = new TempDirectory();
            var result = CertificateRequestGenerator.Write(dir.File("prov.csr"), dir.File("keys/prov.key"), new CertificateSubject("prov.example.com", email: "admin@example.com"),
                CertificateRequestKeyAlgorithm.Rsa2048, new[] { "prov.example.com", "IP:192.0.2.10", "email:admin@example.com", "*.prov.example.com" });
            var text = Ok(Openssl("req", "-in", result.Path, "-noout", "-text")).StdOut;
            Assert.Contains("DNS:prov.example.com, IP Address:192.0.2.10, email:admin@example.com, DNS:*.prov.example.com", text);
            Assert.True(File.Exists(dir.File("keys/prov.key")));
        }

        [Theory]
        [InlineData("ITA", null, "Country")]
        [InlineData(null, "not-an-address", "Email")]
        public void A_bad_subject_field_is_named_and_nothing_is_written(string? country, string? email, string field)
        {
            using var dir = new TempDirectory();
            var ex = Assert.Throws<ProvisioningException>(() =>
                CertificateRequestGenerator.Write(dir.File("x.csr"), null, new CertificateSubject("x", country: country, email: email)));
            Assert.Equal("InvalidSubjectField", ex.ErrorId);
            Assert.Contains(field, ex.Message);
            Assert.Empty(Directory.GetFiles(dir.Path));
        }

        [Fact]
        public void A_bad_subject_alternative_name_is_refused()
        {
            using var dir = new TempDirectory();
            var ex = Assert.Throws<ProvisioningException>(() =>
                CertificateRequestGenerator.Write(dir.File("x.csr"), null, new CertificateSubject("x"), CertificateRequestKeyAlgorithm.EcP256, new[] { "bad host!" }));
            Assert.Equal("InvalidSubjectAlternativeName", ex.ErrorId);
            Assert.Empty(Directory.GetFiles(dir.Path));
        }

        [Fact]
        public void An_existing_key_is_kept_unless_forced()
        {
            using var dir = new TempDirectory();
            CertificateRequestGenerator.Write(dir.File("a.csr"), null, new CertificateSubject("a"), CertificateRequestKeyAlgorithm.EcP256);
            var key = File.ReadAllText(dir.File("a.key"));
            var ex = Assert.Throws<ProvisioningException>(() => CertificateRequestGenerator.Write(dir.File("a.csr"), null, new CertificateSubject("a"), CertificateRequestKeyAlgorithm.EcP256));
            Assert.Equal("FileExists", ex.ErrorId);
            Assert.Equal(key, File.ReadAllText(dir.File("a.key")));
            CertificateRequestGenerator.Write(dir.File("a.csr"), null, new CertificateSubject("a"), CertificateRequestKeyAlgorithm.EcP256, force: true);
            Assert.NotEqual(key, File.ReadAllText(dir.File("a.key")));
        }

        [Fact]
        public void Pprov_csr_new_writes_request_and_owner_only_key()
        {
            using var dir = new TempDirectory();
            var run = Pprov("csr", "new", "--cn", "bob", "--org", "ACME", "--ou", "Voice", "--country", "DE", "--state", "Bayern", "--locality", "München",
                "--email", "bob@example.com", "--street", "Hauptstraße 1", "--postal-code", "80331", "--title", "Dr", "--key-algorithm", "EcP256", "--json", dir.File("bob.csr"));
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("\"commonName\":\"bob\"", run.StdOut);
            Assert.True(IsOwnerOnly(dir.File("bob.key")));
            var subject = Ok(Openssl("req", "-in", dir.File("bob.csr"), "-verify", "-noout", "-subject", "-nameopt", "RFC2253,-esc_msb")).StdOut;
            Assert.Contains("L=München", subject);
            Assert.Contains("street=Hauptstraße 1", subject);

            var again = Pprov("csr", "new", "--cn", "bob", dir.File("bob.csr"));
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("--force", again.StdErr);
            Assert.Equal(2, Pprov("csr", "new", dir.File("x.csr")).ExitCode); // --cn is required
        }
    }
}
