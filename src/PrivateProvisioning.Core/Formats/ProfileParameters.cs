using System;
using System.Collections.Generic;

namespace PrivateProvisioning.Core.Formats
{
    /// <summary>
    /// One parameter of a profile being written, with where its value came from so an error can name the CSV
    /// column (or the template parameter) without showing the value.
    /// </summary>
    internal struct ProfileParameter
    {
        public string Name;
        public string Value;
        /// <summary>The CSV column the value came from, or null when it came from the template.</summary>
        public string? Column;

        /// <summary>A comment ("#" name, the value is the text after the '#') or blank line (empty name), not a parameter.</summary>
        public bool IsLayout => Name.Length == 0 || Name[0] == '#';
        public bool IsBlankLine => Name.Length == 0;
    }

    /// <summary>
    /// Merges a document's parameters in the contract's precedence: template parameters, then the account's
    /// known fields mapped to the format's names, then extra CSV columns. A later source replaces the value of
    /// a name already present but keeps its first position, so the output order is stable: template order,
    /// then account fields, then extra columns. An empty extra column (an empty CSV cell) overrides nothing.
    /// Template entries named "#" (a comment, whose text is the value) or "" (a blank line) are layout: they
    /// keep their place, may repeat, and formats with comments write them (Panasonic "#...", XML &lt;!--...--&gt;).
    /// </summary>
    internal sealed class ProfileParameters
    {
        // Most profiles have a few dozen parameters: a linear scan beats hashing until the list grows.
        private const int IndexThreshold = 24;
        private readonly StringComparer _comparer;
        private Dictionary<string, int>? _index;
        private ProfileParameter[] _items = new ProfileParameter[32];

        public ProfileParameters(StringComparer comparer)
        {
            _comparer = comparer;
        }

        private int IndexOf(string name)
        {
            if (_index != null) return _index.TryGetValue(name, out int at) ? at : -1;
            for (int i = 0; i < Count; i++)
                if (!_items[i].IsLayout && _comparer.Equals(_items[i].Name, name)) return i;
            return -1;
        }

        public int Count { get; private set; }

        public ref ProfileParameter this[int i] => ref _items[i];

        public void Set(string name, string? value, string? column)
        {
            if (value == null) return;
            if (IsLayoutName(name))
            {
                Append(name, value, column);
                return;
            }
            int at = IndexOf(name);
            if (at >= 0)
            {
                _items[at].Value = value;
                _items[at].Column = column;
                return;
            }
            if (_index == null && Count >= IndexThreshold)
            {
                _index = new Dictionary<string, int>(Count * 2, _comparer);
                for (int i = 0; i < Count; i++)
                    if (!_items[i].IsLayout) _index[_items[i].Name] = i;
            }
            _index?.Add(name, Count);
            Append(name, value, column);
        }

        /// <summary>Empties the list for the next document (the values may be passwords: no reference is kept).</summary>
        public void Clear()
        {
            Array.Clear(_items, 0, Count);
            Count = 0;
            _index = null;
        }

        /// <summary>True for "" (blank line) and names starting with '#' (comment).</summary>
        public static bool IsLayoutName(string name) => name.Length == 0 || name[0] == '#';

        private void Append(string name, string value, string? column)
        {
            if (Count == _items.Length) Array.Resize(ref _items, Count * 2);
            _items[Count] = new ProfileParameter { Name = name, Value = value, Column = column };
            Count++;
        }

        public bool TryGet(string name, out string value)
        {
            int at = IndexOf(name);
            if (at >= 0) { value = _items[at].Value; return true; }
            value = "";
            return false;
        }

        public void AddTemplate(ProfileDocument document)
        {
            var t = document.TemplateParameters;
            for (int i = 0; i < t.Count; i++) Set(t[i].Key, t[i].Value, null);
        }

        public void AddExtraColumns(ProfileDocument document)
        {
            var extra = document.Account.ExtraColumns;
            for (int i = 0; i < extra.Count; i++)
            {
                if (string.IsNullOrEmpty(extra[i].Value) || IsLayoutName(extra[i].Key)) continue;
                Set(extra[i].Key, extra[i].Value, extra[i].Key);
            }
        }

        /// <summary>The parameters (layout entries left out) in file order.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> ToList()
        {
            var list = new List<KeyValuePair<string, string>>(Count);
            for (int i = 0; i < Count; i++)
                if (!_items[i].IsLayout) list.Add(new KeyValuePair<string, string>(_items[i].Name, _items[i].Value));
            return list;
        }
    }
}
