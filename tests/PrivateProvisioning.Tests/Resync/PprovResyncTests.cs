using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Resync
{
    /// <summary>pprov resync end to end, against sipp and the recording web server.</summary>
    public class PprovResyncTests
    {
        private static readonly Dictionary<string, string> LinePassword = new() { ["LINE_PW"] = "s3cret-1001" };

        private static JsonElement[] JsonLines(string stdout) =>
            stdout.Split('\n', System.StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();

        [Fact]
        public void Sip_with_digest_is_accepted_and_exits_0()
        {
            using var phone = new SippPeer("notify-digest-uas.xml", "u1", 1, "-key", "authparams", "qop=\"auth\", algorithm=MD5");
            var run = ProcessRunner.Pprov(new[] { "resync", "--ip", "127.0.0.1", "--port", phone.Port.ToString(), "--method", "sip",
                "--user", "1001", "--password-env", "LINE_PW", "--vendor", "Panasonic", "--mac", "00:0e:08:ab:cd:ef", "--json" }, LinePassword);
            Assert.True(run.ExitCode == 0, run.ToString());
            var line = Assert.Single(JsonLines(run.StdOut));
            Assert.Equal("Accepted", line.GetProperty("outcome").GetString());
            Assert.Equal(200, line.GetProperty("statusCode").GetInt32());
            Assert.Equal("000E08ABCDEF", line.GetProperty("macAddress").GetString());
            Assert.DoesNotContain("s3cret", run.StdOut + run.StdErr);
        }

        [Fact]
        public void A_csv_run_reports_every_phone_names_bad_rows_and_exits_1()
        {
            using var phone = new SippPeer("notify-accept-uas.xml", "u1", 2);
            using var dir = new TempDirectory();
            var dead = SippPeer.FreePort(false);
            File.WriteAllText(dir.File("phones.csv"),
                "MacAddress,IPAddress,Port,Vendor\n" +
                $"000E08000001,127.0.0.1,{phone.Port},CiscoSpa\n" +
                $"000E08000002,127.0.0.1,{phone.Port},Panasonic\n" +
                "zz:zz,127.0.0.1,5060,Panasonic\n" +
                $"000E08000004,127.0.0.1,{dead},Panasonic\n");
            // A generous timeout: sipp answers at once, so it costs nothing, but on a loaded machine (CI, six test runs
            // on two cores) 3 s was not always enough for sipp to be scheduled and answer: a Timeout, the test failed.
            var run = ProcessRunner.Pprov("resync", "--from-csv", dir.File("phones.csv"), "--method", "sip", "--parallel", "3", "--timeout", "15", "--json");
            Assert.True(run.ExitCode == 1, run.ToString());
            var lines = JsonLines(run.StdOut);
            Assert.Equal(3, lines.Length);
            Assert.True(lines.Count(l => l.GetProperty("outcome").GetString() == "Accepted") == 2, run.ToString());
            Assert.Equal("Unreachable", lines.Single(l => l.GetProperty("macAddress").GetString() == "000E08000004").GetProperty("outcome").GetString());
            Assert.Contains("phones.csv row 3", run.StdErr);
            Assert.Contains("zz:zz", run.StdErr);
            phone.WaitForExit();
            // One NOTIFY per phone; a retransmission (same Call-ID) on a loaded machine is the same NOTIFY.
            var events = phone.ReceivedMessages().Select(m => m.Split('\n'))
                .GroupBy(m => m.Single(l => l.StartsWith("Call-ID:", StringComparison.OrdinalIgnoreCase)).Trim())
                .Select(g => g.First().Single(l => l.StartsWith("Event: ")).Trim()).OrderBy(e => e);
            Assert.Equal(new[] { "Event: check-sync", "Event: resync" }, events);
        }

        [Fact]
        public void Http_resync_through_pprov_reaches_the_phone_web_server()
        {
            using var server = new RecordingHttpServer("Digest", "SHA-256");
            var run = ProcessRunner.Pprov(new[] { "resync", "--ip", $"127.0.0.1:{server.Port}", "--method", "http", "--url", "http://192.0.2.10/$MA.xml",
                "--user", "admin", "--password-env", "ADMIN_PW" }, new Dictionary<string, string> { ["ADMIN_PW"] = "Adm1n-pw" });
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("Accepted", run.StdOut);
            Assert.Equal("/admin/resync?http://192.0.2.10/$MA.xml", server.Requests.Last().Target);
        }

        [Theory]
        [InlineData("--url", "http://x/a b.cfg", "malformed")]
        [InlineData("--event", "resync\r\nX: y", "not allowed in a SIP Event header")]
        [InlineData("--transport", "udp", "not Udp")]
        public void Bad_settings_exit_2_with_a_clear_message_and_no_stack_trace(string option, string value, string expected)
        {
            var run = ProcessRunner.Pprov("resync", "--ip", "127.0.0.1", "--method", "http", option, value);
            Assert.Equal(2, run.ExitCode);
            Assert.Contains(expected, run.StdErr);
            Assert.DoesNotContain("   at ", run.StdErr);
        }

        [Fact]
        public void Without_phones_or_with_a_bad_method_the_command_line_is_wrong()
        {
            Assert.Equal(2, ProcessRunner.Pprov("resync", "--method", "sip").ExitCode);
            Assert.Equal(2, ProcessRunner.Pprov("resync", "--ip", "127.0.0.1", "--method", "carrier-pigeon").ExitCode);
        }
    }
}
