using System.IO;
using System.Linq;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Common
{
    public class AtomicFileTests
    {
        [Fact]
        public void Parallel_writers_into_a_missing_folder_all_succeed()
        {
            for (int round = 0; round < 50; round++)
            {
                using var dir = new TempDirectory();
                var target = Path.Combine(dir.Path, "new", "folder");
                var statuses = new System.Collections.Concurrent.ConcurrentBag<PrivateProvisioning.Core.WriteStatus>();
                System.Threading.Tasks.Parallel.For(0, 16, i =>
                    statuses.Add(PrivateProvisioning.Core.AtomicFile.Write(Path.Combine(target, $"f{i}.xml"), new byte[] { (byte)i })));
                Assert.Equal(16, statuses.Count(s => s == PrivateProvisioning.Core.WriteStatus.Created));
                Assert.Equal(16, Directory.GetFiles(target).Length);
            }
        }
    }
}
