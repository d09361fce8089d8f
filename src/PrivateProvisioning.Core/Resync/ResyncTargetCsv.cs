using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace PrivateProvisioning.Core.Resync
{
    /// <summary>One CSV row that could not become a target, with the row number and what is wrong.</summary>
    public sealed class ResyncCsvError
    {
        public ResyncCsvError(int rowNumber, string message)
        {
            RowNumber = rowNumber;
            Message = message;
        }

        /// <summary>1-based data row (header excluded).</summary>
        public int RowNumber { get; }
        public string Message { get; }
    }

    /// <summary>
    /// Reads phones from the accounts CSV (or any CSV with an IPAddress column): IPAddress (or IP/Host), and
    /// optionally Port, MacAddress (or MAC), Vendor (or Format), Model. A bad row is reported and skipped.
    /// </summary>
    public static class ResyncTargetCsv
    {
        public static IReadOnlyList<ResyncTarget> Read(string path, out IReadOnlyList<ResyncCsvError> errors)
        {
            string text;
            try { text = File.ReadAllText(path, Encoding.UTF8); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new ProvisioningException("CsvUnreadable", ErrorKind.ReadError, $"Cannot read '{path}': {ex.Message}", path, ex);
            }
            return Parse(text, path, out errors);
        }

        public static IReadOnlyList<ResyncTarget> Parse(string text, string sourceName, out IReadOnlyList<ResyncCsvError> errors)
        {
            var rows = SplitRows(text, sourceName);
            var problems = new List<ResyncCsvError>();
            var targets = new List<ResyncTarget>();
            if (rows.Count == 0)
                throw new ProvisioningException("CsvEmpty", ErrorKind.InvalidData, $"'{sourceName}' has no header row.", sourceName);
            var header = rows[0];
            int ip = Column(header, "IPAddress", "IP", "Host");
            if (ip < 0)
                throw new ProvisioningException("CsvMissingColumn", ErrorKind.InvalidData,
                    $"'{sourceName}' has no IPAddress column (the header is '{string.Join(",", header)}').", sourceName);
            int port = Column(header, "Port"), mac = Column(header, "MacAddress", "MAC"), vendor = Column(header, "Vendor", "Format"), model = Column(header, "Model");
            for (int r = 1; r < rows.Count; r++)
            {
                var row = rows[r];
                if (row.Count == 1 && row[0].Trim().Length == 0) continue;
                string Cell(int i) => i >= 0 && i < row.Count ? row[i].Trim() : "";
                try
                {
                    int portValue = 0;
                    if (Cell(port).Length > 0 && (!int.TryParse(Cell(port), NumberStyles.None, CultureInfo.InvariantCulture, out portValue) || portValue < 1 || portValue > 65535))
                        throw new ProvisioningException("InvalidPort", ErrorKind.InvalidData, $"column Port: '{Cell(port)}' is not a port number (1-65535).");
                    targets.Add(new ResyncTarget(Cell(ip), portValue, Cell(mac), Cell(vendor), Cell(model)));
                }
                catch (ProvisioningException ex)
                {
                    problems.Add(new ResyncCsvError(r, $"{sourceName} row {r}: {ex.Message}"));
                }
            }
            errors = problems;
            return targets;
        }

        private static int Column(List<string> header, params string[] names)
        {
            for (int i = 0; i < header.Count; i++)
                foreach (var n in names)
                    if (string.Equals(header[i].Trim().TrimStart('\uFEFF'), n, StringComparison.OrdinalIgnoreCase)) return i;
            return -1;
        }

        // RFC 4180: quoted fields may hold commas, doubled quotes and line breaks.
        private static List<List<string>> SplitRows(string text, string sourceName)
        {
            var rows = new List<List<string>>();
            var row = new List<string>();
            var field = new StringBuilder();
            bool quoted = false, any = false;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                any = true;
                if (quoted)
                {
                    if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                    else if (c == '"') quoted = false;
                    else field.Append(c);
                }
                else if (c == '"' && field.Length == 0) quoted = true;
                else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
                else if (c == '\r' || c == '\n')
                {
                    if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                    row.Add(field.ToString()); field.Clear();
                    rows.Add(row); row = new List<string>();
                    any = false;
                }
                else field.Append(c);
            }
            if (quoted)
                throw new ProvisioningException("CsvUnterminatedQuote", ErrorKind.InvalidData, $"'{sourceName}' ends inside a quoted field (row {rows.Count}).", sourceName);
            if (any) { row.Add(field.ToString()); rows.Add(row); }
            return rows;
        }
    }
}
