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
    }

    /// <summary>
    /// Merges a document's parameters in the contract's precedence: template parameters, then the account's
    /// known fields mapped to the format's names, then extra CSV columns. A later source replaces the value of
    /// a name already present but keeps its first position, so the output order is stable: template order,
    /// then account fields, then extra columns. An empty extra column (an empty CSV cell) overrides nothing.
    /// </summary>
    internal sealed class ProfileParameters
    {
        private readonly Dictionary<string, int> _index;
        private ProfileParameter[] _items = new ProfileParameter[32];

        public ProfileParameters(StringComparer comparer)
        {
            _index = new Dictionary<string, int>(64, comparer);
        }

        public int Count { get; private set; }

        public ref ProfileParameter this[int i] => ref _items[i];

        public void Set(string name, string? value, string? column)
        {
            if (value == null) return;
            if (_index.TryGetValue(name, out int at))
            {
                _items[at].Value = value;
                _items[at].Column = column;
                return;
            }
            if (Count == _items.Length) Array.Resize(ref _items, Count * 2);
            _items[Count] = new ProfileParameter { Name = name, Value = value, Column = column };
            _index.Add(name, Count);
            Count++;
        }

        public bool TryGet(string name, out string value)
        {
            if (_index.TryGetValue(name, out int at)) { value = _items[at].Value; return true; }
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
                if (string.IsNullOrEmpty(extra[i].Value)) continue;
                Set(extra[i].Key, extra[i].Value, extra[i].Key);
            }
        }

        public IReadOnlyList<KeyValuePair<string, string>> ToList()
        {
            var list = new KeyValuePair<string, string>[Count];
            for (int i = 0; i < Count; i++) list[i] = new KeyValuePair<string, string>(_items[i].Name, _items[i].Value);
            return list;
        }
    }
}
