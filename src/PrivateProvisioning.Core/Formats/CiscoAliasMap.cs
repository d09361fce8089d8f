using System;
using System.Collections.Generic;
using System.Globalization;

namespace PrivateProvisioning.Core.Formats
{
    /// <summary>One `source = target ;` item of an alias map.</summary>
    public sealed class CiscoAliasEntry
    {
        internal CiscoAliasEntry(string source, string[] sourceSegments, string parameterName)
        {
            Source = source;
            SourceSegments = sourceSegments;
            ParameterName = parameterName;
        }

        /// <summary>The source path as written, e.g. /customer-account/SIP-number.</summary>
        public string Source { get; }

        internal string[] SourceSegments { get; }

        /// <summary>The canonical flat-profile parameter it maps to, e.g. User_ID_1_.</summary>
        public string ParameterName { get; }
    }

    /// <summary>What applying an alias map to a customer XML gave.</summary>
    public sealed class CiscoAliasMapResult
    {
        internal CiscoAliasMapResult(IReadOnlyList<KeyValuePair<string, string>> parameters, IReadOnlyList<string> unmatchedSources)
        {
            Parameters = parameters;
            UnmatchedSources = unmatchedSources;
        }

        /// <summary>The flat-profile parameters the phone would apply, first-appearance order, last value wins.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; }

        /// <summary>Source paths of the map that matched no element of the document (usually a typo worth reporting).</summary>
        public IReadOnlyList<string> UnmatchedSources { get; }
    }

    /// <summary>
    /// The `[--alias x]` map of cisco-spa-mpp.md §6.1: `/src/path = /flat-profile/Name ;` items, at most 30,
    /// matched on the trailing part of an element's path. Applying a map to a customer XML gives what the
    /// phone would configure: elements a map item matches become that item's parameter (the item with the
    /// longest source path wins, then the first written), and elements already inside a &lt;flat-profile&gt; keep
    /// their own names. Other elements are ignored, as the phone ignores unknown elements.
    /// </summary>
    public sealed class CiscoAliasMap
    {
        /// <summary>The documented limit on remapped parameters.</summary>
        public const int MaximumEntries = 30;

        private CiscoAliasMap(IReadOnlyList<CiscoAliasEntry> entries) { Entries = entries; }

        public IReadOnlyList<CiscoAliasEntry> Entries { get; }

        /// <summary>Parses the one-line map as stored in a GPP.</summary>
        /// <exception cref="ProvisioningException">InvalidAliasMap naming the item number and what is wrong.</exception>
        public static CiscoAliasMap Parse(string map)
        {
            if (map == null) throw new ArgumentNullException(nameof(map));
            var entries = new List<CiscoAliasEntry>();
            var items = map.Split(';');
            for (int n = 0; n < items.Length; n++)
            {
                var item = items[n].Trim();
                if (item.Length == 0) continue;
                string where = "alias map item " + (n + 1).ToString(CultureInfo.InvariantCulture) + " ('" + item + "')";
                int eq = item.IndexOf('=');
                if (eq < 0 || item.IndexOf('=', eq + 1) >= 0)
                    throw Invalid($"{where} must have the form '/source/path = /flat-profile/Parameter_Name'.");
                var source = item.Substring(0, eq).Trim();
                var target = item.Substring(eq + 1).Trim();
                var segments = SplitPath(source);
                if (segments == null)
                    throw Invalid($"{where}: the source '{source}' must be a path of element names starting with '/', e.g. /customer-account/SIP-number.");
                var targetSegments = SplitPath(target);
                if (targetSegments == null || targetSegments.Length < 2 || targetSegments[targetSegments.Length - 2] != "flat-profile")
                    throw Invalid($"{where}: the target '{target}' must be /flat-profile/<Parameter_Name>, e.g. /flat-profile/User_ID_1_.");
                var name = targetSegments[targetSegments.Length - 1];
                if (!XmlText.IsSimpleElementName(name))
                    throw Invalid($"{where}: '{name}' is not a flat-profile parameter name.");
                entries.Add(new CiscoAliasEntry(source, segments, name));
            }
            if (entries.Count > MaximumEntries)
                throw Invalid($"the alias map has {entries.Count.ToString(CultureInfo.InvariantCulture)} items; the phone remaps at most {MaximumEntries}.");
            return new CiscoAliasMap(entries);
        }

        /// <summary>Applies a map string to a customer XML and returns the flat-profile parameters it sets.</summary>
        public static IReadOnlyList<KeyValuePair<string, string>> Apply(string map, byte[] customerXml, string sourceName)
            => Parse(map).Apply(customerXml, sourceName).Parameters;

        /// <summary>Applies this map to a customer XML (untrusted: DTDs are refused).</summary>
        /// <exception cref="ProvisioningException">The document is not well-formed XML (naming file, line and position).</exception>
        public CiscoAliasMapResult Apply(byte[] customerXml, string sourceName)
        {
            var matched = new bool[Entries.Count];
            var found = new List<FlatProfileParameter>();
            XmlLeafWalker.Walk(customerXml, sourceName, "XML document", leaf =>
            {
                int best = -1;
                for (int i = 0; i < Entries.Count; i++)
                {
                    var segments = Entries[i].SourceSegments;
                    if (!EndsWith(leaf.Path, segments)) continue;
                    if (best < 0 || segments.Length > Entries[best].SourceSegments.Length) best = i;
                }
                if (best >= 0)
                {
                    matched[best] = true;
                    found.Add(new FlatProfileParameter(Entries[best].ParameterName, leaf.Value, leaf.Access, leaf.LineNumber));
                }
                else if (leaf.FlatProfileStart >= 0)
                {
                    found.Add(new FlatProfileParameter(leaf.RelativeName(), leaf.Value, leaf.Access, leaf.LineNumber));
                }
            }, () => { });
            var unmatched = new List<string>();
            for (int i = 0; i < Entries.Count; i++) if (!matched[i]) unmatched.Add(Entries[i].Source);
            return new CiscoAliasMapResult(CiscoFlatProfileReader.LastWins(found), unmatched);
        }

        private static bool EndsWith(List<string> path, string[] suffix)
        {
            if (suffix.Length > path.Count) return false;
            int offset = path.Count - suffix.Length;
            for (int i = 0; i < suffix.Length; i++)
                if (!string.Equals(path[offset + i], suffix[i], StringComparison.Ordinal)) return false;
            return true;
        }

        private static string[]? SplitPath(string path)
        {
            if (path.Length < 2 || path[0] != '/') return null;
            var segments = path.Substring(1).Split('/');
            foreach (var s in segments)
                if (s.Length == 0 || s.IndexOfAny(new[] { ' ', '\t', '=', '<', '>' }) >= 0) return null;
            return segments;
        }

        private static ProvisioningException Invalid(string message) =>
            new ProvisioningException(ErrorIds.InvalidAliasMap, ErrorKind.InvalidArgument, "Alias map: " + message);
    }
}
