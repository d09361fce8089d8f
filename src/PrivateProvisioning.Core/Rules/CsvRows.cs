using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace PrivateProvisioning.Core.Rules
{
    /// <summary>One data row of a CSV file: its 1-based number (header excluded) and its columns by header name.</summary>
    public sealed class CsvRow
    {
        internal CsvRow(int rowNumber, int lineNumber, IReadOnlyList<KeyValuePair<string, string>> columns, string? problem)
        {
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
    }

    /// <summary>
    /// A small RFC 4180 reader (what Import-Csv and Excel write): a header row, comma-separated fields, double
    /// quotes around fields holding commas, quotes (doubled) or line breaks, an optional UTF-8 BOM, CRLF or LF.
    /// Blank lines are skipped. Kept here so Core needs no CSV package.
    /// </summary>
    public static class CsvRows
    {
        /// <exception cref="ProvisioningException">The file cannot be read, has no header, a duplicate column or an unclosed quote.</exception>
        public static IReadOnlyList<CsvRow> ReadFile(string path)
        {
            string text;
            try { text = File.ReadAllText(path, new UTF8Encoding(false)); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new ProvisioningException("CsvUnreadable", ErrorKind.ReadError, $"Cannot read the CSV file '{path}': {ex.Message}", path, ex);
            }
            return Parse(text, path);
        }

        /// <param name="source">The file name for error messages.</param>
        public static IReadOnlyList<CsvRow> Parse(string text, string source)
        {
            if (text.Length > 0 && text[0] == '\uFEFF') text = text.Substring(1);
            var records = Records(text, source);
            if (records.Count == 0)
                throw new ProvisioningException("CsvEmpty", ErrorKind.InvalidData, $"The CSV file '{source}' has no header row.", source);
            var header = records[0].Fields;
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (int k = 0; k < header.Count; k++)
            {
                header[k] = header[k].Trim();
                if (header[k].Length == 0)
                    throw new ProvisioningException("CsvBadHeader", ErrorKind.InvalidData, $"{source}: column {k + 1} of the header has no name.", source);
                if (!names.Add(header[k]))
                    throw new ProvisioningException("CsvBadHeader", ErrorKind.InvalidData, $"{source}: the header names column '{header[k]}' twice.", source);
            }
            var rows = new List<CsvRow>(records.Count - 1);
            for (int r = 1; r < records.Count; r++)
            {
                var fields = records[r].Fields;
                var columns = new List<KeyValuePair<string, string>>(header.Count);
                for (int k = 0; k < header.Count; k++)
                    columns.Add(new KeyValuePair<string, string>(header[k], k < fields.Count ? fields[k] : string.Empty));
                var problem = fields.Count > header.Count
                    ? $"the row has {fields.Count} fields but the header names {header.Count} columns"
                    : null;
                rows.Add(new CsvRow(r, records[r].Line, columns, problem));
            }
            return rows;
        }

        private sealed class Record
        {
            public Record(int line) { Line = line; }
            public int Line { get; }
            public List<string> Fields { get; } = new List<string>();
        }

        private static List<Record> Records(string text, string source)
        {
            var records = new List<Record>();
            var field = new StringBuilder();
            int line = 1;
            int i = 0;
            while (i < text.Length)
            {
                // Skip blank lines between records.
                if (text[i] == '\r' || text[i] == '\n')
                {
                    if (text[i] == '\n') line++;
                    i++;
                    continue;
                }
                var record = new Record(line);
                while (true)
                {
                    field.Clear();
                    if (i < text.Length && text[i] == '"')
                    {
                        int quoteLine = line;
                        i++;
                        while (true)
                        {
                            if (i >= text.Length)
                                throw new ProvisioningException("CsvUnclosedQuote", ErrorKind.InvalidData,
                                    $"{source}: line {quoteLine}: a quoted field is not closed by '\"'.", source);
                            char c = text[i++];
                            if (c == '"')
                            {
                                if (i < text.Length && text[i] == '"') { field.Append('"'); i++; }
                                else break;
                            }
                            else
                            {
                                if (c == '\n') line++;
                                field.Append(c);
                            }
                        }
                        // Text after the closing quote up to the separator is kept, as Excel does.
                        while (i < text.Length && text[i] != ',' && text[i] != '\r' && text[i] != '\n') field.Append(text[i++]);
                    }
                    else
                        while (i < text.Length && text[i] != ',' && text[i] != '\r' && text[i] != '\n') field.Append(text[i++]);
                    record.Fields.Add(field.ToString());
                    if (i < text.Length && text[i] == ',') { i++; continue; }
                    break;
                }
                records.Add(record);
            }
            return records;
        }
    }
}
