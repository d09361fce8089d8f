using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
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
            Assert.Contains("        Options -Indexes -MultiViews\n", text);
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

        private static WebServerConfigurationOptions PerPhone(string? ca = null, ClientIdentityRule? identity = null, string[]? files = null, string? crl = null) =>
            new WebServerConfigurationOptions("/srv/pprov", "/etc/pprov/server.pem", "/etc/pprov/server.key", ca ?? "/etc/pprov/ca.pem", "prov.example.com", 9443,
                authorization: WebServerAuthorization.PerPhone, identity: identity, perPhoneFiles: files, clientCrl: crl);

        [Fact]
        public void Nginx_per_phone_maps_the_certificate_and_the_file_to_identities_and_answers_403_when_they_differ()
        {
            var text = WebServerConfigurationWriter.Render(WebServerKind.Nginx, PerPhone(crl: "/etc/pprov/ca.crl"));
            Assert.Contains("map $ssl_client_s_dn $pprov9443_attr {", text);
            Assert.Contains("map $pprov9443_attr $pprov9443_client {", text);
            Assert.Contains("\"$1$2$3$4$5$6\";", text);
            Assert.Contains("map $uri $pprov9443_file {", text);
            Assert.Contains("\"~*(?:^|/)[^/]*([0-9A-Fa-f]{12})[^/]*$\" $1;  # *$MA*", text);
            Assert.Contains("map \"$pprov9443_file|$pprov9443_client\" $pprov9443_denied {", text);
            Assert.Contains("        if ($pprov9443_denied) {\n            return 403;\n        }\n", text);
            Assert.Contains("ssl_crl \"/etc/pprov/ca.crl\";\n", text);
            Assert.Contains("ssl_verify_client on;\n", text);
        }

        [Fact]
        public void Without_per_phone_authorization_nothing_compares_identities()
        {
            var nginx = WebServerConfigurationWriter.Render(WebServerKind.Nginx, Options());
            Assert.DoesNotContain("map ", nginx);
            Assert.DoesNotContain("ssl_crl", nginx);
            var apache = WebServerConfigurationWriter.Render(WebServerKind.Apache, Options());
            Assert.DoesNotContain("Rewrite", apache);
            Assert.DoesNotContain("SSLCARevocation", apache);
        }

        [Fact]
        public void Apache_per_phone_compares_the_certificate_identity_with_the_file_identity_per_pattern()
        {
            var rule = new ClientIdentityRule(ClientIdentityKind.UserName, "emailAddress", "^([^@]+)@example\\.com$");
            var text = WebServerConfigurationWriter.Render(WebServerKind.Apache, PerPhone(identity: rule, files: new[] { "$USER.p12", "users/$USER.*" }, crl: "/etc/pprov/ca.crl"));
            Assert.Contains("RewriteEngine On\n", text);
            Assert.Contains("    RewriteCond %{SSL:SSL_CLIENT_S_DN_Email} \"^([^@]+)@example\\.com$\"\n", text);
            Assert.Contains("    RewriteCond \"%1|$1\" \"^([^|]+)\\|\\1$\"\n", text);
            Assert.Contains("    RewriteRule \"(?:^|/)([^/|]+)\\.p12$\" - [NC,L]\n    RewriteRule \"(?:^|/)([^/|]+)\\.p12$\" - [NC,F]\n", text);
            Assert.Contains("    RewriteRule \"^/users/([^/|]+)\\.[^/]*$\" - [NC,F]\n", text);
            Assert.Contains("SSLCARevocationFile \"/etc/pprov/ca.crl\"\n    SSLCARevocationCheck chain\n", text);
            // MAC addresses compare without regard to case, user names exactly.
            Assert.DoesNotContain("[NC]", text);
            Assert.Contains("[NC]", WebServerConfigurationWriter.Render(WebServerKind.Apache, PerPhone()));
        }

        [Fact]
        public void Identity_options_without_per_phone_authorization_are_refused()
        {
            var ex = Assert.Throws<ProvisioningException>(() => new WebServerConfigurationOptions("/srv", "/s.pem", "/s.key", "/ca.pem", "x", perPhoneFiles: new[] { "$MA.xml" }));
            Assert.Contains("Authorization", ex.Message);
            Assert.Contains("PerPhone", ex.Message);
        }

        [Theory]
        [InlineData(WebServerKind.Nginx)]
        [InlineData(WebServerKind.Apache)]
        public void Nginx_and_Apache_need_the_server_certificate(WebServerKind server)
        {
            var o = new WebServerConfigurationOptions("/srv", null, "/s.key", "/ca.pem", "x");
            var ex = Assert.Throws<ProvisioningException>(() => WebServerConfigurationWriter.Render(server, o));
            Assert.Contains("The Certificate", ex.Message);
        }

        [Fact]
        public void The_default_configuration_warns_that_every_certificate_opens_every_file()
        {
            var log = new RecordingLog();
            WebServerConfigurationWriter.Write(WebServerKind.Nginx, Options(), log: log);
            Assert.Single(log.Warnings);
            Assert.Contains("every other phone's profile", log.Warnings[0]);
            var quiet = new RecordingLog();
            var result = WebServerConfigurationWriter.Write(WebServerKind.Nginx, PerPhone(), log: quiet);
            Assert.Empty(quiet.Warnings);
            Assert.Equal(WebServerAuthorization.PerPhone, result.Authorization);
        }

        [Fact]
        public void Iis_web_config_is_well_formed_and_requires_a_client_certificate_from_our_CA()
        {
            using var dir = new TempDirectory();
            var ca = OpenSslCa(dir, "ca");
            var text = WebServerConfigurationWriter.Render(WebServerKind.Iis, PerPhone(ca: ca));
            var xml = XDocument.Parse(text);
            var web = xml.Root!.Element("system.webServer")!;
            Assert.Equal("Ssl, SslNegotiateCert, SslRequireCert", web.Element("security")!.Element("access")!.Attribute("sslFlags")!.Value);
            Assert.Equal(new[] { "~", "::", "..", "/." }, web.Element("security")!.Element("requestFiltering")!.Element("denyUrlSequences")!.Elements("add").Select(a => a.Attribute("sequence")!.Value));
            Assert.Equal("false", web.Element("directoryBrowse")!.Attribute("enabled")!.Value);
            Assert.Contains(web.Element("staticContent")!.Elements("mimeMap"), m => m.Attribute("fileExtension")!.Value == ".cfg");

            var rules = web.Element("rewrite")!.Element("rules")!.Elements("rule").ToList();
            Assert.Equal(3, rules.Count); // our CA only; the default pattern's allow and deny
            var issuer = rules[0].Element("conditions")!.Element("add")!;
            Assert.Equal("{CERT_ISSUER}", issuer.Attribute("input")!.Value);
            Assert.Equal("true", issuer.Attribute("negate")!.Value);
            Assert.Contains("CN=ca test CA", issuer.Attribute("pattern")!.Value);
            var own = rules[1].Element("conditions")!.Elements("add").ToList();
            Assert.Equal(new[] { "{CERT_SUBJECT}", "{C:1}", "{C:1}{C:2}{C:3}{C:4}{C:5}{C:6}|{R:1}" }, own.Select(a => a.Attribute("input")!.Value));
            Assert.Equal(ClientIdentityRule.DefaultMacAddressPattern, own[1].Attribute("pattern")!.Value);
            Assert.Equal("^([^|]+)\\|\\1$", own[2].Attribute("pattern")!.Value);
            Assert.Equal("None", rules[1].Element("action")!.Attribute("type")!.Value);
            Assert.Equal("CustomResponse", rules[2].Element("action")!.Attribute("type")!.Value);
            Assert.Equal("403", rules[2].Element("action")!.Attribute("statusCode")!.Value);
            Assert.All(rules, r => Assert.Equal("true", r.Attribute("stopProcessing")!.Value));
        }

        /// <summary>
        /// IIS cannot run here: its request filtering refuses a URL holding any denyUrlSequence (404.5), which is what this
        /// plays over the written web.config, with and without per-phone authorization.
        /// </summary>
        [Theory]
        [InlineData("/.001122aabbcc.xml.k3j9x2.tmp", true)]
        [InlineData("/firmware/.sip88xx.loads.a1b2c3.tmp", true)]
        [InlineData("/.git/config", true)]
        [InlineData("/.hidden/common.json", true)]
        [InlineData("/001122aabbcc.xml", false)]
        [InlineData("/firmware/sip88xx.12-0-1MPP0001-46.loads", false)]
        [InlineData("/8851-3PCC.xml", false)]
        public void Iis_request_filtering_refuses_every_hidden_path_segment(string url, bool refused)
        {
            using var dir = new TempDirectory();
            var ca = OpenSslCa(dir, "ca");
            foreach (var options in new[] { PerPhone(ca: ca), new WebServerConfigurationOptions("/srv/pprov", null, null, ca, "prov.example.com") })
            {
                var filtering = XDocument.Parse(WebServerConfigurationWriter.Render(WebServerKind.Iis, options)).Root!
                    .Element("system.webServer")!.Element("security")!.Element("requestFiltering")!;
                var sequences = filtering.Element("denyUrlSequences")!.Elements("add").Select(a => a.Attribute("sequence")!.Value);
                Assert.Equal(refused, sequences.Any(url.Contains));
            }
        }

        [Fact]
        public void Nginx_and_Apache_refuse_hidden_path_segments_with_or_without_per_phone_authorization()
        {
            foreach (var options in new[] { Options(), PerPhone() })
            {
                var nginx = WebServerConfigurationWriter.Render(WebServerKind.Nginx, options);
                Assert.Contains("    location ~ /\\. {\n        return 404;\n    }\n", nginx);
                Assert.True(nginx.IndexOf("location ~ /\\.", System.StringComparison.Ordinal) < nginx.IndexOf("location / {", System.StringComparison.Ordinal));
                var apache = WebServerConfigurationWriter.Render(WebServerKind.Apache, options);
                Assert.Contains("    <LocationMatch \"/\\.\">\n        Require all denied\n    </LocationMatch>\n", apache);
                Assert.Contains("        <FilesMatch \"^\\.\">\n            Require all denied\n        </FilesMatch>\n", apache);
            }
        }

        /// <summary>
        /// IIS cannot run here. This plays the written rules the way URL Rewrite documents them (rules in order,
        /// conditions MatchAll, {C:n} from the last matched condition, stopProcessing) with .NET's ECMAScript
        /// regular expressions: a model of IIS, not IIS.
        /// </summary>
        [Theory]
        [InlineData("001122aabbcc.xml", "CN=SEP001122AABBCC, O=Example", "200")]
        [InlineData("0011223344ff.xml", "CN=SEP001122AABBCC, O=Example", "403")]
        [InlineData("Cisco/CP-8851-3PCC/001122AABBCC.cfg", "C=IT, O=Example, CN=CP-8851-3PCC 00:11:22:aa:bb:cc FCH2233A0BC", "200")]
        [InlineData("8851-3PCC.xml", "CN=SEP001122AABBCC", "200")]
        [InlineData("001122aabbcc.xml", "CN=alice", "403")]
        [InlineData("001122aabbcc.xml", "CN=\"SEP001122AABBCC, x\"", "403")]
        public void Iis_rules_give_a_phone_its_own_files_and_the_shared_ones(string url, string subject, string expected)
        {
            using var dir = new TempDirectory();
            var ca = OpenSslCa(dir, "ca");
            var xml = XDocument.Parse(WebServerConfigurationWriter.Render(WebServerKind.Iis, PerPhone(ca: ca)));
            Assert.Equal(expected, PlayIisRules(xml, url, subject, "CN=ca test CA, O=PrivateProvisioning tests"));
            Assert.Equal("403", PlayIisRules(xml, "8851-3PCC.xml", subject, "CN=Some Public CA, O=Elsewhere"));
        }

        [Fact]
        public void Iis_needs_a_readable_client_CA_and_names_it()
        {
            var ex = Assert.Throws<ProvisioningException>(() => WebServerConfigurationWriter.Render(WebServerKind.Iis, PerPhone(ca: "/nonexistent/ca.pem")));
            Assert.Contains("/nonexistent/ca.pem", ex.Message);
        }

        [Fact]
        public void Pprov_webconf_warns_on_stderr_unless_per_phone()
        {
            using var dir = new TempDirectory();
            var ca = OpenSslCa(dir, "ca");
            var open = Pprov("webconf", "--server", "nginx", "--root", dir.Path, "--cert", "s.pem", "--key", "s.key", "--client-ca", ca, "--server-name", "prov.example.com");
            Assert.Equal(0, open.ExitCode);
            Assert.Contains("pprov: warning:", open.StdErr);
            Assert.DoesNotContain("warning", open.StdOut);
            var iis = Pprov("webconf", "--server", "iis", "--root", dir.Path, "--client-ca", ca, "--server-name", "prov.example.com", "--per-phone", "--out", dir.File("web.config"));
            Assert.True(iis.ExitCode == 0, iis.ToString());
            Assert.DoesNotContain("warning", iis.StdErr);
            Assert.Contains("SslRequireCert", File.ReadAllText(dir.File("web.config")));
            var bad = Pprov("webconf", "--server", "apache", "--root", dir.Path, "--cert", "s.pem", "--key", "s.key", "--client-ca", ca, "--server-name", "x", "--per-phone", "--per-phone-file", "profile.xml");
            Assert.Equal(2, bad.ExitCode);
            Assert.Contains("PerPhoneFile pattern 'profile.xml'", bad.StdErr);
        }

        private static string PlayIisRules(XDocument xml, string url, string subject, string issuer)
        {
            var rules = xml.Root!.Element("system.webServer")!.Element("rewrite")!.Element("rules")!.Elements("rule");
            foreach (var rule in rules)
            {
                var match = rule.Element("match")!;
                var r = Regex.Match(url, match.Attribute("url")!.Value, RegexOptions.ECMAScript | RegexOptions.IgnoreCase);
                if (!r.Success) continue;
                Match? last = null;
                bool all = true;
                foreach (var c in rule.Element("conditions")?.Elements("add") ?? Enumerable.Empty<XElement>())
                {
                    var input = Regex.Replace(c.Attribute("input")!.Value, "\\{(R|C):(\\d)\\}", m =>
                        m.Groups[1].Value == "R" ? r.Groups[int.Parse(m.Groups[2].Value)].Value : last == null ? "" : last.Groups[int.Parse(m.Groups[2].Value)].Value)
                        .Replace("{CERT_SUBJECT}", subject).Replace("{CERT_ISSUER}", issuer);
                    var options = RegexOptions.ECMAScript | (c.Attribute("ignoreCase")?.Value == "false" ? RegexOptions.None : RegexOptions.IgnoreCase);
                    var cm = Regex.Match(input, c.Attribute("pattern")!.Value, options);
                    bool ok = cm.Success != (c.Attribute("negate")?.Value == "true");
                    if (!ok) { all = false; break; }
                    if (cm.Success) last = cm;
                }
                if (!all) continue;
                var action = rule.Element("action")!;
                if (action.Attribute("type")!.Value == "CustomResponse") return action.Attribute("statusCode")!.Value;
                if (rule.Attribute("stopProcessing")?.Value == "true") return "200";
            }
            return "200";
        }
    }
}
