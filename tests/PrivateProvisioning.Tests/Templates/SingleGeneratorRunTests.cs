using System.Collections.Generic;
using System.IO;
using System.Linq;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Core.Templates;
using PrivateProvisioning.Core.Templates.Generation;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Templates
{
    /// <summary>
    /// FleetRun over one prepared generator, the one road from rows to files for both front ends: rows pushed one at a time (the cmdlet),
    /// per-file confirmation on the caller's thread, the generation state on that road too, progress with a
    /// percentage when the row count is known, and one warning per group that has no template.
    /// </summary>
    public class SingleGeneratorRunTests
    {
        private static AccountRow Row(int n, string mac, string group = "", string password = "pw") =>
            new(n, new[] { new KeyValuePair<string, string>("MAC", mac), new KeyValuePair<string, string>("Group", group),
                           new KeyValuePair<string, string>("UserId", "u" + n), new KeyValuePair<string, string>("Password", password) });

        private static ProfileGenerator Generator(TempDirectory dir, TemplateStore store, bool whatIf = false, bool state = true, int batch = 1024) =>
            new(new TemplateResolver(store), ProfileFormats.GetWriter(ProfileFormat.CiscoSpa), null,
                new GenerationOptions(ProfileFormat.CiscoSpa, dir.File("out")) { WhatIf = whatIf, StateFile = state ? dir.File("gen.state") : null, BatchSize = batch });

        private static List<GenerationOutcome> Push(FleetRun run, IEnumerable<AccountRow> rows)
        {
            var outcomes = new List<GenerationOutcome>();
            foreach (var row in rows) outcomes.AddRange(run.Add(row));
            outcomes.AddRange(run.Complete());
            return outcomes;
        }

        [Fact]
        public void Confirmed_files_are_written_declined_ones_are_not_and_the_state_serves_the_rerun()
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            var rows = Enumerable.Range(1, 40).Select(i => Row(i, "000E080000" + i.ToString("X2"))).ToList();
            var asked = new List<string>();
            var generator = Generator(dir, store, batch: 16);
            List<GenerationOutcome> first;
            using (var run = new FleetRun(generator, null, r => { asked.Add(r.MacAddress); return r.RowNumber != 7; }))
                first = Push(run, rows);
            Assert.Equal(40, asked.Count);
            Assert.Equal(rows.Select(r => r.RowNumber), first.Select(o => o.RowNumber)); // row order across batches
            Assert.True(first.Single(o => o.RowNumber == 7).Declined);
            Assert.False(File.Exists(dir.File("out/000e08000007.xml")));
            Assert.All(first.Where(o => o.RowNumber != 7), o => Assert.True(File.Exists(o.Result!.Path)));
            Assert.All(first.Where(o => o.RowNumber != 7), o => Assert.Equal(WriteStatus.Created, o.Result!.Status));

            // The re-run on the confirming road: the 39 written files come from the state, only row 7 is asked again.
            asked.Clear();
            var again = Generator(dir, store, batch: 16);
            List<GenerationOutcome> second;
            using (var run = new FleetRun(again, null, r => { asked.Add(r.MacAddress); return true; }))
                second = Push(run, rows);
            Assert.Equal(new[] { "00:0E:08:00:00:07" }, asked);
            Assert.Equal(WriteStatus.Created, second.Single(o => o.RowNumber == 7).Result!.Status);
            Assert.True(File.Exists(dir.File("out/000e08000007.xml")));
            Assert.All(second.Where(o => o.RowNumber != 7), o => Assert.Equal(WriteStatus.Unchanged, o.Result!.Status));
            if (GenerationState.Supported) Assert.Equal(39, again.StateHits);

            // A third run: all 40 from the state (row 7 was recorded by Commit).
            var third = Generator(dir, store, batch: 16);
            using (var run = new FleetRun(third, null, r => true)) Push(run, rows);
            if (GenerationState.Supported) Assert.Equal(40, third.StateHits);
        }

        [Fact]
        public void Under_WhatIf_the_confirmation_is_asked_and_nothing_is_written()
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            var asked = 0;
            using var run = new FleetRun(Generator(dir, store, whatIf: true), null, r => { asked++; return false; });
            var outcomes = Push(run, new[] { Row(1, "000E08000001"), Row(2, "000E08000002") });
            Assert.Equal(2, asked);
            Assert.All(outcomes, o => { Assert.False(o.Declined); Assert.True(o.Result!.WhatIf); Assert.Equal(WriteStatus.Created, o.Result.Status); });
            Assert.False(Directory.Exists(dir.File("out")));
        }

        [Fact]
        public void Progress_has_a_total_when_the_count_is_known()
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            var log = new RecordingLog();
            using var run = new FleetRun(Generator(dir, store, state: false, batch: 10), log, null) { ExpectedRows = 25 };
            Push(run, Enumerable.Range(1, 25).Select(i => Row(i, "000E080001" + i.ToString("X2"))));
            Assert.Equal(new (long, long?)[] { (10, 25), (20, 25), (25, 25) }, log.Reports);
        }

        [Fact]
        public void A_group_without_a_template_is_warned_about_once_naming_the_group()
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            store.Add(Stores.Template("office"));
            store.SetGroup("sales", "office");
            var log = new RecordingLog();
            using var run = new FleetRun(Generator(dir, store, state: false), log, null);
            var outcomes = Push(run, new[] { Row(1, "000E08000001", "sales"), Row(2, "000E08000002", "slaes"), Row(3, "000E08000003", "slaes"), Row(4, "000E08000004") });
            var warning = Assert.Single(log.Warnings);
            Assert.Contains("Group 'slaes' (row 2) has no template assigned", warning);
            Assert.Equal(new[] { "office", "default", "default", "default" }, outcomes.Select(o => o.Result!.Template));
        }

        [Fact]
        public void Secret_columns_are_recognised_for_masking()
        {
            Assert.True(AccountColumns.IsSecretColumn("Password"));
            Assert.True(AccountColumns.IsSecretColumn("SIP Password"));
            Assert.True(AccountColumns.IsSecretColumn("Admin_Passwd"));
            Assert.False(AccountColumns.IsSecretColumn("MacAddress"));
            Assert.False(AccountColumns.IsSecretColumn("DisplayName"));
            Assert.True(AccountColumns.IsSecretColumn("Key"));
            Assert.True(AccountColumns.IsSecretColumn("Profile Key"));
            Assert.True(AccountColumns.IsSecretColumn("SipPassword"));
        }

        [Theory]
        [InlineData("Rule", "[--key S3cretKey!] http://h/$MA.cfg", "[--key ***] http://h/$MA.cfg")]
        [InlineData("Notes", "see --pwd hunter2 here", "see --pwd *** here")]
        [InlineData("Password", "hunter2", AccountColumns.MaskedValue)]
        [InlineData("Key", "S3cretKey!", AccountColumns.MaskedValue)]
        [InlineData("Password", "", "")]
        [InlineData("MacAddress", "000E08ABCDEF", "000E08ABCDEF")]
        public void A_cell_is_shown_with_its_secrets_masked(string column, string value, string shown) =>
            Assert.Equal(shown, AccountColumns.MaskCell(column, value));
    }
}
