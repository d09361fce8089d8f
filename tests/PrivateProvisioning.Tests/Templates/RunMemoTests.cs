using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Core.Templates;
using PrivateProvisioning.Core.Templates.Generation;
using PrivateProvisioning.Tests.Support;
using Xunit;
using UnixFileMode = System.IO.UnixFileMode;

namespace PrivateProvisioning.Tests.Templates
{
    /// <summary>
    /// A re-run over the same accounts file is answered from the last run's memo without reading a row; it must
    /// give exactly what reading the rows gives, and never when anything the files depend on changed.
    /// </summary>
    public class RunMemoTests
    {
        private const string Csv = "MAC,UserId,Password,DisplayName\n000E08000001,u1,p1,One\n000E08000002,u2,p2,Two\n000E08000003,u3,p3,Three\n";

        private sealed class Run
        {
            public List<GenerationOutcome> Outcomes = new();
            public bool Replayed;
            public GenerationSummary Summary = null!;
            public List<string> Warnings = new();
            public List<RemovedProfileFile> Removed = new();
            public WriteStatus[] Statuses => Outcomes.Where(o => o.Result != null).Select(o => o.Result!.Status).ToArray();
            /// <summary>What a user sees of each row: its number, status, path, phone, template and hash.</summary>
            public string[] Seen => Outcomes.Select(o => o.Result == null
                ? $"{o.RowNumber} error {o.Error?.Message}"
                : $"{o.RowNumber} {o.Result.Status} {o.Result.Path} {o.Result.MacAddress} {o.Result.Template} {o.Result.Sha256} {o.Result.Format}").ToArray();
        }

        private static string Memo(TempDirectory dir) => dir.File("gen.state.run");

        private static Run Generate(TempDirectory dir, TemplateStore store, bool prune = false, string? csv = null)
        {
            if (csv != null) File.WriteAllText(dir.File("accounts.csv"), csv);
            var options = new FleetOptions(dir.File("out"))
            {
                Format = ProfileFormat.CiscoSpa, KeepState = true, StateFile = dir.File("gen.state"), RecordFile = dir.File("written.record"), Prune = prune,
            };
            var log = new RecordingLog();
            using var fleet = new FleetRun(store, options, log);
            var run = new Run { Outcomes = fleet.GenerateAccounts(dir.File("accounts.csv")).ToList() };
            var plan = fleet.PlanPrune();
            foreach (var file in plan.Files) if (fleet.Remove(file) is RemovedProfileFile removed) run.Removed.Add(removed);
            run.Summary = fleet.Finish();
            run.Replayed = fleet.Replayed;
            run.Warnings = log.Warnings;
            return run;
        }

        private static void Touch(string path, Func<byte[], byte[]> edit)
        {
            Thread.Sleep(20); // a later clock tick, as any edit by a person is
            File.WriteAllBytes(path, edit(File.ReadAllBytes(path)));
        }

