using System.IO;
using System.Linq;
using System.Text;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Core.Templates.Generation;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Templates
{
    /// <summary>
    /// The record of written files after a run: the run's files first, in order, then the old record's others. A
    /// re-run of the same list must leave the record file alone (same inode, same time), and every other run must
    /// produce exactly the record a full rewrite would, including when another run replaced the record meanwhile.
    /// </summary>
    public class WrittenFilesRecordUpdateTests
    {
        private static string Sha(int i) => new string((char)('a' + i % 6), 64);

        private static WrittenFile File(TempDirectory dir, int i, int shaSeed = -1) =>
            new WrittenFile(Path.Combine(dir.File("out"), i.ToString("x12", System.Globalization.CultureInfo.InvariantCulture) + ".xml"), i, ProfileFormat.CiscoSpa, Sha(shaSeed < 0 ? i : shaSeed));

        private static string Line(WrittenFile f)
        {
            var text = new StringBuilder();
            WrittenFilesRecord.AppendLine(text, f);
            return text.ToString();
        }

        private static void Run(TempDirectory dir, string record, params WrittenFile[] files)
        {
            using var update = new WrittenFilesRecordUpdate(record, dir.File("out"));
            foreach (var f in files) update.Add(f);
            update.Commit();
        }

        private static string Header(TempDirectory dir) => WrittenFilesRecord.HeaderLine(WrittenFilesRecord.NormalizeFolder(dir.File("out")));

        [Fact]
        public void A_rerun_of_the_same_files_leaves_the_record_file_untouched()
        {
            using var dir = new TempDirectory();
            Directory.CreateDirectory(dir.File("out"));
            var record = dir.File("written.tsv");
            var files = Enumerable.Range(1, 50).Select(i => File(dir, i)).ToArray();
            Run(dir, record, files);
            var expected = Header(dir) + string.Concat(files.Select(Line));
            Assert.Equal(expected, System.IO.File.ReadAllText(record));
            var before = new FileInfo(record).LastWriteTimeUtc;
            var inode = Stat(record);

            Run(dir, record, files);
            Assert.Equal(expected, System.IO.File.ReadAllText(record));
            Assert.Equal(before, new FileInfo(record).LastWriteTimeUtc);
            Assert.Equal(inode, Stat(record));
            Assert.Empty(Directory.GetFiles(dir.Path, "written.tsv.*.part"));
        }

        [Fact]
        public void A_changed_file_a_shorter_run_and_a_longer_run_give_the_full_record()
        {
            using var dir = new TempDirectory();
            Directory.CreateDirectory(dir.File("out"));
            var record = dir.File("written.tsv");
            var files = Enumerable.Range(1, 20).Select(i => File(dir, i)).ToArray();
            Run(dir, record, files);

            // File 10's bytes changed: its line in place, everything else as before.
            var changed = files.Select(f => f.Mac == 10 ? File(dir, 10, shaSeed: 11) : f).ToArray();
            Run(dir, record, changed);
            Assert.Equal(Header(dir) + string.Concat(changed.Select(Line)), System.IO.File.ReadAllText(record));

            // Phones 15 to 20 left the list (no prune): the run's files first, then theirs, still recorded.
            var shorter = changed.Take(14).ToArray();
            Run(dir, record, shorter);
            Assert.Equal(Header(dir) + string.Concat(changed.Select(Line)), System.IO.File.ReadAllText(record));

            // A run of only the last phones: they come first now, then the others in the old order.
            var tail = changed.Skip(14).ToArray();
            Run(dir, record, tail);
            Assert.Equal(Header(dir) + string.Concat(tail.Concat(shorter).Select(Line)), System.IO.File.ReadAllText(record));

            // One more phone than recorded.
            var longer = tail.Concat(shorter).Append(File(dir, 21)).ToArray();
            Run(dir, record, longer);
            Assert.Equal(Header(dir) + string.Concat(longer.Select(Line)), System.IO.File.ReadAllText(record));
        }

        [Fact]
        public void Lines_another_run_added_while_this_one_compared_are_kept()
        {
            using var dir = new TempDirectory();
            Directory.CreateDirectory(dir.File("out"));
            var record = dir.File("written.tsv");
            var files = Enumerable.Range(1, 10).Select(i => File(dir, i)).ToArray();
            Run(dir, record, files);

            using var update = new WrittenFilesRecordUpdate(record, dir.File("out"));
            foreach (var f in files) update.Add(f); // all equal so far: compared, not written
            // Meanwhile a protection run adds the signed copy of file 3 (it replaces the record whole).
            var copy = new WrittenFile(files[2].Path + ".sgn", 3, null, Sha(5));
            var replaced = Header(dir) + string.Concat(files.Select(Line)) + Line(copy);
            System.IO.File.WriteAllText(record + ".other", replaced);
            System.IO.File.Move(record + ".other", record, overwrite: true);
            update.Commit();
            Assert.Equal(replaced, System.IO.File.ReadAllText(record));
        }

        private static long Stat(string path) =>
            PrivateProvisioning.Core.LinuxFiles.TryStat(path, out var id) ? id.Inode : new FileInfo(path).Length;
    }
}
