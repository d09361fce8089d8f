using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Rules;
using Xunit;

namespace PrivateProvisioning.Tests.Rules
{
    /// <summary>CSV rows and piped columns become phones; garbage rules fail cleanly; secrets never leak into errors.</summary>
    public class RuleInputTests
    {
        private static IEnumerable<KeyValuePair<string, string>> Columns(params (string, string)[] pairs) =>
            pairs.Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2));

        [Fact]
        public void Identity_columns_and_their_aliases_give_the_phone_and_the_rest_are_variables()
        {
            var context = PhoneColumns.ToContext(Columns(("mac", "000e.08ab.cdef"), ("SN", "88012BA01234"), ("Model", "SPA502G"), ("B", "site7"), ("Rule", "/x")));
            Assert.Equal("000e08abcdef", context.MacAddress!.Value.Lower);
            Assert.Equal("88012BA01234", context.SerialNumber);
            Assert.Equal("SPA502G", context.ProductName);
            Assert.Equal("site7", context.Variables["B"]);
            Assert.False(context.Variables.ContainsKey("Rule"));
            Assert.False(context.Variables.ContainsKey("mac"));
        }

        [Fact]
        public void Overrides_win_and_explicit_identity_wins_over_columns()
        {
            var context = PhoneColumns.ToContext(Columns(("MacAddress", "000E08ABCDEF"), ("B", "column")),
                Columns(("B", "override")), macAddress: "00:0e:08:00:00:01", productName: "CP-8851-3PCC");
            Assert.Equal("00:0e:08:00:00:01", context.MacAddress!.Value.Colon);
            Assert.Equal("override", MacroExpander.Expand("$B", context).Text);
            Assert.Equal("8851-3PCC", MacroExpander.Expand("$PSN", context).Text);
        }

        [Fact]
        public void An_empty_mac_column_means_no_mac_and_a_bad_one_is_an_error()
        {
            Assert.Null(PhoneColumns.ToContext(Columns(("MacAddress", " "))).MacAddress);
            var ex = Assert.Throws<ProvisioningException>(() => PhoneColumns.ToContext(Columns(("MAC", "00:0E:08:AB"))));
            Assert.Equal("InvalidMacAddress", ex.ErrorId);
        }

        [Fact]
        public void Csv_reads_quotes_bom_crlf_and_blank_lines()
        {
            var rows = CsvRows.Parse("\uFEFFMacAddress, B ,C\r\n000E08ABCDEF,\"a,b\",\"say \"\"hi\"\"\"\r\n\r\n000E08ABCDF0,\"two\nlines\"\n000E08ABCDF1,x,y,z\n", "t.csv");
            Assert.Equal(3, rows.Count);
            Assert.Equal(new[] { "MacAddress", "B", "C" }, rows[0].Columns.Select(c => c.Key));
            Assert.Equal(new[] { "000E08ABCDEF", "a,b", "say \"hi\"" }, rows[0].Columns.Select(c => c.Value));
            Assert.Equal("two\nlines", rows[1].Columns[1].Value);
            Assert.Equal("", rows[1].Columns[2].Value);
            Assert.Equal(4, rows[1].LineNumber);
            Assert.Equal(6, rows[2].LineNumber);
            Assert.Equal(3, rows[2].RowNumber);
            Assert.Contains("4 fields but the header names 3", rows[2].Problem);
            Assert.Null(rows[0].Problem);
        }

        [Theory]
        [InlineData("", "CsvEmpty")]
        [InlineData("A,,C\n1,2,3", "CsvBadHeader")]
        [InlineData("A,a\n1,2", "CsvBadHeader")]
        [InlineData("A,B\n1,\"open\n", "CsvUnclosedQuote")]
        public void Broken_csv_files_are_refused_with_a_clear_error(string text, string errorId)
        {
            var ex = Assert.Throws<ProvisioningException>(() => CsvRows.Parse(text, "bad.csv"));
            Assert.Equal(errorId, ex.ErrorId);
            Assert.Contains("bad.csv", ex.Message);
        }

        [Fact]
        public void Any_garbage_rule_parses_or_fails_with_a_positioned_provisioning_error()
        {
            var alphabet = "()[]|?!\"$:-=<> #abkeypostq/1.0SA".ToCharArray();
            var texts = Gen.Elements(alphabet).ArrayOf().Select(chars => new string(chars));
            var phone = ProfileRuleTests.Phone(("A", "1"), ("SA", "k"));
            Prop.ForAll(texts.ToArbitrary(), text =>
            {
                try
                {
                    var rule = ProfileRule.Parse(text);
                    try { rule.Evaluate(phone); }
                    catch (ProvisioningException ex) { return ex.ErrorId == "ProfileRuleNotEvaluable" && HasPosition(ex.Message, text); }
                    return true;
                }
                catch (ProvisioningException ex)
                {
                    return ex.ErrorId == "InvalidProfileRule" && HasPosition(ex.Message, text);
                }
            }).QuickCheckThrowOnFailure();
        }

        private static bool HasPosition(string message, string text)
        {
            var m = System.Text.RegularExpressions.Regex.Match(message, @"at position (\d+): ");
            return m.Success && int.Parse(m.Groups[1].Value) >= 1 && int.Parse(m.Groups[1].Value) <= text.Length + 1;
        }

        [Fact]
        public void No_error_about_a_broken_rule_quotes_its_key_or_password()
        {
            var secrets = Gen.Elements("abcXYZ0189._~+-".ToCharArray()).ArrayOf().Where(a => a.Length >= 3).Select(a => "Zq9" + new string(a));
            string[] templates =
            {
                "[--key {0}] http://h/$(MA",
                "[--key \"{0}\" --bogus] http://h/a",
                "($A eq 1)? [--pwd {0}] http://h/a | http://x/b | /c",
                "[--key {0} --post zz] /a",
                "[--pwd {0} --key {0}] ($A lt 1)? /a",
                "[--key \"{0}",
                "[--key {0}$(A:x)] /a",
                "[--pwd \"{0} $(\"] /a",
                "[--key {0}",
            };
            Prop.ForAll(secrets.ToArbitrary(), Gen.Elements(templates).ToArbitrary(), (secret, template) =>
            {
                var rule = string.Format(template, secret);
                try
                {
                    ProfileRule.Parse(rule);
                    return false; // every template is broken
                }
                catch (ProvisioningException ex)
                {
                    return !ex.Message.Contains("Zq9") && !((string)ex.Target!).Contains("Zq9");
                }
            }).QuickCheckThrowOnFailure();
        }
    }
}
