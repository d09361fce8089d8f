using System.Collections.Generic;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Rules;
using Xunit;

namespace PrivateProvisioning.Tests.Rules
{
    /// <summary>Every row of the macro table (cisco-spa-mpp.md §1.3): its value when known, "missing" when not.</summary>
    public class MacroTableTests
    {
        private static MacroContext With(params (string Name, string Value)[] variables)
        {
            var list = new List<KeyValuePair<string, string>>();
            foreach (var (n, v) in variables) list.Add(new KeyValuePair<string, string>(n, v));
            return new MacroContext(MacAddress.Parse("00:0E:08:AA:BB:CC"), "88012BA01234", "SPA2102", list);
        }

        [Theory]
        [InlineData("CCERT", "Installed")]
        [InlineData("IP", "192.168.1.20")]
        [InlineData("EXTIP", "203.0.113.9")]
        [InlineData("SWVER", "2.0.6(b)")]
        [InlineData("HWVER", "1.88.1")]
        [InlineData("PRVST", "-1")]
        [InlineData("UPGST", "2")]
        [InlineData("UPGERR", "http_get failed")]
        [InlineData("PRVTMR", "3600")]
        [InlineData("UPGTMR", "120")]
        [InlineData("REGTMR1", "0")]
        [InlineData("REGTMR2", "45")]
        [InlineData("UPGCOND", "true")]
        [InlineData("SCHEME", "HTTPS")]
        [InlineData("SERV", "prov.example.com")]
        [InlineData("SERVIP", "192.0.2.10")]
        [InlineData("PORT", "443")]
        [InlineData("PATH", "/cfg/spa.xml")]
        [InlineData("ERR", "file not found")]
        [InlineData("UID1", "4001")]
        [InlineData("UID2", "4002")]
        [InlineData("EMS", "1")]
        [InlineData("MUID", "alice")]
        [InlineData("MPWD", "pw")]
        [InlineData("ISCUST", "0")]
        [InlineData("INCOMINGNAME", "Bob")]
        [InlineData("REMOTENUMBER", "5551234")]
        [InlineData("DISPLAYNAME1", "Alice")]
        [InlineData("AUTHID1", "alice1")]
        [InlineData("ORIGTYPE", "1")]
        [InlineData("AUTHSTATUS", "ok")]
        public void A_documented_macro_expands_to_its_value_and_is_missing_without_one(string name, string value)
        {
            Assert.Equal($"<{value}>", MacroExpander.Expand($"<${name}>", With((name, value))).Text);
            var without = MacroExpander.Expand($"<${name}>", With());
            Assert.Equal("<>", without.Text);
            Assert.Equal(new[] { name }, without.Missing);
        }

        [Theory]
        [InlineData("A")] [InlineData("B")] [InlineData("C")] [InlineData("D")] [InlineData("E")] [InlineData("F")]
        [InlineData("G")] [InlineData("H")] [InlineData("I")] [InlineData("J")] [InlineData("K")] [InlineData("L")]
        [InlineData("M")] [InlineData("N")] [InlineData("O")] [InlineData("P")]
        public void Every_gpp_letter_reads_its_general_purpose_parameter(string letter)
        {
            Assert.Equal("x-" + letter, MacroExpander.Expand("$" + letter, With(("GPP_" + letter, "x-" + letter))).Text);
            Assert.Equal("y", MacroExpander.Expand("$(" + letter + ")", With((letter, "y"))).Text);
        }

        [Theory]
        [InlineData("SA")] [InlineData("SB")] [InlineData("SC")] [InlineData("SD")]
        public void Secret_gpps_expand_only_inside_key_uid_pwd(string name)
        {
            var phone = With(("GPP_" + name, "secret-" + name));
            Assert.Equal("$" + name, MacroExpander.Expand("$" + name, phone).Text);
            Assert.Equal("secret-" + name, MacroExpander.Expand("$" + name, phone, allowSecretGpp: true).Text);
        }

        [Fact]
        public void Line_macros_read_the_line_parameters()
        {
            var phone = With(("User_ID_1_", "4001"), ("Display_Name_2_", "Front desk"), ("Auth_ID_3_", "a3"));
            Assert.Equal("4001|Front desk|a3", MacroExpander.Expand("$UID1|$DISPLAYNAME2|$AUTHID3", phone).Text);
        }

        [Fact]
        public void Meth_is_the_deprecated_alias_of_scheme() =>
            Assert.Equal("TFTP", MacroExpander.Expand("$METH", With(("SCHEME", "TFTP"))).Text);

        [Theory]
        [InlineData("SPA2102", "/spa$PSN.cfg", "/spa2102.cfg")]
        [InlineData("SPA942", "/spa$PSN.cfg", "/spa942.cfg")]
        [InlineData("SPA502G", "/spa$PSN.cfg", "/spa502G.cfg")]
        [InlineData("SPA112", "/spa$PSN.cfg", "/spa112.cfg")]
        [InlineData("CP-8851-3PCC", "/$PSN.xml", "/8851-3PCC.xml")]
        [InlineData("ATA191", "/ata$PSN.cfg", "/ata191.cfg")]
        public void Product_series_follows_the_first_file_names(string product, string rule, string expected) =>
            Assert.Equal(expected, MacroExpander.Expand(rule, new MacroContext(null, null, product)).Text);

        [Fact]
        public void Mpp_product_name_example_from_the_migration_guide() =>
            Assert.Equal("/Cisco/CP-8851-3PCC/001234ab45de.cfg",
                MacroExpander.Expand("/Cisco/$PN/$MA.cfg", new MacroContext(MacAddress.Parse("001234AB45DE"), null, "CP-8851-3PCC")).Text);

        [Theory]
        [InlineData("$ma", "$ma")]
        [InlineData("${MA}", "${MA}")]
        [InlineData("$MAC$MAU", "00:0e:08:aa:bb:cc000E08AABBCC")]
        [InlineData("$(MA)x", "000e08aabbccx")]
        [InlineData("$MAx", "$MAx")]
        [InlineData("$(SN:0:4)", "8801")]
        [InlineData("$(SN:20)", "")]
        [InlineData("$(SN:10:9)", "34")]
        [InlineData("$$$$", "$$")]
        [InlineData("$$(MA)", "$(MA)")]
        public void Edge_cases_follow_the_generator_rules(string text, string expected) =>
            Assert.Equal(expected, MacroExpander.Expand(text, With()).Text);

        [Fact]
        public void Expansion_is_one_pass_not_recursive() =>
            Assert.Equal("$MA", MacroExpander.Expand("$A", With(("A", "$MA"))).Text);
    }
}
