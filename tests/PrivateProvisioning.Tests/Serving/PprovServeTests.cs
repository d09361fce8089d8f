using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Serving
{
    public class PprovServeTests
    {
        [Fact]
        public void ServePrintsOneJsonRecordPerRequestAndStopsByItself()
        {
            using var dir = new TempDirectory();
            var root = Directory.CreateDirectory(dir.File("root")).FullName;
            var content = TftpServerTests.RandomBytes(5000, 11);
            File.WriteAllBytes(Path.Combine(root, "SEP000E08ABCDEF.cnf.xml"), content);
            using var pprov = new BackgroundPprov("serve", "--root", root, "--tftp", "127.0.0.1:0", "--http", "127.0.0.1:0", "--json", "--duration", "8");
            var ports = pprov.WaitForStderr(@"tftp://127\.0\.0\.1:(\d+) and http://127\.0\.0\.1:(\d+)");
            string tftpPort = ports.Groups[1].Value, httpPort = ports.Groups[2].Value;

            var local = dir.File("tftp.bin");
            var tftp = ProcessRunner.Tool("tftp", new[] { "127.0.0.1", tftpPort, "-m", "binary", "-c", "get", "SEP000E08ABCDEF.cnf.xml", local }, timeoutSeconds: 20);
            Assert.True(tftp.ExitCode == 0, tftp.ToString());
            Assert.Equal(content, File.ReadAllBytes(local));
            var curl = ProcessRunner.Tool("curl", new[] { "-s", "-o", "/dev/null", "-w", "%{http_code}", "-A", "Linksys/SPA-942-6.1.5 (000E08ABCDEF)", $"http://127.0.0.1:{httpPort}/../../etc/passwd", "--path-as-is" }, timeoutSeconds: 20);
            Assert.Equal("403", curl.StdOut);
            var put = ProcessRunner.Tool("tftp", new[] { "127.0.0.1", tftpPort, "-m", "binary", "-c", "put", local, "evil.bin" }, timeoutSeconds: 20);
            Assert.False(File.Exists(Path.Combine(root, "evil.bin")));

            Assert.Equal(0, pprov.WaitForExit(30));
            var records = pprov.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(3, records.Count);
            var served = records.Single(r => r.GetProperty("outcome").GetString() == "Served");
            Assert.Equal("Tftp", served.GetProperty("protocol").GetString());
            Assert.Equal("000E08ABCDEF", served.GetProperty("macAddress").GetString());
            Assert.Equal(5000, served.GetProperty("bytes").GetInt64());
            var refused = records.Single(r => r.GetProperty("outcome").GetString() == "Refused");
            Assert.Equal("Linksys/SPA-942-6.1.5 (000E08ABCDEF)", refused.GetProperty("userAgent").GetString());
            Assert.Contains(records, r => r.GetProperty("outcome").GetString() == "WriteRefused" && r.GetProperty("file").GetString() == "evil.bin");
            Assert.Contains("stopped after 3 request(s)", pprov.Stderr);
        }

        [Fact]
        public void ServeWithAMissingFolderOrABadAddressFailsCleanly()
        {
            var missing = ProcessRunner.Pprov("serve", "--root", "/nonexistent/pprov-root", "--tftp", "127.0.0.1:0", "--duration", "1");
            Assert.Equal(1, missing.ExitCode);
            Assert.Contains("does not exist", missing.StdErr);
            Assert.DoesNotContain("   at ", missing.StdErr);
            var bad = ProcessRunner.Pprov("serve", "--root", "/tmp", "--http", "localhost:80x", "--duration", "1");
            Assert.Equal(2, bad.ExitCode);
            Assert.Contains("not ADDRESS:PORT", bad.StdErr);
        }

        [Fact]
        public void SyslogPrintsLoggerMessagesAndStopsAtCount()
        {
            using var pprov = new BackgroundPprov("syslog", "--listen", "127.0.0.1:0", "--json", "--count", "2", "--timeout", "20");
            var port = pprov.WaitForStderr(@"udp://127\.0\.0\.1:(\d+)").Groups[1].Value;
            ProcessRunner.Tool("logger", new[] { "-n", "127.0.0.1", "-P", port, "-d", "--rfc3164", "SPA942 00:0e:08:ab:cd:ef -- Requesting resync tftp://10.0.0.1:69/spa000e08abcdef.xml" }, timeoutSeconds: 10);
            ProcessRunner.Tool("logger", new[] { "-n", "127.0.0.1", "-P", port, "-d", "--rfc5424", "SPA942 00:0e:08:ab:cd:ef -- Resync failed: file not found" }, timeoutSeconds: 10);
            Assert.Equal(0, pprov.WaitForExit(30));
            var lines = pprov.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(2, lines.Count);
            Assert.Equal("ResyncRequest", lines[0].GetProperty("kind").GetString());
            Assert.Equal("tftp://10.0.0.1:69/spa000e08abcdef.xml", lines[0].GetProperty("url").GetString());
            Assert.Equal("ResyncFailure", lines[1].GetProperty("kind").GetString());
            Assert.Equal("file not found", lines[1].GetProperty("error").GetString());
            Assert.All(lines, l => Assert.Equal("000E08ABCDEF", l.GetProperty("macAddress").GetString()));
        }

        [Fact]
        public void SyslogTimeoutWithTooFewMessagesExitsOne()
        {
            var result = ProcessRunner.Pprov(new[] { "syslog", "--listen", "127.0.0.1:0", "--count", "1", "--timeout", "0.5" }, null, null, 30);
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("0 of 1 syslog message(s)", result.StdErr);
        }

        [Fact]
        public void ServeStopsCleanlyOnSigterm()
        {
            using var dir = new TempDirectory();
            using var pprov = new BackgroundPprov("serve", "--root", dir.Path, "--http", "127.0.0.1:0");
            pprov.WaitForStderr(@"http://127\.0\.0\.1:\d+");
            var kill = ProcessRunner.Run("kill", new[] { "-TERM", pprov.ProcessId.ToString() }, timeoutSeconds: 10);
            Assert.Equal(0, kill.ExitCode);
            Assert.Equal(0, pprov.WaitForExit(20));
            Assert.Contains("stopped after 0 request(s)", pprov.Stderr);
        }
    }
}
