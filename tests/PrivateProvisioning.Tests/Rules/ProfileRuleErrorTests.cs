using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Rules;
using Xunit;

namespace PrivateProvisioning.Tests.Rules
{
    /// <summary>Garbage in: every malformed rule gives InvalidProfileRule naming the rule and the 1-based position, and no secret.</summary>
    public class ProfileRuleErrorTests
    {
        [Theory]
        [InlineData("/$(MA.cfg", 2, "'$(' is not closed")]
        [InlineData("http://h/$(A:x).cfg", 10, "is not a whole number")]
        [InlineData("($A eq 1? http://h/a", 1, "'(' is not closed")]
        [InlineData("($A eq 1)) http://h/a", 9, "must end with ')?'")]
        [InlineData("($A eq 1) http://h/a", 9, "must end with ')?'")]
        [InlineData("[--post a http://h/a", 1, "'[' is not closed")]
        [InlineData("--post a] http://h/a", 1, "options go inside '[ ]'")]
        [InlineData("http://h/a]", 11, "no matching '['")]
        [InlineData("http://h/a)", 11, "no matching '('")]
        [InlineData("($A foo 1)? http://h/a", 5, "'foo' is not a comparison operator")]
        [InlineData("($A == 1)? http://h/a", 5, "'==' is not a comparison operator")]
        [InlineData("($A =< 1)? http://h/a", 5, "'=<' is not a comparison operator")]
        [InlineData("($A eq)? http://h/a", 5, "no right-hand operand")]
        [InlineData("($A)? http://h/a", 2, "not followed by a comparison operator")]
        [InlineData("($A eq 1 or $B eq 2)? http://h/a", 10, "'or' is not supported")]
        [InlineData("($A eq 1 and)? http://h/a", 10, "'and' is not followed")]
        [InlineData("( )? http://h/a", 2, "the condition is empty")]
        [InlineData("(\"$A\" lt \"B\")? http://h/a", 7, "orders integers and versions only")]
        [InlineData("(\"$A eq 1)? http://h/a", 2, "quoted string is not closed")]
        [InlineData("[--key x]", 1, "not followed by a URL")]
        [InlineData("($A eq 1)?", 1, "not followed by a URL")]
        [InlineData("($A eq 1)? | http://h/a", 1, "not followed by a URL")]
        [InlineData("http://h/a |", 13, "after '|' is empty")]
        [InlineData("| http://h/a", 1, "starts with '|'")]
        [InlineData("http://h/a | http://h/b", 1, "alternative 1 has no condition")]
        [InlineData("http://prov.example.com", 24, "no file path")]
        [InlineData("ftp://h/a", 1, "'ftp' is not a provisioning scheme")]
        [InlineData("gopher://$A/a", 1, "'gopher' is not a provisioning scheme")]
        [InlineData("http://h:99999/a", 10, "port '99999'")]
        [InlineData("http://h:/a", 10, "port ''")]
        [InlineData("http://h/a http://h/b", 12, "unexpected text after the URL")]
        [InlineData("[--foo] http://h/a", 2, "'--foo' is not a rule option")]
        [InlineData("[--post] http://h/a", 2, "--post needs an argument")]
        [InlineData("[--post q] http://h/a", 9, "one GPP letter from a to p")]
        [InlineData("[--alias ab] http://h/a", 10, "one GPP letter")]
        [InlineData("[--post a --post b] http://h/a", 11, "--post is given twice")]
        [InlineData("[--srv x] http://h/a", 8, "expected an option")]
        [InlineData("[] http://h/a", 1, "'[ ]' are empty")]
        [InlineData("[--uid a][--pwd b] http://h/a", 10, "one pair of '[ ]'")]
        [InlineData("(b = x;)! http://h/a", 6, "must be in double quotes")]
        [InlineData("(b \"x\";)! http://h/a", 4, "expected '=' after 'b'")]
        [InlineData("(b = \"x\" c = \"y\")! http://h/a", 10, "expected ';'")]
        [InlineData("(b = \"$(A\";)! http://h/a", 7, "'$(' is not closed")]
        [InlineData("( )! http://h/a", 1, "assignment group '( )!' is empty")]
        [InlineData("(b = \"x\";)! ($A eq 1)? http://h/a", 13, "at most one condition")]
        [InlineData("[--post a] ($A eq 1)? http://h/a", 12, "must come before the options")]
        public void Malformed_rules_name_the_position(string rule, int position, string what)
        {
            var ex = Assert.Throws<ProvisioningException>(() => ProfileRule.Parse(rule));
            Assert.Equal("InvalidProfileRule", ex.ErrorId);
            Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
            Assert.True(ex.Message.StartsWith($"Rule '{RuleRedaction.Redact(rule)}' at position {position}: ") && ex.Message.Contains(what), ex.Message);
        }

