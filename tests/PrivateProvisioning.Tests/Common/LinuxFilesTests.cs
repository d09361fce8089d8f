using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PrivateProvisioning.Core;
using PrivateProvisioning.Tests.Support;
using UnixFileMode = System.IO.UnixFileMode;
using Xunit;

namespace PrivateProvisioning.Tests.Common
{
    /// <summary>The Linux fast path behind AtomicFile: these run where CI runs (Linux x64).</summary>
    public class LinuxFilesTests
    {
        private static readonly byte[] Profile = Encoding.ASCII.GetBytes("<flat-profile>\n  <Resync_Periodic>3600</Resync_Periodic>\n</flat-profile>\n");

        [Fact]
        public void Is_on_for_Linux_x64()
        {
            Assert.Equal(RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && RuntimeInformation.ProcessArchitecture == Architecture.X64
                || RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && RuntimeInformation.ProcessArchitecture == Architecture.Arm64,
                LinuxFiles.Enabled);
        }

        [Fact]
        public void A_new_file_appears_with_exactly_its_bytes_and_nothing_else_in_the_folder()
        {
            if (!LinuxFiles.Enabled) return;
            using var dir = new TempDirectory();
            var path = Path.Combine(dir.Path, "000e08abcdef.xml");
            Assert.True(LinuxFiles.TryCreateNew(path, Profile, 0, Profile.Length, ownerOnly: false));
            Assert.Equal(Profile, File.ReadAllBytes(path));
            Assert.Equal(new[] { path }, Directory.GetFileSystemEntries(dir.Path));
            // Readable by the web and TFTP servers: the usual 0666 less the umask (022 → 0644).
            var mode = File.GetUnixFileMode(path);
            Assert.True(mode.HasFlag(UnixFileMode.UserRead) && mode.HasFlag(UnixFileMode.UserWrite));
            Assert.False(mode.HasFlag(UnixFileMode.UserExecute));
        }

        [Fact]
        public void A_slice_of_the_buffer_is_written()
        {
            if (!LinuxFiles.Enabled) return;
            using var dir = new TempDirectory();
            var path = Path.Combine(dir.Path, "slice.txt");
            var buffer = Encoding.ASCII.GetBytes("xxHELLOyy");
            Assert.True(LinuxFiles.TryCreateNew(path, buffer, 2, 5, ownerOnly: false));
            Assert.Equal("HELLO", File.ReadAllText(path));
        }

