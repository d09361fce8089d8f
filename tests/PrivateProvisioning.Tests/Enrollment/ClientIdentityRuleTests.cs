using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security.Enrollment;
using Xunit;

namespace PrivateProvisioning.Tests.Enrollment
{
    /// <summary>The identity in a client certificate's subject, and the file-name patterns that mark per-phone files.</summary>
    public class ClientIdentityRuleTests
    {
        [Theory]
        // Our own certificates (pprov csr new --cn <mac>) and the manufacturer shapes.
        [InlineData("CN=001122aabbcc", "001122aabbcc")]
        [InlineData("CN=001122AABBCC, O=Example", "001122aabbcc")]
        [InlineData("CN=SEP001122AABBCC, OU=Voice, O=Cisco Systems Inc.", "001122aabbcc")]
        [InlineData("CN=CP-8851-3PCC 00:11:22:AA:BB:CC FCH2233A0BC, O=Example", "001122aabbcc")]
        [InlineData("CN=SPA525G2-00-11-22-aa-bb-cc-CCQ12345678", "001122aabbcc")]
        [InlineData("CN=0011.22aa.bbcc", "001122aabbcc")]
        [InlineData("CN=Cisco ATA191 MAC 001122aabbcc SN FCH1234ABCD", "001122aabbcc")]
        // No MAC in the CN: such a certificate opens only the shared files.
        [InlineData("CN=alice, O=ACME", null)]
        [InlineData("CN=00112233445566", null)]
        [InlineData("OU=001122aabbcc, CN=phone", null)]
        [InlineData("O=Example", null)]
        public void The_default_rule_takes_the_MAC_address_out_of_the_CN(string subject, string? expected)
        {
            Assert.Equal(expected, ClientIdentityRule.Default(ClientIdentityKind.MacAddress).GetIdentity(subject));
        }

        [Theory]
        [InlineData("CN=alice, O=ACME, C=IT", "alice")]
        [InlineData("E=alice@example.com, CN=alice.smith, OU=Voice", "alice.smith")]
        [InlineData("CN=alice|bob", null)]
        [InlineData("O=ACME", null)]
        public void The_default_user_rule_is_the_whole_CN(string subject, string? expected)
        {
            Assert.Equal(expected, ClientIdentityRule.Default(ClientIdentityKind.UserName).GetIdentity(subject));
        }

        [Fact]
        public void Another_rule_reads_another_attribute_with_another_pattern()
        {
            // Cisco's reflector example puts product, MAC and serial in OU, L and ST.
            var locality = new ClientIdentityRule(ClientIdentityKind.MacAddress, "L");
            Assert.Equal("001122aabbcc", locality.GetIdentity("CN=phone, OU=SPA504G, L=001122AABBCC, S=CBT12345678"));
            Assert.Null(locality.GetIdentity("CN=SEP001122AABBCC"));

            var anchored = new ClientIdentityRule(ClientIdentityKind.MacAddress, "CN", "^SEP([0-9A-F]{12})$");
            Assert.Equal("001122aabbcc", anchored.GetIdentity("CN=SEP001122AABBCC"));
            Assert.Null(anchored.GetIdentity("CN=xSEP001122AABBCC"));

            var twoGroups = new ClientIdentityRule(ClientIdentityKind.MacAddress, null, "^([0-9a-f]{6})/([0-9a-f]{6})$");
            Assert.Equal(2, twoGroups.GroupCount);
            Assert.Equal("001122aabbcc", twoGroups.GetIdentity("CN=001122/aabbcc"));

            var mail = new ClientIdentityRule(ClientIdentityKind.UserName, "emailAddress", "^([^@]+)@example\\.com$");
            Assert.Equal("alice", mail.GetIdentity("E=alice@example.com, CN=Alice Smith"));
            Assert.Null(mail.GetIdentity("E=alice@example.org, CN=Alice Smith"));
        }

        [Theory]
        [InlineData("CN", "(?<mac>[0-9a-f]{12})", "named groups")]
        [InlineData("CN", "[0-9a-f]{12}", "0 capture groups")]
        [InlineData("CN", "(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)", "10 capture groups")]
        [InlineData("CN", "(abc", "not a regular expression")]
        [InlineData("CN", "(a\")", "cannot be written")]
        [InlineData("UID", null, "use one of")]
        public void A_rule_the_servers_cannot_run_is_refused_with_the_reason(string attribute, string? pattern, string why)
        {
            var ex = Assert.Throws<ProvisioningException>(() => new ClientIdentityRule(ClientIdentityKind.MacAddress, attribute, pattern));
            Assert.Equal("InvalidWebServerSetting", ex.ErrorId);
            Assert.Contains(why, ex.Message);
            Assert.Contains(pattern == null ? "IdentityAttribute" : "IdentityPattern", ex.Message);
        }