        [Fact]
        public void A_rerun_of_the_same_file_is_replayed_and_reports_what_reading_the_rows_reports()
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            var first = Generate(dir, store, csv: Csv);
            Assert.False(first.Replayed);
            Assert.All(first.Statuses, s => Assert.Equal(WriteStatus.Created, s));
            // The memo names phones and templates: owner-only, like the state, and no temporary file beside it.
            Assert.True(File.Exists(Memo(dir)));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Memo(dir)));
            Assert.Equal(new[] { "gen.state", "gen.state.run" }, Directory.GetFiles(dir.Path, "gen.state*").Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
            var stamps = new[] { "gen.state", "gen.state.run", "written.record" }.ToDictionary(n => n, n => (File.ReadAllBytes(dir.File(n)), File.GetLastWriteTimeUtc(dir.File(n))));
            var files = first.Outcomes.Select(o => (o.Result!.Path, File.GetLastWriteTimeUtc(o.Result!.Path))).ToArray();

            var second = Generate(dir, store);
            Assert.True(second.Replayed);
            Assert.All(second.Statuses, s => Assert.Equal(WriteStatus.Unchanged, s));
            Assert.Equal(3, second.Summary.Unchanged);
            Assert.Equal(0, second.Summary.Created + second.Summary.Updated + second.Summary.Failed);
            // Nothing is rewritten: not the files, not the state, the memo or the record of written files.
            Assert.Equal(files, second.Outcomes.Select(o => (o.Result!.Path, File.GetLastWriteTimeUtc(o.Result!.Path))).ToArray());
            foreach (var (name, (bytes, stamp)) in stamps)
            {
                Assert.Equal(bytes, File.ReadAllBytes(dir.File(name)));
                Assert.Equal(stamp, File.GetLastWriteTimeUtc(dir.File(name)));
            }

            // Without the memo the same run reads every row: the user sees the same thing either way.
            File.Delete(Memo(dir));
            var read = Generate(dir, store);
            Assert.False(read.Replayed);
            Assert.Equal(read.Seen, second.Seen);
            Assert.Equal(new[] { 1, 2, 3 }, second.Outcomes.Select(o => o.RowNumber));
            Assert.Equal("00:0E:08:00:00:02", second.Outcomes[1].Result!.MacAddress);
            Assert.True(File.Exists(Memo(dir)));
            Assert.True(Generate(dir, store).Replayed);
        }

        [Fact]
        public void A_changed_row_of_the_same_size_is_read_and_its_file_updated()
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            Generate(dir, store, csv: Csv);
            var stamp = File.GetLastWriteTimeUtc(dir.File("accounts.csv"));
            // Same size, same modification time: only the bytes tell.
            File.WriteAllText(dir.File("accounts.csv"), Csv.Replace("u2,p2,Two", "u2,p9,Two"));
            File.SetLastWriteTimeUtc(dir.File("accounts.csv"), stamp);

            var second = Generate(dir, store);
            Assert.False(second.Replayed);
            Assert.Equal(new[] { WriteStatus.Unchanged, WriteStatus.Updated, WriteStatus.Unchanged }, second.Statuses);
            Assert.Contains("<Password_1_>p9</Password_1_>", File.ReadAllText(second.Outcomes[1].Result!.Path));
            Assert.True(Generate(dir, store).Replayed);
        }

        [Fact]
        public void A_changed_template_or_group_assignment_is_not_replayed()
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            store.Add(Stores.Template("office", parameters: new[] { ("Resync_Periodic", "3600") }));
            store.Add(Stores.Template("lab", parameters: new[] { ("Resync_Periodic", "60") }));
            store.SetGroup("sales", "office");
            var csv = "MAC,Group,UserId\n000E08000001,sales,u1\n000E08000002,,u2\n";
            Generate(dir, store, csv: csv);
            Assert.True(Generate(dir, store).Replayed);

            store.Update(Stores.Template("office", parameters: new[] { ("Resync_Periodic", "7200") }));
            var edited = Generate(dir, TemplateStore.Open(dir.Path));
            Assert.False(edited.Replayed);
            Assert.Equal(new[] { WriteStatus.Updated, WriteStatus.Unchanged }, edited.Statuses);
            Assert.Contains("<Resync_Periodic>7200</Resync_Periodic>", File.ReadAllText(edited.Outcomes[0].Result!.Path));
            Assert.True(Generate(dir, TemplateStore.Open(dir.Path)).Replayed);

            store.SetGroup("sales", "lab");
            var reassigned = Generate(dir, TemplateStore.Open(dir.Path));
            Assert.False(reassigned.Replayed);
            Assert.Equal("lab", reassigned.Outcomes[0].Result!.Template);
            Assert.Contains("<Resync_Periodic>60</Resync_Periodic>", File.ReadAllText(reassigned.Outcomes[0].Result!.Path));
        }

        [Fact]
        public void A_new_secret_in_the_environment_is_not_replayed()
        {
            using var dir = new TempDirectory();
            var variable = "PPROV_TEST_ADMIN_PW_" + Guid.NewGuid().ToString("N");
            var store = TemplateStore.Open(dir.Path, create: true);
            store.Update(Stores.Template("default", parameters: new[] { ("Admin_Passwd", "env:" + variable) }));
            try
            {
                Environment.SetEnvironmentVariable(variable, "first-secret");
                Generate(dir, store, csv: Csv);
                Assert.True(Generate(dir, store).Replayed);

                Environment.SetEnvironmentVariable(variable, "second-secret");
                var rotated = Generate(dir, TemplateStore.Open(dir.Path));
                Assert.False(rotated.Replayed);
                Assert.All(rotated.Statuses, s => Assert.Equal(WriteStatus.Updated, s));
                Assert.Contains("second-secret", File.ReadAllText(rotated.Outcomes[0].Result!.Path));
                // The memo holds no secret, only digests.
                Assert.DoesNotContain("second-secret", File.ReadAllText(Memo(dir)));
            }
            finally { Environment.SetEnvironmentVariable(variable, null); }
        }

        [Fact]
        public void A_file_edited_by_hand_or_deleted_is_made_again()
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            var first = Generate(dir, store, csv: Csv);
            var edited = first.Outcomes[2].Result!.Path;
            var original = File.ReadAllBytes(edited);
            Touch(edited, bytes => { var copy = (byte[])bytes.Clone(); copy[Array.IndexOf(copy, (byte)'u')] = (byte)'x'; return copy; });

            var second = Generate(dir, store);
            Assert.False(second.Replayed);
            Assert.Equal(new[] { WriteStatus.Unchanged, WriteStatus.Unchanged, WriteStatus.Updated }, second.Statuses);
            Assert.Equal(original, File.ReadAllBytes(edited));

            File.Delete(first.Outcomes[0].Result!.Path);
            var third = Generate(dir, store);
            Assert.False(third.Replayed);
            Assert.Equal(new[] { WriteStatus.Created, WriteStatus.Unchanged, WriteStatus.Unchanged }, third.Statuses);
            Assert.True(Generate(dir, store).Replayed);
        }

        [Fact]
        public void A_run_with_a_bad_row_or_a_warning_leaves_no_memo_so_the_next_run_says_it_again()
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            var bad = Generate(dir, store, csv: Csv + "not-a-mac,u4,p4,Four\n");
            Assert.Equal(1, bad.Summary.Failed);
            Assert.False(File.Exists(Memo(dir)));
            var again = Generate(dir, store);
            Assert.False(again.Replayed);
            Assert.Equal(1, again.Summary.Failed);
            Assert.Contains(again.Outcomes, o => o.RowNumber == 4 && o.Error != null);

            // A group with no template gets `default` with a warning: a replay would not warn, so there is no memo.
            var grouped = Generate(dir, store, csv: "MAC,Group,UserId\n000E08000001,nobody,u1\n");
            Assert.Single(grouped.Warnings, w => w.Contains("'nobody'"));
            Assert.False(File.Exists(Memo(dir)));
            var warnedAgain = Generate(dir, store);
            Assert.False(warnedAgain.Replayed);
            Assert.Single(warnedAgain.Warnings, w => w.Contains("'nobody'"));
        }

        [Fact]
        public void A_damaged_memo_or_a_state_from_another_run_is_not_trusted()
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            var first = Generate(dir, store, csv: Csv);
            var memo = File.ReadAllBytes(Memo(dir));
            File.WriteAllBytes(Memo(dir), memo.Take(memo.Length - 5).ToArray());
            var damaged = Generate(dir, store);
            Assert.False(damaged.Replayed);
            Assert.Equal(first.Seen.Select(s => s.Replace("Created", "Unchanged")), damaged.Seen);

            // A run over another list keeps another state: the old memo, put back, no longer matches it.
            Generate(dir, store, csv: "MAC,UserId\n000E08000009,u9\n");
            File.WriteAllBytes(Memo(dir), memo);
            var other = Generate(dir, store, csv: Csv);
            Assert.False(other.Replayed);
            Assert.Equal(3, other.Statuses.Length);
        }

        [Fact]
        public void A_replayed_run_with_prune_keeps_the_record_and_removes_only_retired_phones()
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            Generate(dir, store, prune: true, csv: Csv + "000E08000004,u4,p4,Four\n");
            var retired = Generate(dir, store, prune: true, csv: Csv);
            Assert.Single(retired.Removed);
            Assert.False(File.Exists(dir.File("out/000e08000004.xml")));
            var record = File.ReadAllText(dir.File("written.record"));

            var replayed = Generate(dir, store, prune: true);
            Assert.True(replayed.Replayed);
            Assert.Empty(replayed.Removed);
            Assert.Equal(0, replayed.Summary.Removed);
            Assert.Equal(record, File.ReadAllText(dir.File("written.record")));
            Assert.Equal(3, Directory.GetFiles(dir.File("out")).Length);
        }
    }
}
