using System;
using System.IO;
using System.Linq;
using PrivateProvisioning.Core;
using Xunit;

namespace PrivateProvisioning.Tests.Common
{
    /// <summary>FullPaths.Of skips GetFullPath's work only where GetFullPath would hand the same path back.</summary>
    public class FullPathsTests
    {
        [Theory]
        [InlineData("/work/out/SEP001122334455.cnf.xml")]
        [InlineData("/")]
        [InlineData("/a/b/")]
        [InlineData("/a//b")]
        [InlineData("/a/./b")]
        [InlineData("/a/../b")]
        [InlineData("/a/b/.")]
        [InlineData("/a/b/..")]
        [InlineData("/a/.b/..c/...")]
        [InlineData("/a/b.")]
        [InlineData("relative/name.xml")]
        [InlineData("./name.xml")]
        [InlineData("../name.xml")]
        public void Answers_what_GetFullPath_answers(string path)
        {
            Assert.Equal(Path.GetFullPath(path), FullPaths.Of(path));
        }

        [Fact]
        public void Answers_what_GetFullPath_answers_for_every_short_path_of_slashes_dots_and_letters()
        {
            // Every path of up to six characters over the characters that matter to normalising: 1,555 paths.
            var alphabet = new[] { '/', '.', 'a' };
            var paths = new[] { "" }.AsEnumerable();
            for (int length = 1; length <= 6; length++)
            {
                paths = paths.SelectMany(p => alphabet.Select(c => p + c)).ToArray();
                foreach (var path in paths)
                    Assert.True(Path.GetFullPath(path) == FullPaths.Of(path), $"'{path}': GetFullPath '{Path.GetFullPath(path)}', FullPaths '{FullPaths.Of(path)}'");
            }
        }

        [Fact]
        public void A_path_with_a_nul_is_refused_as_GetFullPath_refuses_it()
        {
            if (Path.DirectorySeparatorChar != '/') return;
            Assert.Throws<ArgumentException>(() => FullPaths.Of("/a/b\0c"));
        }
    }
}
