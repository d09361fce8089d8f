using System.Linq;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Resync;
using Xunit;

namespace PrivateProvisioning.Tests.Resync
{
    public class ResyncRequestRulesTests
    {
        [Theory]
        [InlineData("Panasonic", "check-sync")]
        [InlineData("CiscoSpa", "resync")]
        [InlineData("Cisco MPP", "resync")]
        [InlineData("Linksys", "resync")]
        [InlineData("CiscoSep", "check-sync")]
        [InlineData(null, "check-sync")]
        [InlineData("Yealink", "check-sync")]
        public void The_vendor_picks_the_default_event(string? vendor, string expected) =>
            Assert.Equal(expected, ResyncRequestRules.DefaultEventFor(vendor));

        [Theory]
        [InlineData("ciscospa", "CiscoSpa")]
        [InlineData(" Panasonic ", "Panasonic")]
        [InlineData("CISCOSEP", "CiscoSep")]
        public void A_target_vendor_is_a_profile_format_in_its_canonical_spelling(string vendor, string expected) =>
            Assert.Equal(expected, new ResyncTarget("192.0.2.5", vendor: vendor).Vendor);

        [Theory]
        [InlineData("Ciscoo")]
        [InlineData("1")]
        [InlineData("Cisco MPP")]
        public void An_unknown_vendor_is_refused_naming_the_value_and_the_phone(string vendor)
        {
            var ex = Assert.Throws<ProvisioningException>(() => new ResyncTarget("192.0.2.5", vendor: vendor));
            Assert.Equal("UnknownVendor", ex.ErrorId);
            Assert.Contains($"'{vendor}'", ex.Message);
            Assert.Contains("192.0.2.5", ex.Message);
            Assert.Contains("CiscoSpa", ex.Message);
        }

        [Theory]
        [InlineData(null, "Panasonic", true, "check-sync;reboot=true")]
        [InlineData(null, "Panasonic", false, "check-sync;reboot=false")]
        [InlineData(null, "Panasonic", null, "check-sync")]
        [InlineData(null, "CiscoSpa", true, "reboot_now")]
        [InlineData("report", "CiscoSpa", null, "report")]
        [InlineData("resync", "Panasonic", null, "resync")]
        public void The_event_header_applies_the_reboot_choice(string? requested, string vendor, bool? reboot, string expected) =>
            Assert.Equal(expected, ResyncRequestRules.EventHeader(requested, vendor, reboot));

        [Theory]
        [InlineData("check-sync\r\nX-Injected: 1", 11)]
        [InlineData("re sync", 3)]
        public void An_event_that_could_inject_a_header_is_refused_with_its_position(string evt, int position)
        {
            var ex = Assert.Throws<ProvisioningException>(() => ResyncRequestRules.ValidateEvent(evt));
            Assert.Equal("InvalidEvent", ex.ErrorId);
            Assert.Contains($"position {position}", ex.Message);
        }

        [Theory]
        [InlineData("tftp://192.0.2.10/spa$MA.cfg")]
        [InlineData("[--key $K] https://prov.example.com/$PN/$MA.xml")]
        [InlineData("/$MA.xml")]
        [InlineData("192.0.2.10/basic.txt")]
        [InlineData("http://[2001:db8::10]:8080/x.cfg")]
        public void Profile_rules_the_phones_accept_pass(string url) => ResyncRequestRules.ValidateProfileUrl(url);

        [Theory]
        [InlineData("", "empty")]
        [InlineData("http://prov.example.com/a b.cfg", "character 26 is a space")]
        [InlineData("gopher://x/y", "scheme 'gopher'")]
        [InlineData("http:///x.cfg", "no host")]
        [InlineData("[--key abc http://x/y", "never closed")]
        [InlineData("http://x/y\n", "character 11 is a control character")]
        [InlineData("http://exa_mple:99999/x", "not a well-formed URL")]
        [InlineData("?x", "cannot start")]
        public void Malformed_profile_urls_are_refused_naming_what_and_where(string url, string expected)
        {
            var ex = Assert.Throws<ProvisioningException>(() => ResyncRequestRules.ValidateProfileUrl(url));
            Assert.Equal("InvalidProfileUrl", ex.ErrorId);
            Assert.Contains(expected, ex.Message);
        }

