using System;
using System.Threading;

namespace PrivateProvisioning.Core.Templates.Generation
{
    /// <summary>
    /// Where a row's MAC address, Template, Group, Format and Model columns are, found once per header instead of
    /// classifying every column name of every row (rows of one CSV share their header; pipeline rows are checked
    /// by their column names). The last column of a kind wins, as in <see cref="AccountColumns.Build"/>.
    /// </summary>
    internal sealed class RowShape
    {
        private readonly object? _header;
        private readonly string[] _columns;
        public readonly int Mac = -1, Template = -1, Group = -1, Format = -1, Model = -1;

        private RowShape(AccountRow row)
        {
            _header = row.Header;
            _columns = new string[row.Count];
            for (int i = 0; i < _columns.Length; i++)
            {
                _columns[i] = row.Column(i);
                switch (AccountColumns.Classify(_columns[i]))
                {
                    case AccountField.MacAddress: Mac = i; break;
                    case AccountField.Template: Template = i; break;
                    case AccountField.Group: Group = i; break;
                    case AccountField.Format: Format = i; break;
                    case AccountField.Model: Model = i; break;
                }
            }
        }

        private bool Fits(AccountRow row)
        {
            if (_header != null || row.Header != null) return ReferenceEquals(_header, row.Header);
            if (row.Count != _columns.Length) return false;
            for (int i = 0; i < _columns.Length; i++) if (!ReferenceEquals(row.Column(i), _columns[i]) && row.Column(i) != _columns[i]) return false;
            return true;
        }

        /// <summary>The shape of <paramref name="row"/>: <paramref name="last"/> when it fits, else a new one kept there (any thread).</summary>
        public static RowShape Of(AccountRow row, ref RowShape? last)
        {
            var shape = Volatile.Read(ref last);
            if (shape == null || !shape.Fits(row)) Volatile.Write(ref last, shape = new RowShape(row));
            return shape;
        }

        /// <summary>The trimmed value of column <paramref name="i"/>, null when there is no such column or it is blank.</summary>
        public static string? Trimmed(AccountRow row, int i)
        {
            if (i < 0) return null;
            var value = row.ValueSpan(i).Trim();
            return value.Length == 0 ? null : value.ToString();
        }
    }
}
