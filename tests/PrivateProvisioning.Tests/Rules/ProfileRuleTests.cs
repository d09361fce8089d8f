using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Security;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Rules;
using Xunit;

namespace PrivateProvisioning.Tests.Rules
{
    /// <summary>Known answers for the rule grammar of cisco-spa-mpp.md §2.1–2.5 (the documented examples).</summary>
    public class ProfileRuleTests
    {
        internal static MacroContext Phone(params (string Name, string Value)[] variables)
        {
            var list = new List<KeyValuePair<string, string>>();
            foreach (var (n, v) in variables) list.Add(new KeyValuePair<string, string>(n, v));
            return new MacroContext(MacAddress.Parse("000E08012345"), "88012BA01234", "SPA2102", list);
        }

        internal static string Plain(SecureString? secret)
        {
            Assert.NotNull(secret);
            var ptr = Marshal.SecureStringToGlobalAllocUnicode(secret!);
            try { return Marshal.PtrToStringUni(ptr, secret!.Length); }
            finally { Marshal.ZeroFreeGlobalAllocUnicode(ptr); }
        }

        private static ExpandedProfileRule Eval(string rule, params (string, string)[] variables) => ProfileRule.Parse(rule).Evaluate(Phone(variables));

        // §2.1 valid URL examples
        [Theory]
        [InlineData("/$MA.cfg", "/000e08012345.cfg", ProfileRuleScheme.Tftp, null, 69, "/000e08012345.cfg")]
        [InlineData("192.168.1.130/profiles/init.cfg", "tftp://192.168.1.130/profiles/init.cfg", ProfileRuleScheme.Tftp, "192.168.1.130", 69, "/profiles/init.cfg")]
        [InlineData("tftp://prov.call.com/cpe/cisco$MA.cfg", "tftp://prov.call.com/cpe/cisco000e08012345.cfg", ProfileRuleScheme.Tftp, "prov.call.com", 69, "/cpe/cisco000e08012345.cfg")]
        [InlineData("http://neptune.speak.net:8080/prov/$D/$E.cfg", "http://neptune.speak.net:8080/prov/dd/ee.cfg", ProfileRuleScheme.Http, "neptune.speak.net", 8080, "/prov/dd/ee.cfg")]
        [InlineData("https://secure.me.com/profile?Linksys", "https://secure.me.com/profile?Linksys", ProfileRuleScheme.Https, "secure.me.com", 443, "/profile?Linksys")]
        [InlineData("HTTP://h/x", "http://h/x", ProfileRuleScheme.Http, "h", 80, "/x")]
        [InlineData("http://remote.server.com/cisco/$MA.cfg", "http://remote.server.com/cisco/000e08012345.cfg", ProfileRuleScheme.Http, "remote.server.com", 80, "/cisco/000e08012345.cfg")]
        [InlineData("/x?u=http://y/z", "/x?u=http://y/z", ProfileRuleScheme.Tftp, null, 69, "/x?u=http://y/z")]
        public void Urls_parse_with_their_defaults(string rule, string url, ProfileRuleScheme scheme, string? host, int port, string path)
        {
            var r = Eval(rule, ("D", "dd"), ("E", "ee"));
            Assert.Equal(url, r.Url);
            Assert.Equal(scheme, r.Scheme);
            Assert.Equal(host, r.Host);
            Assert.Equal(port, r.Port);
            Assert.Equal(path, r.Path);
            Assert.Equal(1, r.AlternativeIndex);
            Assert.Null(r.Condition);
        }

        [Fact]
        public void A_server_less_url_takes_the_dhcp_server_when_given()
        {
            var r = ProfileRule.Parse("/spa$PSN.cfg").Evaluate(Phone(), "192.168.1.200");
            Assert.Equal("tftp://192.168.1.200/spa2102.cfg", r.Url);
            Assert.Equal("192.168.1.200", r.Host);
        }

        [Fact]
        public void Register_timer_example_chooses_by_condition()
        {
            const string rule = "($PRVTMR ge 600)? http://p.tel.com/has-reg.cfg | [--post a] http://p.tel.com/lost-reg?";
            var first = Eval(rule, ("PRVTMR", "600"));
            Assert.Equal("http://p.tel.com/has-reg.cfg", first.Url);
            Assert.Equal(1, first.AlternativeIndex);
            Assert.Equal("$PRVTMR ge 600", first.Condition);
            Assert.Null(first.Post);
            var second = Eval(rule, ("PRVTMR", "599"));
            Assert.Equal("http://p.tel.com/lost-reg?", second.Url);
            Assert.Equal(2, second.AlternativeIndex);
            Assert.Equal("a", second.Post);
            Assert.Null(second.Condition);
        }