        [Fact]
        public void The_resync_query_escapes_only_what_a_request_line_cannot_hold() =>
            Assert.Equal("[--key%20k]http://x/$MA.cfg%23a", ResyncRequestRules.EscapeForQuery("[--key k]http://x/$MA.cfg#a"));

        [Theory]
        [InlineData("192.0.2.5:5080", "192.0.2.5", 5080)]
        [InlineData("[2001:db8::5]:5080", "2001:db8::5", 5080)]
        [InlineData("2001:db8::5", "2001:db8::5", 0)]
        [InlineData("phone7.example.com", "phone7.example.com", 0)]
        public void A_target_address_may_carry_its_port(string text, string host, int port)
        {
            var target = new ResyncTarget(text);
            Assert.Equal(host, target.IPAddress);
            Assert.Equal(port, target.Port);
        }

        [Fact]
        public void A_target_normalises_its_mac_and_refuses_a_bad_one()
        {
            Assert.Equal("000E08ABCDEF", new ResyncTarget("192.0.2.5", macAddress: "00-0e-08-ab-cd-ef").MacAddress);
            Assert.Equal("InvalidMacAddress", Assert.Throws<ProvisioningException>(() => new ResyncTarget("192.0.2.5", macAddress: "00:0E")).ErrorId);
            Assert.Equal("InvalidPort", Assert.Throws<ProvisioningException>(() => new ResyncTarget("192.0.2.5:70000")).ErrorId);
        }

        [Fact]
        public void The_csv_reader_takes_good_rows_and_names_the_bad_ones()
        {
            var csv = "MacAddress,IPAddress,Vendor,Port,Model\r\n000E08ABCDEF,192.0.2.5,Panasonic,,\r\nnot-a-mac,192.0.2.6,CiscoSpa,,\r\n\"00:0E:08:AB:CD:F0\",192.0.2.7,CiscoSpa,5070,CP-8841-3PCC\r\n000E08ABCDF1,192.0.2.8,CiscoSpa,port,\r\n";
            var targets = ResyncTargetCsv.Parse(csv, "accounts.csv", out var errors);
            Assert.Equal(new[] { "192.0.2.5", "192.0.2.7" }, targets.Select(t => t.IPAddress));
            Assert.Equal(5070, targets[1].Port);
            Assert.Equal("CP-8841-3PCC", targets[1].Model);
            Assert.Equal(new[] { 2, 4 }, errors.Select(e => e.RowNumber));
            Assert.Contains("accounts.csv row 2", errors[0].Message);
            Assert.Contains("not-a-mac", errors[0].Message);
            Assert.Contains("column Port", errors[1].Message);
        }

        [Fact]
        public void A_csv_without_an_IPAddress_column_is_refused() =>
            Assert.Equal("CsvMissingColumn", Assert.Throws<ProvisioningException>(() => ResyncTargetCsv.Parse("MacAddress\n000E08ABCDEF\n", "a.csv", out _)).ErrorId);

        [Fact]
        public void Settings_are_checked_before_any_phone_is_contacted()
        {
            Assert.Equal("TransportNotSupported", Assert.Throws<ProvisioningException>(() =>
                ResyncRunner.Validate(new ResyncOptions { Method = ResyncMethod.HttpResync, Transport = ResyncTransport.Udp })).ErrorId);
            Assert.Equal("InvalidThrottleLimit", Assert.Throws<ProvisioningException>(() =>
                ResyncRunner.Validate(new ResyncOptions { ThrottleLimit = 0 })).ErrorId);
            Assert.Equal("MissingUserName", Assert.Throws<ProvisioningException>(() =>
                ResyncRunner.Validate(new ResyncOptions { Password = new byte[] { 1 } })).ErrorId);
        }
    }
}
