using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using PrivateProvisioning.Core.Security.Enrollment;
using PrivateProvisioning.Tests.Support;
using Xunit;
using static PrivateProvisioning.Tests.Enrollment.EnrollmentPeers;

namespace PrivateProvisioning.Tests.Enrollment
{
    /// <summary>
    /// The whole enrollment flow through pprov, proven by Debian's nginx and curl: our CA (openssl), a server
    /// certificate and a client certificate issued from requests, the client's request encrypted with
    /// `openssl cms` to the server certificate, the config from `pprov webconf`, and nginx on 127.0.0.1
    /// serving a profile folder only to the client.
    /// </summary>
    public class MutualTlsEndToEndTests
    {
        [Fact]
        public void Nginx_serves_our_clients_and_refuses_everyone_else()
        {
            using var dir = new TempDirectory();
            var ca = OpenSslCa(dir, "ca");
            var otherCa = OpenSslCa(dir, "rogue");

            // Server certificate from a request, approved with the server profile.
            Pprov0("csr", "new", "--cn", "localhost", "--san", "localhost", "--san", "127.0.0.1", dir.File("server.csr"));
            Pprov0("csr", "approve", dir.File("server.csr"), "--issuer", ca, "--out", dir.File("server"), "--usage", "server", "--days", "30");

            // The client makes its key and request; the request travels encrypted to the server certificate.
            Pprov0("csr", "new", "--cn", "alice", "--org", "ACME", "--ou", "Voice", "--country", "IT", "--email", "alice@example.com", dir.File("phone/alice.csr"));
            Directory.CreateDirectory(dir.File("inbox"));
            Ok(Openssl("cms", "-encrypt", "-binary", "-outform", "DER", "-aes256", "-in", dir.File("phone/alice.csr"), "-out", dir.File("inbox/alice.p7m"), dir.File("server/localhost.pem")));
            Pprov0("csr", "decrypt", dir.File("inbox/alice.p7m"), "--cert", dir.File("server/localhost.pem"), "--key", dir.File("server.key"), "--out", dir.File("decrypted"));
            Pprov0("csr", "approve", dir.File("decrypted/alice.csr"), "--issuer", ca, "--out", dir.File("client_cert"));
            Ok(Openssl("verify", "-CAfile", ca, dir.File("client_cert/alice.pem")));

            // A certificate for the same name from another CA: must be refused.
            Pprov0("csr", "approve", dir.File("phone/alice.csr"), "--issuer", otherCa, "--out", dir.File("rogue_cert"));

            // The pin of the served certificate, as a client would pin it.
            var pin = Pprov0("pin", dir.File("server/localhost.pem")).StdOut.Trim();
            Assert.Equal(OpenSslPin(dir.File("server/localhost.pem"), dir), pin);

            Directory.CreateDirectory(dir.File("www"));
            File.WriteAllText(dir.File("www/alice.xml"), "<flat-profile><Profile_Rule>https://localhost/alice.xml</Profile_Rule></flat-profile>\n");
            var port = FreePort();
            Pprov0("webconf", "--server", "nginx", "--root", dir.File("www"), "--cert", dir.File("server/localhost.pem"), "--key", dir.File("server.key"),
                "--client-ca", ca, "--server-name", "localhost", "--listen", "127.0.0.1", "--port", port.ToString(), "--out", dir.File("site.conf"));

            Directory.CreateDirectory(dir.File("nginx/logs"));
            Directory.CreateDirectory(dir.File("nginx/tmp"));
            var tmp = dir.File("nginx/tmp");
            File.WriteAllText(dir.File("nginx/nginx.conf"),
                "worker_processes 1;\n" +
                "daemon on;\n" +
                (Environment.UserName == "root" ? "user root;\n" : "") +
                $"pid {dir.File("nginx/nginx.pid")};\n" +
                $"error_log {dir.File("nginx/logs/error.log")} info;\n" +
                "events { worker_connections 32; }\n" +
                "http {\n" +
                $"  access_log off;\n  client_body_temp_path {tmp}/body;\n  proxy_temp_path {tmp}/proxy;\n  fastcgi_temp_path {tmp}/fastcgi;\n  uwsgi_temp_path {tmp}/uwsgi;\n  scgi_temp_path {tmp}/scgi;\n" +
                $"  include {dir.File("site.conf")};\n" +
                "}\n");

            var nginx = ProcessRunner.RequireTool("nginx");
            var conf = dir.File("nginx/nginx.conf");
            Ok(ProcessRunner.Tool(nginx, new[] { "-t", "-c", conf, "-p", dir.File("nginx") }));
            Ok(ProcessRunner.Tool(nginx, new[] { "-c", conf, "-p", dir.File("nginx") }, timeoutSeconds: 30));
            try
            {
                WaitForPort(port);
                var url = $"https://localhost:{port}/alice.xml";
                string[] Curl(params string[] extra)
                {
                    var args = new List<string> { "-s", "-o", dir.File("body.out"), "-w", "%{http_code}", "--max-time", "10",
                        "--resolve", $"localhost:{port}:127.0.0.1", "--cacert", ca };
                    args.AddRange(extra);
                    args.Add(url);
                    var r = ProcessRunner.Tool("curl", args, timeoutSeconds: 30);
                    return new[] { r.StdOut.Trim(), File.Exists(dir.File("body.out")) ? File.ReadAllText(dir.File("body.out")) : "", r.ToString() };
                }

                var ours = Curl("--cert", dir.File("client_cert/alice.pem"), "--key", dir.File("phone/alice.key"));
                Assert.True(ours[0] == "200", ours[2] + File.ReadAllText(dir.File("nginx/logs/error.log")));
                Assert.Contains("<Profile_Rule>", ours[1]);

                var anonymous = Curl();
                Assert.Equal("400", anonymous[0]);
                Assert.Contains("No required SSL certificate was sent", anonymous[1]);

                var rogue = Curl("--cert", dir.File("rogue_cert/alice.pem"), "--key", dir.File("phone/alice.key"));
                Assert.Equal("400", rogue[0]);
                Assert.Contains("The SSL certificate error", rogue[1]);
            }
            finally
            {
                StopNginx(nginx, conf, dir);
            }
        }

        private static ProcessResult Pprov0(params string[] args)
        {
            var r = ProcessRunner.Pprov(args);
            Assert.True(r.ExitCode == 0, "pprov " + string.Join(' ', args) + "\n" + r);
            return r;
        }

        private static void WaitForPort(int port)
        {
            for (int i = 0; i < 100; i++)
            {
                try
                {
                    using var client = new System.Net.Sockets.TcpClient();
                    client.Connect(System.Net.IPAddress.Loopback, port);
                    return;
                }
                catch (System.Net.Sockets.SocketException) { Thread.Sleep(100); }
            }
            throw new TimeoutException($"nginx did not listen on 127.0.0.1:{port} within 10 s");
        }

        private static void StopNginx(string nginx, string conf, TempDirectory dir)
        {
            var pidFile = dir.File("nginx/nginx.pid");
            int? pid = File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var p) ? p : null;
            try { ProcessRunner.Run(nginx, new[] { "-c", conf, "-p", dir.File("nginx"), "-s", "stop" }, timeoutSeconds: 15); } catch (TimeoutException) { }
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