        [Theory]
        [InlineData("[--key k] http://h/sw.loads", 1, "takes no '[ ]' options")]
        [InlineData("($SWVER ne 7.5.5)? /sw/spa-7.5.5.bin", 20, "must name its server")]
        public void Upgrade_rules_take_no_options_and_name_their_server(string rule, int position, string what)
        {
            Assert.Equal("http://h/sw.loads", ProfileRule.Parse("http://h/sw.loads", ProfileRuleKind.Upgrade).Evaluate(ProfileRuleTests.Phone()).Url);
            ProfileRule.Parse(rule); // fine as a profile rule
            var ex = Assert.Throws<ProvisioningException>(() => ProfileRule.Parse(rule, ProfileRuleKind.Upgrade));
            Assert.True(ex.Message.Contains($"at position {position}: ") && ex.Message.Contains(what), ex.Message);
        }

        [Fact]
        public void A_url_that_is_only_valid_after_expansion_is_checked_then()
        {
            var rule = ProfileRule.Parse("http://$D");
            Assert.Equal("http://prov/x.cfg", rule.Evaluate(ProfileRuleTests.Phone(("D", "prov/x.cfg"))).Url);
            var ex = Assert.Throws<ProvisioningException>(() => rule.Evaluate(ProfileRuleTests.Phone(("D", "prov"))));
            Assert.Equal("ProfileRuleNotEvaluable", ex.ErrorId);
            Assert.Contains("at position 1: after macro expansion the URL is 'http://prov': the URL has no file path", ex.Message);
        }

        [Theory]
        [InlineData("[--key \"Super Secret1\" --uid bob --pwd hunter2] http://h/$(MA.cfg", "[--key *** --uid bob --pwd ***] http://h/$(MA.cfg", 58)]
        [InlineData("[--key Sup3r$(SA --post a] http://h/a", "[--key *** --post a] http://h/a", 13)]
        [InlineData("[--pwd \"hunter2 --key x] http://h/a", "[--pwd ***", 8)]
        [InlineData("[--KEY Sup3r --frob] http://h/a", "[--KEY *** --frob] http://h/a", 14)]
        [InlineData("[--key Sup3r] http://h/a | http://h/b", "[--key ***] http://h/a | http://h/b", 1)]
        [InlineData("($A eq 1)? [--key Sup3r --key Sup3r] http://h/a", "($A eq 1)? [--key *** --key ***] http://h/a", 25)]
        public void Errors_never_show_key_or_password_arguments(string rule, string redacted, int position)
        {
            var ex = Assert.Throws<ProvisioningException>(() => ProfileRule.Parse(rule));
            Assert.DoesNotContain("Secret1", ex.Message);
            Assert.DoesNotContain("hunter2", ex.Message);
            Assert.DoesNotContain("Sup3r", ex.Message);
            Assert.True(ex.Message.StartsWith($"Rule '{redacted}") && ex.Message.Contains($"at position {position}:"), ex.Message);
            Assert.DoesNotContain("Sup3r", (string)ex.Target!);
            Assert.DoesNotContain("hunter2", (string)ex.Target!);
        }

        [Fact]
        public void Results_and_the_parsed_rule_show_the_key_as_stars()
        {
            var rule = ProfileRule.Parse("[--key \"open sesame\" --uid u --pwd pw1] https://h/$MA.xml");
            Assert.Equal("[--key *** --uid u --pwd ***] https://h/$MA.xml", rule.ToString());
            var result = rule.Evaluate(ProfileRuleTests.Phone());
            Assert.Equal(rule.RedactedText, result.Rule);
            Assert.Equal("open sesame", ProfileRuleTests.Plain(result.Key));
            Assert.Equal("pw1", ProfileRuleTests.Plain(result.Password));
            Assert.Equal("https://h/000e08012345.xml", result.ToString());
            Assert.Equal("System.Security.SecureString", result.Key!.ToString());
        }

        [Theory]
        [InlineData("", "")]
        [InlineData("http://h/a", "http://h/a")]
        [InlineData("[--key=abc] http://h/a", "[--key***] http://h/a")]
        [InlineData("--pwd", "--pwd")]
        [InlineData("--keyboard x", "--keyboard x")]
        [InlineData("[--hex-key 00112233 --uid u] http://h/a", "[--hex-key *** --uid u] http://h/a")]
        [InlineData("[--HEX-KEY 0011] http://h/a", "[--HEX-KEY ***] http://h/a")]
        [InlineData("[--key-x 1] http://h/a", "[--key*** 1] http://h/a")]
        [InlineData("[--hex --key S3cretKey!] http://h/a", "[--hex --key ***] http://h/a")]
        public void Redaction_of_odd_texts(string rule, string expected) =>
            Assert.Equal(expected, RuleRedaction.Redact(rule));
    }
}
