using System.Collections.Generic;
using System.IO;
using System.Text;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security.Enrollment;
using PrivateProvisioning.Tests.Security;
using PrivateProvisioning.Tests.Support;
using Xunit;
using static PrivateProvisioning.Tests.Enrollment.EnrollmentPeers;

namespace PrivateProvisioning.Tests.Enrollment
{
    public class CertificatePinAndExportTests
    {
        [Theory]
        [InlineData("rsa:2048")]
        [InlineData("rsa:4096")]
        [InlineData("ec:P-256")]
        [InlineData("ec:P-384")]
        public void The_pin_is_what_the_openssl_pipeline_prints(string key)
        {
            using var dir = new TempDirectory();
            var cert = OpenSslCa(dir, "server", key);
            Assert.Equal(OpenSslPin(cert, dir), CertificatePins.FromFile(cert).Pin);
            var run = Pprov("pin", cert);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal(OpenSslPin(cert, dir) + "\n", run.StdOut);
        }

        [Fact]
        public void The_pin_of_a_mkcert_file_with_key_first_and_of_a_DER_file()
        {
            using var dir = new TempDirectory();
            var pem = CiscoVectors.ApacheEc; // key block, then certificate
            var expected = OpenSslPin(pem, dir);
            Assert.Equal(expected, CertificatePins.FromFile(pem).Pin);
            Ok(Openssl("x509", "-in", pem, "-outform", "der", "-out", dir.File("apache.der")));
            Assert.Equal(expected, CertificatePins.FromFile(dir.File("apache.der")).Pin);
        }

        [Fact]
        public void Garbage_gets_a_clean_error()
        {
            using var dir = new TempDirectory();
            File.WriteAllText(dir.File("junk.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
            Assert.Throws<ProvisioningException>(() => CertificatePins.FromFile(dir.File("junk.pem")));
            var run = Pprov("pin", dir.File("junk.pem"), dir.File("missing.pem"));
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("junk.pem", run.StdErr);
            Assert.Contains("missing.pem", run.StdErr);
            Assert.DoesNotContain("   at ", run.StdErr);
        }

        [Fact]
        public void Der_export_equals_openssl_x509_outform_der_and_pem_drops_the_key()
        {
            using var dir = new TempDirectory();
            var pem = CiscoVectors.Asterisk;
            var der = CertificateExporter.Export(pem, CertificateExportFormat.Der, dir.File("asterisk.der"));
            Ok(Openssl("x509", "-in", pem, "-outform", "der", "-out", dir.File("openssl.der")));
            Assert.Equal(File.ReadAllBytes(dir.File("openssl.der")), File.ReadAllBytes(der.Path));

            var again = CertificateExporter.Export(pem, CertificateExportFormat.Der, dir.File("asterisk.der"));
            Assert.Equal(WriteStatus.Unchanged, again.Status);

            var certOnly = CertificateExporter.Export(dir.File("asterisk.der"), CertificateExportFormat.Pem, dir.File("asterisk.crt"));
            var text = File.ReadAllText(certOnly.Path);
            Assert.DoesNotContain("PRIVATE KEY", text);
            Assert.Equal(Ok(Openssl("x509", "-in", pem)).StdOut, text);
        }

        [Fact]
        public void Pfx_export_opens_in_openssl_with_its_password_and_holds_the_matching_key()
        {
            using var dir = new TempDirectory();
            var ca = OpenSslCa(dir, "server", "ec:P-256"); // key in server.key beside server.pem
            var run = PprovWithEnv(new Dictionary<string, string> { ["PFXPW"] = "pfx-secret" },
                "cert", "export", ca, "--format", "pfx", "--password-env", "PFXPW", "--out", dir.File("server.pfx"));
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.DoesNotContain("pfx-secret", run.StdOut + run.StdErr);
            Assert.True(IsOwnerOnly(dir.File("server.pfx")));
            var opened = Ok(Openssl("pkcs12", "-in", dir.File("server.pfx"), "-passin", "pass:pfx-secret", "-nodes"));
            File.WriteAllText(dir.File("opened.pem"), opened.StdOut);
            Assert.Equal(Ok(Openssl("pkey", "-in", dir.File("server.key"), "-pubout")).StdOut, Ok(Openssl("pkey", "-in", dir.File("opened.pem"), "-pubout")).StdOut);
            Assert.Equal(OpenSslPin(ca, dir), OpenSslPin(dir.File("opened.pem"), dir));
            Assert.NotEqual(0, Openssl("pkcs12", "-in", dir.File("server.pfx"), "-passin", "pass:wrong", "-nodes").ExitCode);

            var noPassword = Pprov("cert", "export", ca, "--format", "pfx", "--out", dir.File("nopw.pfx"));
            Assert.Equal(2, noPassword.ExitCode);
            Assert.False(File.Exists(dir.File("nopw.pfx")));
        }

        [Fact]
        public void Pprov_cert_export_der_defaults_to_the_source_name()
        {
            using var dir = new TempDirectory();
            var ca = OpenSslCa(dir, "server");
            var run = Pprov("cert", "export", ca, "--format", "der");
            Assert.True(run.ExitCode == 0, run.ToString());
            Ok(Openssl("x509", "-in", dir.File("server.der"), "-inform", "der", "-noout"));
        }
    }
}
