using System.IO;
using System.Linq;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Templates;
using PrivateProvisioning.Core.Templates.Generation;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Templates
{
    /// <summary>
    /// pprov pulls its rows through <see cref="FleetRun.Generate"/>, which reads and routes the next batch while the
    /// last one is written: what a user sees must be what the one-batch-at-a-time loop gave.
    /// </summary>
    public class FleetRunPipelineTests
    {
        private const int Rows = 120;

        private static string Csv()
        {
            var rows = Enumerable.Range(0, Rows).Select(i => FleetRunPprovTests.Row(i)).ToList();
            rows[57] = FleetRunPprovTests.Row(3);          // a phone already on row 4, in a later batch
            rows[90] = FleetRunPprovTests.NoFamily;        // a row no family takes
            return FleetRunPprovTests.Csv(rows);
        }

        private static FleetRun NewRun(TempDirectory dir) =>
            new FleetRun(TemplateStore.Open(Path.Combine(TestPaths.Examples, "store")), new FleetOptions(dir.File("out"))
            {
                BatchSize = 7,
                MaxDegreeOfParallelism = 2,
                KeepState = true,
                StateFile = dir.File("gen.state"),
                RecordFile = dir.File("written.record"),
            });

        [Fact]
        public void Batches_in_flight_give_every_row_once_in_row_order_and_the_same_checks()
        {
            using var dir = new TempDirectory();
            File.WriteAllText(dir.File("accounts.csv"), Csv());
            for (int pass = 0; pass < 2; pass++)
            {
                using var run = NewRun(dir);
                var outcomes = run.Generate(run.ReadAccounts(dir.File("accounts.csv"))).ToList();
                var summary = run.Finish();
                Assert.Equal(Enumerable.Range(1, Rows), outcomes.Select(o => o.RowNumber));
                Assert.Equal(ErrorIds.DuplicateMacAddress, outcomes[57].Error?.ErrorId);
                Assert.Equal(ErrorIds.RowWithoutFormat, outcomes[90].Error?.ErrorId);
                var written = outcomes.Where(o => o.Succeeded).ToList();
                Assert.Equal(Rows - 2, written.Count);
                Assert.All(written, o => Assert.True(File.Exists(o.Result!.Path)));
                var expected = pass == 0 ? WriteStatus.Created : WriteStatus.Unchanged;
                Assert.All(written, o => Assert.Equal(expected, o.Result!.Status));
                Assert.Equal(pass == 0 ? Rows - 2 : 0, summary.Created);
                Assert.Equal(pass == 0 ? 0 : Rows - 2, summary.Unchanged);
                Assert.Equal(2, summary.Failed);
            }
        }

        [Fact]
        public void A_caller_that_stops_early_leaves_no_batch_running_and_the_next_run_is_whole()
        {
            using var dir = new TempDirectory();
            File.WriteAllText(dir.File("accounts.csv"), Csv());
            using (var run = NewRun(dir))
                Assert.Equal(10, run.Generate(run.ReadAccounts(dir.File("accounts.csv"))).Take(10).Count());
            Assert.Empty(Directory.GetFiles(dir.Path, "gen.state*")); // an interrupted run keeps no state of its own

            using var again = NewRun(dir);
            var outcomes = again.Generate(again.ReadAccounts(dir.File("accounts.csv"))).ToList();
            again.Finish();
            Assert.Equal(Rows - 2, outcomes.Count(o => o.Succeeded));
            Assert.All(outcomes.Where(o => o.Succeeded), o => Assert.True(File.Exists(o.Result!.Path)));
        }
    }
}
