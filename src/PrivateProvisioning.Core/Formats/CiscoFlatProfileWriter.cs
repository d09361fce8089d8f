using System;
using System.Text;

namespace PrivateProvisioning.Core.Formats
{
    /// <summary>
    /// Writes the Cisco/Linksys SPA, MPP and ATA &lt;flat-profile&gt; XML (cisco-spa-mpp.md §3). UTF-8 without
    /// BOM, LF line ends, pure ASCII (non-ASCII characters become numeric references, §3.5), one element per
    /// parameter in the stable order template → account fields → extra columns, empty values as &lt;X&gt;&lt;/X&gt;
    /// (which clears X; §3.4). Values with line breaks, control characters or edge whitespace are refused
    /// because the phone would strip or fold them (§3.5).
    /// </summary>
    public sealed class CiscoFlatProfileWriter : IProfileFormatWriter
    {
        internal const string FormatName = "Cisco flat-profile XML";

        public ProfileFormat Format => ProfileFormat.CiscoSpa;

        public string DefaultFileNameRule => "$MA.xml";

        /// <summary>
        /// The account's known fields as line-1 parameters (§3.2 names), in output order. User_ID_1_ falls back
        /// to the Extension when the CSV has no UserId; Use_Auth_ID_1_ is set when an AuthId is given.
        /// </summary>
        internal static void AddAccountFields(ProfileParameters parameters, AccountRecord account)
        {
            var userId = NullIfEmpty(account.UserId) ?? NullIfEmpty(account.Extension);
            var userIdColumn = NullIfEmpty(account.UserId) != null ? "UserId" : "Extension";
            if (userId != null) parameters.Set("Line_Enable_1_", "Yes", userIdColumn);
            parameters.Set("Proxy_1_", NullIfEmpty(account.SipServer), "SipServer");
            parameters.Set("Display_Name_1_", NullIfEmpty(account.DisplayName), "DisplayName");
            parameters.Set("Short_Name_1_", NullIfEmpty(account.Extension), "Extension");
            parameters.Set("User_ID_1_", userId, userIdColumn);
            if (NullIfEmpty(account.AuthId) != null)
            {
                parameters.Set("Use_Auth_ID_1_", "Yes", "AuthId");
                parameters.Set("Auth_ID_1_", account.AuthId, "AuthId");
            }
            parameters.Set("Password_1_", NullIfEmpty(account.Password), "Password");
        }

        internal static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

        /// <summary>The merged parameters in precedence order (the file groups nested "a/b" names under their parent; ProfileFormats.ExpectedParameters gives file order).</summary>
        public static System.Collections.Generic.IReadOnlyList<System.Collections.Generic.KeyValuePair<string, string>> MergeParameters(ProfileDocument document)
            => Merge(document).ToList();

        internal static ProfileParameters Merge(ProfileDocument document) => Merge(document, new ProfileParameters(StringComparer.Ordinal));

        private static ProfileParameters Merge(ProfileDocument document, ProfileParameters parameters)
        {
            parameters.AddTemplate(document);
            AddAccountFields(parameters, document.Account);
            parameters.AddExtraColumns(document);
            return parameters;
        }

        /// <summary>One merge list per thread, emptied after each file: rendering 100,000 files allocates no list per file.</summary>
        [ThreadStatic] private static ProfileParameters? _spare;

        public byte[] Render(ProfileDocument document)
        {
            if (document == null) throw new ArgumentNullException(nameof(document));
            var parameters = _spare ?? new ProfileParameters(StringComparer.Ordinal);
            _spare = null;
            try { return Render(document, Merge(document, parameters)); }
            finally
            {
                parameters.Clear();
                _spare = parameters;
            }
        }