        [Fact]
        public void No_identity_options_mean_the_default_rule()
        {
            Assert.Null(ClientIdentityRule.FromOptions(null, null, null));
            var user = ClientIdentityRule.FromOptions(ClientIdentityKind.UserName, null, null)!;
            Assert.Equal(ClientIdentityRule.DefaultUserNamePattern, user.Pattern);
            Assert.Equal("CN", user.Attribute);
        }

        [Theory]
        [InlineData("*$MA*", "/001122aabbcc.xml", "001122aabbcc")]
        [InlineData("*$MA*", "/spa001122AABBCC.xml", "001122AABBCC")]
        [InlineData("*$MA*", "/SEP001122AABBCC.cnf.xml", "001122AABBCC")]
        [InlineData("*$MA*", "/Cisco/CP-8851-3PCC/001234ab45de.cfg", "001234ab45de")]
        [InlineData("*$MA*", "/8851-3PCC.xml", null)]
        [InlineData("*$MA*", "/firmware/sip88xx.12-0-1MPP0001-46.loads", null)]
        [InlineData("spa$MA.xml", "/spa001122aabbcc.xml", "001122aabbcc")]
        [InlineData("spa$MA.xml", "/SPA001122AABBCC.XML", "001122AABBCC")]
        [InlineData("spa$MA.xml", "/deep/folder/spa001122aabbcc.xml", "001122aabbcc")]
        [InlineData("spa$MA.xml", "/spa001122aabbcc.xml.bak", null)]
        [InlineData("Cisco/*/$MAU.cfg", "/Cisco/CP-8851-3PCC/001234AB45DE.cfg", "001234AB45DE")]
        [InlineData("Cisco/*/$MAU.cfg", "/other/Cisco/CP-8851-3PCC/001234AB45DE.cfg", null)]
        public void Per_phone_patterns_find_the_MAC_in_a_request_path(string pattern, string path, string? expected)
        {
            Assert.Equal(expected, new PerPhoneFilePattern(pattern, ClientIdentityKind.MacAddress).GetIdentity(path));
        }

        [Theory]
        [InlineData("$USER.p12", "/alice.p12", "alice")]
        [InlineData("$USER.p12", "/alice.pem", null)]
        [InlineData("users/$USER.*", "/users/alice.smith.json", "alice.smith")]
        [InlineData("users/$USER.*", "/alice.json", null)]
        public void Per_user_patterns_find_the_user_name_in_a_request_path(string pattern, string path, string? expected)
        {
            Assert.Equal(expected, new PerPhoneFilePattern(pattern, ClientIdentityKind.UserName).GetIdentity(path));
        }

        [Theory]
        [InlineData("$MA$MA.xml", ClientIdentityKind.MacAddress, "more than once")]
        [InlineData("profile.xml", ClientIdentityKind.MacAddress, "has no $MA")]
        [InlineData("$USER.xml", ClientIdentityKind.MacAddress, "names a user name")]
        [InlineData("$MA.xml", ClientIdentityKind.UserName, "names a MAC address")]
        [InlineData("a\"b$MA", ClientIdentityKind.MacAddress, "character 2")]
        [InlineData("$FOO$MA", ClientIdentityKind.MacAddress, "only $MA, $MAU and $USER")]
        [InlineData("dir//$MA.cfg", ClientIdentityKind.MacAddress, "empty folder name")]
        public void A_bad_per_phone_pattern_is_refused_naming_it(string pattern, ClientIdentityKind kind, string why)
        {
            var ex = Assert.Throws<ProvisioningException>(() => new PerPhoneFilePattern(pattern, kind));
            Assert.Contains("PerPhoneFile pattern '" + pattern + "'", ex.Message);
            Assert.Contains(why, ex.Message);
        }

        [Fact]
        public void Without_patterns_the_defaults_of_the_identity_apply()
        {
            Assert.Equal(new[] { "*$MA*" }, System.Linq.Enumerable.Select(PerPhoneFilePattern.Parse(null, ClientIdentityKind.MacAddress), p => p.Pattern));
            Assert.Contains("$USER.p12", System.Linq.Enumerable.Select(PerPhoneFilePattern.Parse(new string[0], ClientIdentityKind.UserName), p => p.Pattern));
        }
    }
}
