using System;
using System.Collections.Generic;

namespace PrivateProvisioning.Core.Templates.Generation
{
    /// <summary>One input row: its 1-based data row number and its cells (column → value), or the error that made it unreadable.</summary>
    public sealed class AccountRow
    {
        public AccountRow(int rowNumber, IReadOnlyList<KeyValuePair<string, string>> cells, ProvisioningException? error = null)
        {
            RowNumber = rowNumber;
            Cells = cells;
            Error = error;
        }

        public int RowNumber { get; }
        public IReadOnlyList<KeyValuePair<string, string>> Cells { get; }
        public ProvisioningException? Error { get; }

        /// <summary>Pairs a CSV record with its header.</summary>
        public static AccountRow FromCsv(IReadOnlyList<string> header, CsvRecord record)
        {
            if (record.Error != null) return new AccountRow(record.RowNumber, Array.Empty<KeyValuePair<string, string>>(), record.Error);
            var cells = new KeyValuePair<string, string>[header.Count];
            for (int i = 0; i < cells.Length; i++) cells[i] = new KeyValuePair<string, string>(header[i], record.Fields[i]);
            return new AccountRow(record.RowNumber, cells);
        }
    }
}
