using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Protection;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Protection
{
    /// <summary>Unprotecting gzip: a gzip bomb stops at the profile size limit; concatenated members read as `gzip -d` reads them.</summary>
    public class GzipLimitTests
    {
        private static byte[] GzipOf(long zeros, byte fill = 0)
        {
            using var output = new MemoryStream();
            using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
            {
                var chunk = new byte[1 << 20];
                if (fill != 0) chunk.AsSpan().Fill(fill);
                for (long left = zeros; left > 0; left -= chunk.Length) gzip.Write(chunk, 0, (int)Math.Min(chunk.Length, left));
            }
            return output.ToArray();
        }

        private static byte[] Random(int n, int seed)
        {
            var b = new byte[n];
            new Random(seed).NextBytes(b);
            return b;
        }

        [Fact]
        public void A_200_MB_gzip_bomb_is_ProfileTooLarge_at_the_default_64_MiB_without_expanding_it()
        {
            var bomb = GzipOf(200L << 20);
            Assert.True(bomb.Length < 1 << 20, $"the bomb is {bomb.Length} bytes");
            long before = GC.GetAllocatedBytesForCurrentThread();
            var ex = Assert.Throws<ProvisioningException>(() => GzipLayer.Decompress(bomb, 0, bomb.Length, "bomb.gz", ProfileSizeLimit.Default));
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal("ProfileTooLarge", ex.ErrorId);
            Assert.Contains("bomb.gz", ex.Message);
            Assert.Contains("64 MiB", ex.Message);
            Assert.Contains(ProfileSizeLimit.EnvironmentVariable, ex.Message);
            // At most the 64 MiB read before the limit, never the 200 MB expansion.
            Assert.True(allocated < 100L << 20, $"allocated {allocated >> 20} MiB");
        }

        [Fact]
        public void A_lowered_limit_stops_reading_early_and_a_profile_just_under_it_passes()
        {
            var bomb = GzipOf(50L << 20);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Assert.Equal("ProfileTooLarge", Assert.Throws<ProvisioningException>(() => GzipLayer.Decompress(bomb, 0, bomb.Length, "b.gz", 1 << 20)).ErrorId);
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 8L << 20);

            var exact = GzipOf(1 << 20, 0x41);
            Assert.Equal(1 << 20, GzipLayer.Decompress(exact, 0, exact.Length, "e.gz", 1 << 20).Length);
            Assert.Equal("ProfileTooLarge", Assert.Throws<ProvisioningException>(() => GzipLayer.Decompress(exact, 0, exact.Length, "e.gz", (1 << 20) - 1)).ErrorId);
        }

        [Fact]
        public void The_limit_comes_from_the_options_and_stops_the_streaming_path_leaving_nothing()
        {
            using var dir = new TempDirectory();
            // Bigger than the streaming threshold (8 MiB), so the file is unprotected disk to disk.
            var plain = Random(9 << 20, 1);
            var path = dir.File("big.gz");
            using (var f = File.Create(path))
            using (var g = new GZipStream(f, CompressionLevel.Fastest)) g.Write(plain, 0, plain.Length);
            Assert.True(new FileInfo(path).Length > 8 << 20);
            var unprotector = new ProfileUnprotector(new UnprotectionOptions { MaxProfileSize = 4 << 20 });
            var ex = Assert.Throws<ProvisioningException>(() => unprotector.UnprotectFile(path, dir.File("o/big"), null));
            Assert.Equal("ProfileTooLarge", ex.ErrorId);
            Assert.Contains(path, ex.Message);
            Assert.Contains("4 MiB", ex.Message);
            Assert.False(Directory.Exists(dir.File("o")) && Directory.EnumerateFileSystemEntries(dir.File("o")).Any());

            var ok = new ProfileUnprotector(new UnprotectionOptions { MaxProfileSize = 16 << 20 }).UnprotectFile(path, dir.File("o/big"), null);
            Assert.Equal(plain.Length, ok.Length);
            Assert.Equal(plain, File.ReadAllBytes(dir.File("o/big")));
            Assert.Throws<ProvisioningException>(() => new ProfileUnprotector(new UnprotectionOptions { MaxProfileSize = 0 }));
        }

        [Theory]
        [InlineData("67108864", 64L << 20)]
        [InlineData("128M", 128L << 20)]
        [InlineData("128MiB", 128L << 20)]
        [InlineData(" 2g ", 2L << 30)]
        [InlineData("512k", 512L << 10)]
        [InlineData("1KB", 1024L)]
        [InlineData("0", null)]
        [InlineData("-5", null)]
        [InlineData("lots", null)]
        [InlineData("1.5M", null)]
        [InlineData("99999999999999999999G", null)]
        public void The_environment_variable_takes_bytes_or_K_M_G(string text, long? expected) =>
            Assert.Equal(expected, ProfileSizeLimit.Parse(text));

        [Fact]
        public void Concatenated_gzip_members_made_by_gzip_read_as_the_concatenation()
        {
            ProcessRunner.RequireTool("gzip");
            using var dir = new TempDirectory();
            File.WriteAllText(dir.File("a.xml"), "<flat-profile>\n  <Station_Name>a</Station_Name>\n");
            File.WriteAllText(dir.File("b.xml"), "  <Station_Display_Name>b</Station_Display_Name>\n</flat-profile>\n");
            Assert.Equal(0, ProcessRunner.Tool("sh", new[] { "-c", "gzip -c a.xml > p.gz && gzip -9 -c b.xml >> p.gz" }, dir.Path).ExitCode);
            Assert.Equal(0, ProcessRunner.Tool("gzip", new[] { "-t", dir.File("p.gz") }).ExitCode);
            var result = new ProfileUnprotector().UnprotectFile(dir.File("p.gz"), dir.File("o/p.xml"), null);
            Assert.Equal("Gzip", result.Method);
            Assert.Equal(File.ReadAllText(dir.File("a.xml")) + File.ReadAllText(dir.File("b.xml")), File.ReadAllText(dir.File("o/p.xml")));
            Assert.Equal(ProcessRunner.Tool("gzip", new[] { "-dc", dir.File("p.gz") }).StdOut, File.ReadAllText(dir.File("o/p.xml")));
        }

        [Theory]
        [InlineData("crc")]
        [InlineData("size")]
        [InlineData("first-crc")]
        [InlineData("cut")]
        [InlineData("no-trailer")]
        public void A_corrupt_or_cut_member_of_several_is_still_GzipCorrupt(string damage)
        {
            ProcessRunner.RequireTool("gzip");
            using var dir = new TempDirectory();
            File.WriteAllBytes(dir.File("a"), Random(40000, 2));
            File.WriteAllBytes(dir.File("b"), Random(30000, 3));
            Assert.Equal(0, ProcessRunner.Tool("sh", new[] { "-c", "gzip -c a > a.gz && gzip -c b > b.gz" }, dir.Path).ExitCode);
            var a = File.ReadAllBytes(dir.File("a.gz"));
            var b = File.ReadAllBytes(dir.File("b.gz"));
            switch (damage)
            {
                case "crc": b[b.Length - 8] ^= 1; break;
                case "size": b[b.Length - 4] ^= 1; break;
                case "first-crc": a[a.Length - 7] ^= 0x10; break;
                case "cut": b = b.AsSpan(0, b.Length / 2).ToArray(); break;
                case "no-trailer": b = b.AsSpan(0, b.Length - 8).ToArray(); break;
            }
            File.WriteAllBytes(dir.File("p.gz"), a.Concat(b).ToArray());
            Assert.NotEqual(0, ProcessRunner.Tool("gzip", new[] { "-t", dir.File("p.gz") }).ExitCode);
            var ex = Assert.Throws<ProvisioningException>(() => new ProfileUnprotector().UnprotectFile(dir.File("p.gz"), dir.File("o/p"), null));
            Assert.Equal("GzipCorrupt", ex.ErrorId);
            Assert.Contains("p.gz", ex.Message);
            Assert.False(Directory.Exists(dir.File("o")));
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void Big_concatenated_members_stream_to_the_concatenation_and_a_bad_second_member_fails(bool corrupt)
        {
            using var dir = new TempDirectory();
            var a = Random(5 << 20, 4);
            var b = Random(4 << 20, 5);
            byte[] ga;
            using (var s = new MemoryStream()) { using (var g = new GZipStream(s, CompressionLevel.Fastest, true)) g.Write(a, 0, a.Length); ga = s.ToArray(); }
            byte[] gb;
            using (var s = new MemoryStream()) { using (var g = new GZipStream(s, CompressionLevel.Fastest, true)) g.Write(b, 0, b.Length); gb = s.ToArray(); }
            if (corrupt) gb[gb.Length - 6] ^= 1;
            File.WriteAllBytes(dir.File("p.gz"), ga.Concat(gb).ToArray());
            Assert.True(new FileInfo(dir.File("p.gz")).Length > 8 << 20); // the streaming path
            var unprotector = new ProfileUnprotector();
            if (corrupt)
            {
                Assert.Equal("GzipCorrupt", Assert.Throws<ProvisioningException>(() => unprotector.UnprotectFile(dir.File("p.gz"), dir.File("o/p"), null)).ErrorId);
                Assert.False(Directory.Exists(dir.File("o")) && Directory.EnumerateFileSystemEntries(dir.File("o")).Any());
                return;
            }
            var result = unprotector.UnprotectFile(dir.File("p.gz"), dir.File("o/p"), null);
            Assert.Equal(a.Length + b.Length, result.Length);
            Assert.Equal(a.Concat(b).ToArray(), File.ReadAllBytes(dir.File("o/p")));
        }

        [Fact]
        public void Pprov_unprotect_of_a_bomb_exits_1_with_one_clean_line()
        {
            using var dir = new TempDirectory();
            File.WriteAllBytes(dir.File("bomb.xml.gz"), GzipOf(3L << 20));
            var env = new Dictionary<string, string> { [ProfileSizeLimit.EnvironmentVariable] = "1M" };
            var r = ProcessRunner.Pprov(new[] { "unprotect", dir.File("bomb.xml.gz"), "--out", dir.File("o") }, env);
            Assert.Equal(1, r.ExitCode);
            var lines = r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length == 1, r.ToString());
            Assert.Contains(dir.File("bomb.xml.gz"), lines[0]);
            Assert.Contains("1 MiB", lines[0]);
            Assert.DoesNotContain("   at ", r.StdErr);
            Assert.False(Directory.Exists(dir.File("o")) && Directory.EnumerateFileSystemEntries(dir.File("o")).Any());

            env[ProfileSizeLimit.EnvironmentVariable] = "4M";
            var ok = ProcessRunner.Pprov(new[] { "unprotect", dir.File("bomb.xml.gz"), "--out", dir.File("o") }, env);
            Assert.True(ok.ExitCode == 0, ok.ToString());
            Assert.Equal(3L << 20, new FileInfo(dir.File("o/bomb.xml")).Length);
        }
    }
}
