using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using PrivateProvisioning.Core.Security.Enrollment;
using PrivateProvisioning.Tests.Support;
using Xunit;
using static PrivateProvisioning.Tests.Enrollment.EnrollmentPeers;

namespace PrivateProvisioning.Tests.Enrollment
{
    /// <summary>
    /// Our CA (openssl), a server certificate and phone certificates issued by pprov, a CRL from `openssl ca`,
    /// the configuration from `pprov webconf --per-phone`, and the real nginx and Apache on 127.0.0.1 (own
    /// prefix/ServerRoot, free port, stopped by the test), asked by curl with each phone's certificate.
    /// </summary>
    public sealed class PerPhoneServingPki : IDisposable
    {
        public PerPhoneServingPki()
        {
            Dir = new TempDirectory();
            Ca = OpenSslCa(Dir, "ca");
            var rogueCa = OpenSslCa(Dir, "rogue");
            Pprov0("csr", "new", "--cn", "localhost", "--san", "localhost", "--san", "127.0.0.1", Dir.File("server.csr"));
            Pprov0("csr", "approve", Dir.File("server.csr"), "--issuer", Ca, "--out", Dir.File("server"), "--usage", "server", "--days", "30");
            ServerCertificate = Dir.File("server/localhost.pem");
            ServerKey = Dir.File("server.key");

            // Phone A: product, MAC with colons and serial number in the CN; phone B: Cisco's SEP<MAC>;
            // phone C: revoked. alice and bob: PrivateWave users (CN = user name).
            Issue("phone-a", "CP-8851-3PCC 00:11:22:AA:BB:CC FCH2233A0BC", Ca, "certs");
            Issue("phone-b", "SEP0011223344FF", Ca, "certs");
            Issue("phone-c", "AA-BB-CC-DD-EE-FF", Ca, "certs");
            Issue("alice", "alice", Ca, "certs");
            Issue("bob", "bob", Ca, "certs");
            Pprov0("csr", "approve", Dir.File("phone-a.csr"), "--issuer", rogueCa, "--out", Dir.File("rogue"), "--user-name", "phone-a");
            // A subject with two CNs (openssl, not our CA's issuing path): every reader must take the same one.
            Ok(Openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", Dir.File("two-cn.key"), "-subj", "/CN=SEP0011223344FF/CN=SEP001122AABBCC", "-out", Dir.File("two-cn.csr")));
            Ok(Openssl("x509", "-req", "-in", Dir.File("two-cn.csr"), "-CA", Ca, "-CAkey", Dir.File("ca.key"), "-set_serial", "4242", "-days", "30", "-out", Dir.File("certs/two-cn.pem")));

            // Revoke phone C with openssl's own CA database and publish a CRL.
            File.WriteAllText(Dir.File("ca.cnf"), "[ca]\ndefault_ca = d\n[d]\n" +
                $"database = {Dir.File("index.txt")}\ncrlnumber = {Dir.File("crlnumber")}\ndefault_md = sha256\ndefault_crl_days = 7\n");
            File.WriteAllText(Dir.File("index.txt"), "");
            File.WriteAllText(Dir.File("crlnumber"), "01\n");
            Ok(Openssl("ca", "-config", Dir.File("ca.cnf"), "-keyfile", Dir.File("ca.key"), "-cert", Ca, "-revoke", Dir.File("certs/phone-c.pem")));
            Ok(Openssl("ca", "-config", Dir.File("ca.cnf"), "-keyfile", Dir.File("ca.key"), "-cert", Ca, "-gencrl", "-out", Dir.File("crl.pem")));
            // Without the CRL, phone C's certificate is a good one: the refusal below is the revocation's doing.
            Ok(Openssl("verify", "-CAfile", Ca, Dir.File("certs/phone-c.pem")));
            Assert.NotEqual(0, Openssl("verify", "-crl_check", "-CAfile", Ca, "-CRLfile", Dir.File("crl.pem"), Dir.File("certs/phone-c.pem")).ExitCode);

            Www = Dir.File("www");
            Write("001122aabbcc.xml", "<flat-profile><!-- phone A --></flat-profile>\n");
            Write("0011223344ff.xml", "<flat-profile><!-- phone B --></flat-profile>\n");
            Write("aabbccddeeff.xml", "<flat-profile><!-- phone C --></flat-profile>\n");
            Write("8851-3PCC.xml", "<flat-profile><!-- shared partition --></flat-profile>\n");
            Write("firmware/sip88xx.12-0-1MPP0001-46.loads", "shared firmware\n");
            Write("alice.p12", "alice's bundle\n");
            Write("bob.p12", "bob's bundle\n");
            Write("users/alice.json", "{\"user\":\"alice\"}\n");
            Write("users/bob.json", "{\"user\":\"bob\"}\n");
            Write("common.json", "{\"shared\":true}\n");
            // What an interrupted run leaves beside the files it replaces, and other hidden names.
            Write(".001122aabbcc.xml.k3j9x2.tmp", "<flat-profile><!-- half-written temp --></flat-profile>\n");
            Write("firmware/.sip88xx.loads.a1b2c3.tmp", "half-written temp\n");
            Write(".git/config", "hidden repository\n");
            Write(".hidden/common.json", "hidden folder\n");
        }

        public TempDirectory Dir { get; }
        public string Ca { get; }
        public string ServerCertificate { get; }
        public string ServerKey { get; }
        public string Www { get; }

        public string Cert(string name) => Dir.File("certs/" + name + ".pem");
        public string Key(string name) => Dir.File(name + ".key");

        private void Issue(string name, string cn, string issuer, string folder)
        {
            Pprov0("csr", "new", "--cn", cn, Dir.File(name + ".csr"));
            Pprov0("csr", "approve", Dir.File(name + ".csr"), "--issuer", issuer, "--out", Dir.File(folder), "--user-name", name);
        }

        private void Write(string relative, string text)
        {
            var path = Path.Combine(Dir.File("www"), relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }

        internal static ProcessResult Pprov0(params string[] args)
        {
            var r = ProcessRunner.Pprov(args);
            Assert.True(r.ExitCode == 0, "pprov " + string.Join(' ', args) + "\n" + r);
            return r;
        }

        public void Dispose() => Dir.Dispose();
    }

    public class PerPhoneServingTests : IClassFixture<PerPhoneServingPki>
    {
        private readonly PerPhoneServingPki _pki;

        public PerPhoneServingTests(PerPhoneServingPki pki) { _pki = pki; }

        [Theory]
        [InlineData("nginx")]
        [InlineData("apache")]
        public void A_phone_certificate_opens_its_own_profile_and_the_shared_files_only(string server)
        {
            using var run = new TempDirectory();
            using var web = WebServer.Start(server, _pki, run, "--per-phone", "--crl", _pki.Dir.File("crl.pem"));

            var own = web.Get("/001122aabbcc.xml", "phone-a");
            Assert.True(own.Status == "200", own.ToString() + web.Log());
            Assert.Contains("phone A", own.Body);
            Assert.Equal("403", web.Get("/0011223344ff.xml", "phone-a").Status);
            Assert.Equal("403", web.Get("/aabbccddeeff.xml", "phone-a").Status);
            Assert.Equal("200", web.Get("/8851-3PCC.xml", "phone-a").Status);
            Assert.Equal("200", web.Get("/firmware/sip88xx.12-0-1MPP0001-46.loads", "phone-a").Status);
            // The per-phone pattern ignores case: an upper-case spelling is still phone B's file.
            Assert.Equal("403", web.Get("/0011223344FF.xml", "phone-a").Status);
            // Other spellings of phone B's file do not open it either.
            Assert.NotEqual("200", web.Get("/0011223344ff.xml/x", "phone-a").Status);
            Assert.NotEqual("200", web.Get("/firmware/../0011223344ff.xml", "phone-a").Status);
            Assert.NotEqual("200", web.Get("/%30011223344ff.xml", "phone-a").Status);

            var b = web.Get("/0011223344ff.xml", "phone-b");
            Assert.Equal("200", b.Status);
            Assert.Contains("phone B", b.Body);
            Assert.Equal("403", web.Get("/001122aabbcc.xml", "phone-b").Status);

            // Two CNs: the server reads the first in certificate order, as ClientIdentityRule does.
            var twoCn = X509CertificateLoader.LoadCertificateFromFile(_pki.Cert("two-cn"));
            Assert.Equal("0011223344ff", ClientIdentityRule.Default(ClientIdentityKind.MacAddress).GetIdentity(twoCn));
            Assert.Equal("200", web.Get("/0011223344ff.xml", "two-cn").Status);
            Assert.Equal("403", web.Get("/001122aabbcc.xml", "two-cn").Status);

            // Refused before any file is read: no certificate, another CA's certificate for phone A's name, a revoked one.
            AssertRefused(web.Get("/8851-3PCC.xml", null), server);
            AssertRefused(web.Get("/001122aabbcc.xml", "phone-a", rogue: true), server);
            AssertRefused(web.Get("/aabbccddeeff.xml", "phone-c"), server);
        }

        [Theory]
        [InlineData("nginx")]
        [InlineData("apache")]
        public void A_PrivateWave_user_certificate_opens_its_own_files_and_the_shared_ones(string server)
        {
            using var run = new TempDirectory();
            using var web = WebServer.Start(server, _pki, run, "--per-phone", "--identity", "username",
                "--per-phone-file", "$USER.p12", "--per-phone-file", "users/$USER.*");

            var own = web.Get("/users/alice.json", "alice");
            Assert.True(own.Status == "200", own.ToString() + web.Log());
            Assert.Contains("alice", own.Body);
            Assert.Equal("200", web.Get("/alice.p12", "alice").Status);
            Assert.Equal("403", web.Get("/users/bob.json", "alice").Status);
            Assert.Equal("403", web.Get("/bob.p12", "alice").Status);
            Assert.Equal("200", web.Get("/common.json", "alice").Status);
            Assert.Equal("200", web.Get("/bob.p12", "bob").Status);
            // A phone certificate names no user: shared files only.
            Assert.Equal("403", web.Get("/users/alice.json", "phone-a").Status);
            Assert.Equal("200", web.Get("/common.json", "phone-a").Status);
        }

        [Theory]
        [InlineData("nginx", true)]
        [InlineData("nginx", false)]
        [InlineData("apache", true)]
        [InlineData("apache", false)]
        public void Hidden_files_and_left_over_temporary_files_are_never_served(string server, bool perPhone)
        {
            using var run = new TempDirectory();
            using var web = perPhone ? WebServer.Start(server, _pki, run, "--per-phone") : WebServer.Start(server, _pki, run);
            var own = web.Get("/001122aabbcc.xml", "phone-a");
            Assert.True(own.Status == "200", own.ToString() + web.Log());
            foreach (var url in new[] { "/.001122aabbcc.xml.k3j9x2.tmp", "/%2E001122aabbcc.xml.k3j9x2.tmp", "/firmware/.sip88xx.loads.a1b2c3.tmp",
                         "/.git/config", "/.hidden/common.json", "/firmware/../.git/config" })
            {
                var r = web.Get(url, "phone-a");
                // nginx answers 404 (as for a file that is not there), Apache 403.
                Assert.True(r.Status == (server == "nginx" ? "404" : "403"), url + ": " + r + web.Log());
                Assert.DoesNotContain("temp", r.Body);
                Assert.DoesNotContain("hidden", r.Body);
            }
        }

        [Fact]
        public void Without_per_phone_authorization_every_certificate_opens_every_file_and_pprov_says_so()
        {
            using var run = new TempDirectory();
            using var web = WebServer.Start("nginx", _pki, run);
            Assert.Contains("warning", web.ConfigStdErr);
            Assert.Contains("PerPhone", web.ConfigStdErr);
            Assert.Equal("200", web.Get("/0011223344ff.xml", "phone-a").Status);
        }

        private static void AssertRefused(CurlResult r, string server)
        {
            // nginx answers 400 after the handshake; Apache ends the handshake (curl: no HTTP status at all).
            if (server == "nginx") Assert.True(r.Status == "400", r.ToString());
            else Assert.True(r.Status == "000" && r.ExitCode != 0, r.ToString());
        }
    }

    internal sealed class CurlResult
    {
        public CurlResult(string status, string body, int exitCode, string detail) { Status = status; Body = body; ExitCode = exitCode; Detail = detail; }
        public string Status { get; }
        public string Body { get; }
        public int ExitCode { get; }
        public string Detail { get; }
        public override string ToString() => $"HTTP {Status}, curl exit {ExitCode}\n{Detail}";
    }

    /// <summary>nginx or Apache started on 127.0.0.1 with the configuration pprov webconf wrote; stopped on Dispose.</summary>
    internal sealed class WebServer : IDisposable
    {
        private readonly string _kind;
        private readonly PerPhoneServingPki _pki;
        private readonly TempDirectory _run;
        private readonly string _binary;
        private readonly string _conf;
        private readonly string _pidFile;
        private readonly string _errorLog;
        private readonly int _port;

        private WebServer(string kind, PerPhoneServingPki pki, TempDirectory run, string binary, string conf, string pidFile, string errorLog, int port, string configStdErr)
        {
            _kind = kind; _pki = pki; _run = run; _binary = binary; _conf = conf; _pidFile = pidFile; _errorLog = errorLog; _port = port;
            ConfigStdErr = configStdErr;
        }

        public string ConfigStdErr { get; }

        public static WebServer Start(string kind, PerPhoneServingPki pki, TempDirectory run, params string[] extra)
        {
            var port = FreePort();
            var site = run.File("site.conf");
            var args = new List<string> { "webconf", "--server", kind, "--root", pki.Www, "--cert", pki.ServerCertificate, "--key", pki.ServerKey,
                "--client-ca", pki.Ca, "--server-name", "localhost", "--listen", "127.0.0.1", "--port", port.ToString(), "--out", site };
            args.AddRange(extra);
            var written = PerPhoneServingPki.Pprov0(args.ToArray());

            WebServer server;
            if (kind == "nginx")
            {
                var tmp = run.File("tmp");
                Directory.CreateDirectory(run.File("logs"));
                Directory.CreateDirectory(tmp);
                var conf = run.File("nginx.conf");
                File.WriteAllText(conf,
                    "worker_processes 1;\ndaemon on;\n" +
                    (Environment.UserName == "root" ? "user root;\n" : "") +
                    $"pid {run.File("nginx.pid")};\nerror_log {run.File("logs/error.log")} info;\n" +
                    "events { worker_connections 32; }\nhttp {\n" +
                    $"  access_log off;\n  client_body_temp_path {tmp}/body;\n  proxy_temp_path {tmp}/proxy;\n  fastcgi_temp_path {tmp}/fastcgi;\n  uwsgi_temp_path {tmp}/uwsgi;\n  scgi_temp_path {tmp}/scgi;\n" +
                    $"  include {site};\n}}\n");
                var nginx = ProcessRunner.RequireTool("nginx");
                Ok(ProcessRunner.Tool(nginx, new[] { "-t", "-c", conf, "-p", run.Path }));
                server = new WebServer(kind, pki, run, nginx, conf, run.File("nginx.pid"), run.File("logs/error.log"), port, written.StdErr);
                Ok(ProcessRunner.Tool(nginx, new[] { "-c", conf, "-p", run.Path }, timeoutSeconds: 30));
            }
            else
            {
                var apache = File.Exists("/usr/sbin/apache2") ? "/usr/sbin/apache2" : ProcessRunner.RequireTool("apache2");
                const string modules = "/usr/lib/apache2/modules";
                var conf = run.File("httpd.conf");
                // Apache will not serve as root: the workers run as nobody, so the served tree must be readable by others.
                var user = Environment.UserName == "root" ? "User nobody\nGroup nogroup\n" : "";
                File.WriteAllText(conf,
                    $"ServerRoot \"{run.Path}\"\nDefaultRuntimeDir \"{run.Path}\"\nPidFile \"{run.File("httpd.pid")}\"\n" +
                    $"ErrorLog \"{run.File("error.log")}\"\nLogLevel info\nMutex file:{run.Path} default\n" +
                    $"LoadModule mpm_event_module {modules}/mod_mpm_event.so\n" +
                    $"LoadModule authz_core_module {modules}/mod_authz_core.so\n" +
                    $"LoadModule socache_shmcb_module {modules}/mod_socache_shmcb.so\n" +
                    $"LoadModule ssl_module {modules}/mod_ssl.so\n" +
                    $"LoadModule rewrite_module {modules}/mod_rewrite.so\n" +
                    user +
                    "ServerName localhost\nStartServers 1\nServerLimit 1\nThreadsPerChild 4\nMaxRequestWorkers 4\nSSLSessionCache none\n" +
                    $"Listen 127.0.0.1:{port}\nInclude \"{site}\"\n");
                Ok(ProcessRunner.Tool(apache, new[] { "-t", "-f", conf }));
                server = new WebServer(kind, pki, run, apache, conf, run.File("httpd.pid"), run.File("error.log"), port, written.StdErr);
                Ok(ProcessRunner.Tool(apache, new[] { "-f", conf, "-k", "start" }, timeoutSeconds: 30));
            }
            try { server.WaitForPort(); }
            catch { server.Dispose(); throw; }
            return server;
        }

        public CurlResult Get(string path, string? certificate, bool rogue = false)
        {
            var body = _run.File("body-" + Guid.NewGuid().ToString("N"));
            var args = new List<string> { "-s", "--path-as-is", "-o", body, "-w", "%{http_code}", "--max-time", "10",
                "--resolve", $"localhost:{_port}:127.0.0.1", "--cacert", _pki.Ca };
            if (certificate != null)
            {
                args.AddRange(new[] { "--cert", rogue ? _pki.Dir.File("rogue/" + certificate + ".pem") : _pki.Cert(certificate), "--key", _pki.Key(certificate) });
            }
            args.Add($"https://localhost:{_port}{path}");
            var r = ProcessRunner.Tool("curl", args, timeoutSeconds: 30);
            return new CurlResult(r.StdOut.Trim(), File.Exists(body) ? File.ReadAllText(body) : "", r.ExitCode, $"GET {path} with {certificate ?? "no certificate"}\n{r}");
        }

        public string Log() => File.Exists(_errorLog) ? "\n--- " + _kind + " error log ---\n" + File.ReadAllText(_errorLog) : "";

        private void WaitForPort()
        {
            for (int i = 0; i < 100; i++)
            {
                try
                {
                    using var client = new System.Net.Sockets.TcpClient();
                    client.Connect(System.Net.IPAddress.Loopback, _port);
                    return;
                }
                catch (System.Net.Sockets.SocketException) { Thread.Sleep(100); }
            }
            throw new TimeoutException($"{_kind} did not listen on 127.0.0.1:{_port} within 10 s{Log()}");
        }

        public void Dispose()
        {
            int? pid = File.Exists(_pidFile) && int.TryParse(File.ReadAllText(_pidFile).Trim(), out var p) ? p : null;
            var stop = _kind == "nginx" ? new[] { "-c", _conf, "-p", _run.Path, "-s", "stop" } : new[] { "-f", _conf, "-k", "stop" };
            try { ProcessRunner.Run(_binary, stop, timeoutSeconds: 15); } catch (TimeoutException) { }
            if (pid == null) return;
            for (int i = 0; i < 50 && IsAlive(pid.Value); i++) Thread.Sleep(100);
            if (IsAlive(pid.Value))
                try { Process.GetProcessById(pid.Value).Kill(entireProcessTree: true); } catch (ArgumentException) { } catch (InvalidOperationException) { }
        }

        private static bool IsAlive(int pid)
        {
            try { return !Process.GetProcessById(pid).HasExited; }
            catch (ArgumentException) { return false; }
        }
    }
}