        [Theory]
        [InlineData("0", "http://p.tel.com/has-reg.cfg")]
        [InlineData("31", "http://p.tel.com/lost-reg?")]
        public void Spa_register_example(string regtmr, string url) =>
            Assert.Equal(url, Eval("($REGTMR1 eq 0)? http://p.tel.com/has-reg.cfg | [--post a] http://p.tel.com/lost-reg?", ("REGTMR1", regtmr)).Url);

        [Theory]
        [InlineData("Installed", "https://p.tel.com/config?")]
        [InlineData("Not Installed", "https://p.tel.com/config?cisco000E08012345")]
        public void Client_certificate_example(string ccert, string url) =>
            Assert.Equal(url, Eval("(\"$CCERT\" eq \"Installed\")? https://p.tel.com/config? | https://p.tel.com/config?cisco$MAU", ("CCERT", ccert)).Url);

        [Fact]
        public void Provisioned_example_assigns_only_when_its_alternative_is_chosen()
        {
            const string rule = "(\"$A\" ne \"Provisioned\")? (Line_Enable_1_ = \"No\";)! https://p.tel.com/init-prov | https://p.tel.com/configs";
            var fresh = Eval(rule);
            Assert.Equal("https://p.tel.com/init-prov", fresh.Url);
            Assert.Equal("No", fresh.Assignments["Line_Enable_1_"]);
            var done = Eval(rule, ("A", "Provisioned"));
            Assert.Equal("https://p.tel.com/configs", done.Url);
            Assert.Empty(done.Assignments);
            Assert.Equal(2, done.AlternativeIndex);
        }

        [Fact]
        public void Alias_example()
        {
            var r = Eval("[--alias b] https://p.tel.com/account/$PN$MA.xml");
            Assert.Equal("https://p.tel.com/account/SPA2102000e08012345.xml", r.Url);
            Assert.Equal("b", r.Alias);
            Assert.False(r.HasKey);
        }

        [Fact]
        public void Assignment_example_expands_values_in_order_and_feeds_the_url()
        {
            var r = Eval("( User_ID_1_ = \"uid$B\" ; c = \"\" ; d = \"$MA\" ; )! http://h/$UID1/$D/x$(C)x.cfg", ("B", "42"), ("C", "old"));
            Assert.Equal("uid42", r.Assignments["User_ID_1_"]);
            Assert.Equal("", r.Assignments["GPP_C"]);
            Assert.Equal("000e08012345", r.Assignments["GPP_D"]);
            Assert.Equal("http://h/uid42/000e08012345/xx.cfg", r.Url);
        }

        [Fact]
        public void An_alternative_may_only_assign()
        {
            var r = Eval("($A eq 1)? (b = \"x\";)! | http://h/y");
            Assert.Equal("http://h/y", r.Url);
            Assert.Equal(2, r.AlternativeIndex);
            r = Eval("($A eq 1)? (b = \"x\";)! | http://h/y", ("A", "1"));
            Assert.Null(r.Url);
            Assert.Null(r.Scheme);
            Assert.Equal(1, r.AlternativeIndex);
            Assert.Equal("x", r.Assignments["GPP_B"]);
        }

        [Fact]
        public void When_no_alternative_qualifies_the_rule_is_skipped()
        {
            var r = Eval("($PRVTMR gt 10)? http://h/a", ("PRVTMR", "3"));
            Assert.Equal(0, r.AlternativeIndex);
            Assert.Null(r.Url);
            Assert.Equal("", r.ToString());
        }

        [Theory]
        [InlineData("# Profile_Rule disabled [--key x] http://h/a")]
        [InlineData("   #x")]
        [InlineData("")]
        [InlineData("   ")]
        public void Comments_and_empty_rules_have_nothing_to_evaluate(string text)
        {
            var rule = ProfileRule.Parse(text);
            Assert.True(rule.IsEmpty);
            Assert.Equal(text.TrimStart().StartsWith("#"), rule.IsComment);
            Assert.Equal(0, rule.Evaluate(Phone()).AlternativeIndex);
        }

        [Fact]
        public void A_comment_after_the_last_url_runs_to_the_end() =>
            Assert.Equal("http://h/a", Eval("http://h/a   # the | rest is ignored").Url);

        // §2.2 options
        [Fact]
        public void Key_and_post_with_a_secret_gpp()
        {
            var r = Eval("[--key \"$SB\" --post g] http://h/$SB/x.cfg", ("GPP_SB", "Sym metric"));
            Assert.Equal("Sym metric", Plain(r.Key));
            Assert.True(r.HasKey);
            Assert.True(r.Key!.IsReadOnly());
            Assert.Equal("g", r.Post);
            Assert.Equal("http://h/$SB/x.cfg", r.Url);
        }

