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
        public ResyncCsvError(int rowNumber, string message, string? errorId = null, ErrorKind kind = ErrorKind.InvalidData)
        {
            RowNumber = rowNumber;
            Message = message;
            Error = new ProvisioningException(errorId ?? ErrorIds.CsvMalformedRecord, kind, message);
        }

        /// <summary>1-based data row (header excluded).</summary>
        public int RowNumber { get; }
        public string Message { get; }
        /// <summary>The row's failure with its catalogue id (the cell's own: InvalidMacAddress, InvalidPort, UnknownVendor...).</summary>
        public ProvisioningException Error { get; }
    }

    /// <summary>
    /// Reads phones from the accounts CSV (or any CSV with an IPAddress column): IPAddress (or IP/Host), and
    /// optionally Port, MacAddress (or MAC), Vendor (or Format), Model. A bad row is reported and skipped.
    /// </summary>
    public static class ResyncTargetCsv
    {
        public static IReadOnlyList<ResyncTarget> Read(string path, out IReadOnlyList<ResyncCsvError> errors)
        {
            using (var reader = CsvReader.Open(path))
                return Parse(reader, out errors);
        }

        public static IReadOnlyList<ResyncTarget> Parse(string text, string sourceName, out IReadOnlyList<ResyncCsvError> errors)
        {
            using (var reader = new CsvReader(new StringReader(text), sourceName))
                return Parse(reader, out errors);
        }

        private static IReadOnlyList<ResyncTarget> Parse(CsvReader reader, out IReadOnlyList<ResyncCsvError> errors)
        {
            var sourceName = reader.SourceName;
            var problems = new List<ResyncCsvError>();
            var targets = new List<ResyncTarget>();
            var header = reader.Header;
            int ip = Column(header, "IPAddress", "IP", "Host");
            if (ip < 0)
                throw new ProvisioningException(ErrorIds.CsvMissingColumn, ErrorKind.InvalidData,
                    $"'{sourceName}' has no IPAddress column (the header is '{string.Join(",", header)}').", sourceName);
            int port = Column(header, "Port"), mac = Column(header, "MacAddress", "MAC"), vendor = Column(header, "Vendor", "Format"), model = Column(header, "Model");
            foreach (var record in reader.ReadAll())
            {
                int r = record.RowNumber;
                if (record.Error != null)
                {
                    problems.Add(new ResyncCsvError(r, $"{sourceName} row {r}: {record.Error.Message}", record.Error.ErrorId, record.Error.Kind));
                    continue;
                }
                var row = record.Fields;
                string Cell(int i) => i >= 0 && i < row.Length ? row[i].Trim() : "";
                try
                {
                    int portValue = 0;
                    if (Cell(port).Length > 0 && (!int.TryParse(Cell(port), NumberStyles.None, CultureInfo.InvariantCulture, out portValue) || portValue < 1 || portValue > 65535))
                        throw new ProvisioningException(ErrorIds.InvalidPort, ErrorKind.InvalidData, $"column Port: '{Cell(port)}' is not a port number (1-65535).");
                    targets.Add(new ResyncTarget(Cell(ip), portValue, Cell(mac), Cell(vendor), Cell(model)));
                }
                catch (ProvisioningException ex)
                {
                    problems.Add(new ResyncCsvError(r, $"{sourceName} row {r}: {ex.Message}", ex.ErrorId, ex.Kind));
                }
            }
            errors = problems;
            return targets;
        }

        private static int Column(IReadOnlyList<string> header, params string[] names)
        {
            for (int i = 0; i < header.Count; i++)
                foreach (var n in names)
                    if (string.Equals(header[i], n, StringComparison.OrdinalIgnoreCase)) return i;
            return -1;
        }
    }
}
