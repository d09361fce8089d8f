using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Rules;
using Xunit;

namespace PrivateProvisioning.Tests.Rules
{
    /// <summary>Conditions (cisco-spa-mpp.md §2.3): operators, operand kinds, versions, the legacy forms.</summary>
    public class RuleConditionTests
    {
        private static bool Holds(string condition, params (string, string)[] variables) =>
            RuleCondition.Parse(condition).Evaluate(ProfileRuleTests.Phone(variables));

        [Theory]
        // every operator, symbol and word, over integers
        [InlineData("5 = 5", true)] [InlineData("5 eq 6", false)]
        [InlineData("5 != 6", true)] [InlineData("5 ne 5", false)]
        [InlineData("5 < 6", true)] [InlineData("6 lt 6", false)]
        [InlineData("6 <= 6", true)] [InlineData("7 le 6", false)]
        [InlineData("7 > 6", true)] [InlineData("6 gt 6", false)]
        [InlineData("6 >= 6", true)] [InlineData("5 ge 6", false)]
        [InlineData("5 EQ 5", true)]
        [InlineData("10 gt 9", true)] // numerically, not as text
        [InlineData("-1 lt 0", true)]
        [InlineData("$PRVST eq -1", true)]
        [InlineData("$PRVTMR>=600", true)]
        [InlineData("$PRVTMR<600", false)]
        // strings: quoted operands compare exactly
        [InlineData("\"$CCERT\" eq \"Installed\"", false)]
        [InlineData("\"$CCERT\" = \"Not Installed\"", true)]
        [InlineData("\"$CCERT\" ne \"not installed\"", true)]
        [InlineData("\"10\" eq \"010\"", false)]
        [InlineData("10 eq 010", true)]
        // conjunction
        [InlineData("$UPGTMR gt 300 and $PRVTMR ge 600", true)]
        [InlineData("$UPGTMR gt 300 AND $PRVTMR ge 601", false)]
        [InlineData("1 eq 1 and 2 eq 2 and 3 eq 4", false)]
        public void Comparisons(string condition, bool expected) =>
            Assert.Equal(expected, Holds(condition, ("PRVST", "-1"), ("PRVTMR", "600"), ("UPGTMR", "301"), ("CCERT", "Not Installed")));

        [Theory]
        // SPA versions: major.minor.build with an optional (suffix)
        [InlineData("2.0.6(b)", "$SWVER ge 2.0.6", true)]
        [InlineData("2.0.6(b)", "$SWVER gt 2.0.6", true)]
        [InlineData("2.0.6", "$SWVER eq 2.0.6", true)]
        [InlineData("2.0.6(b)", "$SWVER lt 2.0.11", true)]
        [InlineData("2.0.6(b)", "$SWVER eq 2.0.6(B)", true)]
        [InlineData("2.0.6(b)", "$SWVER lt 2.0.6(c)", true)]
        [InlineData("1.0.31(b)", "$SWVER ge 1.0.33", false)]
        [InlineData("2.0.3(0412s)", "$SWVER le 2.0.3(0412s)", true)]
        [InlineData("2.0.12", "$SWVER gt 2.0.6", true)]
        [InlineData("2.0.6(b)", "\"$SWVER\" eq \"2.0.6(b)\"", true)]
        [InlineData("2.0.6(b)", "\"$SWVER\" eq \"2.0.6\"", false)]
        // MPP load names: major, minor, micro, then build
        [InlineData("sip88xx.11-3-2MPP0001-609", "$SWVER ge sip88xx.11-3-2MPP0001-609", true)]
        [InlineData("sip88xx.11-3-2MPP0001-609", "$SWVER gt sip88xx.11-3-1MPP0001-700", true)]
        [InlineData("sip88xx.11-3-2MPP0001-609", "$SWVER lt sip88xx.11-3-2MPP0001-610", true)]
        [InlineData("sip88xx.11-3-2MPP0001-609", "$SWVER lt sip88xx.12-0-1MPP0001-100", true)]
        [InlineData("sip7832.11-0-1MPP-376", "$SWVER lt sip7832.11-3-2MPP0001-609", true)]
        [InlineData("sip7832.11-3-2MPP0001-609", "$SWVER ne sip7832.11-3-2MPP0001-609", false)]
        [InlineData("sip88xx.11-3-2MPP0001-609", "$SWVER ge 11-3-2MPP0001-609", true)]
        public void Version_comparisons(string swver, string condition, bool expected) =>
            Assert.Equal(expected, Holds(condition, ("SWVER", swver)));

        [Theory]
        [InlineData("1.0.31(b)", "! 1.0.33", true)]
        [InlineData("1.0.33", "! 1.0.33", false)]
        [InlineData("1.0.33", "$SWVER ! 1.0.33", false)]
        [InlineData("2.0.6", "ge 2.0.6", true)]
        public void Legacy_forms_imply_swver_and_bang_means_not_equal(string swver, string condition, bool expected)
        {
            Assert.Equal(expected, Holds(condition, ("SWVER", swver)));
            var parsed = RuleCondition.Parse(condition).Comparisons[0];
            Assert.Equal(!condition.StartsWith("$"), parsed.LeftImplied);
            Assert.Equal("$SWVER", parsed.Left.Text);
        }

        [Fact]
        public void Upgrade_rule_example_from_the_mpp_guide()
        {
            var rule = ProfileRule.Parse("($SWVER ne sip7832.11-3-2MPP0001-609)? http://ps.tell.com/sw/sip7832.11-3-2MPP0001-BN.loads");
            Assert.Equal("http://ps.tell.com/sw/sip7832.11-3-2MPP0001-BN.loads", rule.Evaluate(ProfileRuleTests.Phone(("SWVER", "sip7832.11-0-1MPP-376"))).Url);
            Assert.Equal(0, rule.Evaluate(ProfileRuleTests.Phone(("SWVER", "sip7832.11-3-2MPP0001-609"))).AlternativeIndex);
        }

        [Fact]
        public void A_spa_version_condition_in_a_rule_with_a_version_suffix_inside_the_parentheses() =>
            Assert.Equal("http://h/new", ProfileRule.Parse("($SWVER ge 2.0.6(b))? http://h/new | http://h/old")
                .Evaluate(ProfileRuleTests.Phone(("SWVER", "2.0.6(c)"))).Url);

        [Theory]
        [InlineData("$SWVER lt 2.0.6", "sip88xx.11-3-2MPP0001-609", 1, "different formats")]
        [InlineData("$A lt 3", "x", 1, "cannot order")]
        [InlineData("1 eq 1 and $PRVTMR ge 600", "", 12, "no value was given for $PRVTMR")]
        public void Incomparable_operands_are_reported_with_their_position(string condition, string value, int position, string what)
        {
            var ex = Assert.Throws<ProvisioningException>(() => Holds(condition, ("SWVER", value), ("A", value)));
            Assert.Equal("ProfileRuleNotEvaluable", ex.ErrorId);
            Assert.Contains($"at position {position}:", ex.Message);
            Assert.Contains(condition, ex.Message);
            if (what == "different formats") Assert.Contains("a version compares only with one written the same way", ex.Message);
            else Assert.Contains(what, ex.Message);
        }

        [Fact]
        public void Unquoted_words_compare_as_text_for_equality() =>
            Assert.True(Holds("$A eq Provisioned", ("A", "Provisioned")));
    }
}
