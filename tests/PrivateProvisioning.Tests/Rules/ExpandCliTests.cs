using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Rules
{
    /// <summary>pprov expand end to end: text and --json output, CSV batches, exit codes, and secrets kept out of every stream.</summary>
    public class ExpandCliTests
    {
        private static string Phones => Path.Combine(TestPaths.Examples, "phones.csv");

        private static string[] Lines(string text) => text.Replace("\r", "").TrimEnd('\n').Split('\n');

        [Fact]
        public void Prints_the_url_for_one_phone()
        {
            var r = ProcessRunner.Pprov("expand", "tftp://prov.example.com/$B/$MA.cfg", "--mac", "00:0E:08:AB:CD:EF", "--var", "B=site7");
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Equal("tftp://prov.example.com/site7/000e08abcdef.cfg\n", r.StdOut.Replace("\r", ""));
            Assert.Equal("", r.StdErr);
        }

        [Fact]
        public void The_readme_expand_command_expands_every_shipped_phone()
        {
            // The same arguments as README.md's Rules usage.
            var r = ProcessRunner.Pprov(new[] { "expand", "tftp://prov.example.com/$B/$PSN/$MA.cfg", "--from-csv", "examples/phones.csv" }, null, TestPaths.RepoRoot);
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Equal(new[]
            {
                "tftp://prov.example.com/site7/2102/000e08abcdef.cfg",
                "tftp://prov.example.com/site7/502G/000e08abcdf0.cfg",
                "tftp://prov.example.com/hq/8851-3PCC/000e08abcdf1.cfg",
                "tftp://prov.example.com/hq/7832-3PCC/000e08abcdf2.cfg",
            }, Lines(r.StdOut));
            Assert.Contains("dotnet run --project src/pprov -- expand 'tftp://prov.example.com/$B/$PSN/$MA.cfg' --from-csv examples/phones.csv",
                File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "README.md")));
        }

        [Fact]
        public void Json_carries_the_fields_and_shows_the_key_only_as_true()
        {
            var r = ProcessRunner.Pprov("expand", "($PRVTMR ge 600)? (d = \"$MA\";)! [--key \"TopSecret9\" --uid bob --pwd Hunter22 --post c] http://prov.example.com:8080/p/$D.cfg | /x",
                "--mac", "000e.08ab.cdef", "--serial", "88012BA01234", "--product", "SPA2102", "--var", "PRVTMR=601", "--json");
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.DoesNotContain("TopSecret9", r.StdOut + r.StdErr);
            Assert.DoesNotContain("Hunter22", r.StdOut + r.StdErr);
            var lines = Lines(r.StdOut);
            Assert.Single(lines);
            var json = JsonDocument.Parse(lines[0]).RootElement;
            Assert.Equal("http://prov.example.com:8080/p/000e08abcdef.cfg", json.GetProperty("url").GetString());
            Assert.Equal("http", json.GetProperty("scheme").GetString());
            Assert.Equal("prov.example.com", json.GetProperty("host").GetString());
            Assert.Equal(8080, json.GetProperty("port").GetInt32());
            Assert.Equal("/p/000e08abcdef.cfg", json.GetProperty("path").GetString());
            Assert.True(json.GetProperty("key").GetBoolean());
            Assert.True(json.GetProperty("password").GetBoolean());
            Assert.Equal("bob", json.GetProperty("userName").GetString());
            Assert.Equal("c", json.GetProperty("post").GetString());
            Assert.Equal(1, json.GetProperty("alternative").GetInt32());
            Assert.Equal("$PRVTMR ge 600", json.GetProperty("condition").GetString());
            Assert.Equal("000e08abcdef", json.GetProperty("assignments").GetProperty("GPP_D").GetString());
            Assert.Equal("00:0e:08:ab:cd:ef", json.GetProperty("macAddress").GetString());
            Assert.Contains("--key *** --uid bob --pwd ***", json.GetProperty("rule").GetString());
        }

        [Fact]
        public void A_secret_gpp_comes_from_the_environment_and_never_shows()
        {
            var env = new Dictionary<string, string> { ["PPROV_TEST_KEY"] = "EnvSecret77" };
            var r = ProcessRunner.Pprov(new[] { "expand", "[--key $SA] https://h/$MA.xml", "--mac", "000E08ABCDEF", "--secret-env", "SA=PPROV_TEST_KEY", "--json" }, env);
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.DoesNotContain("EnvSecret77", r.StdOut + r.StdErr);
            Assert.Contains("\"key\":true", r.StdOut);
            Assert.Contains("\"missing\":[]", r.StdOut);
        }

        [Fact]
        public void A_malformed_rule_fails_with_its_position_and_no_key()
        {
            var r = ProcessRunner.Pprov("expand", "[--key Sesame123] http://h/$(MA.cfg", "--mac", "000E08ABCDEF");
            Assert.Equal(1, r.ExitCode);
            Assert.Equal("", r.StdOut);
            Assert.Contains("pprov: Rule '[--key ***] http://h/$(MA.cfg' at position 28: '$(' is not closed by ')'.", r.StdErr);
            Assert.DoesNotContain("Sesame123", r.StdErr);
            Assert.DoesNotContain("   at ", r.StdErr); // no stack trace
        }

        [Theory]
        [InlineData("--mac", "00:0E:08:AB:CD", "is not a MAC address")]
        [InlineData("--var", "NOEQUALS", "is not NAME=VALUE")]
        [InlineData("--secret-env", "XX=HOME", "is not NAME=VARIABLE")]
        [InlineData("--frobnicate", "x", "frobnicate")]
        public void A_wrong_command_line_exits_2(string option, string value, string message)
        {
            var r = ProcessRunner.Pprov("expand", "/$MA.cfg", option, value);
            Assert.Equal(2, r.ExitCode);
            Assert.Contains(message, r.StdErr);
        }

        [Fact]
        public void A_skipped_rule_prints_an_empty_line_and_says_why()
        {
            var r = ProcessRunner.Pprov("expand", "($PRVTMR gt 600)? http://h/a", "--var", "PRVTMR=5");
            Assert.Equal(0, r.ExitCode);
            Assert.Equal("\n", r.StdOut.Replace("\r", ""));
            Assert.Contains("no alternative's condition holds", r.StdErr);
        }

        [Fact]
        public void Csv_rows_expand_one_line_each_and_a_bad_row_does_not_stop_the_others()
        {
            using var dir = new TempDirectory();
            var csv = dir.File("phones.csv");
            File.WriteAllText(csv, "\uFEFFMAC,SN,Model,B,PRVTMR\r\n" +
                                   "00:0E:08:AB:CD:EF,S1,SPA2102,\"site, 7\",700\r\n" +
                                   "not-a-mac,S2,SPA2102,x,700\r\n" +
                                   "000E08ABCDF0,S3,SPA112,y,abc\r\n" +
                                   "000E08ABCDF1,S4,SPA112,z,700,extra\r\n" +
                                   "\r\n" +
                                   "000E08ABCDF2,S5,CP-8851-3PCC,\"q\"\"t\",1\r\n");
            var r = ProcessRunner.Pprov("expand", "($PRVTMR ge 600)? http://h/$B/$PSN/$MA.cfg | /$SN.cfg", "--from-csv", csv);
            Assert.Equal(1, r.ExitCode);
            Assert.Equal(new[] { "http://h/site, 7/2102/000e08abcdef.cfg", "/S5.cfg" }, Lines(r.StdOut));
            var errors = Lines(r.StdErr);
            Assert.Contains(errors, e => e.StartsWith($"pprov: {csv} row 2 (line 3): MAC address 'not-a-mac' is not a MAC address"));
            Assert.Contains(errors, e => e.StartsWith($"pprov: {csv} row 3 (line 4): Rule '") && e.Contains("at position 2:") && e.Contains("'abc' (from $PRVTMR)"));
            Assert.Contains(errors, e => e == $"pprov: {csv} row 4 (line 5): the record has 6 field(s) but the header has 5; quote fields that contain commas.");
        }

        [Fact]
        public void Csv_rows_as_json_carry_their_row_numbers()
        {
            var r = ProcessRunner.Pprov("expand", "[--alias b] https://p.tel.com/account/$PN$MA.xml", "--from-csv", Phones, "--json");
            Assert.True(r.ExitCode == 0, r.ToString());
            var rows = Lines(r.StdOut).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(new[] { 1, 2, 3, 4 }, rows.Select(j => j.GetProperty("row").GetInt32()));
            Assert.Equal("https://p.tel.com/account/CP-8851-3PCC000e08abcdf1.xml", rows[2].GetProperty("url").GetString());
            Assert.All(rows, j => Assert.Equal("b", j.GetProperty("alias").GetString()));
            Assert.All(rows, j => Assert.False(j.GetProperty("key").GetBoolean()));
        }

        [Fact]
        public void Version_conditions_over_the_example_csv()
        {
            var r = ProcessRunner.Pprov("expand", "($SWVER ge 2.0.6)? http://h/new/$MA.cfg | http://h/old/$MA.cfg", "--from-csv", Phones);
            Assert.Equal(1, r.ExitCode); // the MPP rows carry MPP load names, which do not compare with 2.0.6
            Assert.Equal(new[] { "http://h/new/000e08abcdef.cfg", "http://h/new/000e08abcdf0.cfg" }, Lines(r.StdOut));
            Assert.Contains("row 3", r.StdErr);
            Assert.Contains("a version compares only with one written the same way", r.StdErr);
        }

        [Fact]
        public void A_missing_csv_file_fails_cleanly()
        {
            var r = ProcessRunner.Pprov("expand", "/$MA.cfg", "--from-csv", "/nonexistent/phones.csv");
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("Cannot read the CSV file '/nonexistent/phones.csv'", r.StdErr);
        }

        [Fact]
        public void Csv_identity_flags_are_refused_with_from_csv()
        {
            var r = ProcessRunner.Pprov("expand", "/$MA.cfg", "--from-csv", Phones, "--mac", "000E08ABCDEF");
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("come from the CSV columns", r.StdErr);
        }
    }
}
