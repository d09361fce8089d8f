using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Templates
{
    /// <summary>pprov template/group/generate end to end, as a cron job or CI would run them.</summary>
    public class GeneratePprovTests
    {
        private static readonly Dictionary<string, string> NoStoreEnv = new() { ["PRIVATEPROVISIONING_STORE"] = "" };

        private static ProcessResult Pprov(params string[] args) => ProcessRunner.Pprov(args, NoStoreEnv);

        [Fact]
        public void Templates_and_groups_are_managed_from_the_command_line()
        {
            using var dir = new TempDirectory();
            var store = dir.File("store");
            var r = Pprov("template", "new", "office", "--store", store, "--description", "Desk phones", "--set", "Pin=mandatory", "--set", "PinCacheTimeout=300",
                "--param", "CiscoSpa:Resync_Periodic=7200", "--param", "Panasonic:CFG_CYCLIC=Y");
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Equal(0, Pprov("template", "new", "office-tls", "--store", store, "--based-on", "office", "--set", "SipProxyPort=5061").ExitCode);
            Assert.Equal(0, Pprov("group", "set", "sales", "office", "--store", store).ExitCode);

            r = Pprov("template", "list", "off*", "--store", store, "--json");
            var names = r.StdOut.Split('\n', System.StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("name").GetString()).ToList();
            Assert.Equal(new[] { "office", "office-tls" }, names);

            r = Pprov("template", "show", "office-tls", "--resolved", "--store", store, "--json");
            var shown = JsonDocument.Parse(r.StdOut).RootElement;
            Assert.Equal("MANDATORY", shown.GetProperty("settings").GetProperty("Pin").GetString());
            Assert.Equal("7200", shown.GetProperty("parameters").GetProperty("CiscoSpa").GetProperty("Resync_Periodic").GetString());

            r = Pprov("template", "set", "office", "--store", store, "--unset", "PinCacheTimeout", "--set", "Pin=OPTIONAL");
            Assert.Equal(0, r.ExitCode);
            Assert.DoesNotContain("PinCacheTimeout", File.ReadAllText(Path.Combine(store, "templates", "office.json")));

            r = Pprov("template", "remove", "office", "--store", store);
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("still used by group(s) sales", r.StdErr);
            Assert.True(File.Exists(Path.Combine(store, "templates", "office.json")));
            Assert.Equal(1, Pprov("template", "remove", "default", "--store", store).ExitCode);
            r = Pprov("template", "remove", "office", "--force", "--store", store);
            Assert.Equal(0, r.ExitCode);
            Assert.Contains("group 'sales' now falls back to 'default'", r.StdErr);

            r = Pprov("group", "list", "--store", store);
            Assert.Equal("", r.StdOut.Trim());
        }

        [Fact]
        public void A_bad_setting_is_refused_with_exit_code_and_no_stack_trace()
        {
            using var dir = new TempDirectory();
            var r = Pprov("template", "new", "x", "--store", dir.Path, "--set", "PTime=25");
            Assert.NotEqual(0, r.ExitCode);
            Assert.Contains("setting PTime: 25 is not a multiple of 10", r.StdErr);
            Assert.DoesNotContain("   at ", r.StdErr);
            Assert.False(Directory.Exists(Path.Combine(dir.Path, "templates")));
        }

        [Fact]
        public void Generate_warns_about_a_group_without_a_template_even_when_stderr_is_redirected()
        {
            using var dir = new TempDirectory();
            File.WriteAllText(dir.File("accounts.csv"), "MAC,Group\n000E08000001,slaes\n000E08000002,slaes\n");
            var r = Pprov("generate", "--accounts", dir.File("accounts.csv"), "--format", "CiscoSpa", "--out", dir.File("out"), "--no-state");
            Assert.Equal(0, r.ExitCode);
            Assert.Single(r.StdErr.Split('\n'), l => l.Contains("warning: Group 'slaes' (row 1) has no template assigned"));
        }

        [Fact]
        public void Generate_writes_one_file_per_phone_reports_bad_rows_and_exits_1()
        {
            using var dir = new TempDirectory();
            var store = dir.File("store");
            Pprov("template", "new", "office", "--store", store, "--param", "CiscoSpa:Resync_Periodic=7200");
            Pprov("group", "set", "sales", "office", "--store", store);
            File.WriteAllText(dir.File("accounts.csv"),
                "MacAddress,Model,Group,UserId,Password,DisplayName,Extension,SipServer\r\n" +
                "00:0E:08:AB:CD:01,SPA504G,sales,u201,pw1,\"Rossi, Anna\",201,sip.example.net\r\n" +
                "00:0E:08:AB:CD:01,SPA504G,sales,u202,pw2,Dup,202,sip.example.net\r\n" +
                "00:0E:08:AB:CD:03,SPA504G,,u203,pw3,Bianchi,203,sip.example.net\r\n");
            var r = Pprov("generate", "--accounts", dir.File("accounts.csv"), "--format", "CiscoSpa", "--out", dir.File("out"), "--store", store, "--json");
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("Row 2, column 'MacAddress'", r.StdErr);
            Assert.DoesNotContain("pw2", r.StdErr);
            var lines = r.StdOut.Split('\n', System.StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            var results = lines.Where(l => l.TryGetProperty("path", out _)).ToList();
            Assert.Equal(2, results.Count);
            // The last line sums the run up for a scheduler.
            var summary = lines[^1].GetProperty("summary");
            Assert.Equal(2, summary.GetProperty("created").GetInt32());
            Assert.Equal(1, summary.GetProperty("failed").GetInt32());
            Assert.Equal(0, summary.GetProperty("removed").GetInt32());
            Assert.Equal(1, summary.GetProperty("exitCode").GetInt32());
            Assert.Equal("00:0E:08:AB:CD:01", results[0].GetProperty("macAddress").GetString());
            Assert.Equal("office", results[0].GetProperty("template").GetString());
            Assert.Equal("Created", results[0].GetProperty("status").GetString());
            Assert.Equal("default", results[1].GetProperty("template").GetString());
            var xml = File.ReadAllText(dir.File("out/000e08abcd01.xml"));
            Assert.Contains("<Resync_Periodic>7200</Resync_Periodic>", xml);
            Assert.Contains("<Display_Name_1_>Rossi, Anna</Display_Name_1_>", xml);

            // Run again: nothing changes; with --what-if after an edit: nothing written, changed parameters listed.
            r = Pprov("generate", "--accounts", dir.File("accounts.csv"), "--format", "CiscoSpa", "--out", dir.File("out"), "--store", store);
            Assert.Contains("0 created, 0 updated, 2 unchanged, 1 failed", r.StdOut);
            Pprov("template", "set", "office", "--store", store, "--param", "CiscoSpa:Resync_Periodic=3600");
            r = Pprov("generate", "--accounts", dir.File("accounts.csv"), "--format", "CiscoSpa", "--out", dir.File("out"), "--store", store, "--what-if");
            Assert.Contains("would be Updated", r.StdOut);
            Assert.Contains("(Resync_Periodic)", r.StdOut);
            Assert.Contains("<Resync_Periodic>7200</Resync_Periodic>", File.ReadAllText(dir.File("out/000e08abcd01.xml")));
        }

        [Fact]
        public void A_rerun_is_answered_from_the_state_in_the_users_cache_never_from_the_served_folder()
        {
            using var dir = new TempDirectory();
            var store = dir.File("store");
            Pprov("template", "new", "office", "--store", store, "--param", "CiscoSpa:Resync_Periodic=7200");
            Pprov("group", "set", "sales", "office", "--store", store);
            File.WriteAllText(dir.File("accounts.csv"), "MAC,Group,UserId,Password\n000E08ABCD01,sales,u1,pw1\n000E08ABCD02,,u2,pw2\n");
            var env = new Dictionary<string, string>(NoStoreEnv) { ["XDG_CACHE_HOME"] = dir.File("cache") };
            ProcessResult Generate(params string[] extra) => ProcessRunner.Pprov(new[] { "generate", "--accounts", dir.File("accounts.csv"), "--format", "CiscoSpa",
                "--out", dir.File("out"), "--store", store }.Concat(extra), env);

            Assert.Contains("2 created", Generate().StdOut);
            // The state and the run's memo (a re-run of the same file reads no row), both owner-only, in the cache.
            var kept = Directory.GetFiles(Path.Combine(dir.File("cache"), "pprov")).OrderBy(n => n, System.StringComparer.Ordinal).ToArray();
            Assert.Equal(2, kept.Length);
            Assert.EndsWith(".state", kept[0]);
            Assert.Equal(kept[0] + ".run", kept[1]);
            Assert.All(kept, f => Assert.Equal(System.IO.UnixFileMode.UserRead | System.IO.UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
            Assert.Equal(new[] { "000e08abcd01.xml", "000e08abcd02.xml" }, Directory.GetFiles(dir.File("out")).Select(Path.GetFileName).OrderBy(n => n));

            var r = Generate("--json");
            Assert.Equal(0, r.ExitCode);
            foreach (var line in r.StdOut.Split('\n', System.StringSplitOptions.RemoveEmptyEntries).SkipLast(1))
            {
                var result = JsonDocument.Parse(line).RootElement;
                Assert.Equal("Unchanged", result.GetProperty("status").GetString());
                var bytes = File.ReadAllBytes(result.GetProperty("path").GetString()!);
                Assert.Equal(System.Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), result.GetProperty("sha256").GetString());
            }

            Pprov("template", "set", "office", "--store", store, "--param", "CiscoSpa:Resync_Periodic=3600");
            Assert.Contains("0 created, 1 updated, 1 unchanged", Generate().StdOut);
            Assert.Contains("<Resync_Periodic>3600</Resync_Periodic>", File.ReadAllText(dir.File("out/000e08abcd01.xml")));

            // --no-state compares every file byte for byte; --state puts the state where the caller says.
            Directory.Delete(dir.File("cache"), true);
            Assert.Contains("2 unchanged", Generate("--no-state").StdOut);
            Assert.False(Directory.Exists(dir.File("cache")));
            Assert.Contains("2 unchanged", Generate("--state", dir.File("my.state")).StdOut);
            Assert.True(File.Exists(dir.File("my.state")));
        }

        [Fact]
        public void A_rerun_over_the_same_file_prints_what_reading_its_rows_prints_and_still_restores_a_touched_file()
        {
            using var dir = new TempDirectory();
            File.WriteAllText(dir.File("accounts.csv"), "MAC,UserId,Password\n000E08ABCD01,u1,pw1\n000E08ABCD02,u2,pw2\n000E08ABCD03,u3,pw3\n");
            ProcessResult Generate() => Pprov("generate", "--accounts", dir.File("accounts.csv"), "--format", "CiscoSpa", "--out", dir.File("out"),
                "--state", dir.File("gen.state"), "--json");
            static string[] Rows(ProcessResult r) => r.StdOut.Split('\n', System.StringSplitOptions.RemoveEmptyEntries).SkipLast(1).ToArray();

            Assert.Equal(0, Generate().ExitCode);
            Assert.True(File.Exists(dir.File("gen.state.run")));
            var replayed = Generate(); // answered from the memo: no row read
            Assert.Equal(0, replayed.ExitCode);
            File.Delete(dir.File("gen.state.run"));
            var read = Generate(); // every row read and checked against the state
            Assert.Equal(Rows(read), Rows(replayed));
            Assert.Equal(3, Rows(replayed).Length);
            Assert.All(Rows(replayed), line => Assert.Equal("Unchanged", JsonDocument.Parse(line).RootElement.GetProperty("status").GetString()));

            var touched = dir.File("out/000e08abcd02.xml");
            var original = File.ReadAllBytes(touched);
            System.Threading.Thread.Sleep(20);
            File.AppendAllText(touched, "<!-- edited -->");
            var restored = Generate();
            Assert.Equal(0, restored.ExitCode);
            Assert.Contains("\"status\":\"Updated\"", Rows(restored)[1]);
            Assert.Equal(original, File.ReadAllBytes(touched));
        }

        [Fact]
        public void A_CSV_row_and_a_store_template_reproduce_the_Cisco_known_answer_file_byte_for_byte()
        {
            using var dir = new TempDirectory();
            var store = dir.File("store");
            Directory.CreateDirectory(Path.Combine(store, "templates"));
            File.WriteAllText(Path.Combine(store, "templates", "office.json"),
                "{ \"name\": \"office\", \"parameters\": { \"CiscoSpa\": { \"Resync_On_Reset\": \"Yes\", \"Resync_Periodic\": \"3600\", " +
                "\"Resync_At__HHmm_\": \"0300\", \"Dial_Plan_1_\": \"(S0 <:18005551212>|[2-9]xxxxxxxxx)\", \"Voice_Mail_Number\": \"\" } } }");
            File.WriteAllText(dir.File("accounts.csv"),
                "MAC,Template,UserId,AuthId,Password,DisplayName,Extension,SipServer,Resync_Periodic,Station_Name,Voice_Mail_Number\n" +
                "000e.08ab.cdef,office,u201,a201,\"p<w&d\"\"'\",Jürgen & Co 📞,201,sip.example.net,7200,Front desk,\n");
            var r = Pprov("generate", "--accounts", dir.File("accounts.csv"), "--format", "CiscoSpa", "--out", dir.File("out"), "--store", store);
            Assert.True(r.ExitCode == 0, r.ToString());
            var expected = File.ReadAllBytes(Path.Combine(TestPaths.RepoRoot, "tests", "PrivateProvisioning.Tests", "Formats", "Expected", "CiscoSpa-000e08abcdef.xml"));
            Assert.Equal(System.Text.Encoding.UTF8.GetString(expected), File.ReadAllText(dir.File("out/000e08abcdef.xml")));
            Assert.Equal(expected, File.ReadAllBytes(dir.File("out/000e08abcdef.xml")));
        }

        [Fact]
        public void The_example_store_and_CSV_generate_every_family()
        {
            using var dir = new TempDirectory();
            var expected = new Dictionary<string, string>
            {
                ["CiscoSpa"] = "000e08abcd01.xml", ["CiscoSep"] = "SEP001E7A445566.cnf.xml", ["Panasonic"] = "Config0080F0C4D5E6.cfg",
                ["PrivateWave"] = "020000000a01.json", ["Linphone"] = "linphone-020000000a02.xml",
            };
            // One run, as the README's first command: each row in its own family, each family's own file names, one folder.
            var r = Pprov("generate", "--accounts", Path.Combine(TestPaths.Examples, "accounts.csv"), "--out", dir.File("all"), "--store", Path.Combine(TestPaths.Examples, "store"));
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Contains("8 created, 0 updated, 0 unchanged, 0 failed, 0 removed", r.StdOut);
            foreach (var kv in expected) Assert.True(File.Exists(Path.Combine(dir.File("all"), kv.Value)), kv.Value + "\n" + r);
            Assert.Equal(8, Directory.GetFiles(dir.File("all")).Length);
            // One family at a time, the others skipped on request: the same bytes as the one run.
            foreach (var kv in expected)
            {
                r = Pprov("generate", "--accounts", Path.Combine(TestPaths.Examples, "accounts.csv"), "--format", kv.Key, "--skip-other-formats",
                    "--out", dir.File(kv.Key), "--store", Path.Combine(TestPaths.Examples, "store"));
                Assert.True(r.ExitCode == 0, r.ToString());
                Assert.Equal(File.ReadAllBytes(Path.Combine(dir.File("all"), kv.Value)), File.ReadAllBytes(Path.Combine(dir.File(kv.Key), kv.Value)));
            }
            // The Panasonic reception phone names its own template, based on office: both layers reach the file.
            var panasonic = File.ReadAllText(Path.Combine(dir.File("Panasonic"), "Config0080F0C4D5E6.cfg"));
            Assert.Contains("CFG_RESYNC_TIME=\"03:15\"\r\n", panasonic);
            Assert.Contains("CFG_CYCLIC=\"Y\"\r\n", panasonic);
            Assert.Contains("\"MANDATORY\"", File.ReadAllText(Path.Combine(dir.File("PrivateWave"), "020000000a01.json")));
        }

        [Fact]
        public void Generate_refuses_a_wrong_command_line_with_exit_code_2()
        {
            using var dir = new TempDirectory();
            Assert.Equal(2, Pprov("generate", "--accounts", "x.csv").ExitCode);
            File.WriteAllText(dir.File("a.csv"), "MAC\n000E08000001\n");
            var r = Pprov("generate", "--accounts", dir.File("a.csv"), "--format", "Nokia", "--out", dir.File("out"));
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("'Nokia' is not a profile format", r.StdErr);
        }
    }
}
