using System.IO;
using System.Linq;
using System.Text;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Core.Templates;
using PrivateProvisioning.Core.Templates.Generation;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Templates
{
    /// <summary>
    /// FleetRun.ReadAccounts, whose records keep their values in one string with cells made on demand: rows come in
    /// the file's order with their numbers and cells (quoted commas included), a bad file fails when read, and a
    /// caller that stops reading early is not left waiting.
    /// </summary>
    public class AccountsReadingTests
    {
        private static FleetRun Run(TempDirectory dir, int batch) =>
            new(TemplateStore.Open(dir.Path, create: true), new FleetOptions(dir.File("out")) { Format = ProfileFormat.CiscoSpa, BatchSize = batch, RecordFile = dir.File("record") });

        [Fact]
        public void Rows_come_in_the_files_order_across_batches_with_their_cells()
        {
            using var dir = new TempDirectory();
            var csv = new StringBuilder("MacAddress,UserId,DisplayName\n");
            for (int i = 0; i < 23; i++) csv.Append($"00:0E:08:00:00:{i:X2},u{i},\"User, {i}\"\n");
            File.WriteAllText(dir.File("accounts.csv"), csv.ToString());
            using var run = Run(dir, batch: 4);
            var rows = run.ReadAccounts(dir.File("accounts.csv")).ToList();
            Assert.Equal(Enumerable.Range(1, 23), rows.Select(r => r.RowNumber));
            Assert.Equal("u22", rows[22].Cells[1].Value);
            Assert.Equal("User, 7", rows[7].Cells.Single(c => c.Key == "DisplayName").Value);
        }

        [Fact]
        public void A_bad_header_or_a_missing_file_fails_when_read()
        {
            using var dir = new TempDirectory();
            File.WriteAllText(dir.File("twice.csv"), "MAC,mac\n000E08000001,000E08000001\n");
            using var run = Run(dir, batch: 4);
            var twice = Assert.Throws<ProvisioningException>(() => run.ReadAccounts(dir.File("twice.csv")).ToList());
            Assert.Equal(ErrorIds.CsvMalformedHeader, twice.ErrorId);
            var missing = Assert.Throws<ProvisioningException>(() => run.ReadAccounts(dir.File("missing.csv")).ToList());
            Assert.Equal(ErrorIds.CsvFileUnreadable, missing.ErrorId);
        }

        [Fact]
        public void A_reader_that_stops_early_ends_the_reading_thread()
        {
            using var dir = new TempDirectory();
            var csv = new StringBuilder("MAC,UserId\n");
            for (int i = 0; i < 5000; i++) csv.Append($"000E0800{i:X4},u{i}\n");
            File.WriteAllText(dir.File("accounts.csv"), csv.ToString());
            using var run = Run(dir, batch: 8);
            var taking = System.Threading.Tasks.Task.Run(() => run.ReadAccounts(dir.File("accounts.csv")).Take(3).Count());
            Assert.True(taking.Wait(System.TimeSpan.FromSeconds(30)), "the enumeration did not end");
            Assert.Equal(3, taking.Result);
        }
    }
}
