using System.Collections.Generic;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Rules;
using Xunit;

namespace PrivateProvisioning.Tests.Rules
{
    /// <summary>Known answers from the spec's macro section (cisco-spa-mpp.md §1.2, §1.3).</summary>
    public class MacroExpanderTests
    {
        private static readonly MacroContext Phone = new(MacAddress.Parse("000E08012345"), "88012BA01234", "SPA2102",
            new Dictionary<string, string> { ["A"] = "ABCDEF", ["GPP_B"] = "site7", ["SA"] = "s3cret", ["SWVER"] = "2.0.6(b)" });

        [Theory]
        [InlineData("/$MA.cfg", "/000e08012345.cfg")]
        [InlineData("/$MAU.cfg", "/000E08012345.cfg")]
        [InlineData("/$MAC", "/00:0e:08:01:23:45")]
        [InlineData("$(MAU)config.cfg", "000E08012345config.cfg")]
        [InlineData("$(A:2)", "CDEF")]
        [InlineData("$(A:2:3)", "CDE")]
        [InlineData("$(MAU:4)", "08012345")]
        [InlineData("$(MAU:8:2)", "23")]
        [InlineData("$$MAU", "$MAU")]
        [InlineData("spa$STRANGE$MAU.cfg", "spa$STRANGE000E08012345.cfg")]
        [InlineData("/spa$PSN.cfg", "/spa2102.cfg")]
        [InlineData("$PN-$SN", "SPA2102-88012BA01234")]
        [InlineData("/$B/$MA.cfg", "/site7/000e08012345.cfg")]
        [InlineData("$SA", "$SA")]
        [InlineData("v=$SWVER", "v=2.0.6(b)")]
        [InlineData("100$", "100$")]
        [InlineData("/$ma/$b.cfg", "/$ma/$b.cfg")]
        [InlineData("$ $", "$ $")]
        public void Expands_documented_macros(string text, string expected) =>
            Assert.Equal(expected, MacroExpander.Expand(text, Phone).Text);

        [Fact]
        public void Secret_gpp_expands_only_where_allowed() =>
            Assert.Equal("s3cret", MacroExpander.Expand("$SA", Phone, allowSecretGpp: true).Text);

        [Fact]
        public void A_documented_macro_without_a_value_is_empty_and_reported()
        {
            var result = MacroExpander.Expand("http://$IP/x", Phone);
            Assert.Equal("http:///x", result.Text);
            Assert.Equal(new[] { "IP" }, result.Missing);
        }

        [Theory]
        [InlineData("/$(MA.cfg", 2)]
        [InlineData("ab$(A:x)", 3)]
        public void A_malformed_macro_names_rule_and_position(string text, int position)
        {
            var ex = Assert.Throws<ProvisioningException>(() => MacroExpander.Expand(text, Phone));
            Assert.Equal("InvalidProfileRule", ex.ErrorId);
            Assert.Contains($"position {position}", ex.Message);
            Assert.Contains(text, ex.Message);
        }

        [Theory]
        [InlineData("00:0E:08:AB:CD:EF")]
        [InlineData("00-0e-08-ab-cd-ef")]
        [InlineData("000e.08ab.cdef")]
        [InlineData("000E08ABCDEF")]
        public void Mac_addresses_parse_in_every_admin_form(string text) =>
            Assert.Equal("000e08abcdef", MacAddress.Parse(text).Lower);

        [Theory]
        [InlineData("000E08ABCDE")]
        [InlineData("00:0E:08:AB:CD:EF:01")]
        [InlineData("00:0E-08:AB:CD:EF")]
        [InlineData("000E08ABCDEG")]
        [InlineData("0:00E:08:AB:CD:EF")]
        [InlineData("")]
        public void Malformed_mac_addresses_are_refused(string text) =>
            Assert.Equal("InvalidMacAddress", Assert.Throws<ProvisioningException>(() => MacAddress.Parse(text)).ErrorId);
    }
}
