using System;
using System.Collections.Generic;
using System.Text;

namespace PrivateProvisioning.Core.Formats
{
    /// <summary>How a parameter differs between the file on disk and the profile about to be written.</summary>
    public enum ParameterChangeKind
    {
        Added,
        Removed,
        Changed,
    }

    /// <summary>One parameter that differs. Values of secret parameters are never kept, only the fact that they changed.</summary>
    public sealed class ParameterChange
    {
        internal ParameterChange(string name, ParameterChangeKind kind, string? oldValue, string? newValue, bool isSecret)
        {
            Name = name;
            Kind = kind;
            IsSecret = isSecret;
            OldValue = isSecret ? null : oldValue;
            NewValue = isSecret ? null : newValue;
        }

        public string Name { get; }
        public ParameterChangeKind Kind { get; }

        /// <summary>True for passwords and keys (<see cref="SecretParameterNames"/>): OldValue and NewValue are then null.</summary>
        public bool IsSecret { get; }

        /// <summary>The value in the old file; null when added or secret.</summary>
        public string? OldValue { get; }

        /// <summary>The value in the new profile; null when removed or secret.</summary>
        public string? NewValue { get; }

        /// <summary>One line for verbose/-WhatIf output: "+ Name = 'v'", "- Name", "~ Name: 'a' -> 'b'", "~ Password_1_ (secret)".</summary>
        public override string ToString()
        {
            switch (Kind)
            {
                case ParameterChangeKind.Added: return IsSecret ? $"+ {Name} (secret)" : $"+ {Name} = '{NewValue}'";
                case ParameterChangeKind.Removed: return IsSecret ? $"- {Name} (secret)" : $"- {Name} (was '{OldValue}')";
                default: return IsSecret ? $"~ {Name} (secret, changed)" : $"~ {Name}: '{OldValue}' -> '{NewValue}'";
            }
        }
    }

    /// <summary>The differences between two parameter lists, in the new profile's order, removals last.</summary>
    public sealed class ProfileDiffResult
    {
        internal ProfileDiffResult(IReadOnlyList<ParameterChange> changes) { Changes = changes; }

        public IReadOnlyList<ParameterChange> Changes { get; }

        public bool HasChanges => Changes.Count > 0;

        public IReadOnlyList<string> Added => Names(ParameterChangeKind.Added);
        public IReadOnlyList<string> Removed => Names(ParameterChangeKind.Removed);
        public IReadOnlyList<string> Changed => Names(ParameterChangeKind.Changed);

        private IReadOnlyList<string> Names(ParameterChangeKind kind)
        {
            var list = new List<string>();
            foreach (var c in Changes) if (c.Kind == kind) list.Add(c.Name);
            return list;
        }

        /// <summary>"2 changed (Resync_Periodic, Password_1_), 1 added (Station_Name)" or "no parameter differs"; names only, never values.</summary>
        public string Summary()
        {
            if (!HasChanges) return "no parameter differs";
            var sb = new StringBuilder();
            Part(sb, "changed", Changed);
            Part(sb, "added", Added);
            Part(sb, "removed", Removed);
            return sb.ToString();
        }

        private static void Part(StringBuilder sb, string what, IReadOnlyList<string> names)
        {
            if (names.Count == 0) return;
            if (sb.Length > 0) sb.Append(", ");
            sb.Append(names.Count).Append(' ').Append(what).Append(" (");
            int shown = Math.Min(names.Count, 10);
            for (int i = 0; i < shown; i++) { if (i > 0) sb.Append(", "); sb.Append(names[i]); }
            if (names.Count > shown) sb.Append(", ...");
            sb.Append(')');
        }

        public override string ToString() => Summary();
    }

    /// <summary>
    /// Parameter-level comparison of two profiles (the file on disk and the one generation would write, or an
    /// expected profile and what a phone fetched). Names compare exactly; of a name repeated in one list the
    /// last value counts. Secret values never leave this class.
    /// </summary>
    public static class ProfileDiff
    {
        public static ProfileDiffResult Compare(IEnumerable<KeyValuePair<string, string>> oldParameters,
            IEnumerable<KeyValuePair<string, string>> newParameters)
        {
            if (oldParameters == null) throw new ArgumentNullException(nameof(oldParameters));
            if (newParameters == null) throw new ArgumentNullException(nameof(newParameters));
            var oldOrder = new List<string>();
            var oldValues = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in oldParameters)
            {
                if (!oldValues.ContainsKey(p.Key)) oldOrder.Add(p.Key);
                oldValues[p.Key] = p.Value ?? "";
            }
            var newOrder = new List<string>();
            var newValues = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in newParameters)
            {
                if (!newValues.ContainsKey(p.Key)) newOrder.Add(p.Key);
                newValues[p.Key] = p.Value ?? "";
            }
            var changes = new List<ParameterChange>();
            foreach (var name in newOrder)
            {
                var value = newValues[name];
                if (!oldValues.TryGetValue(name, out var old))
                    changes.Add(new ParameterChange(name, ParameterChangeKind.Added, null, value, SecretParameterNames.IsSecret(name, value)));
                else if (!string.Equals(old, value, StringComparison.Ordinal))
                    changes.Add(new ParameterChange(name, ParameterChangeKind.Changed, old, value,
                        SecretParameterNames.IsSecret(name, old) || SecretParameterNames.IsSecret(name, value)));
            }
            foreach (var name in oldOrder)
            {
                if (newValues.ContainsKey(name)) continue;
                var old = oldValues[name];
                changes.Add(new ParameterChange(name, ParameterChangeKind.Removed, old, null, SecretParameterNames.IsSecret(name, old)));
            }
            return new ProfileDiffResult(changes);
        }

        /// <summary>
        /// Compares an existing file (null when there is none: everything is Added) with new content of the same
        /// format, through the format's reader.
        /// </summary>
        /// <exception cref="ProvisioningException">The reader's error when either content is not a file of the format.</exception>
        public static ProfileDiffResult CompareFiles(ProfileFormat format, byte[]? oldContent, byte[] newContent, string sourceName)
        {
            var reader = ProfileFormats.GetReader(format);
            var oldParameters = oldContent == null ? Array.Empty<KeyValuePair<string, string>>() : reader.Parse(oldContent, sourceName);
            return Compare(oldParameters, reader.Parse(newContent, sourceName + " (new)"));
        }
    }
}
