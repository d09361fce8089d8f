using System.IO;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security.Enrollment;
using PrivateProvisioning.Tests.Support;
using Xunit;
using static PrivateProvisioning.Tests.Enrollment.EnrollmentPeers;

namespace PrivateProvisioning.Tests.Enrollment
{
    public class WebServerConfigurationTests
    {
        private static WebServerConfigurationOptions Options(string root = "/srv/pprov out") =>
            new WebServerConfigurationOptions(root, "/etc/pprov/server.pem", "/etc/pprov/server.key", "/etc/pprov/ca.pem", "prov.example.com", 9443);

        [Fact]
        public void Apache_requires_a_client_certificate_from_our_CA()
        {
            var text = WebServerConfigurationWriter.Render(WebServerKind.Apache, Options());
            Assert.Contains("<VirtualHost *:9443>", text);
            Assert.Contains("SSLVerifyClient require\n", text);
            Assert.Contains("SSLCACertificateFile \"/etc/pprov/ca.pem\"\n", text);
            Assert.Contains("DocumentRoot \"/srv/pprov out\"\n", text);
            Assert.Contains("<Directory \"/srv/pprov out\">", text);
        }

        [Fact]
        public void Nginx_quotes_paths_and_verifies_clients()
        {
            var text = WebServerConfigurationWriter.Render(WebServerKind.Nginx, Options());
            Assert.Contains("listen 9443 ssl;\n", text);
            Assert.Contains("ssl_verify_client on;\n", text);
            Assert.Contains("ssl_client_certificate \"/etc/pprov/ca.pem\";\n", text);
            Assert.Contains("root \"/srv/pprov out\";\n", text);
        }

        [Theory]
        [InlineData("/srv/$document_root")]
        [InlineData("/srv/a\"b")]
        [InlineData("/srv/a\nb")]
        public void Values_that_cannot_be_written_safely_are_refused(string root)
        {
            var ex = Assert.Throws<ProvisioningException>(() => Options(root));
            Assert.Equal("InvalidWebServerSetting", ex.ErrorId);
            Assert.Contains("Root", ex.Message);
        }

        [Fact]
        public void Pprov_webconf_prints_or_writes_the_snippet()
        {
            using var dir = new TempDirectory();
            var printed = Pprov("webconf", "--server", "apache", "--root", dir.Path, "--cert", "s.pem", "--key", "s.key", "--client-ca", "ca.pem", "--server-name", "prov.example.com");
            Assert.True(printed.ExitCode == 0, printed.ToString());
            Assert.Contains("SSLVerifyClient require", printed.StdOut);
            var written = Pprov("webconf", "--server", "nginx", "--root", dir.Path, "--cert", "s.pem", "--key", "s.key", "--client-ca", "ca.pem", "--server-name", "bad name", "--out", dir.File("x.conf"));
            Assert.Equal(2, written.ExitCode);
            Assert.Contains("ServerName", written.StdErr);
            Assert.False(File.Exists(dir.File("x.conf")));
        }
    }
}
