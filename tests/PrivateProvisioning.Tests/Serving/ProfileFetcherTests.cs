using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Core.Protection;
using PrivateProvisioning.Core.Serving;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Serving
{
    public class ProfileFetcherTests
    {
        private static readonly MacAddress Mac = MacAddress.Parse("00:0e:08:ab:cd:ef");

        private const string FlatProfile =
            "<flat-profile>\n  <Line_Enable_1_ ua=\"na\">Yes</Line_Enable_1_>\n  <User_ID_1_>1001</User_ID_1_>\n  <Password_1_>s3cret</Password_1_>\n  <Proxy_1_>sip.example.com</Proxy_1_>\n</flat-profile>\n";

        private static ProfileFetchRequest Request(string rule, params (string, string)[] vars) =>
            new ProfileFetchRequest(rule, Mac) { Variables = vars.Select(v => new KeyValuePair<string, string>(v.Item1, v.Item2)).ToList() };

        private static void AssertFlatProfile(FetchedProfile fetched)
        {
            Assert.Equal(ProfileFormat.CiscoSpa, fetched.Format);
            var byName = fetched.Parameters.ToDictionary(p => p.Name, p => p.Value);
            Assert.Equal("Yes", byName["Line_Enable_1_"]);
            Assert.Equal("1001", byName["User_ID_1_"]);
            Assert.Equal(ProfileFetcher.Masked, byName["Password_1_"]);
            Assert.All(fetched.Parameters, p => Assert.Equal("000E08ABCDEF", p.MacAddress));
        }

        [Fact]
        public void FetchesFromTftpdHpa()
        {
            using var dir = new TempDirectory();
            File.WriteAllText(dir.File("spa000e08abcdef.xml"), FlatProfile);
            using var tftpd = new TftpdHpa(dir.Path);
            var fetched = ProfileFetcher.Fetch(Request($"tftp://127.0.0.1:{tftpd.Port}/spa$MA.xml"));
            AssertFlatProfile(fetched);
            Assert.Equal("None", fetched.Protection);
            Assert.Equal($"tftp://127.0.0.1:{tftpd.Port}/spa000e08abcdef.xml", fetched.Url);
        }

        [Fact]
        public void FetchesAGzippedEncryptedProfileFromNginxWithThePhonesUserAgentAndDiffs()
        {
            using var dir = new TempDirectory();
            var www = Directory.CreateDirectory(dir.File("www")).FullName;
            File.WriteAllText(dir.File("plain.xml"), FlatProfile);
            // XML → gzip → openssl AES-256-CBC with the SPA's MD5 derivation (spec §4.1, §4.2).
            var gzip = ProcessRunner.Run("sh", new[] { "-c", $"gzip -c -n '{dir.File("plain.xml")}' > '{dir.File("plain.xml.gz")}'" });
            Assert.Equal(0, gzip.ExitCode);
            var enc = ProcessRunner.Tool("openssl", new[] { "enc", "-e", "-aes-256-cbc", "-md", "md5", "-k", "Phrase-42", "-in", dir.File("plain.xml.gz"), "-out", Path.Combine(www, "000e08abcdef.cfg") });
            Assert.True(enc.ExitCode == 0, enc.ToString());
            File.WriteAllText(dir.File("expected.xml"), FlatProfile.Replace("sip.example.com", "sip2.example.com").Replace("  <User_ID_1_>1001</User_ID_1_>\n", ""));
            using var nginx = new Nginx(Directory.CreateDirectory(dir.File("nginx")).FullName, www);

            var request = Request($"[--key $SA] http://127.0.0.1:{nginx.HttpPort}/$MA.cfg", ("SA", "Phrase-42"));
            request.ProductName = "CP-8841-3PCC";
            var fetched = ProfileFetcher.Fetch(request);
            AssertFlatProfile(fetched);
            Assert.Equal("Gzip+OpenSslAes256Cbc", fetched.Protection);
            // nginx logs a request after it has sent the response: wait (bounded) for the line.
            string log = "";
            for (int i = 0; i < 50 && !log.Contains("\"Cisco-CP-8841-3PCC/11.0 (000e08abcdef)\""); i++)
            {
                if (i > 0) System.Threading.Thread.Sleep(100);
                log = File.Exists(nginx.AccessLog) ? File.ReadAllText(nginx.AccessLog) : "";
            }
            Assert.Contains("\"Cisco-CP-8841-3PCC/11.0 (000e08abcdef)\"", log);

            request.ExpectedPath = dir.File("expected.xml");
            var diff = ProfileFetcher.Fetch(request).Differences!;
            Assert.Equal(2, diff.Count);
            Assert.Contains(diff, d => d.Name == "User_ID_1_" && d.Change == ParameterChangeKind.Added && d.Received == "1001");
            Assert.Contains(diff, d => d.Name == "Proxy_1_" && d.Change == ParameterChangeKind.Changed && d.Expected == "sip2.example.com" && d.Received == "sip.example.com");

            var wrongKey = Assert.Throws<ProvisioningException>(() => ProfileFetcher.Fetch(Request($"[--key Zq9-not-it] http://127.0.0.1:{nginx.HttpPort}/$MA.cfg")));
            Assert.DoesNotContain("Zq9-not-it", wrongKey.Message);
            var missing = Assert.Throws<ProvisioningException>(() => ProfileFetcher.Fetch(Request($"http://127.0.0.1:{nginx.HttpPort}/spa$MA.xml")));
            Assert.Equal("RemoteFileNotFound", missing.ErrorId);
        }

        [Fact]
        public void FetchesOverHttpsWithAClientCertificateAndChecksTheServerAgainstTheCa()
        {
            using var dir = new TempDirectory();
            var www = Directory.CreateDirectory(dir.File("www")).FullName;
            File.WriteAllText(Path.Combine(www, "000e08abcdef.xml"), FlatProfile);
            string F(string n) => dir.File(n);
            void Openssl(params string[] args) { var r = ProcessRunner.Tool("openssl", args); Assert.True(r.ExitCode == 0, r.ToString()); }
            foreach (var ca in new[] { "ca", "otherca" })
                Openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", F(ca + ".key"), "-out", F(ca + ".pem"), "-days", "2", "-subj", "/CN=Test " + ca);
            File.WriteAllText(F("san.ext"), "subjectAltName=IP:127.0.0.1\n");
            Openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", F("server.key"), "-out", F("server.csr"), "-subj", "/CN=127.0.0.1");
            Openssl("x509", "-req", "-in", F("server.csr"), "-CA", F("ca.pem"), "-CAkey", F("ca.key"), "-CAcreateserial", "-out", F("server.pem"), "-days", "2", "-extfile", F("san.ext"));
            Openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", F("phone.key"), "-out", F("phone.csr"), "-subj", "/OU=CP-8841-3PCC/L=000e08abcdef");
            Openssl("x509", "-req", "-in", F("phone.csr"), "-CA", F("ca.pem"), "-CAkey", F("ca.key"), "-CAcreateserial", "-out", F("phone.pem"), "-days", "2");
            using var nginx = new Nginx(Directory.CreateDirectory(F("nginx")).FullName, www, F("server.pem"), F("server.key"), F("ca.pem"));

            var ca1 = X509CertificateLoader.LoadCertificateFromFile(F("ca.pem"));
            var phone = X509Certificate2.CreateFromPemFile(F("phone.pem"), F("phone.key"));
            var request = Request($"https://127.0.0.1:{nginx.HttpsPort}/$MA.xml");
            request.Download = new ProfileDownloadOptions { ClientCertificate = phone, TrustedCertificate = ca1 };
            AssertFlatProfile(ProfileFetcher.Fetch(request));

            request.Download = new ProfileDownloadOptions { ClientCertificate = phone, TrustedCertificate = X509CertificateLoader.LoadCertificateFromFile(F("otherca.pem")) };
            var rejected = Assert.Throws<ProvisioningException>(() => ProfileFetcher.Fetch(request));
            Assert.Equal("ServerCertificateRejected", rejected.ErrorId);
            Assert.Contains("not issued by the trusted CA", rejected.Message);

            request.Download = new ProfileDownloadOptions { TrustedCertificate = ca1 }; // no client certificate: nginx answers 400
            var noCert = Assert.Throws<ProvisioningException>(() => ProfileFetcher.Fetch(request));
            Assert.Equal("DownloadFailed", noCert.ErrorId);

            // pprov takes the same files through Core's one certificate source: the key beside phone.pem is found
            // (openssl's -keyout habit), a certificate without a key is refused naming what the key is for.
            var url = $"https://127.0.0.1:{nginx.HttpsPort}/$MA.xml";
            var fetched = ProcessRunner.Pprov("fetch", url, "--mac", "000E08ABCDEF", "--client-cert", F("phone.pem"), "--ca", F("ca.pem"), "--json");
            Assert.True(fetched.ExitCode == 0, fetched.ToString());
            Assert.Contains("Line_Enable_1_", fetched.StdOut);
            File.Copy(F("phone.pem"), F("lonely.pem"));
            var keyless = ProcessRunner.Pprov("fetch", url, "--mac", "000E08ABCDEF", "--client-cert", F("lonely.pem"), "--ca", F("ca.pem"), "--json");
            Assert.NotEqual(0, keyless.ExitCode);
            var error = JsonDocument.Parse(keyless.StdOut).RootElement.GetProperty("error");
            Assert.Equal("PrivateKeyRequired", error.GetProperty("id").GetString());
            Assert.Contains("lonely.pem", error.GetProperty("message").GetString());
            Assert.Contains("client certificate", error.GetProperty("message").GetString());
        }

        [Fact]
        public void FetchesAnRfc8188ProfileFromOurServerAndAppliesAnAliasMap()
        {
            using var dir = new TempDirectory();
            var www = Directory.CreateDirectory(dir.File("www")).FullName;
            var customer = "<customer-account><SIP-number>2002</SIP-number><SIP-password>pw</SIP-password><flat-profile><Proxy_1_>p.example</Proxy_1_></flat-profile></customer-account>";
            File.WriteAllText(dir.File("customer.xml"), customer);
            var ikm = Encoding.ASCII.GetBytes("0123456789abcdef");
            new ProfileProtector(new ProtectionOptions { Method = ProtectionMethod.Rfc8188 })
                .ProtectFile(dir.File("customer.xml"), Path.Combine(www, "CP-8841-3PCC000e08abcdef.xml.aes128gcm"), ikm);
            using var server = HttpServerTests.StartHttp(www);
            var request = Request($"[--alias b] http://127.0.0.1:{server.HttpPort}/$PN$MA.xml",
                ("GPP_B", "/customer-account/SIP-number = /flat-profile/User_ID_1_ ; /SIP-password = /flat-profile/Password_1_ ;"));
            request.ProductName = "CP-8841-3PCC";
            request.ShowSecrets = true;
            var noIkm = Assert.Throws<ProvisioningException>(() => ProfileFetcher.Fetch(request));
            Assert.Equal("Rfc8188KeyMissing", noIkm.ErrorId);
            request.Variables = request.Variables!.Append(new KeyValuePair<string, string>("IKM_HTTP_Encrypt_Content", "0123456789abcdef")).ToList();
            var fetched = ProfileFetcher.Fetch(request);
            Assert.Equal("Rfc8188", fetched.Protection);
            var byName = fetched.Parameters.ToDictionary(p => p.Name, p => p.Value);
            Assert.Equal("2002", byName["User_ID_1_"]);
            Assert.Equal("pw", byName["Password_1_"]);
            Assert.Equal("p.example", byName["Proxy_1_"]);
            var logged = TftpServerTests.WaitForRecord(server, r => r.Outcome == RequestOutcome.Served);
            Assert.Equal("Cisco-CP-8841-3PCC/11.0 (000e08abcdef)", logged.UserAgent);
        }

        [Fact]
        public void FetchesFromOurTftpServerAPanasonicProfile()
        {
            using var dir = new TempDirectory();
            var vector = Directory.GetFiles(Path.Combine(TestPaths.Vectors, "panasonic"), "*.cfg", SearchOption.AllDirectories)
                .First(f => File.ReadAllText(f).StartsWith("# Panasonic SIP Phone Standard Format File #"));
            File.Copy(vector, dir.File("Config000E08ABCDEF.cfg"));
            using var server = TftpServerTests.StartTftp(dir.Path);
            var request = Request($"tftp://127.0.0.1:{server.TftpPort}/Config$MAU.cfg");
            request.ProductName = "KX-HDV230";
            var fetched = ProfileFetcher.Fetch(request);
            Assert.Equal(ProfileFormat.Panasonic, fetched.Format);
            Assert.NotEmpty(fetched.Parameters);
            Assert.Equal(new PanasonicConfigReader().Parse(File.ReadAllBytes(vector), vector).Count, fetched.Parameters.Count);
        }

        [Theory]
        [InlineData("(\"$A\" eq \"yes\")? http://127.0.0.1:1/x.xml", "NoAlternativeQualifies")]
        [InlineData("( c = \"x\" ; )!", "RuleHasNoUrl")]
        [InlineData("/$MA.xml", "RuleHasNoServer")]
        [InlineData("[--key $SA http://x/", "InvalidProfileRule")]
        public void RulesThatCannotBeFetchedGiveAClearError(string rule, string errorId)
        {
            var error = Assert.Throws<ProvisioningException>(() => ProfileFetcher.Fetch(Request(rule)));
            Assert.Equal(errorId, error.ErrorId);
        }

        [Fact]
        public void GarbageBodyIsAnUnknownFormat()
        {
            using var dir = new TempDirectory();
            File.WriteAllText(dir.File("x.cfg"), "this is not a profile");
            using var server = HttpServerTests.StartHttp(dir.Path);
            var error = Assert.Throws<ProvisioningException>(() => ProfileFetcher.Fetch(Request($"http://127.0.0.1:{server.HttpPort}/x.cfg")));
            Assert.Equal("UnknownProfileFormat", error.ErrorId);
        }

        [Fact]
        public void PprovFetchPrintsJsonAndExitsOneOnDifferences()
        {
            using var dir = new TempDirectory();
            var www = Directory.CreateDirectory(dir.File("www")).FullName;
            File.WriteAllText(Path.Combine(www, "000e08abcdef.xml"), FlatProfile);
            File.WriteAllText(dir.File("same.xml"), FlatProfile);
            File.WriteAllText(dir.File("other.xml"), FlatProfile.Replace("Yes", "No"));
            using var server = HttpServerTests.StartHttp(www);
            var url = $"[--key $SA] http://127.0.0.1:{server.HttpPort}/$MA.xml";
            var env = new Dictionary<string, string> { ["PPROV_TEST_KEY"] = "unused-secret" };
            var result = ProcessRunner.Pprov(new[] { "fetch", url, "--mac", "000E08ABCDEF", "--var", "SA=rule-secret", "--json" }, env);
            Assert.True(result.ExitCode == 0, result.ToString());
            var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(4, lines.Count);
            Assert.Equal("Line_Enable_1_", lines[0].GetProperty("name").GetString());
            Assert.Equal("********", lines[2].GetProperty("value").GetString());
            Assert.DoesNotContain("rule-secret", result.StdOut + result.StdErr);

            var same = ProcessRunner.Pprov(new[] { "fetch", url, "--mac", "000E08ABCDEF", "--key-env", "PPROV_TEST_KEY", "--expected", dir.File("same.xml") }, env);
            Assert.True(same.ExitCode == 0, same.ToString());
            Assert.Contains("0 difference(s)", same.StdErr);
            var other = ProcessRunner.Pprov(new[] { "fetch", url, "--mac", "000E08ABCDEF", "--key-env", "PPROV_TEST_KEY", "--expected", dir.File("other.xml") }, env);
            Assert.Equal(1, other.ExitCode);
            Assert.Contains("~ Line_Enable_1_ = Yes (expected No)", other.StdOut);
            Assert.DoesNotContain("unused-secret", other.StdOut + other.StdErr);

            var badVar = ProcessRunner.Pprov("fetch", url, "--mac", "000E08ABCDEF", "--var", "novalue");
            Assert.Equal(2, badVar.ExitCode);
            Assert.Contains("NAME=VALUE", badVar.StdErr);
        }

        [Fact]
        public void FetchesAPanasonicUrlWithMacrosAndCredentialsFromNginx()
        {
            using var dir = new TempDirectory();
            var www = Directory.CreateDirectory(dir.File("www")).FullName;
            var vector = Directory.GetFiles(Path.Combine(TestPaths.Vectors, "panasonic"), "*.cfg", SearchOption.AllDirectories)
                .First(f => File.ReadAllText(f).StartsWith("# Panasonic SIP Phone Standard Format File #"));
            Directory.CreateDirectory(Path.Combine(www, "Panasonic"));
            File.Copy(vector, Path.Combine(www, "Panasonic", "Config000E08ABCDEF.cfg"));
            File.WriteAllText(dir.File("htpasswd"), "prov:{PLAIN}pa ss\n");
            using var nginx = new Nginx(Directory.CreateDirectory(dir.File("nginx")).FullName, www,
                httpExtra: $"location /Panasonic/ {{ auth_basic \"prov\"; auth_basic_user_file {dir.File("htpasswd")}; }}");
            var request = Request($"http://prov:pa%20ss@127.0.0.1:{nginx.HttpPort}/Panasonic/Config{{MAC}}.cfg");
            request.ProductName = "KX-HDV230";
            var fetched = ProfileFetcher.Fetch(request);
            Assert.Equal(ProfileFormat.Panasonic, fetched.Format);
            Assert.Equal($"http://127.0.0.1:{nginx.HttpPort}/Panasonic/Config000E08ABCDEF.cfg", fetched.Url);
            Assert.DoesNotContain(fetched.Parameters, p => p.Url.Contains("pa ss") || p.Url.Contains("prov:"));
            Assert.Contains("\"Panasonic_KX-HDV230/01.000 (000e08abcdef)\"", File.ReadAllText(nginx.AccessLog));
            var denied = Assert.Throws<ProvisioningException>(() => ProfileFetcher.Fetch(Request($"http://prov:nope@127.0.0.1:{nginx.HttpPort}/Panasonic/Config{{MAC}}.cfg")));
            Assert.Equal("RemoteAuthenticationFailed", denied.ErrorId);
            Assert.DoesNotContain("nope", denied.Message);
        }
    }
}
