using System.IO;
using System.Linq;
using System.Text;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Templates.Generation;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Templates
{
    /// <summary>RFC 4180: quoted fields, "" escapes, embedded line breaks, CRLF/LF, BOM; errors name the line and reading goes on.</summary>
    public class CsvReaderTests
    {
        private static CsvReader Reader(string text) => new CsvReader(new StringReader(text), "accounts.csv");

        [Fact]
        public void Quoted_fields_escapes_and_embedded_newlines_are_read_as_written()
        {
            using var r = Reader("MAC,Name,Note\r\n001122334455,\"Doe, John\",\"said \"\"hi\"\"\nthen left\"\r\n001122334456,plain,\r\n");
            Assert.Equal(new[] { "MAC", "Name", "Note" }, r.Header);
            var first = r.Read()!;
            Assert.Equal(new[] { "001122334455", "Doe, John", "said \"hi\"\nthen left" }, first.Fields);
            Assert.Equal(1, first.RowNumber);
            Assert.Equal(2, first.LineNumber);
            var second = r.Read()!;
            Assert.Equal(new[] { "001122334456", "plain", "" }, second.Fields);
            Assert.Equal(2, second.RowNumber);
            Assert.Equal(4, second.LineNumber);
            Assert.Null(r.Read());
        }

        [Fact]
        public void A_BOM_is_skipped_and_blank_lines_ignored()
        {
            using var dir = new TempDirectory();
            File.WriteAllBytes(dir.File("a.csv"), Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("MacAddress,Model\n\n001122334455,SPA504G\n\n")).ToArray());
            using var r = CsvReader.Open(dir.File("a.csv"));
            Assert.Equal("MacAddress", r.Header[0]);
            var rows = r.ReadAll().ToList();
            Assert.Single(rows);
            Assert.Equal("SPA504G", rows[0].Fields[1]);
            Assert.Equal(3, rows[0].LineNumber);
        }

        [Fact]
        public void A_record_with_the_wrong_field_count_is_reported_with_its_line_and_the_next_is_read()
        {
            using var r = Reader("MAC,Name\n001122334455,a,b\n001122334456,ok\n");
            var bad = r.Read()!;
            Assert.Equal("CsvFieldCount", bad.Error!.ErrorId);
            Assert.Contains("accounts.csv line 2", bad.Error.Message);
            Assert.Contains("3 field(s) but the header has 2", bad.Error.Message);
            Assert.Equal(new[] { "001122334456", "ok" }, r.Read()!.Fields);
        }

        [Fact]
        public void A_stray_quote_is_reported_and_reading_goes_on()
        {
            using var r = Reader("MAC,Name\n001122334455,ab\"c\n\"x\"y,z\n001122334456,ok\n");
            Assert.Contains("line 2", r.Read()!.Error!.Message);
            Assert.Contains("line 3", r.Read()!.Error!.Message);
            Assert.Equal("ok", r.Read()!.Fields[1]);
        }

        [Fact]
        public void An_unterminated_quote_names_the_line_where_it_opened()
        {
            using var r = Reader("MAC,Name\n001122334455,\"open\nmore\nlines\n");
            var bad = r.Read()!;
            Assert.Equal("CsvUnterminatedQuote", bad.Error!.ErrorId);
            Assert.Contains("starting on line 2", bad.Error.Message);
            Assert.Null(r.Read());
        }

        [Fact]
        public void A_bad_header_is_refused()
        {
            Assert.Equal("CsvNoHeader", Assert.Throws<ProvisioningException>(() => Reader("")).ErrorId);
            Assert.Contains("twice", Assert.Throws<ProvisioningException>(() => Reader("MAC,mac\n")).Message);
        }

        [Fact]
        public void Records_longer_than_the_buffer_and_a_missing_final_newline_are_read()
        {
            var big = new string('x', 200_000);
            using var r = Reader($"MAC,Big\n001122334455,\"{big}\"\n001122334456,{big}");
            Assert.Equal(big, r.Read()!.Fields[1]);
            Assert.Equal(big, r.Read()!.Fields[1]);
            Assert.Null(r.Read());
        }

        [Fact]
        public void A_short_row_ending_with_a_line_break_reads_its_missing_fields_as_empty()
        {
            using var r = Reader("MAC,Name,Note\n001122334455,Anna\n001122334456,Marco,x\n");
            Assert.Equal(new[] { "001122334455", "Anna", "" }, r.Read()!.Fields);
            Assert.Equal(new[] { "001122334456", "Marco", "x" }, r.Read()!.Fields);
        }

        [Fact]
        public void A_whole_last_row_without_a_line_end_is_read()
        {
            using var r = Reader("MAC,Name\n001122334455,Anna");
            Assert.Equal(new[] { "001122334455", "Anna" }, r.Read()!.Fields);
            Assert.Null(r.Read());
        }

        [Fact]
        public void A_last_row_cut_off_without_a_line_end_is_a_row_error_and_the_rows_before_it_are_read()
        {
            // The probed file: the last line stops in the middle of a field ("25496" cut to "2").
            using (var r = CsvReader.Open(Path.Combine(TestPaths.RepoRoot, "tests", "vectors", "reliability", "csv-truncated-row.csv")))
            {
                var row = r.Read()!;
                Assert.NotNull(row.Error);
                Assert.Equal("CsvTruncatedRecord", row.Error!.ErrorId);
                Assert.Equal(1, row.RowNumber);
                Assert.Contains("line 2", row.Error.Message);
                Assert.Contains("cut off", row.Error.Message);
                Assert.Null(r.Read());
            }

            using var two = Reader("MAC,Name,Ext\n001122334455,Anna,201\n001122334456,Mar");
            Assert.Null(two.Read()!.Error);
            var cut = two.Read()!;
            Assert.Equal("CsvTruncatedRecord", cut.Error!.ErrorId);
            Assert.Equal(2, cut.RowNumber);
        }
    }
}
