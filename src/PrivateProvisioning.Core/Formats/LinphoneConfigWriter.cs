using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace PrivateProvisioning.Core.Formats
{
    /// <summary>
    /// Writes Linphone remote-provisioning XML (privatewave.md §4.1): the lpc2xml header, one
    /// &lt;section name="..."&gt; per linphonerc section and one &lt;entry name="..."&gt; per key, UTF-8 without BOM,
    /// LF, two-space indentation. Parameter names are "section/key" (e.g. "sip/media_encryption").
    /// Every entry carries overwrite="true" while the template's ReadOnlySettings is true (the default), so
    /// the profile is enforced; otherwise only the account's entries do and the rest only seed defaults.
    /// PrivateWave settings map to Linphone keys where Linphone has one (PTime, RingingTimeout, HistoryLogSize,
    /// SipProxyPort); the others travel in a [privatewave_profile] section, which Linphone keeps and ignores.
    /// </summary>
    public sealed class LinphoneConfigWriter : IProfileFormatWriter
    {
        internal const string FormatName = "Linphone XML";
        public const string Namespace = "http://www.linphone.org/xsds/lpconfig.xsd";
        internal const string PrivateSection = "privatewave_profile";

        public ProfileFormat Format => ProfileFormat.Linphone;

        /// <summary>Prefixed so Linphone and Cisco files can share a folder without clashing.</summary>
        public string DefaultFileNameRule => "linphone-$MA.xml";

        private static readonly HashSet<string> MappedSettings = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "PTime", "RingingTimeout", "HistoryLogSize", "SipProxyPort", "ReadOnlySettings",
        };

        private sealed class Merged
        {
            public readonly ProfileParameters Parameters = new ProfileParameters(StringComparer.Ordinal);
            public bool Enforce = true;
        }

        /// <summary>A PrivateWave setting's canonical value: CSV column over template setting, else the fallback.</summary>
        private static string Setting(ProfileDocument document, string key, string fallback)
        {
            string? value = null;
            string? column = null;
            foreach (var s in document.ClientSettings) if (string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase)) value = s.Value;
            foreach (var c in document.Account.ExtraColumns)
                if (!string.IsNullOrEmpty(c.Value) && string.Equals(c.Key, key, StringComparison.OrdinalIgnoreCase)) { value = c.Value; column = c.Key; }
            if (value == null || !PrivateWaveSettingsSchema.TryGetField(key, out var field)) return value ?? fallback;
            var canonical = PrivateWaveSettingsSchema.Normalize(field, value, out var problem);
            if (canonical != null) return canonical;
            var where = FormatErrors.Where(document, new ProfileParameter { Name = field.Key, Value = value, Column = column });
            throw new ProvisioningException(ErrorIds.InvalidSettingValue, ErrorKind.InvalidData,
                $"{where}: {field.Key} {problem}. Change the value in the CSV or template.", document.Account);
        }

        private static Merged Merge(ProfileDocument document)
        {
            var m = new Merged();
            var p = m.Parameters;
            m.Enforce = Setting(document, "ReadOnlySettings", "true") == "true";
            var ptime = Setting(document, "PTime", "");
            p.Set("rtp/download_ptime", ptime.Length > 0 ? ptime : null, null);
            p.Set("rtp/upload_ptime", ptime.Length > 0 ? ptime : null, null);
            var ringing = Setting(document, "RingingTimeout", "");
            p.Set("sip/inc_timeout", ringing.Length > 0 ? ringing : null, null);
            var history = Setting(document, "HistoryLogSize", "");
            p.Set("misc/history_max_size", history.Length > 0 ? history : null, null);
            foreach (var t in document.TemplateParameters) p.Set(t.Key, t.Value, null);

            var a = document.Account;
            var user = CiscoFlatProfileWriter.NullIfEmpty(a.UserId) ?? CiscoFlatProfileWriter.NullIfEmpty(a.Extension);
            var userColumn = CiscoFlatProfileWriter.NullIfEmpty(a.UserId) != null ? "UserId" : "Extension";
            var server = CiscoFlatProfileWriter.NullIfEmpty(a.SipServer);
            if (user != null && server != null)
            {
                var uri = "sip:" + user + "@" + server;
                var display = CiscoFlatProfileWriter.NullIfEmpty(a.DisplayName);
                p.Set("proxy_0/reg_identity", display == null ? uri : QuotedDisplayName(display) + " <" + uri + ">", display == null ? userColumn : "DisplayName");
                var port = Setting(document, "SipProxyPort", "");
                p.Set("proxy_0/reg_proxy", "<sip:" + server + (port.Length > 0 ? ":" + port : "") + ";transport=tls>", "SipServer");
                p.Set("proxy_0/reg_sendregister", "1", "SipServer");
                p.Set("sip/default_proxy", "0", "SipServer");
            }
            p.Set("auth_info_0/username", user, userColumn);
            p.Set("auth_info_0/userid", CiscoFlatProfileWriter.NullIfEmpty(a.AuthId), "AuthId");
            p.Set("auth_info_0/passwd", CiscoFlatProfileWriter.NullIfEmpty(a.Password), "Password");
            p.Set("auth_info_0/domain", server, "SipServer");

            foreach (var c in a.ExtraColumns)
            {
                if (string.IsNullOrEmpty(c.Value) || ProfileParameters.IsLayoutName(c.Key)) continue;
                if (PrivateWaveSettingsSchema.TryGetField(c.Key, out _)) continue; // a setting column, used above
                p.Set(c.Key, c.Value, c.Key);
            }

            // PrivateWave settings Linphone has no key for, so a PrivateWave-aware client still gets them.
            foreach (var s in document.ClientSettings)
            {
                if (MappedSettings.Contains(s.Key) || !PrivateWaveSettingsSchema.TryGetField(s.Key, out var field)) continue;
                if (field.Type == PrivateWaveSettingType.Secret) continue;
                var name = PrivateSection + "/" + field.Key;
                if (p.TryGet(name, out _)) continue;
                p.Set(name, Setting(document, field.Key, field.DefaultValue), null);
            }
            return m;
        }

        /// <summary>RFC 3261 quoted-string for the display name in reg_identity.</summary>
        private static string QuotedDisplayName(string display)
        {
            var sb = new StringBuilder(display.Length + 2).Append('"');
            foreach (var c in display)
            {
                if (c == '"' || c == '\\') sb.Append('\\');
                sb.Append(c);
            }
            return sb.Append('"').ToString();
        }

        /// <summary>The merged "section/key" entries this writer would emit, in file order (for diffs and -WhatIf).</summary>
        public static IReadOnlyList<KeyValuePair<string, string>> MergeParameters(ProfileDocument document)
        {
            var list = new List<KeyValuePair<string, string>>();
            foreach (var section in Group(document, Merge(document)))
                foreach (var i in section.Value) list.Add(new KeyValuePair<string, string>(section.Key + "/" + i.Key, i.Value.Value));
            return list;
        }

        /// <summary>Entries grouped by section in first-seen order; validates names and values.</summary>
        private static List<KeyValuePair<string, List<KeyValuePair<string, ProfileParameter>>>> Group(ProfileDocument document, Merged m)
        {
            var sections = new List<KeyValuePair<string, List<KeyValuePair<string, ProfileParameter>>>>();
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            var p = m.Parameters;
            for (int i = 0; i < p.Count; i++)
            {
                ref var e = ref p[i];
                if (e.IsLayout) continue;
                int slash = e.Name.IndexOf('/');
                if (slash <= 0 || slash == e.Name.Length - 1 || XmlText.IndexOfInvalidXmlChar(e.Name, false) >= 0)
                    throw FormatErrors.InvalidName(document, e, FormatName, "section/key, e.g. sip/media_encryption or proxy_0/reg_expires");
                int bad = XmlText.IndexOfInvalidXmlChar(e.Value, allowTabAndNewlines: false);
                if (bad >= 0)
                    throw FormatErrors.NotRepresentable(document, e, FormatName, bad,
                        e.Value[bad] == '\n' || e.Value[bad] == '\r' ? "is a line break, which a linphonerc value cannot hold" : "is a control character or not a valid character");
                var section = e.Name.Substring(0, slash);
                if (!index.TryGetValue(section, out int at))
                {
                    at = sections.Count;
                    index.Add(section, at);
                    sections.Add(new KeyValuePair<string, List<KeyValuePair<string, ProfileParameter>>>(section, new List<KeyValuePair<string, ProfileParameter>>()));
                }
                sections[at].Value.Add(new KeyValuePair<string, ProfileParameter>(e.Name.Substring(slash + 1), e));
            }
            return sections;
        }

        public byte[] Render(ProfileDocument document)
        {
            if (document == null) throw new ArgumentNullException(nameof(document));
            var merged = Merge(document);
            var sections = Group(document, merged);
            var sb = XmlText.RentBuilder();
            sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
              .Append("<config xmlns=\"").Append(Namespace).Append("\"\n")
              .Append("        xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n")
              .Append("        xsi:schemaLocation=\"").Append(Namespace).Append(" lpconfig.xsd\">\n");
            foreach (var section in sections)
            {
                sb.Append("  <section name=\"");
                XmlText.AppendEscaped(sb, section.Key, asciiOnly: false, escapeQuotes: true);
                sb.Append("\">\n");
                foreach (var entry in section.Value)
                {
                    var e = entry.Value;
                    bool account = e.Column != null && IsAccountColumn(e.Column);
                    sb.Append("    <entry name=\"");
                    XmlText.AppendEscaped(sb, entry.Key, asciiOnly: false, escapeQuotes: true);
                    sb.Append(merged.Enforce || account ? "\" overwrite=\"true\">" : "\">");
                    XmlText.AppendEscaped(sb, e.Value, asciiOnly: false, escapeQuotes: false);
                    sb.Append("</entry>\n");
                }
                sb.Append("  </section>\n");
            }
            sb.Append("</config>\n");
            return XmlText.ToUtf8AndReturn(sb);
        }

        /// <summary>Entries from the account's own columns always overwrite: credentials must reach the client.</summary>
        private static bool IsAccountColumn(string column) =>
            column == "UserId" || column == "Extension" || column == "DisplayName" || column == "SipServer" || column == "AuthId" || column == "Password";
    }
}
