using System;
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
    public class CertificateRequestApproverTests
    {
        [Theory]
        [InlineData("rsa:2048", CertificateRequestKeyAlgorithm.Rsa2048, "Digital Signature, Key Encipherment")]
        [InlineData("ec:P-256", CertificateRequestKeyAlgorithm.EcP384, "Digital Signature")]
        public void The_client_certificate_verifies_against_the_CA_with_the_client_profile(string caKey, CertificateRequestKeyAlgorithm clientKey, string keyUsage)
        {
            using var dir = new TempDirectory();
            var ca = OpenSslCa(dir, "ca", caKey);
            var csr = CertificateRequestGenerator.Write(dir.File("req/alice.csr"), null, new CertificateSubject("alice", organization: "ACME", email: "alice@example.com"), clientKey).Path;
            using var issuer = PrivateProvisioning.Core.Security.CertificateSource.FromFile(ca).Load((char[]?)null, "approving");

            var issued = CertificateRequestApprover.ApproveFile(csr, issuer, dir.File("client_cert"), days: 30)!;

            Assert.Equal(dir.File("client_cert/alice.pem"), issued.Path);
            Assert.Equal(WriteStatus.Created, issued.Status);
            Assert.Contains(": OK", Ok(Openssl("verify", "-CAfile", ca, "-purpose", "sslclient", issued.Path)).StdOut);
            var text = Ok(Openssl("x509", "-in", issued.Path, "-noout", "-text")).StdOut;
            Assert.Contains("TLS Web Client Authentication", text);
            Assert.DoesNotContain("TLS Web Server Authentication", text);
            Assert.Contains("X509v3 Key Usage: critical\n                " + keyUsage + "\n", text);
            Assert.Contains("CA:FALSE", text);
            Assert.Contains("X509v3 Subject Key Identifier", text);
            Assert.Contains("X509v3 Authority Key Identifier", text);
            Assert.Contains("CN = alice", text);
            Assert.Contains("X509v3 Subject Alternative Name: \n                email:alice@example.com", text);
            // The AKI is the CA's SKI, so chain builders find the CA by key.
            var caSki = Ok(Openssl("x509", "-in", ca, "-noout", "-ext", "subjectKeyIdentifier")).StdOut.Split('\n')[1].Trim();
            Assert.Contains(caSki, text);
            // A random 128-bit serial, different every time.
            Assert.True(issued.SerialNumber.Length >= 30, issued.SerialNumber);
            var notAfter = issued.NotAfter - DateTimeOffset.UtcNow;
            Assert.InRange(notAfter.TotalDays, 29.9, 30.01);
        }

        [Fact]
        public void A_server_certificate_gets_serverAuth_and_a_DNS_name_from_the_CN()
        {
            using var dir = new TempDirectory();
            var ca = OpenSslCa(dir);
            var csr = CertificateRequestGenerator.Write(dir.File("prov.csr"), null, new CertificateSubject("prov.example.com")).Path;
            using var issuer = PrivateProvisioning.Core.Security.CertificateSource.FromFile(ca).Load((char[]?)null, "approving");
            var issued = CertificateRequestApprover.ApproveFile(csr, issuer, dir.Path, usage: CertificateUsage.Server)!;
            Assert.Contains(": OK", Ok(Openssl("verify", "-CAfile", ca, "-purpose", "sslserver", "-verify_hostname", "prov.example.com", issued.Path)).StdOut);
        }

        [Fact]
        public void A_request_with_a_bad_signature_is_refused_and_nothing_is_written()
        {
            using var dir = new TempDirectory();
            var ca = OpenSslCa(dir);
            var csr = CertificateRequestGenerator.Write(dir.File("mallory.csr"), null, new CertificateSubject("mallory")).Path;
            var der = Convert.FromBase64String(string.Concat(File.ReadAllLines(csr).Where(l => !l.StartsWith("-----"))));
            der[der.Length - 10] ^= 0x01; // inside the signature value
            File.WriteAllBytes(dir.File("mallory.der"), der);
            // openssl 3.0 exits 0 here but says so: the tampering is real.
            var check = Openssl("req", "-in", dir.File("mallory.der"), "-inform", "DER", "-verify", "-noout");
            Assert.Contains("verify failure", check.StdOut + check.StdErr);
            using var issuer = PrivateProvisioning.Core.Security.CertificateSource.FromFile(ca).Load((char[]?)null, "approving");

            var ex = Assert.Throws<ProvisioningException>(() => CertificateRequestApprover.ApproveFile(dir.File("mallory.der"), issuer, dir.File("out")));
            Assert.Equal("CertificateRequestSignatureInvalid", ex.ErrorId);
            Assert.Contains("mallory.der", ex.Message);
            Assert.False(Directory.Exists(dir.File("out")));
        }

        [Fact]
        public void A_weak_RSA_request_is_refused()
        {
            using var dir = new TempDirectory();
            var ca = OpenSslCa(dir);
            Ok(Openssl("req", "-new", "-newkey", "rsa:1024", "-nodes", "-keyout", dir.File("weak.key"), "-subj", "/CN=weak", "-out", dir.File("weak.csr")));
            using var issuer = PrivateProvisioning.Core.Security.CertificateSource.FromFile(ca).Load((char[]?)null, "approving");
            var ex = Assert.Throws<ProvisioningException>(() => CertificateRequestApprover.ApproveFile(dir.File("weak.csr"), issuer, dir.File("out")));
            Assert.Equal("RequestKeyTooWeak", ex.ErrorId);
            Assert.Contains("1024-bit", ex.Message);
            Assert.False(Directory.Exists(dir.File("out")));
        }

        [Fact]
        public void An_expired_CA_is_refused_and_nothing_is_written()
        {
            using var dir = new TempDirectory();
            var ca = ExpiredCa(dir);
            var csr = CertificateRequestGenerator.Write(dir.File("alice.csr"), null, new CertificateSubject("alice"), CertificateRequestKeyAlgorithm.EcP256).Path;
            using var issuer = PrivateProvisioning.Core.Security.CertificateSource.FromFile(ca).Load((char[]?)null, "approving");
            var ex = Assert.Throws<ProvisioningException>(() => CertificateRequestApprover.ApproveFile(csr, issuer, dir.File("out")));
            Assert.Equal("IssuerExpired", ex.ErrorId);
            Assert.Contains("expired on", ex.Message);
            Assert.False(Directory.Exists(dir.File("out")));
        }

        [Fact]
        public void A_certificate_that_is_not_a_CA_cannot_approve()
        {
            using var dir = new TempDirectory();
            var ca = OpenSslCa(dir);
            using var issuer = PrivateProvisioning.Core.Security.CertificateSource.FromFile(ca).Load((char[]?)null, "approving");
            var leafCsr = CertificateRequestGenerator.Write(dir.File("leaf.csr"), null, new CertificateSubject("leaf")).Path;
            var leaf = CertificateRequestApprover.ApproveFile(leafCsr, issuer, dir.File("leafs"))!;
            File.WriteAllText(dir.File("leafs/leaf.key"), File.ReadAllText(dir.File("leaf.key")));
            using var notCa = PrivateProvisioning.Core.Security.CertificateSource.FromFile(leaf.Path).Load((char[]?)null, "approving");
            var csr = CertificateRequestGenerator.Write(dir.File("x.csr"), null, new CertificateSubject("x"), CertificateRequestKeyAlgorithm.EcP256).Path;
            var ex = Assert.Throws<ProvisioningException>(() => CertificateRequestApprover.ApproveFile(csr, notCa, dir.File("out")));
            Assert.Equal("IssuerNotCertificateAuthority", ex.ErrorId);
        }

        [Fact]
        public void An_existing_certificate_is_kept_unless_forced_and_user_names_are_sanitized()
        {
            using var dir = new TempDirectory();
            var ca = OpenSslCa(dir);
            var csr = CertificateRequestGenerator.Write(dir.File("a.csr"), null, new CertificateSubject("Bob Smith/../x"), CertificateRequestKeyAlgorithm.EcP256).Path;
            using var issuer = PrivateProvisioning.Core.Security.CertificateSource.FromFile(ca).Load((char[]?)null, "approving");
            var first = CertificateRequestApprover.ApproveFile(csr, issuer, dir.File("out"))!;
            Assert.Equal(dir.File("out/Bob_Smith_.._x.pem"), first.Path);
            var before = File.ReadAllText(first.Path);

            var ex = Assert.Throws<ProvisioningException>(() => CertificateRequestApprover.ApproveFile(csr, issuer, dir.File("out")));
            Assert.Equal("CertificateExists", ex.ErrorId);
            Assert.Equal(before, File.ReadAllText(first.Path));

            var second = CertificateRequestApprover.ApproveFile(csr, issuer, dir.File("out"), force: true)!;
            Assert.Equal(WriteStatus.Updated, second.Status);
            Assert.NotEqual(before, File.ReadAllText(first.Path));

            Assert.Equal("InvalidUserName", Assert.Throws<ProvisioningException>(() =>
                CertificateRequestApprover.ApproveFile(csr, issuer, dir.File("out"), userName: "../evil")).ErrorId);
            var named = CertificateRequestApprover.ApproveFile(csr, issuer, dir.File("out"), userName: "bob")!;
            Assert.Equal(dir.File("out/bob.pem"), named.Path);
        }

        [Fact]
        public void Declining_ShouldProcess_writes_nothing()
        {
            using var dir = new TempDirectory();
            var ca = OpenSslCa(dir);
            var csr = CertificateRequestGenerator.Write(dir.File("a.csr"), null, new CertificateSubject("a"), CertificateRequestKeyAlgorithm.EcP256).Path;
            using var issuer = PrivateProvisioning.Core.Security.CertificateSource.FromFile(ca).Load((char[]?)null, "approving");
            string? asked = null;
            Assert.Null(CertificateRequestApprover.ApproveFile(csr, issuer, dir.File("out"), confirm: target => { asked = target; return false; }));
            Assert.Equal(dir.File("out/a.pem"), asked);
            Assert.False(Directory.Exists(dir.File("out")));
        }

        [Fact]
        public void Pprov_approves_many_and_reports_each_failure()
        {
            using var dir = new TempDirectory();
            var ca = OpenSslCa(dir);
            CertificateRequestGenerator.Write(dir.File("csr/alice.csr"), null, new CertificateSubject("alice"), CertificateRequestKeyAlgorithm.EcP256);
            CertificateRequestGenerator.Write(dir.File("csr/bob.csr"), null, new CertificateSubject("bob"), CertificateRequestKeyAlgorithm.EcP256);
            File.WriteAllText(dir.File("csr/junk.csr"), "not a request\n");

            var run = Pprov("csr", "approve", dir.File("csr/alice.csr"), dir.File("csr/junk.csr"), dir.File("csr/bob.csr"), "--issuer", ca, "--out", dir.File("client_cert"), "--days", "10", "--json");
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("junk.csr", run.StdErr);
            Assert.Equal(2, run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            foreach (var user in new[] { "alice", "bob" })
                Ok(Openssl("verify", "-CAfile", ca, dir.File($"client_cert/{user}.pem")));

            var expired = ExpiredCa(dir);
            var refused = Pprov("csr", "approve", dir.File("csr/alice.csr"), "--issuer", expired, "--out", dir.File("other"));
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("expired", refused.StdErr);
            Assert.False(Directory.Exists(dir.File("other")));
        }
    }
}

namespace PrivateProvisioning.Tests.Enrollment
{
    public class CertificateObjectIssuerTests
    {
        /// <summary>A CA held as an X509Certificate2 with its key (store, PFX) signs through the platform key.</summary>
        [Fact]
        public void A_CA_given_as_a_certificate_object_signs_through_its_platform_key()
        {
            using var dir = new TempDirectory();
            var caPath = OpenSslCa(dir, "ca", "ec:P-384");
            var pem = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(caPath, dir.File("ca.key"));
            using var credential = PrivateProvisioning.Core.Security.PemCredential.FromCertificate(pem);
            var csr = CertificateRequestGenerator.Write(dir.File("a.csr"), null, new CertificateSubject("a")).Path;
            var issued = CertificateRequestApprover.ApproveFile(csr, credential, dir.File("out"))!;
            Assert.Contains("ecdsa-with-SHA384", Ok(Openssl("x509", "-in", issued.Path, "-noout", "-text")).StdOut);
            Ok(Openssl("verify", "-CAfile", caPath, issued.Path));
        }
    }
}
