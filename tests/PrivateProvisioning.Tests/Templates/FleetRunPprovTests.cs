using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using PrivateProvisioning.Tests.Security;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Templates
{
    /// <summary>
    /// The nightly job as cron runs it: a mixed list of every family in one pprov run, signed and encrypted copies
    /// made by pprov protect, then phones retired from the list and pruned, with the safety an admin expects.
    /// </summary>
    public class FleetRunPprovTests
    {
        private const string Header = "MacAddress,Format,Model,Group,Template,UserId,Password,DisplayName,Extension,SipServer";
        private static readonly string[] Models = { "SPA504G", "CP-7965G", "KX-HDV230", "", "Linphone Android" };

        /// <summary>Row i of the fleet: families in turn, from the Model column (the PrivateWave rows from their Format column).</summary>
        internal static string Row(int i, string? template = null)
        {
            int family = i % 5;
            var mac = "00:0E:08:" + (i >> 8).ToString("X2", CultureInfo.InvariantCulture) + ":" + (i & 0xFF).ToString("X2", CultureInfo.InvariantCulture) + ":" + family.ToString("X2", CultureInfo.InvariantCulture);
            var format = family == 3 ? "PrivateWave" : "";
            var group = family >= 3 ? "mobile" : "sales";
            return $"{mac},{format},{Models[family]},{group},{template},u{i},pw-{i},User {i},{1000 + i},pbx.example.com";
        }

        internal const int Fleet = 300;
        /// <summary>A Cisco 7965 whose certificate is in the vectors: its file is also encrypted (.enc.sgn + stub .sgn).</summary>
        internal const string EncryptedPhone = "00:11:22:33:44:55,CiscoSep,CP-7965G,sales,,u9001,pw-9001,Encrypted,9001,pbx.example.com";
        internal const string UnknownModel = "00:0E:08:FF:00:01,,Nokia 6310,sales,,u9002,pw-9002,Unknown,9002,pbx.example.com";
        internal const string NoFamily = "00:0E:08:FF:00:02,,,sales,,u9003,pw-9003,Nobody,9003,pbx.example.com";

        internal static string Csv(IEnumerable<string> rows) => Header + "\n" + string.Join("\n", rows) + "\n";

        private sealed class Job : IDisposable
        {
            public readonly TempDirectory Dir = new TempDirectory();
            public string Out => Dir.File("out");
            public Dictionary<string, string> Env => new() { ["PRIVATEPROVISIONING_STORE"] = "", ["XDG_STATE_HOME"] = Dir.File("state"), ["XDG_CACHE_HOME"] = Dir.File("cache") };

            public ProcessResult Generate(string csv, params string[] extra)
            {
                File.WriteAllText(Dir.File("accounts.csv"), csv);
                return ProcessRunner.Pprov(new[] { "generate", "--accounts", Dir.File("accounts.csv"), "--out", Out, "--store", Path.Combine(TestPaths.Examples, "store") }.Concat(extra), Env);
            }

            public ProcessResult Pprov(params string[] args) => ProcessRunner.Pprov(args, Env);

            public SortedSet<string> Tree() => new SortedSet<string>(Directory.GetFiles(Out, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Out, f)), StringComparer.Ordinal);

            public void Dispose() => Dir.Dispose();
        }

        private static JsonElement Summary(ProcessResult r) =>
            JsonDocument.Parse(r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement.GetProperty("summary");

        private static List<JsonElement> Removed(ProcessResult r) => r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement).Where(e => e.TryGetProperty("status", out var s) && s.GetString() == "Removed").ToList();

        [Fact]
        public void A_mixed_fleet_is_generated_in_one_run_and_retired_phones_are_pruned_with_their_copies_only()
        {
            using var job = new Job();
            var rows = Enumerable.Range(0, Fleet).Select(i => Row(i)).Append(EncryptedPhone).Append(UnknownModel).Append(NoFamily).ToList();
            var r = job.Generate(Csv(rows), "--json");
            Assert.True(r.ExitCode == 1, r.ToString());
            Assert.Contains($"Row {Fleet + 2}, column 'Model': 'Nokia 6310' is not in the model catalogue; give the row a Format (CiscoSpa, CiscoSep, Panasonic, PrivateWave, Linphone)", r.StdErr);
            Assert.Contains($"Row {Fleet + 3}, column 'Format': the row names neither a Format nor a Model", r.StdErr);
            var summary = Summary(r);
            Assert.Equal(Fleet + 1, summary.GetProperty("created").GetInt32());
            Assert.Equal(2, summary.GetProperty("failed").GetInt32());
            Assert.Equal(1, summary.GetProperty("exitCode").GetInt32());
            // Each family under its own name, side by side.
            var tree = job.Tree();
            Assert.Contains("000e08000000.xml", tree);
            Assert.Contains("SEP000E08000101.cnf.xml", tree);
            Assert.Contains("Config000E08000202.cfg", tree);
            Assert.Contains("000e08000303.json", tree);
            Assert.Contains("linphone-000e08000404.xml", tree);
            Assert.Equal(Fleet + 1, tree.Count);
            Assert.Contains("<Display_Name_1_>User 0</Display_Name_1_>", File.ReadAllText(Path.Combine(job.Out, "000e08000000.xml")));
            // The record lives in the user's state folder, not in the served one.
            Assert.Single(Directory.GetFiles(Path.Combine(job.Dir.File("state"), "pprov"), "written-*.tsv"));

            // The protection step: every Cisco enterprise file signed, one encrypted for its phone, the SPA files gzipped.
            var sep = tree.Where(n => n.StartsWith("SEP", StringComparison.Ordinal)).Select(n => Path.Combine(job.Out, n)).ToArray();
            r = job.Pprov(new[] { "protect", "--sign", CiscoVectors.Asterisk }.Concat(sep).ToArray());
            Assert.True(r.ExitCode == 0, r.ToString());
            r = job.Pprov("protect", "--sign", CiscoVectors.Asterisk, "--phone-cert", CiscoVectors.Phone, Path.Combine(job.Out, "SEP001122334455.cnf.xml"));
            Assert.True(r.ExitCode == 0, r.ToString());
            var spa = tree.Where(n => n.EndsWith(".xml", StringComparison.Ordinal) && !n.StartsWith("SEP", StringComparison.Ordinal) && !n.StartsWith("linphone", StringComparison.Ordinal)).Select(n => Path.Combine(job.Out, n)).ToArray();
            r = job.Pprov(new[] { "protect", "--gzip" }.Concat(spa).ToArray());
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.True(File.Exists(Path.Combine(job.Out, "SEP001122334455.cnf.xml.enc.sgn")));
            Assert.True(File.Exists(Path.Combine(job.Out, "000e08000000.xml.gz")));

            // Files that are not ours: a note, a file named like a phone's, a backup beside a phone that will retire.
            File.WriteAllText(Path.Combine(job.Out, "notes.txt"), "ours, not pprov's");
            File.WriteAllText(Path.Combine(job.Out, "000e08aaaaaa.xml"), "<flat-profile/>");
            File.WriteAllText(Path.Combine(job.Out, "000e08000000.xml.bak"), "a hand-made backup");
            // A retired phone's file someone edited since: no longer ours.
            File.AppendAllText(Path.Combine(job.Out, "Config000E08000702.cfg"), "# edited by hand\r\n");
            var before = job.Tree();

            // Retire one phone of each family, the encrypted phone and the hand-edited one; row 10 now fails (unknown template).
            var retired = new[] { 0, 6, 7, 13, 19, 24 };
            var next = Enumerable.Range(0, Fleet).Where(i => !retired.Contains(i)).Select(i => i == 10 ? Row(i, template: "no-such-template") : Row(i))
                .Append(UnknownModel).Append(NoFamily).ToList();
            var failingFile = Path.Combine(job.Out, "000e08000a00.xml");
            var failingBytes = File.ReadAllBytes(failingFile);

            // --what-if lists, removes nothing.
            r = job.Generate(Csv(next), "--prune", "--what-if", "--json");
            Assert.Equal(before, job.Tree());
            var wouldGo = Removed(r).Select(e => Path.GetRelativePath(job.Out, e.GetProperty("path").GetString()!)).ToList();
            Assert.All(Removed(r), e => Assert.True(e.GetProperty("whatIf").GetBoolean()));

            r = job.Generate(Csv(next), "--prune", "--json");
            Assert.True(r.ExitCode == 1, r.ToString());
            Assert.Contains($"Row {next.FindIndex(row => row.Contains(",u10,", StringComparison.Ordinal)) + 1}, column 'Template'", r.StdErr);
            Assert.Contains("Config000E08000702.cfg' of retired phone 00:0E:08:00:07:02 has changed since we wrote it; left alone", r.StdErr);
            var expectedGone = new[]
            {
                "000e08000000.xml", "000e08000000.xml.gz",
                "SEP000E08000601.cnf.xml", "SEP000E08000601.cnf.xml.sgn",
                "000e08000d03.json", "linphone-000e08001304.xml", "linphone-000e08001804.xml",
                "SEP001122334455.cnf.xml", "SEP001122334455.cnf.xml.sgn", "SEP001122334455.cnf.xml.enc.sgn",
            };
            var gone = before.Except(job.Tree()).ToList();
            Assert.Equal(expectedGone.OrderBy(n => n, StringComparer.Ordinal), gone.OrderBy(n => n, StringComparer.Ordinal));
            Assert.Equal(expectedGone.OrderBy(n => n, StringComparer.Ordinal), wouldGo.Where(n => n != "Config000E08000702.cfg").OrderBy(n => n, StringComparer.Ordinal));
            var removed = Removed(r);
            Assert.Equal(gone.Count, removed.Count);
            Assert.Contains(removed, e => e.GetProperty("macAddress").GetString() == "00:11:22:33:44:55" && e.GetProperty("path").GetString()!.EndsWith(".enc.sgn", StringComparison.Ordinal));
            summary = Summary(r);
            Assert.Equal(gone.Count, summary.GetProperty("removed").GetInt32());
            Assert.Equal(3, summary.GetProperty("failed").GetInt32());
            // The failing row keeps its file; foreign and edited files stay.
            Assert.Equal(failingBytes, File.ReadAllBytes(failingFile));
            foreach (var kept in new[] { "notes.txt", "000e08aaaaaa.xml", "000e08000000.xml.bak", "Config000E08000702.cfg" })
                Assert.True(File.Exists(Path.Combine(job.Out, kept)), kept);

            // A second prune has nothing left to remove.
            r = job.Generate(Csv(next), "--prune", "--json");
            Assert.Equal(0, Summary(r).GetProperty("removed").GetInt32());
        }

        [Fact]
        public void A_truncated_list_does_not_wipe_the_fleet_without_force()
        {
            using var job = new Job();
            var rows = Enumerable.Range(0, 40).Select(i => Row(i)).ToList();
            Assert.Equal(0, job.Generate(Csv(rows)).ExitCode);
            var before = job.Tree();

            // 8 of 40 phones (20%) missing: more than the 10% threshold.
            var r = job.Generate(Csv(rows.Take(32)), "--prune");
            Assert.True(r.ExitCode == 1, r.ToString());
            Assert.Contains("Nothing was pruned: 8 of the 40 recorded phones are not in the list, more than the threshold of 10% (4)", r.StdErr);
            Assert.Contains("32 unchanged, 0 failed, 0 removed", r.StdOut);
            Assert.Equal(before, job.Tree());

            // --what-if says the prune would be refused and still lists what a forced one would remove.
            r = job.Generate(Csv(rows.Take(32)), "--prune", "--what-if");
            Assert.True(r.ExitCode == 1, r.ToString());
            Assert.Contains("Nothing would be pruned: 8 of the 40 recorded phones are not in the list", r.StdErr);
            Assert.Contains("The 8 files listed are what a forced prune would remove.", r.StdErr);
            var listed = r.StdOut.Split('\n').Where(l => l.StartsWith("would be Removed", StringComparison.Ordinal)).ToList();
            Assert.Equal(8, listed.Count);
            Assert.All(listed, l => Assert.EndsWith("(only with --force)", l));
            Assert.Contains(listed, l => l.Contains(Path.Combine(job.Out, "linphone-000e08002204.xml"), StringComparison.Ordinal));
            r = job.Generate(Csv(rows.Take(32)), "--prune", "--what-if", "--json");
            var wouldGo = Removed(r);
            Assert.Equal(8, wouldGo.Count);
            Assert.All(wouldGo, e => Assert.True(e.GetProperty("needsForce").GetBoolean() && e.GetProperty("whatIf").GetBoolean()));
            Assert.True(Summary(r).GetProperty("pruneRefused").GetBoolean());
            Assert.Equal(0, Summary(r).GetProperty("removed").GetInt32());
            Assert.Equal(before, job.Tree());
            // Forced, --what-if lists the same files without the caveat.
            r = job.Generate(Csv(rows.Take(32)), "--prune", "--what-if", "--force", "--json");
            Assert.Equal(wouldGo.Select(e => e.GetProperty("path").GetString()), Removed(r).Select(e => e.GetProperty("path").GetString()));
            Assert.All(Removed(r), e => Assert.False(e.GetProperty("needsForce").GetBoolean()));
            Assert.Equal(before, job.Tree());

            // A higher threshold, or --force, lets it through.
            r = job.Generate(Csv(rows.Take(32)), "--prune", "--prune-threshold", "25");
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Contains("8 removed", r.StdOut);
            Assert.Equal(32, job.Tree().Count);
            r = job.Generate(Csv(rows.Take(1)), "--prune", "--force");
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Single(job.Tree());

            // Nothing in the list: nothing done.
            r = job.Generate(Header + "\n");
            Assert.Equal(2, r.ExitCode);
        }

        [Fact]
        public void A_row_without_a_readable_MAC_stops_the_prune()
        {
            using var job = new Job();
            var rows = Enumerable.Range(0, 20).Select(i => Row(i)).ToList();
            Assert.Equal(0, job.Generate(Csv(rows)).ExitCode);
            var next = rows.Skip(1).Select((row, i) => i == 4 ? "not-a-mac" + row.Substring(row.IndexOf(',')) : row).ToList();
            var r = job.Generate(Csv(next), "--prune");
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("Nothing was pruned: row 5 has no readable MAC address", r.StdErr);
            Assert.Equal(20, job.Tree().Count);
        }

        [Fact]
        public void One_format_asked_for_makes_rows_of_other_families_errors_unless_skipped()
        {
            using var job = new Job();
            var rows = Enumerable.Range(0, 10).Select(i => Row(i)).ToList();
            var r = job.Generate(Csv(rows), "--format", "Panasonic");
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("Row 1, column 'Model': the phone is CiscoSpa, and this run generates Panasonic only", r.StdErr);
            Assert.Contains("2 created, 0 updated, 0 unchanged, 8 failed", r.StdOut);
            r = job.Generate(Csv(rows), "--format", "Panasonic", "--skip-other-formats");
            Assert.Equal(0, r.ExitCode);
            Assert.Contains("0 created, 0 updated, 2 unchanged, 0 failed, 0 removed, 8 rows of other formats skipped", r.StdOut);
            r = job.Generate(Csv(rows), "--skip-other-formats");
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("needs a format", r.StdErr);
        }
    }
}
