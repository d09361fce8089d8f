using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Protection;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Protection
{
    /// <summary>The cmdlets' batches: each runs while the caller prepares the next and hands on the one before.</summary>
    public class PipelinedProtectionTests
    {
        [Fact]
        public void Each_call_hands_back_the_batch_before_in_order_and_Finish_the_last_one()
        {
            using var dir = new TempDirectory();
            var names = Enumerable.Range(0, 30).Select(i => $"000e08abcd{i:D2}.xml").ToArray();
            foreach (var name in names) File.WriteAllText(dir.File(name), $"<flat-profile><User_ID_1_>{name}</User_ID_1_></flat-profile>");
            using var protection = ProfileFileProtection.ForProtect(new ProtectRequest { Compress = true, DestinationFolder = dir.File("gz") });
            using var batches = new PipelinedProtection(protection);
            ProtectionJob[] Jobs(int from, int count) => names.Skip(from).Take(count).Select(n => protection.JobFor(n, dir.Path)).ToArray();

            Assert.Empty(batches.StartAfterPrevious(Jobs(0, 10), null));
            var first = batches.StartAfterPrevious(Jobs(10, 10), null);
            var second = batches.StartAfterPrevious(Jobs(20, 10), null);
            var third = batches.Finish();
            Assert.Empty(batches.Finish());
            var all = first.Concat(second).Concat(third).ToArray();
            Assert.Equal(names.Select(n => dir.File("gz/" + n)), all.Select(o => o.Result!.Path));
            Assert.All(all, o => Assert.Equal(WriteStatus.Created, o.Result!.Status));
            using var gzip = new GZipStream(File.OpenRead(dir.File("gz/" + names[29])), CompressionMode.Decompress);
            Assert.Contains(names[29], new StreamReader(gzip).ReadToEnd());
        }

        [Fact]
        public void A_batch_key_is_cleared_once_its_batch_is_done_and_an_empty_batch_clears_its_key_at_once()
        {
            using var dir = new TempDirectory();
            File.WriteAllText(dir.File("a.xml"), "<flat-profile/>");
            using var protection = ProfileFileProtection.ForProtect(new ProtectRequest { HasKey = true, DestinationFolder = dir.File("enc") });
            using var batches = new PipelinedProtection(protection);
            var key = Encoding.UTF8.GetBytes("Sup3r-S3cret-Pass-7391");
            batches.StartAfterPrevious(new[] { protection.JobFor("a.xml", dir.Path) }, key);
            var outcome = Assert.Single(batches.Finish());
            Assert.Null(outcome.Error);
            Assert.True(File.Exists(dir.File("enc/a.xml")));
            Assert.All(key, b => Assert.Equal(0, b));
            var unused = Encoding.UTF8.GetBytes("another");
            Assert.Empty(batches.StartAfterPrevious(Array.Empty<ProtectionJob>(), unused));
            Assert.All(unused, b => Assert.Equal(0, b));
        }

        [Fact]
        public void Disposing_waits_for_the_running_batch_so_nothing_is_written_after()
        {
            using var dir = new TempDirectory();
            var names = Enumerable.Range(0, 200).Select(i => $"000e08ab{i:D4}.xml").ToArray();
            foreach (var name in names) File.WriteAllText(dir.File(name), new string('x', 20_000));
            using var protection = ProfileFileProtection.ForProtect(new ProtectRequest { Compress = true, CompressionLevel = ProfileCompressionLevel.SmallestSize, DestinationFolder = dir.File("gz") });
            var batches = new PipelinedProtection(protection);
            batches.StartAfterPrevious(names.Select(n => protection.JobFor(n, dir.Path)).ToArray(), null);
            batches.Dispose(); // the pipeline was stopped: the outcomes are not wanted, the files are all finished
            Assert.Equal(names.Length, Directory.GetFiles(dir.File("gz")).Length);
            Assert.Empty(batches.Finish());
        }
    }
}
