using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Resync;
using PrivateProvisioning.Core.Rules;
using PrivateProvisioning.Core.Serving;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Resync
{
    /// <summary>The request types own their operation's defaults and rules (issue 12); pprov reports their ids with --json.</summary>
    public class ResyncRequestTests
    {
        private static string IdOf(Action action) => Assert.Throws<ProvisioningException>(action).ErrorId;

        [Fact]
        public void Cross_parameter_rules_are_refused_with_their_catalogue_ids()
        {
            Assert.Equal(ErrorIds.TransportNotSupported, IdOf(() => new ResyncRequest(ResyncMethod.HttpResync) { Transport = ResyncTransport.Udp }.Validate()));
            Assert.Equal(ErrorIds.MissingUserName, IdOf(() => new ResyncRequest(ResyncMethod.SipNotify) { Password = new byte[] { 1 } }.Validate()));
            Assert.Equal(ErrorIds.InvalidTimeout, IdOf(() => new ResyncRequest(ResyncMethod.SipNotify) { TimeoutSeconds = double.NaN }.Validate()));
            var tooLong = Assert.Throws<ProvisioningException>(() => new ResyncRequest(ResyncMethod.SipNotify) { TimeoutSeconds = 5000 }.Validate());
            Assert.Contains("5000 s", tooLong.Message);
            // SIP over UDP, HTTPS for the HTTP methods: both fine.
            new ResyncRequest(ResyncMethod.SipNotify) { Transport = ResyncTransport.Udp, UserName = "1001", Password = new byte[] { 1 } }.Validate();
            new ResyncRequest(ResyncMethod.XmlExecute) { Transport = ResyncTransport.Tls }.Validate();
        }

        [Fact]
        public void Defaults_are_decided_by_the_request()
        {
            var options = new ResyncRequest(ResyncMethod.SipNotify).Validate();
            Assert.Equal(TimeSpan.FromSeconds(ResyncRequest.DefaultTimeoutSeconds), options.Timeout);
            Assert.Equal(ResyncRequest.DefaultThrottleLimit, options.ThrottleLimit);
            Assert.Null(options.Transport);
            var cisco = new ResyncTarget("192.0.2.5", vendor: "ciscospa");
            var panasonic = new ResyncTarget("192.0.2.6", vendor: "Panasonic");
            Assert.Equal("Send SIP NOTIFY (Event: resync)", new ResyncRequest(ResyncMethod.SipNotify).DescribeAction(cisco));
            Assert.Equal("Send SIP NOTIFY (Event: reboot_now)", new ResyncRequest(ResyncMethod.SipNotify) { Reboot = true }.DescribeAction(cisco));
            Assert.Equal("Send SIP NOTIFY (Event: check-sync;reboot=true)", new ResyncRequest(ResyncMethod.SipNotify) { Reboot = true }.DescribeAction(panasonic));
            Assert.Equal("Request /admin/resync?http://h/p.xml", new ResyncRequest(ResyncMethod.HttpResync) { ProfileUrl = "http://h/p.xml" }.DescribeAction(cisco));
        }

        [Fact]
        public void Targets_come_from_addresses_and_a_csv_and_a_run_without_any_is_refused()
        {
            using var dir = new TempDirectory();
            File.WriteAllText(dir.File("phones.csv"), "IPAddress,Vendor\n192.0.2.7,Panasonic\n,Panasonic\n");
            var targets = ResyncRequest.CollectTargets(new[] { "192.0.2.5", "192.0.2.6" }, 5080, null, "CiscoSpa", null, dir.File("phones.csv"), out var rowErrors);
            Assert.Equal(new[] { "192.0.2.5:5080", "192.0.2.6:5080", "192.0.2.7" }, targets.Select(t => t.ToString()));
            Assert.Contains("row 2", Assert.Single(rowErrors).Message);
            var none = Assert.Throws<ProvisioningException>(() => ResyncRequest.CollectTargets(null, 0, null, null, null, null, out _));
            Assert.Equal(ErrorIds.NoTargets, none.ErrorId);
            // Core names the parameters by meaning; pprov spells them (CliSpelling).
            Assert.Equal("Name the phones: their addresses, or a CSV file of them (--ip, --from-csv).", PrivateProvisioning.Cli.CliSpelling.Message(none));
            var missing = ResyncRequest.MissingAddress(1, null, null);
            Assert.Equal(ErrorIds.MissingIPAddress, missing.ErrorId);
            Assert.Equal(new[] { RequestParameter.IPAddress }, missing.Parameters);
            var row = ResyncRequest.MissingAddress(3, new[] { "Mac", "Name" }, "row");
            Assert.Equal(ErrorIds.IPAddressColumnMissing, row.ErrorId);
            Assert.Contains("Input 3 has no IPAddress column (or IP, Host), so there is no phone to trigger; its columns are: Mac, Name.", row.Message);
        }

        [Fact]
        public void Serving_both_protocols_is_the_default_and_one_asked_for_is_served_alone()
        {
            var both = new ServeRequest("/srv").ToOptions();
            Assert.Equal(new IPEndPoint(IPAddress.Any, 69), both.TftpEndPoint);
            Assert.Equal(new IPEndPoint(IPAddress.Any, 80), both.HttpEndPoint);
            var http = new ServeRequest("/srv") { Address = IPAddress.Loopback, Http = true, HttpPort = 8080 }.ToOptions();
            Assert.Null(http.TftpEndPoint);
            Assert.Equal(new IPEndPoint(IPAddress.Loopback, 8080), http.HttpEndPoint);
            var tftp = new ServeRequest("/srv") { TftpEndPoint = new IPEndPoint(IPAddress.Loopback, 6969) }.ToOptions();
            Assert.Null(tftp.HttpEndPoint);
            Assert.Equal(ErrorIds.InvalidEndPoint, IdOf(() => ServeRequest.ParseAddress("not-an-ip")));
        }

        [Fact]
        public void An_expansion_takes_a_phone_from_switches_or_from_a_csv_not_both()
        {
            var request = new ProfileRuleExpansionRequest("/$MA.cfg") { MacAddress = "000E08ABCDEF", CsvPath = "phones.csv" };
            var ex = Assert.Throws<ProvisioningException>(() => request.Run().ToList());
            Assert.Equal(ErrorIds.PhoneIdentityWithCsv, ex.ErrorId);
            Assert.Equal(new[] { RequestParameter.MacAddress, RequestParameter.SerialNumber, RequestParameter.ProductName, RequestParameter.CsvPath }, ex.Parameters);
            var bad = Assert.Single(new ProfileRuleExpansionRequest("http://h/$(MA.cfg").Run());
            Assert.Equal(ErrorIds.InvalidProfileRule, bad.Error!.ErrorId);
            var one = Assert.Single(new ProfileRuleExpansionRequest("/$MA.cfg") { MacAddress = "00:0e:08:ab:cd:ef" }.Run());
            Assert.Equal("/000e08abcdef.cfg", one.Result!.Url);
            Assert.Equal(ErrorIds.InvalidVariable, IdOf(() => ProfileRuleExpansionRequest.ParseVariable("NOEQUALS")));
        }

        [Theory]
        [InlineData("TransportNotSupported", "--method", "http", "--transport", "udp")]
        [InlineData("InvalidProfileUrl", "--method", "http", "--url", "http://x/a b.cfg")]
        [InlineData("UnknownVendor", "--method", "sip", "--vendor", "Ciscoo")]
        public void Pprov_json_prints_a_refused_request_as_an_error_line_with_its_id_and_exits_2(string id, params string[] args)
        {
            var run = ProcessRunner.Pprov(new[] { "resync", "--ip", "127.0.0.1", "--json" }.Concat(args).ToArray());
            Assert.True(run.ExitCode == 2, run.ToString());
            var line = Assert.Single(run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            var error = JsonDocument.Parse(line).RootElement.GetProperty("error");
            Assert.Equal(id, error.GetProperty("id").GetString());
            Assert.Equal("InvalidArgument", error.GetProperty("kind").GetString());
            Assert.Contains(error.GetProperty("message").GetString()!, run.StdErr);
        }

        [Fact]
        public void Pprov_json_gives_a_failed_item_its_id_on_stderr_and_keeps_stdout_one_line_per_result()
        {
            using var dir = new TempDirectory();
            File.WriteAllText(dir.File("phones.csv"), "MAC,B\n00:0E:08:AB:CD:EF,x\nnot-a-mac,y\n");
            var run = ProcessRunner.Pprov("expand", "/$B/$MA.cfg", "--from-csv", dir.File("phones.csv"), "--json");
            Assert.Equal(1, run.ExitCode);
            var result = Assert.Single(run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal("/x/000e08abcdef.cfg", JsonDocument.Parse(result).RootElement.GetProperty("url").GetString());
            var line = Assert.Single(run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            var error = JsonDocument.Parse(line).RootElement.GetProperty("error");
            Assert.Equal(ErrorIds.InvalidMacAddress, error.GetProperty("id").GetString());
            Assert.Equal("InvalidArgument", error.GetProperty("kind").GetString());
            Assert.StartsWith(dir.File("phones.csv") + " row 2 (line 3): ", error.GetProperty("message").GetString());

            // Without --json the same failure is the usual line.
            var text = ProcessRunner.Pprov("expand", "/$B/$MA.cfg", "--from-csv", dir.File("phones.csv"));
            Assert.StartsWith("pprov: " + dir.File("phones.csv") + " row 2 (line 3): ", text.StdErr);
        }
    }
}
