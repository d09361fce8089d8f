using System;
using System.Collections.Generic;
using System.IO;

namespace PrivateProvisioning.Core.Rules
{
    /// <summary>One data row of a CSV file: its 1-based number (header excluded) and its columns by header name.</summary>
    public sealed class CsvRow
    {
        internal CsvRow(int rowNumber, int lineNumber, IReadOnlyList<KeyValuePair<string, string>> columns, string? problem, string? problemId = null)
        {
            ProblemId = problemId;
            RowNumber = rowNumber;
            LineNumber = lineNumber;
            Columns = columns;
            Problem = problem;
        }

        public int RowNumber { get; }
        /// <summary>1-based line in the file where the row starts.</summary>
        public int LineNumber { get; }
        public IReadOnlyList<KeyValuePair<string, string>> Columns { get; }
        /// <summary>Why the row is unusable (more fields than the header), or null; the other rows are still read.</summary>
        public string? Problem { get; }
        /// <summary>The catalogue id of <see cref="Problem"/> (CsvFieldCount, CsvMalformedRecord...), or null.</summary>
        public string? ProblemId { get; }
    }

    /// <summary>
    /// A CSV file read whole into rows of named columns (what Import-Csv gives a cmdlet), on top of the
    /// product's one streaming reader, CsvReader. For the small phone lists of pprov expand --from-csv.
    /// </summary>
    public static class CsvRows
    {
        /// <exception cref="ProvisioningException">The file cannot be read, has no header, a duplicate column or an unclosed quote.</exception>
        public static IReadOnlyList<CsvRow> ReadFile(string path)
        {
            using (var reader = CsvReader.Open(path))
                return ReadAll(reader);
        }

        /// <param name="text">The CSV text.</param>
        /// <param name="source">The file name for error messages.</param>
        public static IReadOnlyList<CsvRow> Parse(string text, string source)
        {
            using (var reader = new CsvReader(new StringReader(text), source))
                return ReadAll(reader);
        }

        private static IReadOnlyList<CsvRow> ReadAll(CsvReader reader)
        {
            var header = reader.Header;
            var rows = new List<CsvRow>();
            foreach (var record in reader.ReadAll())
            {
                // An unclosed quote swallows the rest of the file: nothing after it can be trusted.
                if (record.Error != null && record.Error.ErrorId == ErrorIds.CsvUnterminatedQuote) throw record.Error;
                var columns = new List<KeyValuePair<string, string>>(header.Count);
                for (int k = 0; k < header.Count; k++)
                    columns.Add(new KeyValuePair<string, string>(header[k], k < record.Fields.Length ? record.Fields[k] : string.Empty));
                rows.Add(new CsvRow(record.RowNumber, record.LineNumber, columns, record.Problem, record.Error?.ErrorId));
            }
            return rows;
        }
    }
}
