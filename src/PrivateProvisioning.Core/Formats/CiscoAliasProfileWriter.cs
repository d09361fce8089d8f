using System;
using System.Collections.Generic;
using System.Globalization;

namespace PrivateProvisioning.Core.Formats
{
    /// <summary>
    /// Writes a phone's Cisco profile in a customer's own XML form, the inverse of <see cref="CiscoAliasMap"/>
    /// (cisco-spa-mpp.md §6.1): each parameter an item of the map targets is written at that item's source path
    /// (`/customer-account/SIP-number = /flat-profile/User_ID_1_ ;` puts User_ID_1_ in
    /// &lt;customer-account&gt;&lt;SIP-number&gt;), and the parameters the map does not name keep their canonical
    /// names in a &lt;flat-profile&gt; element inside the customer's root, where the map leaves them as they are.
    /// The root is the first element of the first source path that has a parent; a shorter path (matching being on
    /// the trailing part, `/auth-secret`) is written under that root. Every file is read back through the map
    /// before it is returned: a map whose items the phone could not tell apart is refused, never written.
    /// The map itself lives in a GPP of a canonical profile and the rule fetching this file carries
    /// `[--alias x]`; <c>PartitionedProfileWriter</c> checks that from the template.
    /// </summary>
    public sealed class CiscoAliasProfileWriter : IProfileFormatWriter
    {
        private const string FormatName = "customer XML (Cisco alias map)";
        private readonly CiscoAliasMap _map;
        private readonly string _root;
        private readonly string[][] _paths;

        /// <exception cref="ProvisioningException">InvalidAliasMap: no item of the map names the document's root.</exception>
        public CiscoAliasProfileWriter(CiscoAliasMap map)
        {
            _map = map ?? throw new ArgumentNullException(nameof(map));
            string? root = null;
            foreach (var e in map.Entries)
                if (e.SourceSegments.Length >= 2) { root = e.SourceSegments[0]; break; }
            if (root == null)
                throw new ProvisioningException(ErrorIds.InvalidAliasMap, ErrorKind.InvalidArgument,
                    "Alias map: to write a customer XML, at least one source path must start at the document's root element, e.g. /customer-account/SIP-number.");
            _root = root;
            _paths = new string[map.Entries.Count][];
            for (int i = 0; i < map.Entries.Count; i++)
            {
                var s = map.Entries[i].SourceSegments;
                if (s.Length >= 2 && s[0] == root) _paths[i] = s;
                else
                {
                    var path = new string[s.Length + 1];
                    path[0] = root;
                    Array.Copy(s, 0, path, 1, s.Length);
                    _paths[i] = path;
                }
            }
        }

        public CiscoAliasMap Map => _map;

        /// <summary>The customer document's root element.</summary>
        public string RootElement => _root;

        public ProfileFormat Format => ProfileFormat.CiscoSpa;

        public string DefaultFileNameRule => "$MA.xml";

        public byte[] Render(ProfileDocument document)
        {
            if (document == null) throw new ArgumentNullException(nameof(document));
            var parameters = CiscoFlatProfileWriter.Merge(document);
            var root = new XmlTreeNode(_root, _root);
            XmlTreeNode? flat = null;
            var mapped = new int[parameters.Count];
            for (int i = 0; i < parameters.Count; i++)
            {
                ref var p = ref parameters[i];
                mapped[i] = -1;
                if (p.IsLayout) { (flat ??= root.Child(Segment("flat-profile"))).AddComment(p); continue; }
                CiscoFlatProfileWriter.Validate(document, p);
                int entry = EntryFor(p.Name);
                mapped[i] = entry;
                XmlTreeNode node;
                if (entry >= 0)
                {
                    node = root;
                    var path = _paths[entry];
                    for (int s = 1; s < path.Length; s++) node = Descend(document, p, node, path[s]);
                }
                else
                {
                    node = flat ??= root.Child(Segment("flat-profile"));
                    foreach (var segment in p.Name.Split('/')) node = Descend(document, p, node, segment);
                }
                if (node.HasChildren || node == root)
                    throw FormatErrors.NotRepresentable(document, p, FormatName, $"the alias map puts '{p.Name}' on <{node.Name}>, which holds other elements");
                if (node.Value != null)
                    throw FormatErrors.NotRepresentable(document, p, FormatName, $"the alias map puts '{p.Name}' on <{node.Name}>, which already holds another parameter");
                node.Value = p.Value;
            }
            var sb = XmlText.RentBuilder();
            sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            root.Write(sb, 0, document, asciiOnly: true);
            var bytes = XmlText.ToUtf8AndReturn(sb);
            ReadBack(document, parameters, mapped, bytes);
            return bytes;
        }

        /// <summary>The item that names the parameter (the first, when several do).</summary>
        private int EntryFor(string name)
        {
            for (int i = 0; i < _map.Entries.Count; i++)
                if (string.Equals(_map.Entries[i].ParameterName, name, StringComparison.Ordinal)) return i;
            return -1;
        }

        private static XmlTreeNode Descend(ProfileDocument document, in ProfileParameter p, XmlTreeNode node, string name)
        {
            if (node.Value != null)
                throw FormatErrors.NotRepresentable(document, p, FormatName, $"'{p.Name}' would go inside <{node.Name}>, which already holds a value of its own");
            return node.Child(Segment(name));
        }

        private static XmlPathSegment Segment(string name) => new XmlPathSegment(name, Array.Empty<KeyValuePair<string, string>>(), name);

        /// <summary>What the phone applies from the file, through the map, must be exactly the parameters written.</summary>
        private void ReadBack(ProfileDocument document, ProfileParameters parameters, int[] mapped, byte[] bytes)
        {
            var read = _map.Apply(bytes, document.TemplateName).Parameters;
            var byName = new Dictionary<string, string>(read.Count, StringComparer.Ordinal);
            foreach (var kv in read) byName[kv.Key] = kv.Value;
            int expected = 0;
            for (int i = 0; i < parameters.Count; i++)
            {
                ref var p = ref parameters[i];
                if (p.IsLayout) continue;
                expected++;
                if (byName.TryGetValue(p.Name, out var value) && string.Equals(value, p.Value, StringComparison.Ordinal)) continue;
                string where = mapped[i] >= 0 ? "at " + _map.Entries[mapped[i]].Source : "in <flat-profile>";
                throw FormatErrors.NotRepresentable(document, p, FormatName,
                    $"the phone would not read '{p.Name}' back from {where}: another item of the alias map matches that element first (the longest matching source path wins); make the map's source paths distinct");
            }
            if (byName.Count != expected)
                throw new ProvisioningException(ErrorIds.InvalidAliasMap, ErrorKind.InvalidData,
                    $"Row {document.Account.RowNumber.ToString(CultureInfo.InvariantCulture)}: template '{document.TemplateName}': the alias map reads {byName.Count.ToString(CultureInfo.InvariantCulture)} parameters from the customer XML written for {expected.ToString(CultureInfo.InvariantCulture)}; make the map's source paths distinct.",
                    document.Account);
        }
    }
}
