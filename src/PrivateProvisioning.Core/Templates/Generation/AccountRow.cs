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
            _cells = cells;
            Error = error;
        }

        /// <summary>
        /// A CSV row as the reader keeps it (its values in one string): the cells are made when first asked for. A
        /// re-run answers most rows from the generation state through <see cref="Count"/>, <see cref="Column"/> and
        /// <see cref="ValueSpan"/> without them.
        /// </summary>
        private AccountRow(int rowNumber, IReadOnlyList<string> header, string text, int[] ends)
        {
            RowNumber = rowNumber;
            _header = header;
            _text = text;
            _ends = ends;
        }

        private IReadOnlyList<KeyValuePair<string, string>>? _cells;
        private readonly IReadOnlyList<string>? _header;
        private readonly string? _text;
        private readonly int[]? _ends;

        public int RowNumber { get; }

        /// <summary>The MAC address column's value as a number once the driver has read it (-1 before, or when it is not a MAC address).</summary>
        internal long ParsedMac = -1;
        public IReadOnlyList<KeyValuePair<string, string>> Cells => _cells ??= MakeCells();
        public ProvisioningException? Error { get; }

        /// <summary>The number of cells.</summary>
        internal int Count => _ends?.Length ?? Cells.Count;

        /// <summary>The column name of cell <paramref name="i"/>.</summary>
        internal string Column(int i) => _header != null ? _header[i] : Cells[i].Key;

        /// <summary>The value of cell <paramref name="i"/>, without making a string of it.</summary>
        internal ReadOnlySpan<char> ValueSpan(int i)
        {
            if (_ends == null) return (Cells[i].Value ?? string.Empty).AsSpan();
            int start = i == 0 ? 0 : _ends[i - 1];
            return _text.AsSpan(start, _ends[i] - start);
        }

        /// <summary>The value of cell <paramref name="i"/> as a string.</summary>
        internal string Value(int i) => _ends == null ? Cells[i].Value ?? string.Empty : ValueSpan(i).ToString();

        /// <summary>The object the column names come from: rows of one CSV share their header (and their column positions).</summary>
        internal object? Header => _header;

        private IReadOnlyList<KeyValuePair<string, string>> MakeCells()
        {
            var fields = CsvRecord.Split(_text!, _ends!);
            var cells = new KeyValuePair<string, string>[fields.Length];
            for (int i = 0; i < cells.Length; i++) cells[i] = new KeyValuePair<string, string>(_header![i], fields[i]);
            return cells;
        }

        /// <summary>Pairs a CSV record with its header.</summary>
        public static AccountRow FromCsv(IReadOnlyList<string> header, CsvRecord record)
        {
            if (record.Error != null) return new AccountRow(record.RowNumber, Array.Empty<KeyValuePair<string, string>>(), record.Error);
            if (record.Text != null && record.Ends!.Length == header.Count) return new AccountRow(record.RowNumber, header, record.Text, record.Ends);
            var cells = new KeyValuePair<string, string>[header.Count];
            for (int i = 0; i < cells.Length; i++) cells[i] = new KeyValuePair<string, string>(header[i], record.Fields[i]);
            return new AccountRow(record.RowNumber, cells);
        }
    }
}
