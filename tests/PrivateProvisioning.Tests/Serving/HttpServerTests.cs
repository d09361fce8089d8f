using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using PrivateProvisioning.Core.Serving;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Serving
{
    public class HttpServerTests
    {
        internal static ProvisioningServer StartHttp(string root) =>
            ProvisioningServer.Start(new ProvisioningServerOptions(root) { HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0) });

        private static ProcessResult Curl(params string[] args) => ProcessRunner.Tool("curl", new[] { "-s", "-S", "--max-time", "20" }.Concat(args), timeoutSeconds: 30);

        private static string Header(string headers, string name)
        {
            var m = Regex.Match(headers, "^" + name + @":\s*(.*?)\r?$", RegexOptions.Multiline | RegexOptions.IgnoreCase);
            Assert.True(m.Success, $"no {name} header in:\n{headers}");
            return m.Groups[1].Value;
        }

        [Fact]
        public void CurlGetsTheFileWithLengthETagAndUserAgentIsLogged()
        {
            using var dir = new TempDirectory();
            var content = TftpServerTests.RandomBytes(10_000, 5);
            File.WriteAllBytes(dir.File("000e08abcdef.xml"), content);
            using var server = StartHttp(dir.Path);
            var url = $"http://127.0.0.1:{server.HttpPort}/000e08abcdef.xml";
            var body = dir.File("got.bin");
            var headers = dir.File("headers.txt");
            var result = Curl("-A", "Cisco-CP-8841-3PCC/11.0 (00562b043615)", "-D", headers, "-o", body, url);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(content, File.ReadAllBytes(body));
            var head = File.ReadAllText(headers);
            Assert.StartsWith("HTTP/1.1 200", head);
            Assert.Equal("10000", Header(head, "Content-Length"));
            Assert.Equal("text/xml", Header(head, "Content-Type"));
            Assert.Matches("^\"[0-9a-f]+-[0-9a-f]+\"$", Header(head, "ETag"));
            Assert.True(DateTime.TryParse(Header(head, "Last-Modified"), out _));
            var record = TftpServerTests.WaitForRecord(server, r => r.Protocol == ServingProtocol.Http);
            Assert.Equal(RequestOutcome.Served, record.Outcome);
            Assert.Equal(200, record.StatusCode);
            Assert.Equal(10_000, record.Bytes);
            Assert.Equal("/000e08abcdef.xml", record.File);
            Assert.Equal("000E08ABCDEF", record.MacAddress);
            Assert.Equal("Cisco-CP-8841-3PCC/11.0 (00562b043615)", record.UserAgent);
        }

        [Fact]
        public void ConditionalGetsAnswer304()
        {
            using var dir = new TempDirectory();
            File.WriteAllText(dir.File("spa942.cfg"), "<flat-profile/>");
            File.SetLastWriteTimeUtc(dir.File("spa942.cfg"), new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc));
            using var server = StartHttp(dir.Path);
            var url = $"http://127.0.0.1:{server.HttpPort}/spa942.cfg";
            var first = Curl("-D", "-", "-o", "/dev/null", url);
            var etag = Header(first.StdOut, "ETag");
            Assert.Equal("Thu, 02 Jan 2025 03:04:05 GMT", Header(first.StdOut, "Last-Modified"));

            var byTag = Curl("-o", "/dev/null", "-w", "%{http_code}", "-H", "If-None-Match: " + etag, url);
            Assert.Equal("304", byTag.StdOut);
            var otherTag = Curl("-o", "/dev/null", "-w", "%{http_code}", "-H", "If-None-Match: \"other\"", url);
            Assert.Equal("200", otherTag.StdOut);
            // curl -z DATE sends If-Modified-Since.
            var since = Curl("-o", "/dev/null", "-w", "%{http_code}", "-z", "Thu, 02 Jan 2025 03:04:05 GMT", url);
            Assert.Equal("304", since.StdOut);
            var older = Curl("-o", "/dev/null", "-w", "%{http_code}", "-z", "Wed, 01 Jan 2025 00:00:00 GMT", url);
            Assert.Equal("200", older.StdOut);
            TftpServerTests.WaitForRecord(server, r => r.Outcome == RequestOutcome.NotModified);
            Assert.Equal(2, server.GetLog().Count(r => r.StatusCode == 304));
        }

        [Fact]
        public void HeadNotFoundAndMethodNotAllowed()
        {
            using var dir = new TempDirectory();
            File.WriteAllText(dir.File("a.cfg"), "12345");
            using var server = StartHttp(dir.Path);
            var baseUrl = $"http://127.0.0.1:{server.HttpPort}";
            var head = Curl("-I", baseUrl + "/a.cfg");
            Assert.StartsWith("HTTP/1.1 200", head.StdOut);
            Assert.Equal("5", Header(head.StdOut, "Content-Length"));
            Assert.Equal("404", Curl("-o", "/dev/null", "-w", "%{http_code}", "-A", "Cisco/SPA508G-7.4.4 (0002FDFF2103)(CBT141400UK)", baseUrl + "/missing.cfg").StdOut);
            Assert.Equal("404", Curl("-o", "/dev/null", "-w", "%{http_code}", baseUrl + "/").StdOut);
            var post = Curl("-D", "-", "-o", "/dev/null", "-d", "report", baseUrl + "/a.cfg");
            Assert.StartsWith("HTTP/1.1 405", post.StdOut);
            Assert.Equal("GET, HEAD", Header(post.StdOut, "Allow"));
            var put = Curl("-o", "/dev/null", "-w", "%{http_code}", "-T", dir.File("a.cfg"), baseUrl + "/b.cfg");
            Assert.Equal("405", put.StdOut);
            Assert.False(File.Exists(dir.File("b.cfg")));
            TftpServerTests.WaitForRecord(server, r => r.Outcome == RequestOutcome.WriteRefused && r.StatusCode == 405);
            Assert.Equal(0, server.GetLog().Single(r => r.StatusCode == 200).Bytes); // HEAD sends no body
            Assert.Equal(2, server.GetLog().Count(r => r.Outcome == RequestOutcome.NotFound));
            Assert.Equal("0002FDFF2103", server.GetLog().First(r => r.File == "/missing.cfg").MacAddress); // from the User-Agent
        }

        [Theory]
        [InlineData("/../outside.txt")]
        [InlineData("/%2e%2e/outside.txt")]
        [InlineData("/sub/..%2f..%2foutside.txt")]
        [InlineData("/a%00.cfg")]
        [InlineData("/link-out/outside.txt")]
        public void TraversalIsRefusedAndLogged(string path)
        {
            using var parent = new TempDirectory();
            var root = Directory.CreateDirectory(parent.File("root")).FullName;
            Directory.CreateDirectory(Path.Combine(root, "sub"));
            File.WriteAllText(Path.Combine(root, "a"), "a");
            File.WriteAllText(parent.File("outside.txt"), "secret");
            Directory.CreateSymbolicLink(Path.Combine(root, "link-out"), parent.Path);
            using var server = StartHttp(root);
            var result = Curl("--path-as-is", "-o", "-", "-w", "%{http_code}", $"http://127.0.0.1:{server.HttpPort}{path}");
            Assert.DoesNotContain("secret", result.StdOut);
            Assert.EndsWith("403", result.StdOut);
            var record = TftpServerTests.WaitForRecord(server, r => r.Outcome == RequestOutcome.Refused);
            Assert.Contains("refused", record.Detail);
            Assert.DoesNotContain(record.File, c => c == (char)0);
        }

        [Fact]
        public void KeepAliveReusesTheConnection()
        {
            using var dir = new TempDirectory();
            File.WriteAllText(dir.File("a.xml"), "A");
            File.WriteAllText(dir.File("b.xml"), "B");
            using var server = StartHttp(dir.Path);
            var baseUrl = $"http://127.0.0.1:{server.HttpPort}";
            var result = Curl("-v", baseUrl + "/a.xml", baseUrl + "/b.xml");
            Assert.Equal("AB", result.StdOut);
            Assert.Matches("(?i)re-?using existing connection", result.StdErr);
            var records = server.GetLog();
            Assert.Equal(2, records.Count);
            Assert.Equal(records[0].ClientPort, records[1].ClientPort);
        }

        [Fact]
        public void Rfc8188FilesAreServedWithContentEncoding()
        {
            using var dir = new TempDirectory();
            // salt(16) rs=4096 idlen=0, one record of 30 bytes (≥ 17).
            var body = new byte[16 + 4 + 1 + 30];
            new Random(1).NextBytes(body);
            body[16] = 0; body[17] = 0; body[18] = 0x10; body[19] = 0; body[20] = 0;
            File.WriteAllBytes(dir.File("CP-8841-3PCC000e08abcdef.xml.aes128gcm"), body);
            File.WriteAllText(dir.File("CP-8841-3PCC000e08abcdef.xml"), "<plain/>");
            var broken = (byte[])body.Clone();
            broken[19] = 5; // rs = 4101 ... fine; make rs too small instead
            broken[16] = 0; broken[17] = 0; broken[18] = 0; broken[19] = 4;
            File.WriteAllBytes(dir.File("broken.xml.aes128gcm"), broken);
            using var server = StartHttp(dir.Path);
            var baseUrl = $"http://127.0.0.1:{server.HttpPort}";
            var got = dir.File("got.bin");
            var result = Curl("-D", "-", "-o", got, baseUrl + "/CP-8841-3PCC000e08abcdef.xml");
            Assert.Equal("aes128gcm", Header(result.StdOut, "Content-Encoding"));
            Assert.Equal(body, File.ReadAllBytes(got));
            Assert.Equal("500", Curl("-o", "/dev/null", "-w", "%{http_code}", baseUrl + "/broken.xml").StdOut);
            var record = TftpServerTests.WaitForRecord(server, r => r.Outcome == RequestOutcome.Served);
            Assert.Equal("000E08ABCDEF", record.MacAddress);
            Assert.Equal("aes128gcm", record.Detail);
        }

        [Fact]
        public void GarbageRequestLineGets400()
        {
            using var dir = new TempDirectory();
            using var server = StartHttp(dir.Path);
            using var tcp = new TcpClient();
            tcp.Connect(IPAddress.Loopback, server.HttpPort!.Value);
            var stream = tcp.GetStream();
            stream.ReadTimeout = 5000;
            var bytes = Encoding.ASCII.GetBytes("HELLO\r\n\r\n");
            stream.Write(bytes, 0, bytes.Length);
            var reply = new StreamReader(stream).ReadToEnd();
            Assert.StartsWith("HTTP/1.1 400", reply);
            TftpServerTests.WaitForRecord(server, r => r.Outcome == RequestOutcome.BadRequest && r.StatusCode == 400);
        }

        [Fact]
        public async System.Threading.Tasks.Task ManyConnectionsAtOnceAreAllServed()
        {
            using var dir = new TempDirectory();
            var content = TftpServerTests.RandomBytes(4096, 4);
            File.WriteAllBytes(dir.File("p.xml"), content);
            using var server = StartHttp(dir.Path);
            var tasks = Enumerable.Range(0, 200).Select(async i =>
            {
                using var client = new System.Net.Http.HttpClient(); // one connection each
                return await client.GetByteArrayAsync($"http://127.0.0.1:{server.HttpPort}/p.xml");
            }).ToArray();
            var bodies = await System.Threading.Tasks.Task.WhenAll(tasks);
            Assert.All(bodies, b => Assert.Equal(content, b));
            for (int i = 0; i < 100 && server.RequestCount < 200; i++) System.Threading.Thread.Sleep(50);
            Assert.Equal(200, server.GetLog().Count(r => r.Outcome == RequestOutcome.Served));
        }
    }
}
