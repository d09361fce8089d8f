using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using PrivateProvisioning.Core.Rules;
using PrivateProvisioning.Core.Templates.Generation;

namespace PrivateProvisioning.Templates
{
    /// <summary>Rows as Core's cells, and the error target a row is shown as (secret columns masked).</summary>
    internal static class RowCells
    {
        /// <summary>The row's columns: an Import-Csv object's properties, or a hashtable's entries.</summary>
        public static IReadOnlyList<KeyValuePair<string, string>> Of(PSObject input)
        {
            if (input.BaseObject is IDictionary table)
            {
                var entries = new List<KeyValuePair<string, string>>(table.Count);
                foreach (DictionaryEntry e in table)
                    entries.Add(new KeyValuePair<string, string>(LanguagePrimitives.ConvertTo<string>(e.Key), Text(e.Value)));
                return entries;
            }
            var cells = new List<KeyValuePair<string, string>>(16);
            foreach (var p in input.Properties)
            {
                if (!p.IsGettable) continue;
                object? value;
                try { value = p.Value; } catch (GetValueException) { continue; }
                cells.Add(new KeyValuePair<string, string>(p.Name, Text(value)));
            }
            return cells;
        }

        private static string Text(object? value) =>
            value == null ? string.Empty : value as string ?? LanguagePrimitives.ConvertTo<string>(value);

        /// <summary>
        /// An error's TargetObject: a copy of the input row (same columns, same order) in which every secret column
        /// (Password and any column named like a secret) reads ********, so the record can be shown or logged.
        /// Every other cell has the arguments of --key/--pwd hidden (a Rule column carrying an AES key): the one
        /// masking rule is Core's <see cref="AccountColumns.MaskCell"/>. A piped string (an address, a rule) is its
        /// text with --key/--pwd hidden; a number stays as it is.
        /// A record the CSV reader could not read has no columns: its target is the CSV file.
        /// </summary>
        public static object? Masked(object? input, string? csvPath)
        {
            IEnumerable<KeyValuePair<string, string>> cells;
            switch (input)
            {
                case PSObject pso when pso.BaseObject is string text: return RuleRedaction.Redact(text);
                case PSObject pso when pso.BaseObject.GetType().IsPrimitive: return pso.BaseObject;
                case PSObject pso: cells = Of(pso); break;
                case string text: return RuleRedaction.Redact(text);
                case AccountRow row when row.Error == null: cells = row.Cells; break;
                default: return csvPath;
            }
            var copy = new PSObject();
            foreach (var cell in cells)
                copy.Properties.Add(new PSNoteProperty(cell.Key, AccountColumns.MaskCell(cell.Key, cell.Value)));
            return copy;
        }
    }
}