        private static byte[] Render(ProfileDocument document, ProfileParameters parameters)
        {
            var sb = XmlText.RentBuilder();
            sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            bool nested = false;
            for (int i = 0; i < parameters.Count && !nested; i++) nested = !parameters[i].IsLayout && parameters[i].Name.IndexOf('/') >= 0;
            if (nested)
            {
                // SPA100/200 and ATA19x nest a router section ("router-configuration/Time_Setup/Time_Zone", §3.1).
                BuildTree(document, parameters).Write(sb, 0, document, asciiOnly: true);
                return XmlText.ToUtf8AndReturn(sb);
            }
            sb.Append("<flat-profile>\n");
            for (int i = 0; i < parameters.Count; i++)
            {
                ref var p = ref parameters[i];
                if (p.IsLayout)
                {
                    AppendLayout(sb, document, p);
                    continue;
                }
                Validate(document, p);
                sb.Append("  <").Append(p.Name).Append('>');
                XmlText.AppendEscaped(sb, p.Value, asciiOnly: true, escapeQuotes: false);
                sb.Append("</").Append(p.Name).Append(">\n");
            }
            sb.Append("</flat-profile>\n");
            return XmlText.ToUtf8AndReturn(sb);
        }

        private static XmlTreeNode BuildTree(ProfileDocument document, ProfileParameters parameters)
        {
            var root = new XmlTreeNode("flat-profile", "");
            for (int i = 0; i < parameters.Count; i++)
            {
                ref var p = ref parameters[i];
                if (p.IsLayout) { root.AddComment(p); continue; }
                Validate(document, p);
                var node = root;
                foreach (var segment in p.Name.Split('/'))
                {
                    if (node.Value != null)
                        throw FormatErrors.NotRepresentable(document, p, FormatName, $"'{p.Name}' puts an element inside {node.Name}, which already has a value of its own");
                    node = node.Child(new XmlPathSegment(segment, Array.Empty<System.Collections.Generic.KeyValuePair<string, string>>(), segment));
                }
                if (node.HasChildren)
                    throw FormatErrors.NotRepresentable(document, p, FormatName, $"'{p.Name}' gives a value to an element that already holds other elements");
                node.Value = p.Value;
            }
            return root;
        }

        /// <summary>Template comments become XML comments; the text may not hold "--" (XML forbids it).</summary>
        internal static void AppendLayout(StringBuilder sb, ProfileDocument document, in ProfileParameter p)
        {
            if (p.IsBlankLine) { sb.Append('\n'); return; }
            var text = p.Name.Substring(1) + p.Value;
            int bad = XmlText.IndexOfInvalidXmlChar(text, allowTabAndNewlines: false);
            if (bad >= 0) throw FormatErrors.NotRepresentable(document, p, FormatName, bad, "is a control character or not a valid character in a comment");
            if (text.Contains("--") || text.EndsWith("-", StringComparison.Ordinal))
                throw FormatErrors.NotRepresentable(document, p, FormatName, "an XML comment cannot contain \"--\" or end with '-'");
            sb.Append("  <!--").Append(text).Append("-->\n");
        }

        internal static void Validate(ProfileDocument document, in ProfileParameter p)
        {
            if (p.Name.IndexOf('/') < 0 ? !XmlText.IsSimpleElementName(p.Name) : Array.Exists(p.Name.Split('/'), s => !XmlText.IsSimpleElementName(s)))
                throw FormatErrors.InvalidName(document, p, FormatName,
                        "use letters, digits, '_', '-' and '.', starting with a letter or '_', e.g. Resync_Periodic or Dial_Plan_1_; '/' nests, e.g. router-configuration/Time_Setup/Time_Zone");
            var value = p.Value;
            int bad = XmlText.IndexOfInvalidXmlChar(value, allowTabAndNewlines: false);
            if (bad >= 0)
            {
                var why = value[bad] == '\n' || value[bad] == '\r'
                    ? "is a line break, which the phone turns into a space"
                    : "is a control character or not a valid character";
                throw FormatErrors.NotRepresentable(document, p, FormatName, bad, why);
            }
            if (value.Length > 0 && (IsEdgeSpace(value[0]) || IsEdgeSpace(value[value.Length - 1])))
                throw FormatErrors.NotRepresentable(document, p, FormatName,
                    "the value starts or ends with a space, which the phone strips");
        }

        private static bool IsEdgeSpace(char c) => c == ' ' || c == '\u00A0' || char.IsWhiteSpace(c);
    }
}