        [Theory]
        [InlineData("[--post j --alias k] http://h/x", null, "j", "k")]
        [InlineData("[--key \"SymmetricSecret\" --alias a] http://h/x", "SymmetricSecret", null, "a")]
        [InlineData("[--alias a --key abracadabra321 --post c] http://h/x", "abracadabra321", "c", "a")]
        [InlineData("[--key $$ecret$$]http://h/x", "$ecret$", null, null)]
        public void Documented_option_combinations(string rule, string? key, string? post, string? alias)
        {
            var r = Eval(rule);
            Assert.Equal("http://h/x", r.Url);
            Assert.Equal(key != null, r.HasKey);
            if (key != null) Assert.Equal(key, Plain(r.Key));
            Assert.Equal(post, r.Post);
            Assert.Equal(alias, r.Alias);
        }

        [Fact]
        public void Uid_and_pwd_answer_http_challenges_and_expand_secret_gpps()
        {
            var r = Eval("[--uid $SA --pwd \"$SB x\"]http://h/?mac=$MA", ("SA", "admin"), ("SB", "p4ss"));
            Assert.Equal("admin", r.UserName);
            Assert.Equal("p4ss x", Plain(r.Password));
            Assert.True(r.HasPassword);
            Assert.Equal("http://h/?mac=000e08012345", r.Url);
        }

        [Fact]
        public void Flags_srv_delta_status()
        {
            var r = Eval("[--srv] https://example.com/$MA.xml");
            Assert.True(r.Srv);
            r = Eval("[--delta --status] http://report.example.com/$MA");
            Assert.True(r.Delta);
            Assert.True(r.Status);
            Assert.False(r.Srv);
        }

        [Fact]
        public void The_parsed_model_describes_the_rule()
        {
            var rule = ProfileRule.Parse("($SWVER ge 2.0.6)? (b = \"x\";)! [--key k --post c] http://h/a | /b.cfg");
            Assert.Equal(2, rule.Alternatives.Count);
            var first = rule.Alternatives[0];
            Assert.Equal(1, first.Position);
            Assert.Equal("$SWVER ge 2.0.6", first.Condition!.Text);
            Assert.Equal(ComparisonOperator.GreaterOrEqual, first.Condition.Comparisons[0].Operator);
            Assert.Equal("GPP_B", first.Assignments[0].ParameterName);
            Assert.True(first.Options.HasKey);
            Assert.Equal("c", first.Options.Post);
            Assert.Equal("http://h/a", first.UrlTemplate);
            Assert.Equal(51, first.UrlPosition);
            Assert.Null(rule.Alternatives[1].Condition);
            Assert.Equal("/b.cfg", rule.Alternatives[1].UrlTemplate);
        }

        [Fact]
        public void Missing_macros_are_reported_once()
        {
            var r = Eval("($PRVST eq \"$PRVST\")? http://$SERV/$IP/$IP.cfg | /x");
            Assert.Equal(new[] { "PRVST", "SERV", "IP" }, r.Missing);
        }

        // §6.3 syslog messages
        [Fact]
        public void Resync_request_log_message_from_the_chosen_url()
        {
            var phone = new MacroContext(MacAddress.Parse("00:0e:08:ab:cd:ef"), null, "CP-7832-3PCC");
            var request = ProfileRule.Parse("tftp://192.168.1.200/basic.txt").Evaluate(phone);
            var context = ResyncLogMessages.RequestContext(phone, request);
            Assert.Equal("CP-7832-3PCC 00:0e:08:ab:cd:ef -- Requesting resync TFTP://192.168.1.200:69/basic.txt",
                MacroExpander.Expand(ResyncLogMessages.ResyncRequest, context).Text);
            var failed = ResyncLogMessages.RequestContext(phone, request, error: "file not found");
            Assert.Equal("CP-7832-3PCC 00:0e:08:ab:cd:ef -- Resync failed: file not found", MacroExpander.Expand(ResyncLogMessages.MppDefaults["Log_Failure_Msg"], failed).Text);
            var https = ProfileRule.Parse("https://prov.example.com:8443/a/$MA.xml").Evaluate(phone);
            Assert.Equal("CP-7832-3PCC 00:0e:08:ab:cd:ef -- Successful upgrade HTTPS://192.0.2.7:8443/a/000e08abcdef.xml -- ok",
                MacroExpander.Expand(ResyncLogMessages.SpaDefaults["Log_Upgrade_Success_Msg"], ResyncLogMessages.RequestContext(phone, https, "192.0.2.7", "ok")).Text);
            Assert.Equal("prov.example.com", MacroExpander.Expand("$SERV", ResyncLogMessages.RequestContext(phone, https)).Text);
        }
    }
}
