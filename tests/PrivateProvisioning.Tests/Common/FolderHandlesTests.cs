using System.IO;
using System.Linq;
using PrivateProvisioning.Core;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Common
{
    /// <summary>The open folders of one bulk run (Linux): one descriptor per folder, closed with the run.</summary>
    public class FolderHandlesTests
    {
        [Fact]
        public void Files_of_one_folder_share_its_descriptor_and_other_folders_get_their_own()
        {
            using var handles = FolderHandles.ForRun();
            if (handles == null) return; // not Linux: files are reached by their full paths
            using var dir = new TempDirectory();
            Directory.CreateDirectory(dir.File("in"));
            Directory.CreateDirectory(dir.File("out"));
            int first = handles.For(dir.File("in/a.cnf.xml"), out var folder);
            Assert.True(first >= 0);
            Assert.Equal(dir.File("in"), folder);
            Assert.Equal(first, handles.For(dir.File("in/b.cnf.xml"), out _));
            int other = handles.For(dir.File("out/a.cnf.xml.sgn"), out var otherFolder);
            Assert.True(other >= 0 && other != first);
            Assert.Equal(dir.File("out"), otherFolder);
        }

        [Fact]
        public void A_missing_folder_is_asked_for_again_once_it_exists()
        {
            using var handles = FolderHandles.ForRun();
            if (handles == null) return;
            using var dir = new TempDirectory();
            Assert.Equal(-1, handles.For(dir.File("new/a.sgn"), out _));
            Directory.CreateDirectory(dir.File("new"));
            Assert.True(handles.For(dir.File("new/a.sgn"), out var folder) >= 0);
            Assert.Equal(dir.File("new"), folder);
        }

        [Fact]
        public void A_file_at_the_root_a_folder_path_and_folders_past_the_limit_are_reached_by_full_path()
        {
            using var handles = FolderHandles.ForRun();
            if (handles == null) return;
            using var dir = new TempDirectory();
            Assert.Equal(-1, handles.For("/file.xml", out _));
            Assert.Equal(-1, handles.For(dir.File("in") + "/", out _));
            var folders = Enumerable.Range(0, 9).Select(i => Directory.CreateDirectory(dir.File("f" + i)).FullName).ToArray();
            Assert.All(folders.Take(8), f => Assert.True(handles.For(f + "/x", out _) >= 0));
            Assert.Equal(-1, handles.For(folders[8] + "/x", out _));
        }

        [Fact]
        public void After_the_run_no_descriptor_is_handed_out_and_each_one_is_closed()
        {
            var handles = FolderHandles.ForRun();
            if (handles == null) return;
            using var dir = new TempDirectory();
            int fd = handles.For(dir.File("a.xml"), out _);
            Assert.Equal(dir.Path, new FileInfo($"/proc/self/fd/{fd}").LinkTarget);
            handles.Dispose();
            Assert.Equal(-1, handles.For(dir.File("a.xml"), out _));
            // The number may be reused by another test's file at once; it no longer names this folder.
            var target = new FileInfo($"/proc/self/fd/{fd}");
            Assert.True(!target.Exists && !Directory.Exists(target.FullName) || target.LinkTarget != dir.Path);
        }
    }
}
