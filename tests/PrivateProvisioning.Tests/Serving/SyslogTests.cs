using System;
using System.Collections.Generic;
using System.Net;
using System.Text;
using System.Threading.Tasks;
using PrivateProvisioning.Core.Serving;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Serving
{
    public class SyslogTests
    {
        private static SyslogMessage Parse(string text) =>
            SyslogParser.Parse(Encoding.UTF8.GetBytes(text), Encoding.UTF8.GetByteCount(text), "192.0.2.7", new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

        [Fact]
        public void RecognisesTheSpaResyncMessages()
        {
            var request = Parse("<134>SPA942 00:0e:08:ab:cd:ef -- Requesting resync tftp://192.168.1.200:69/spa000e08abcdef.xml");
            Assert.Equal(SyslogMessageKind.ResyncRequest, request.Kind);
            Assert.Equal("000E08ABCDEF", request.MacAddress);
            Assert.Equal("SPA942", request.Product);
            Assert.Equal("tftp://192.168.1.200:69/spa000e08abcdef.xml", request.Url);
            Assert.Equal(SyslogFacility.Local0, request.Facility);
            Assert.Equal(SyslogSeverity.Informational, request.Severity);
            Assert.Equal(SyslogFormat.Bare, request.Format);
            Assert.Equal("192.0.2.7", request.Host);

            var success = Parse("<134>SPA112 00:0e:08:ab:cd:ef -- Successful resync http://10.0.0.1:80/cfg/000e08abcdef.xml -- ");
            Assert.Equal(SyslogMessageKind.ResyncSuccess, success.Kind);
            Assert.Equal("http://10.0.0.1:80/cfg/000e08abcdef.xml", success.Url);
            Assert.Null(success.Error);

            var failure = Parse("<131>SPA942 00:0e:08:ab:cd:ef -- Resync failed: http_get failed");
            Assert.Equal(SyslogMessageKind.ResyncFailure, failure.Kind);
            Assert.Equal("http_get failed", failure.Error);
            Assert.Equal(SyslogSeverity.Error, failure.Severity);
        }

        [Theory]
        [InlineData("CP-78xx-3PCC 00:0e:08:ab:cd:ef \u2013- Requesting resync tftp://192.168.1.200/basic.txt", SyslogMessageKind.ResyncRequest)]
        [InlineData("CP-8851-3PCC 00:0e:08:ab:cd:ef -- Requesting upgrade http://10.0.0.1:80/sip88xx.11-3-2MPP0001-609.loads", SyslogMessageKind.UpgradeRequest)]
        [InlineData("CP-8851-3PCC 00:0e:08:ab:cd:ef -- Successful upgrade http://10.0.0.1:80/x.loads -- ", SyslogMessageKind.UpgradeSuccess)]
        [InlineData("CP-8851-3PCC 00:0e:08:ab:cd:ef -- Upgrade failed: bad image", SyslogMessageKind.UpgradeFailure)]
        [InlineData("000e08abcdef CP-8851-3PCC 00:0e:08:ab:cd:ef -- Resync failed: file not found", SyslogMessageKind.ResyncFailure)]
        [InlineData("SIP registration of line 1 failed", SyslogMessageKind.Other)]
        public void RecognisesMppMessagesWithAndWithoutIdentifier(string message, SyslogMessageKind kind)
        {
            var parsed = Parse("<14>" + message);
            Assert.Equal(kind, parsed.Kind);
            if (kind != SyslogMessageKind.Other) Assert.Equal("000E08ABCDEF", parsed.MacAddress);
            else Assert.Null(parsed.MacAddress);
        }

        [Fact]
        public void ParsesRfc5424WithStructuredData()
        {
            var m = Parse("<165>1 2026-11-23T12:34:56.789+01:00 phone1 provd 42 ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"App\\]lication\"] CP-8841-3PCC 00:56:2b:04:36:15 -- Successful resync https://p.example/00562b043615.xml");
            Assert.Equal(SyslogFormat.Rfc5424, m.Format);
            Assert.Equal(new DateTimeOffset(2026, 11, 23, 12, 34, 56, 789, TimeSpan.FromHours(1)), m.Time);
            Assert.Equal("phone1", m.Host);
            Assert.Equal("provd", m.AppName);
            Assert.Equal(SyslogFacility.Local4, m.Facility);
            Assert.Equal(SyslogSeverity.Notice, m.Severity);
            Assert.Equal(SyslogMessageKind.ResyncSuccess, m.Kind);
            Assert.Equal("00562B043615", m.MacAddress);
            Assert.Equal("https://p.example/00562b043615.xml", m.Url);
        }

        [Fact]
        public void ParsesRfc3164()
        {
            var m = Parse("<34>Oct 11 22:14:15 mymachine su[123]: 'su root' failed for lonvick on /dev/pts/8");
            Assert.Equal(SyslogFormat.Rfc3164, m.Format);
            Assert.Equal("mymachine", m.Host);
            Assert.Equal("su", m.AppName);
            Assert.Equal("'su root' failed for lonvick on /dev/pts/8", m.Message);
            Assert.Equal(SyslogFacility.Auth, m.Facility);
            Assert.Equal(SyslogSeverity.Critical, m.Severity);
            Assert.Equal(new DateTime(2026, 10, 11, 22, 14, 15), m.Time.DateTime);
            // December seen in November is last year's.
            Assert.Equal(2025, Parse("<34>Dec 24 10:00:00 h t: x").Time.Year);
        }

        [Theory]
        [InlineData("")]
        [InlineData("<>")]
        [InlineData("<999>x")]
        [InlineData("<13>1 not-a-date h a p m - x")]
        [InlineData("\u0001\u0002garbage")]
        public void GarbageBecomesABareMessage(string text)
        {
            var m = Parse(text);
            Assert.Equal(SyslogMessageKind.Other, m.Kind);
            Assert.Equal("192.0.2.7", m.SourceAddress);
        }

        [Theory]
        [InlineData("--rfc5424", SyslogFormat.Rfc5424)]
        [InlineData("--rfc3164", SyslogFormat.Rfc3164)]
        [InlineData(null, SyslogFormat.Rfc5424)] // logger's default for remote servers
        public async Task LoggerMessagesReachTheListener(string? format, SyslogFormat expected)
        {
            using var listener = new SyslogListener(new IPEndPoint(IPAddress.Loopback, 0));
            var text = "CP-8841-3PCC 00:56:2b:04:36:15 -- Resync failed: http_get failed";
            var args = new List<string> { "-n", "127.0.0.1", "-P", listener.LocalEndPoint.Port.ToString(), "-d", "-t", "phone", "-p", "local0.warning" };
            if (format != null) args.Add(format);
            args.Add(text);
            var result = ProcessRunner.Tool("logger", args, timeoutSeconds: 20);
            Assert.True(result.ExitCode == 0, result.ToString());
            var m = await listener.ReceiveAsync(TimeSpan.FromSeconds(10));
            Assert.NotNull(m);
            Assert.Equal(expected, m!.Format);
            Assert.Equal(text, m.Message);
            Assert.Equal("phone", m.AppName);
            Assert.Equal(SyslogMessageKind.ResyncFailure, m.Kind);
            Assert.Equal("00562B043615", m.MacAddress);
            Assert.Equal("http_get failed", m.Error);
            Assert.Equal(SyslogFacility.Local0, m.Facility);
            Assert.Equal(SyslogSeverity.Warning, m.Severity);
            Assert.Equal("127.0.0.1", m.SourceAddress);
            Assert.Null(await listener.ReceiveAsync(TimeSpan.FromMilliseconds(200)));
        }
    }
}