        [Fact]
        public void A_key_is_created_owner_only()
        {
            if (!LinuxFiles.Enabled) return;
            using var dir = new TempDirectory();
            var path = Path.Combine(dir.Path, "prov.key");
            Assert.True(LinuxFiles.TryCreateNew(path, Profile, 0, Profile.Length, ownerOnly: true));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        [Fact]
        public void An_existing_file_is_never_replaced()
        {
            if (!LinuxFiles.Enabled) return;
            using var dir = new TempDirectory();
            var path = Path.Combine(dir.Path, "taken.xml");
            File.WriteAllText(path, "keep me");
            Assert.False(LinuxFiles.TryCreateNew(path, Profile, 0, Profile.Length, ownerOnly: false));
            Assert.Equal("keep me", File.ReadAllText(path));
            Assert.Single(Directory.GetFileSystemEntries(dir.Path)); // and no unnamed leftovers got a name
        }

        [Fact]
        public void A_missing_folder_is_left_to_the_caller()
        {
            if (!LinuxFiles.Enabled) return;
            using var dir = new TempDirectory();
            var path = Path.Combine(dir.Path, "missing", "a.xml");
            Assert.False(LinuxFiles.TryCreateNew(path, Profile, 0, Profile.Length, ownerOnly: false));
            Assert.False(Directory.Exists(Path.Combine(dir.Path, "missing")));
        }

        [Fact]
        public void Concurrent_creators_of_one_name_leave_exactly_one_whole_file()
        {
            if (!LinuxFiles.Enabled) return;
            using var dir = new TempDirectory();
            var path = Path.Combine(dir.Path, "race.xml");
            var contents = Enumerable.Range(0, 8).Select(i => Encoding.ASCII.GetBytes(new string((char)('a' + i), 4096))).ToArray();
            int winners = 0;
            Parallel.For(0, contents.Length, i =>
            {
                if (LinuxFiles.TryCreateNew(path, contents[i], 0, contents[i].Length, ownerOnly: false)) Interlocked.Increment(ref winners);
            });
            Assert.Equal(1, winners);
            Assert.Contains(contents, c => c.SequenceEqual(File.ReadAllBytes(path)));
        }

        [Fact]
        public void Small_reads_tell_missing_whole_and_too_large()
        {
            if (!LinuxFiles.Enabled) return;
            using var dir = new TempDirectory();
            var path = Path.Combine(dir.Path, "f.xml");
            var buffer = new byte[64];
            Assert.Equal(SmallReadStatus.Missing, LinuxFiles.TryReadSmall(path, buffer, buffer.Length, out _));
            Assert.Equal(SmallReadStatus.Missing, LinuxFiles.TryReadSmall(Path.Combine(dir.Path, "no", "f.xml"), buffer, buffer.Length, out _));
            File.WriteAllBytes(path, Profile);
            Assert.Equal(SmallReadStatus.Read, LinuxFiles.TryReadSmall(path, new byte[Profile.Length + 1], Profile.Length + 1, out int length));
            Assert.Equal(Profile.Length, length);
            Assert.Equal(SmallReadStatus.TooLarge, LinuxFiles.TryReadSmall(path, new byte[Profile.Length], Profile.Length - 1, out _));
            // A file exactly as long as the capacity cannot be told from a longer one: the caller asks for one byte more.
            Assert.Equal(SmallReadStatus.TooLarge, LinuxFiles.TryReadSmall(path, new byte[Profile.Length], Profile.Length, out _));
            Assert.Equal(SmallReadStatus.Failed, LinuxFiles.TryReadSmall(dir.Path, buffer, buffer.Length, out _)); // a folder
        }

        [Fact]
        public void Reads_and_creates_from_an_open_folder_by_name_alone()
        {
            if (!LinuxFiles.Enabled) return;
            using var dir = new TempDirectory();
            var name = Path.Combine(dir.Path, "téléphone-ü.cnf.xml"); // a UTF-8 name: bytes, not characters
            int folder = LinuxFiles.OpenFolder(dir.Path);
            try
            {
                var buffer = new byte[Profile.Length + 1];
                Assert.Equal(SmallReadStatus.Missing, LinuxFiles.TryReadSmallIn(folder, dir.Path, name, buffer, buffer.Length, out _));
                Assert.Equal(CreateNewStatus.Created, LinuxFiles.TryCreateIn(folder, dir.Path, name, Profile, 0, Profile.Length));
                Assert.Equal(Profile, File.ReadAllBytes(name));
                Assert.Equal(CreateNewStatus.Exists, LinuxFiles.TryCreateIn(folder, dir.Path, name, Profile, 0, 3));
                Assert.Equal(Profile, File.ReadAllBytes(name)); // never replaced
                Assert.Equal(SmallReadStatus.Read, LinuxFiles.TryReadSmallIn(folder, dir.Path, name, buffer, buffer.Length, out int length));
                Assert.Equal(Profile, buffer.Take(length).ToArray());
                Assert.Equal(SmallReadStatus.TooLarge, LinuxFiles.TryReadSmallIn(folder, dir.Path, name, buffer, Profile.Length, out _));
                // A path that is not a name in that folder is not this call's: the caller walks its full path.
                var deeper = Path.Combine(dir.Path, "sub", "f.xml");
                Assert.Equal(SmallReadStatus.Failed, LinuxFiles.TryReadSmallIn(folder, dir.Path, deeper, buffer, buffer.Length, out _));
                Assert.Equal(CreateNewStatus.NotHandled, LinuxFiles.TryCreateIn(folder, dir.Path, deeper, Profile, 0, Profile.Length));
                Assert.Equal(CreateNewStatus.NotHandled, LinuxFiles.TryCreateIn(folder, dir.Path, "/elsewhere/f.xml", Profile, 0, Profile.Length));
                Assert.Single(Directory.GetFileSystemEntries(dir.Path)); // nothing left behind
            }
            finally { LinuxFiles.CloseFolder(folder); }
        }

        [Fact]
        public void AtomicFile_reports_created_unchanged_and_updated_through_the_fast_path()
        {
            using var dir = new TempDirectory();
            var path = Path.Combine(dir.Path, "p.xml");
            Assert.Equal(WriteStatus.Created, AtomicFile.Write(path, Profile));
            var stamp = File.GetLastWriteTimeUtc(path);
            Assert.Equal(WriteStatus.Unchanged, AtomicFile.Write(path, Profile));
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));
            var shorter = Profile.Take(Profile.Length - 1).ToArray();
            Assert.Equal(WriteStatus.Updated, AtomicFile.Write(path, shorter));
            Assert.Equal(shorter, File.ReadAllBytes(path));
            var longer = Profile.Concat(new byte[] { (byte)'\n' }).ToArray();
            Assert.Equal(WriteStatus.Updated, AtomicFile.Write(path, longer));
            Assert.Equal(longer, File.ReadAllBytes(path));
            Assert.Single(Directory.GetFileSystemEntries(dir.Path));
        }
    }
}
