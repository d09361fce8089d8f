using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
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
    /// The generation state lets a re-run skip rows whose inputs and files are unchanged; it must never let a
    /// change through unnoticed. Each test checks what was written and, through StateHits, which path a row took.
    /// </summary>
    public class GenerationStateTests
    {
        private const string Csv = "MAC,UserId,Password,DisplayName\n000E08000001,u1,p1,One\n000E08000002,u2,p2,Two\n000E08000003,u3,p3,Three\n";

        private sealed class Run
        {
            public List<GenerationOutcome> Outcomes = new List<GenerationOutcome>();
            public int Hits;
            public WriteStatus[] Statuses => Outcomes.Select(o => o.Result!.Status).ToArray();
        }

        /// <summary>
        /// Through the driver both front ends use (<see cref="FleetRun"/>, rows routed and MACs checked across the run,
        /// where a known row is answered before it becomes an account), the same checks as through one generator.
        /// </summary>
        private static Run GenerateFleet(TempDirectory dir, string csv, TemplateStore store)
        {
            var options = new FleetOptions(dir.File("out")) { Format = ProfileFormat.CiscoSpa, KeepState = true, StateFile = dir.File("gen.state"), RecordFile = dir.File("written.record") };
            using var reader = new CsvReader(new StringReader(csv), "accounts.csv");
            using var fleet = new FleetRun(store, options);
            var run = new Run { Outcomes = fleet.Generate(reader.ReadAll().Select(r => AccountRow.FromCsv(reader.Header, r))).ToList() };
            fleet.Finish();
            run.Hits = fleet.StateHits;
            Assert.All(run.Outcomes, o => Assert.True(o.Succeeded, o.Error?.Message));
            return run;
        }

        private static Run Generate(TempDirectory dir, string csv, TemplateStore store, bool fleet) =>
            fleet ? GenerateFleet(dir, csv, store) : Generate(dir, csv, store);

        private static Run Generate(TempDirectory dir, string csv, TemplateStore store, IProfileFormatWriter? writer = null, bool whatIf = false, string? stateFile = null)
        {
            writer ??= ProfileFormats.GetWriter(ProfileFormat.CiscoSpa);
            var options = new GenerationOptions(writer.Format, dir.File("out")) { WhatIf = whatIf, StateFile = stateFile ?? dir.File("gen.state") };
            var generator = new ProfileGenerator(new TemplateResolver(store), writer, null, options);
            using var reader = new CsvReader(new StringReader(csv), "accounts.csv");
            var run = new Run { Outcomes = generator.Generate(reader.ReadAll().Select(r => AccountRow.FromCsv(reader.Header, r))).ToList() };
            run.Hits = generator.StateHits;
            Assert.All(run.Outcomes, o => Assert.True(o.Succeeded, o.Error?.Message));
            return run;
        }

        private static string Sha256Of(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void An_unchanged_rerun_is_answered_from_the_state_with_each_files_hash(bool fleet)
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            var first = Generate(dir, Csv, store, fleet);
            Assert.All(first.Statuses, s => Assert.Equal(WriteStatus.Created, s));
            Assert.Equal(0, first.Hits);
            var stamps = first.Outcomes.Select(o => File.GetLastWriteTimeUtc(o.Result!.Path)).ToArray();
            var record = fleet ? File.ReadAllText(dir.File("written.record")) : null;
            var recordStamp = fleet ? File.GetLastWriteTimeUtc(dir.File("written.record")) : default;
            var state = File.ReadAllBytes(dir.File("gen.state"));
            var stateStamp = File.GetLastWriteTimeUtc(dir.File("gen.state"));

            var second = Generate(dir, Csv, store, fleet);
            Assert.Equal(3, second.Hits);
            if (fleet)
            {
                // The record of written files names each file with its MAC and hash, and an unchanged run leaves it as it was.
                Assert.Contains("G\t000E08000002\tCiscoSpa\t" + Sha256Of(second.Outcomes[1].Result!.Path) + "\t" + second.Outcomes[1].Result!.Path + "\n", record);
                Assert.Equal(record, File.ReadAllText(dir.File("written.record")));
                Assert.Equal(recordStamp, File.GetLastWriteTimeUtc(dir.File("written.record")));
            }
            Assert.All(second.Statuses, s => Assert.Equal(WriteStatus.Unchanged, s));
            Assert.All(second.Outcomes, o => Assert.Equal(Sha256Of(o.Result!.Path), o.Result!.Sha256));
            Assert.Equal(first.Outcomes.Select(o => o.Result!.Path), second.Outcomes.Select(o => o.Result!.Path));
            Assert.Equal("default", second.Outcomes[0].Result!.Template);
            Assert.Equal("00:0E:08:00:00:02", second.Outcomes[1].Result!.MacAddress);
            Assert.Equal(stamps, second.Outcomes.Select(o => File.GetLastWriteTimeUtc(o.Result!.Path)));
            // It holds hashes of rows with passwords: owner-only, and no temporary file left beside it.
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.File("gen.state")));
            Assert.Single(Directory.GetFiles(dir.Path, "gen.state*"));
            // Nothing changed, so the state itself is not rewritten either.
            Assert.Equal(state, File.ReadAllBytes(dir.File("gen.state")));
            Assert.Equal(stateStamp, File.GetLastWriteTimeUtc(dir.File("gen.state")));
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_file_edited_by_hand_to_the_same_size_is_found_and_restored(bool fleet)
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            var first = Generate(dir, Csv, store, fleet);
            var path = first.Outcomes[1].Result!.Path;
            var original = File.ReadAllBytes(path);
            Thread.Sleep(20); // a later clock tick, as any edit by a person is
            var edited = (byte[])original.Clone();
            int at = Array.IndexOf(edited, (byte)'u');
            edited[at] = (byte)'x';
            File.WriteAllBytes(path, edited);

            var second = Generate(dir, Csv, store, fleet);
            Assert.Equal(new[] { WriteStatus.Unchanged, WriteStatus.Updated, WriteStatus.Unchanged }, second.Statuses);
            Assert.Equal(2, second.Hits);
            Assert.Equal(original, File.ReadAllBytes(path));
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_file_replaced_with_its_own_bytes_is_compared_not_trusted(bool fleet)
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            var first = Generate(dir, Csv, store, fleet);
            var path = first.Outcomes[0].Result!.Path;
            var bytes = File.ReadAllBytes(path);
            long recordedInode = Inode(path);
            // Another inode, whatever the file system: written beside and renamed over, so both inodes exist at once
            // (deleted first, a journaled ext4 hands the freed inode number straight back, and within one clock tick
            // the replacement then looks exactly like the recorded file). The state cannot vouch for it; the bytes can.
            File.WriteAllBytes(path + ".new", bytes);
            File.Move(path + ".new", path, overwrite: true);
            Assert.NotEqual(recordedInode, Inode(path));

            var second = Generate(dir, Csv, store, fleet);
            Assert.Equal(2, second.Hits);
            Assert.All(second.Statuses, s => Assert.Equal(WriteStatus.Unchanged, s));
            Assert.Equal(3, Generate(dir, Csv, store, fleet).Hits); // and now it is recorded again
        }

        [Fact]
        public void A_lost_state_never_rewrites_a_file_that_is_already_right()
        {
            // Files the state does not know are created first (no probe); a name found taken must still be compared.
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            var first = Generate(dir, Csv, store);
            var paths = first.Outcomes.Select(o => o.Result!.Path).ToArray();
            var right = File.ReadAllBytes(paths[1]);
            long inode = Inode(paths[0]);
            var stamp = File.GetLastWriteTimeUtc(paths[0]);
            File.WriteAllText(paths[1], "edited by hand");
            File.Delete(paths[2]);

            var second = Generate(dir, Csv, store, stateFile: dir.File("other.state"));
            Assert.Equal(new[] { WriteStatus.Unchanged, WriteStatus.Updated, WriteStatus.Created }, second.Statuses);
            Assert.Equal(0, second.Hits);
            Assert.Equal(inode, Inode(paths[0]));
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(paths[0]));
            Assert.Equal(right, File.ReadAllBytes(paths[1]));
            Assert.Equal(first.Outcomes[2].Result!.Sha256, Sha256Of(paths[2]));
            Assert.Empty(Directory.GetFiles(dir.File("out"), ".*"));
            Assert.Equal(3, Generate(dir, Csv, store, stateFile: dir.File("other.state")).Hits); // each recorded as it is on disk
        }

        [Fact]
        public void A_lost_state_over_many_rows_on_every_core_still_compares_each_taken_name()
        {
            // Many rows: the workers write files unnamed and name them in groups; a taken name must still be compared.
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            var csv = "MAC,UserId,Password,DisplayName\n" + string.Concat(Enumerable.Range(1, 300).Select(i => $"000E08{i:X6},u{i},p{i},User {i}\n"));
            var first = Generate(dir, csv, store);
            Assert.All(first.Statuses, s => Assert.Equal(WriteStatus.Created, s));
            var paths = first.Outcomes.Select(o => o.Result!.Path).ToArray();
            var right = File.ReadAllBytes(paths[150]);
            long inode = Inode(paths[10]);
            File.WriteAllText(paths[150], "edited by hand");
            File.Delete(paths[299]);

            var second = Generate(dir, csv, store, stateFile: dir.File("other.state"));
            Assert.Equal(298, second.Statuses.Count(s => s == WriteStatus.Unchanged));
            Assert.Equal(WriteStatus.Updated, second.Statuses[150]);
            Assert.Equal(WriteStatus.Created, second.Statuses[299]);
            Assert.Equal(inode, Inode(paths[10]));
            Assert.Equal(right, File.ReadAllBytes(paths[150]));
            Assert.Equal(first.Outcomes[299].Result!.Sha256, Sha256Of(paths[299]));
            Assert.Equal(300, Directory.GetFiles(dir.File("out")).Length);
            Assert.Equal(300, Generate(dir, csv, store, stateFile: dir.File("other.state")).Hits); // each recorded as it is on disk
        }

        private static long Inode(string path)
        {
            Assert.True(LinuxFiles.TryStat(path, out var identity));
            return identity.Inode;
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_deleted_file_is_created_again(bool fleet)
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            var first = Generate(dir, Csv, store, fleet);
            File.Delete(first.Outcomes[2].Result!.Path);
            var second = Generate(dir, Csv, store, fleet);
            Assert.Equal(new[] { WriteStatus.Unchanged, WriteStatus.Unchanged, WriteStatus.Created }, second.Statuses);
            Assert.True(File.Exists(first.Outcomes[2].Result!.Path));
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void Rows_in_another_order_are_answered_from_the_state_which_then_keeps_that_order(bool fleet)
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            Generate(dir, Csv, store, fleet);
            var lines = Csv.TrimEnd('\n').Split('\n');
            var reordered = string.Join("\n", lines[0], lines[3], lines[1], lines[2]) + "\n";
            var second = Generate(dir, reordered, store, fleet);
            Assert.Equal(3, second.Hits);
            Assert.All(second.Statuses, s => Assert.Equal(WriteStatus.Unchanged, s));
            var state = File.ReadAllBytes(dir.File("gen.state"));
            var third = Generate(dir, reordered, store, fleet);
            Assert.Equal(3, third.Hits);
            Assert.Equal(state, File.ReadAllBytes(dir.File("gen.state")));
            // And a shorter list: the rows left are still answered.
            Assert.Equal(2, Generate(dir, string.Join("\n", lines[0], lines[2], lines[3]) + "\n", store, fleet).Hits);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_changed_row_renders_that_row_only(bool fleet)
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            Generate(dir, Csv, store, fleet);
            var second = Generate(dir, Csv.Replace("u2,p2,Two", "u2,p2-new,Two"), store, fleet);
            Assert.Equal(new[] { WriteStatus.Unchanged, WriteStatus.Updated, WriteStatus.Unchanged }, second.Statuses);
            Assert.Equal(2, second.Hits);
            Assert.Contains("p2-new", File.ReadAllText(second.Outcomes[1].Result!.Path));
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_changed_template_renders_every_row_it_reaches(bool fleet)
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            store.Add(Stores.Template("office", parameters: new[] { ("Resync_Periodic", "3600") }));
            store.SetGroup("sales", "office");
            var csv = "MAC,Group,UserId\n000E08000001,sales,u1\n000E08000002,,u2\n";
            Generate(dir, csv, store, fleet);
            store.Update(Stores.Template("office", parameters: new[] { ("Resync_Periodic", "7200") }));

            var second = Generate(dir, csv, TemplateStore.Open(dir.Path), fleet);
            Assert.Equal(new[] { WriteStatus.Updated, WriteStatus.Unchanged }, second.Statuses);
            Assert.Equal(1, second.Hits);
            Assert.Contains("<Resync_Periodic>7200</Resync_Periodic>", File.ReadAllText(second.Outcomes[0].Result!.Path));
        }

        [Fact]
        public void A_new_secret_in_the_environment_renders_again()
        {
            using var dir = new TempDirectory();
            var variable = "PPROV_TEST_CERT_PW_" + Guid.NewGuid().ToString("N");
            var store = TemplateStore.Open(dir.Path, create: true);
            store.Add(Stores.Template("t", settings: new[] { ("CertificatePassword", "env:" + variable) }));
            var csv = "MAC,Template\n000E08000001,t\n";
            try
            {
                Environment.SetEnvironmentVariable(variable, "first-secret");
                Generate(dir, csv, store, new EchoWriter());
                Assert.Equal(1, Generate(dir, csv, store, new EchoWriter()).Hits);

                Environment.SetEnvironmentVariable(variable, "second-secret");
                var third = Generate(dir, csv, store, new EchoWriter());
                Assert.Equal(0, third.Hits);
                Assert.Equal(WriteStatus.Updated, third.Outcomes[0].Result!.Status);
                Assert.Equal("second-secret", EchoWriter.Parse(third.Outcomes[0].Result!.Path)["setting:CertificatePassword"]);
            }
            finally { Environment.SetEnvironmentVariable(variable, null); }
        }

        [Fact]
        public void A_foreign_or_damaged_state_is_ignored_and_rebuilt()
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            Generate(dir, Csv, store);
            File.WriteAllText(dir.File("gen.state"), "not a state file");
            var second = Generate(dir, Csv, store);
            Assert.Equal(0, second.Hits);
            Assert.All(second.Statuses, s => Assert.Equal(WriteStatus.Unchanged, s)); // compared byte for byte
            Assert.Equal(3, Generate(dir, Csv, store).Hits);
        }

        [Fact]
        public void Another_destination_or_format_does_not_reuse_the_state()
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            Generate(dir, Csv, store);
            // The same state file for another writer: its key differs, so nothing is trusted.
            var other = Generate(dir, Csv, store, ProfileFormats.GetWriter(ProfileFormat.CiscoSep));
            Assert.Equal(0, other.Hits);
            Assert.All(other.Statuses, s => Assert.Equal(WriteStatus.Created, s));
        }

        [Fact]
        public void A_killed_runs_temporary_state_is_removed_once_it_is_an_hour_old()
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            var old = dir.File("gen.state.99999.tmp");
            var recent = dir.File("gen.state.99998.tmp");
            File.WriteAllText(old, "");
            File.WriteAllText(recent, "");
            File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddHours(-2));
            Generate(dir, Csv, store);
            Assert.False(File.Exists(old));
            Assert.True(File.Exists(recent)); // perhaps a run in progress
        }

        [Fact]
        public void What_if_neither_reads_nor_writes_the_state()
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            var run = Generate(dir, Csv, store, whatIf: true);
            Assert.Equal(0, run.Hits);
            Assert.False(File.Exists(dir.File("gen.state")));
            Assert.False(Directory.Exists(dir.File("out")));
        }

        [Fact]
        public void An_unusable_state_place_costs_speed_not_the_run()
        {
            using var dir = new TempDirectory();
            File.WriteAllText(dir.File("not-a-folder"), "");
            var store = TemplateStore.Open(dir.Path, create: true);
            var state = Path.Combine(dir.File("not-a-folder"), "gen.state");
            Assert.All(Generate(dir, Csv, store, stateFile: state).Statuses, s => Assert.Equal(WriteStatus.Created, s));
            var second = Generate(dir, Csv, store, stateFile: state);
            Assert.Equal(0, second.Hits);
            Assert.All(second.Statuses, s => Assert.Equal(WriteStatus.Unchanged, s));
        }

        [Fact]
        public void A_record_is_the_88_bytes_the_file_format_says()
        {
            // The state file is the records' memory image: a field added without bumping the format would misread old files.
            Assert.Equal(88, System.Runtime.CompilerServices.Unsafe.SizeOf<GenerationRecord>());
        }

        [Theory]
        [InlineData("", "00000000000000000000000000000000")]
        [InlineData("The quick brown fox jumps over the lazy dog", "6c1b07bc7bbc4be347939ac4a93c437a")]
        public void The_state_hashes_paths_with_MurmurHash3_x64_128(string text, string expected)
        {
            // The published values (h1 then h2, little-endian); the second runs the block loop and a tail of both halves.
            var fingerprint = new byte[16];
            TextDigest.Fingerprint(System.Text.Encoding.ASCII.GetBytes(text), fingerprint);
            Assert.Equal(expected, Convert.ToHexStringLower(fingerprint));
        }

        [Fact]
        public void The_default_place_is_the_users_cache_one_file_per_destination_and_format()
        {
            var a = GenerationOptions.DefaultStateFile("/srv/tftp", ProfileFormat.CiscoSpa);
            var b = GenerationOptions.DefaultStateFile("/srv/tftp", ProfileFormat.Panasonic);
            var c = GenerationOptions.DefaultStateFile("/srv/other", ProfileFormat.CiscoSpa);
            Assert.NotNull(a);
            var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(Environment.GetEnvironmentVariable("HOME")!, ".cache");
            Assert.Equal(Path.Combine(cache, "pprov"), Path.GetDirectoryName(a));
            Assert.EndsWith(".state", a);
            Assert.Equal(3, new[] { a, b, c }.Distinct().Count());
        }
    }
}
