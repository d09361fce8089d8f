using System;
using System.IO;
using System.Linq;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Serving;
using PrivateProvisioning.Tests.Serving;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Reliability
{
    /// <summary>Temporary files of atomic writes are never served, and a later run sweeps the ones a killed run left.</summary>
    public class TemporaryFileTests
    {
        [Theory]
        [InlineData(".")]
        [InlineData("sub/.")]
        [InlineData("sub/")]
        [InlineData("./")]
        [InlineData("sub/..//.")]
        public void AFileNameThatNamesAFolderIsRefused(string name)
        {
            using var dir = new TempDirectory();
            var ex = Assert.Throws<ProvisioningException>(() => SafePath.Combine(dir.Path, name));
            Assert.Equal("PathOutsideDestination", ex.ErrorId);
        }

        [Theory]
        [InlineData(".")]
        [InlineData("sub/.")]
        public void PprovGenerateRefusesAFileNameRuleThatNamesAFolder(string rule)
        {
            using var dir = new TempDirectory();
            File.WriteAllText(dir.File("a.csv"), "MacAddress,UserId,Password,Extension,SipServer\n00:0E:08:AB:CD:01,u1,pw1,201,pbx.example.com\n");
            var outDir = dir.File("out");
            var r = ProcessRunner.Pprov(new[] { "generate", "--accounts", dir.File("a.csv"), "--format", "CiscoSpa", "--out", outDir, "--file-name", rule, "--no-state" }, null);
            Assert.True(r.ExitCode == 2, r.ToString()); // the only row failed: nothing done
            Assert.Contains("names", r.StdErr);
            Assert.False(File.Exists(outDir), "a file was written at the --out path itself");
            Assert.False(File.Exists(Path.Combine(outDir, "sub")), "a file named 'sub' was written");
        }

        [Theory]
        [InlineData("/.SEP000E08ABCDEF.cnf.xml.1a2b3c4d.tmp")]
        [InlineData(".SEP000E08ABCDEF.cnf.xml.1a2b3c4d.tmp")]
        [InlineData("/.git/config")]
        [InlineData("/sub/.hidden")]
        [InlineData("/sub/./.hidden")]
        public void TheServingRootNeverResolvesAHiddenName(string name)
        {
            using var dir = new TempDirectory();
            Directory.CreateDirectory(dir.File(".git"));
            Directory.CreateDirectory(dir.File("sub"));
            foreach (var f in new[] { ".SEP000E08ABCDEF.cnf.xml.1a2b3c4d.tmp", ".git/config", "sub/.hidden" })
                File.WriteAllText(dir.File(f), "secret");
            var ex = Assert.Throws<ProvisioningException>(() => new ServingRoot(dir.Path).Resolve(name));
            Assert.Equal("ServedFileNotFound", ex.ErrorId);
        }

        [Fact]
        public void AStaleTemporaryFileIsSweptAndAFreshOneKept()
        {
            using var dir = new TempDirectory();
            var stale = dir.File(".000e08abcd01.xml.0123abcd.tmp");
            var fresh = dir.File(".000e08abcd02.xml.4567cdef.tmp");
            var notOurs = dir.File(".keep.tmp");
            foreach (var f in new[] { stale, fresh, notOurs }) File.WriteAllText(f, "");
            File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-1));
            File.SetLastWriteTimeUtc(notOurs, DateTime.UtcNow.AddHours(-1));
            Assert.Equal(1, AtomicFile.SweepStaleTemporaryFiles(dir.Path, force: true));
            Assert.False(File.Exists(stale));
            Assert.True(File.Exists(fresh));
            Assert.True(File.Exists(notOurs));
        }

        [Fact]
        public void PprovGenerateAndProtectSweepTheirDestination()
        {
            using var dir = new TempDirectory();
            File.WriteAllText(dir.File("a.csv"), "MacAddress,UserId,Password,Extension,SipServer\n00:0E:08:AB:CD:01,u1,pw1,201,pbx.example.com\n");
            var outDir = Directory.CreateDirectory(dir.File("out")).FullName;
            var stale = Path.Combine(outDir, ".000e08abcd01.xml.0123abcd.tmp");
            File.WriteAllText(stale, "");
            File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-1));
            var r = ProcessRunner.Pprov(new[] { "generate", "--accounts", dir.File("a.csv"), "--format", "CiscoSpa", "--out", outDir, "--no-state" }, null);
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.False(File.Exists(stale), "generate left the stale temporary file");

            var protectedDir = Directory.CreateDirectory(dir.File("protected")).FullName;
            var staleGz = Path.Combine(protectedDir, ".000e08abcd01.xml.gz.89abcdef.tmp");
            File.WriteAllText(staleGz, "");
            File.SetLastWriteTimeUtc(staleGz, DateTime.UtcNow.AddHours(-1));
            r = ProcessRunner.Pprov(new[] { "protect", Path.Combine(outDir, "000e08abcd01.xml"), "--gzip", "--out", protectedDir }, null);
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.False(File.Exists(staleGz), "protect left the stale temporary file");
        }

        [Fact]
        public void AGenerateReRunAnsweredFromItsStateStillSweepsATemporaryFileLeftSince()
        {
            // The state lets a re-run skip the sweep while the folder's names are as the last run left them; a
            // temporary file left since (a killed run's) changes the folder, so the next run must still find it.
            using var dir = new TempDirectory();
            File.WriteAllText(dir.File("a.csv"), "MacAddress,UserId,Password,Extension,SipServer\n00:0E:08:AB:CD:01,u1,pw1,201,pbx.example.com\n00:0E:08:AB:CD:02,u2,pw2,202,pbx.example.com\n");
            var outDir = dir.File("out");
            var args = new[] { "generate", "--accounts", dir.File("a.csv"), "--format", "CiscoSpa", "--out", outDir, "--state", dir.File("gen.state") };
            for (int run = 0; run < 2; run++)
            {
                var r = ProcessRunner.Pprov(args, null);
                Assert.True(r.ExitCode == 0, r.ToString());
            }
            var stale = Path.Combine(outDir, ".000e08abcd01.xml.0123abcd.tmp");
            File.WriteAllText(stale, "");
            File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-1));
            var again = ProcessRunner.Pprov(args, null);
            Assert.True(again.ExitCode == 0, again.ToString());
            Assert.Contains("0 created, 0 updated, 2 unchanged", again.StdOut);
            Assert.False(File.Exists(stale), "an unchanged re-run left the stale temporary file");
        }

        [Fact]
        public void PprovServeAnswersNotFoundForATemporaryFileOverTftpAndHttp()
        {
            using var dir = new TempDirectory();
            var root = Directory.CreateDirectory(dir.File("root")).FullName;
            File.WriteAllText(Path.Combine(root, "000e08abcd01.xml"), "<flat-profile/>");
            File.WriteAllText(Path.Combine(root, ".000e08abcd01.xml.0123abcd.tmp"), "<flat-prof");
            using var pprov = new BackgroundPprov("serve", "--root", root, "--tftp", "127.0.0.1:0", "--http", "127.0.0.1:0", "--duration", "8");
            var ports = pprov.WaitForStderr(@"tftp://127\.0\.0\.1:(\d+) and http://127\.0\.0\.1:(\d+)");
            var local = dir.File("got");
            var tftp = ProcessRunner.Tool("tftp", new[] { "127.0.0.1", ports.Groups[1].Value, "-m", "binary", "-c", "get", ".000e08abcd01.xml.0123abcd.tmp", local }, timeoutSeconds: 20);
            Assert.False(File.Exists(local) && new FileInfo(local).Length > 0, tftp.ToString());
            var curl = ProcessRunner.Tool("curl", new[] { "-s", "-o", "/dev/null", "-w", "%{http_code}", $"http://127.0.0.1:{ports.Groups[2].Value}/.000e08abcd01.xml.0123abcd.tmp" }, timeoutSeconds: 20);
            Assert.Equal("404", curl.StdOut);
            var ok = ProcessRunner.Tool("curl", new[] { "-s", "-o", "/dev/null", "-w", "%{http_code}", $"http://127.0.0.1:{ports.Groups[2].Value}/000e08abcd01.xml" }, timeoutSeconds: 20);
            Assert.Equal("200", ok.StdOut);
        }
    }
}
