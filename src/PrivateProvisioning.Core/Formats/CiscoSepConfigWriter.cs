using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace PrivateProvisioning.Core.Formats
{
    /// <summary>
    /// Writes SEP&lt;MAC&gt;.cnf.xml for Cisco 79xx/88xx enterprise firmware registered to Asterisk with the
    /// usecallmanager.nz patches: a &lt;device&gt; document, UTF-8 without BOM, LF, two-space indentation, the
    /// layout of cisco-security-files.md's vector (vectors/cisco/sgn/SEP001122334455.cnf.xml).
    /// Parameter names are element paths below &lt;device&gt;: "deviceSecurityMode", "capfList/capf/phonePort",
    /// "sipProfile/sipLines/line[button=1]/featureID" (a [attr=value] selector writes an attribute and tells
    /// sibling elements apart). Elements appear in the order their path is first met (template, then account
    /// fields, then extra columns). The device security settings come from the template's
    /// deviceSecurityMode (1 or NonSecure, 2 or Authenticated, 3 or Encrypted) and transportLayerProtocol.
    /// </summary>
    public sealed class CiscoSepConfigWriter : IProfileFormatWriter
    {
        internal const string FormatName = "Cisco SEP cnf.xml";
        internal const string Line1 = "sipProfile/sipLines/line[button=1]/";

        public ProfileFormat Format => ProfileFormat.CiscoSep;

        public string DefaultFileNameRule => "SEP$MAU.cnf.xml";

        /// <summary>
        /// Line 1 from the account: featureID 9 (a line), name (UserId, else Extension), displayName, authName
        /// (AuthId, else the user), authPassword; the SipServer as the first call manager's processNodeName.
        /// </summary>
        internal static void AddAccountFields(ProfileParameters parameters, AccountRecord account)
        {
            var userId = CiscoFlatProfileWriter.NullIfEmpty(account.UserId);
            var user = userId ?? CiscoFlatProfileWriter.NullIfEmpty(account.Extension);
            var userColumn = userId != null ? "UserId" : "Extension";
            if (user != null && !parameters.TryGet(Line1 + "featureID", out _)) parameters.Set(Line1 + "featureID", "9", userColumn);
            parameters.Set(Line1 + "name", user, userColumn);
            parameters.Set(Line1 + "displayName", CiscoFlatProfileWriter.NullIfEmpty(account.DisplayName), "DisplayName");
            var authId = CiscoFlatProfileWriter.NullIfEmpty(account.AuthId);
            parameters.Set(Line1 + "authName", authId ?? user, authId != null ? "AuthId" : userColumn);
            parameters.Set(Line1 + "authPassword", CiscoFlatProfileWriter.NullIfEmpty(account.Password), "Password");
            parameters.Set("devicePool/callManagerGroup/members/member[priority=0]/callManager/processNodeName",
                CiscoFlatProfileWriter.NullIfEmpty(account.SipServer), "SipServer");
        }

        private static ProfileParameters Merge(ProfileDocument document)
        {
            var parameters = new ProfileParameters(StringComparer.Ordinal);
            parameters.AddTemplate(document);
            AddAccountFields(parameters, document.Account);
            parameters.AddExtraColumns(document);
            return parameters;
        }

        /// <summary>The merged parameters this writer would emit, in document order (for diffs and -WhatIf).</summary>
        public static IReadOnlyList<KeyValuePair<string, string>> MergeParameters(ProfileDocument document)
        {
            var list = new List<KeyValuePair<string, string>>();
            Build(document).Flatten("", list);
            return list;
        }

        public byte[] Render(ProfileDocument document)
        {
            if (document == null) throw new ArgumentNullException(nameof(document));
            var root = Build(document);
            var sb = XmlText.RentBuilder();
            sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            root.Write(sb, 0, document);
            return XmlText.ToUtf8AndReturn(sb);
        }

        private static XmlTreeNode Build(ProfileDocument document)
        {
            var parameters = Merge(document);
            var root = new XmlTreeNode("device", "");
            for (int i = 0; i < parameters.Count; i++)
            {
                ref var p = ref parameters[i];
                if (p.IsLayout) { root.AddComment(p); continue; }
                var value = NormalizeSecuritySetting(p.Name, p.Value);
                CheckValue(document, p, value);
                var segments = XmlPath.Parse(p.Name);
                if (segments == null)
                    throw FormatErrors.InvalidName(document, p, FormatName,
                        "an element path below <device> such as deviceSecurityMode, capfList/capf/phonePort or sipProfile/sipLines/line[button=1]/name");
                var node = root;
                for (int s = 0; s < segments.Length; s++)
                {
                    if (node.Value != null)
                        throw FormatErrors.NotRepresentable(document, p, FormatName,
                            $"'{p.Name}' puts an element inside {node.Name}, which already has a value of its own");
                    node = node.Child(segments[s]);
                }
                if (node.HasChildren)
                    throw FormatErrors.NotRepresentable(document, p, FormatName,
                        $"'{p.Name}' gives a value to an element that already holds other elements");
                node.Value = value;
            }
            return root;
        }

        /// <summary>Accepts the CUCM names for deviceSecurityMode and writes the number the phone reads.</summary>
        internal static string NormalizeSecuritySetting(string name, string value)
        {
            if (name != "deviceSecurityMode") return value;
            switch (value.Trim().ToUpperInvariant())
            {
                case "NONSECURE": case "NON SECURE": case "NON-SECURE": return "1";
                case "AUTHENTICATED": return "2";
                case "ENCRYPTED": return "3";
                default: return value;
            }
        }

        private static void CheckValue(ProfileDocument document, in ProfileParameter p, string value)
        {
            int bad = XmlText.IndexOfInvalidXmlChar(value, allowTabAndNewlines: false);
            if (bad >= 0)
                throw FormatErrors.NotRepresentable(document, p, FormatName, bad,
                    value[bad] == '\n' || value[bad] == '\r' ? "is a line break" : "is a control character or not a valid character");
            if (p.Name == "deviceSecurityMode" && value != "1" && value != "2" && value != "3")
                throw new ProvisioningException(ErrorIds.ValueNotRepresentable, ErrorKind.InvalidData,
                    $"{FormatErrors.Where(document, p)}: deviceSecurityMode must be 1 (NonSecure), 2 (Authenticated) or 3 (Encrypted), not '{value}'.",
                    document.Account);
            if (p.Name == "transportLayerProtocol" && !(value.Length == 1 && value[0] >= '1' && value[0] <= '4'))
                throw new ProvisioningException(ErrorIds.ValueNotRepresentable, ErrorKind.InvalidData,
                    $"{FormatErrors.Where(document, p)}: transportLayerProtocol must be the number the phone expects (1 to 4), not '{value}'.",
                    document.Account);
        }
    }

    /// <summary>One segment of an element path: a name and optional [attr=value] selectors.</summary>
    internal sealed class XmlPathSegment
    {
        public XmlPathSegment(string name, KeyValuePair<string, string>[] attributes, string key)
        {
            Name = name;
            Attributes = attributes;
            Key = key;
        }

        public string Name { get; }
        public KeyValuePair<string, string>[] Attributes { get; }
        /// <summary>The segment as written canonically (name[a=1][b=2]); siblings with equal keys are one element.</summary>
        public string Key { get; }
    }

    /// <summary>The "a/b[attr=value]/c" element paths of the cnf.xml writer and reader.</summary>
    internal static class XmlPath
    {
        public static XmlPathSegment[]? Parse(string path)
        {
            var segments = new List<XmlPathSegment>();
            int i = 0;
            while (i <= path.Length)
            {
                int start = i;
                while (i < path.Length && path[i] != '/' && path[i] != '[') i++;
                var name = path.Substring(start, i - start);
                if (!XmlText.IsSimpleElementName(name)) return null;
                var attributes = new List<KeyValuePair<string, string>>();
                while (i < path.Length && path[i] == '[')
                {
                    int close = path.IndexOf(']', i);
                    if (close < 0) return null;
                    var selector = path.Substring(i + 1, close - i - 1);
                    int eq = selector.IndexOf('=');
                    if (eq <= 0) return null;
                    var attr = selector.Substring(0, eq);
                    var value = selector.Substring(eq + 1);
                    if (value.Length >= 2 && value[0] == '"' && value[value.Length - 1] == '"') value = value.Substring(1, value.Length - 2);
                    if (!XmlText.IsSimpleElementName(attr) || XmlText.IndexOfInvalidXmlChar(value, false) >= 0) return null;
                    attributes.Add(new KeyValuePair<string, string>(attr, value));
                    i = close + 1;
                }
                segments.Add(new XmlPathSegment(name, attributes.ToArray(), Key(name, attributes)));
                if (i == path.Length) break;
                if (path[i] != '/') return null;
                i++;
                if (i == path.Length) return null;
            }
            return segments.Count == 0 ? null : segments.ToArray();
        }

        public static string Key(string name, IReadOnlyList<KeyValuePair<string, string>> attributes)
        {
            if (attributes.Count == 0) return name;
            var sb = new StringBuilder(name);
            foreach (var a in attributes) sb.Append('[').Append(a.Key).Append('=').Append(a.Value).Append(']');
            return sb.ToString();
        }
    }

    /// <summary>An element being written: attributes, then either a value or ordered children (and comments).</summary>
    internal sealed class XmlTreeNode
    {
        private readonly List<object> _children = new List<object>(); // XmlTreeNode or ProfileParameter (comment)
        private Dictionary<string, XmlTreeNode>? _byKey;

        public XmlTreeNode(string name, string key, KeyValuePair<string, string>[]? attributes = null)
        {
            Name = name;
            Key = key;
            Attributes = attributes ?? Array.Empty<KeyValuePair<string, string>>();
        }

        public string Name { get; }
        public string Key { get; }
        public KeyValuePair<string, string>[] Attributes { get; }
        public string? Value { get; set; }
        public bool HasChildren => _byKey != null && _byKey.Count > 0;

        public XmlTreeNode Child(XmlPathSegment segment)
        {
            _byKey ??= new Dictionary<string, XmlTreeNode>(StringComparer.Ordinal);
            if (!_byKey.TryGetValue(segment.Key, out var node))
            {
                node = new XmlTreeNode(segment.Name, segment.Key, segment.Attributes);
                _byKey.Add(segment.Key, node);
                _children.Add(node);
            }
            return node;
        }

        public void AddComment(in ProfileParameter comment) => _children.Add(comment);

        /// <summary>Leaf paths and values in document order, as the reader reports them.</summary>
        public void Flatten(string prefix, List<KeyValuePair<string, string>> into)
        {
            foreach (var child in _children)
            {
                if (!(child is XmlTreeNode node)) continue;
                var path = prefix + node.Key;
                if (!node.HasChildren) into.Add(new KeyValuePair<string, string>(path, node.Value ?? ""));
                else node.Flatten(path + "/", into);
            }
        }

        public void Write(StringBuilder sb, int depth, ProfileDocument document, bool asciiOnly = false)
        {
            Indent(sb, depth);
            sb.Append('<').Append(Name);
            foreach (var a in Attributes)
            {
                sb.Append(' ').Append(a.Key).Append("=\"");
                XmlText.AppendEscaped(sb, a.Value, asciiOnly, escapeQuotes: true);
                sb.Append('"');
            }
            sb.Append('>');
            if (_children.Count == 0)
            {
                if (Value != null) XmlText.AppendEscaped(sb, Value, asciiOnly, escapeQuotes: false);
                sb.Append("</").Append(Name).Append(">\n");
                return;
            }
            sb.Append('\n');
            foreach (var child in _children)
            {
                if (child is XmlTreeNode node) node.Write(sb, depth + 1, document, asciiOnly);
                else
                {
                    var comment = (ProfileParameter)child;
                    if (comment.IsBlankLine) { sb.Append('\n'); continue; }
                    var tmp = new StringBuilder();
                    CiscoFlatProfileWriter.AppendLayout(tmp, document, comment);
                    Indent(sb, depth + 1);
                    sb.Append(tmp.ToString(2, tmp.Length - 2));
                }
            }
            Indent(sb, depth);
            sb.Append("</").Append(Name).Append(">\n");
        }

        private static void Indent(StringBuilder sb, int depth) => sb.Append(' ', depth * 2);
    }
}
