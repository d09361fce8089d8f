using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace PrivateProvisioning.Core.Formats
{
    /// <summary>
    /// Writes the PrivateWave client settings document: our own JSON schema (docs/privatewave-settings.md),
    /// since PrivateWave's payload format is not public (privatewave.md §2.2). UTF-8 without BOM, two-space
    /// indentation, LF, properties in schema order, every setting present (the schema default when neither the
    /// template nor the CSV sets it), values typed and validated against <see cref="PrivateWaveSettingsSchema"/>.
    /// Precedence per setting: schema default, template client setting, template parameter of the same key,
    /// CSV column of the same key (case-insensitive). Other template parameters and columns go to "Parameters".
    /// </summary>
    public sealed class PrivateWaveSettingsWriter : IProfileFormatWriter
    {
        internal const string FormatName = "PrivateWave settings";

        /// <summary>The value of the document's "Format" property.</summary>
        public const string DocumentFormat = "PrivateWaveClientSettings";

        /// <summary>The schema version this writer emits.</summary>
        public const int DocumentVersion = 1;

        public ProfileFormat Format => ProfileFormat.PrivateWave;

        public string DefaultFileNameRule => "$MA.json";

        private enum Kind { String, Number, Boolean }

        private struct Item
        {
            public string Path;      // flattened name, e.g. "Account.UserId", "CsrSubject.Country", "Parameters.X"
            public string Value;
            public Kind Kind;
        }

        private static readonly string[] AccountOrder = { "MacAddress", "UserId", "AuthId", "Password", "DisplayName", "Extension", "SipServer" };

        private static List<Item> Build(ProfileDocument document)
        {
            var account = document.Account;
            var items = new List<Item>(96)
            {
                new Item { Path = "Format", Value = DocumentFormat, Kind = Kind.String },
                new Item { Path = "Version", Value = DocumentVersion.ToString(CultureInfo.InvariantCulture), Kind = Kind.Number },
                new Item { Path = "Template", Value = document.TemplateName, Kind = Kind.String },
            };
            var accountValues = new[] { account.MacAddress.Upper, account.UserId, account.AuthId, account.Password, account.DisplayName, account.Extension, account.SipServer };
            for (int i = 0; i < AccountOrder.Length; i++)
            {
                var v = accountValues[i];
                if (string.IsNullOrEmpty(v)) continue;
                CheckUnicode(document, new ProfileParameter { Name = "Account." + AccountOrder[i], Value = v!, Column = i == 0 ? "MacAddress" : AccountOrder[i] });
                items.Add(new Item { Path = "Account." + AccountOrder[i], Value = v!, Kind = Kind.String });
            }

            var settings = new ProfileParameters(StringComparer.OrdinalIgnoreCase);
            foreach (var field in PrivateWaveSettingsSchema.Fields) settings.Set(field.Key, field.DefaultValue, null);
            foreach (var s in document.ClientSettings) settings.Set(s.Key, s.Value, null);
            var parameters = new ProfileParameters(StringComparer.Ordinal);
            foreach (var p in document.TemplateParameters)
            {
                if (ProfileParameters.IsLayoutName(p.Key)) continue;
                if (PrivateWaveSettingsSchema.TryGetField(p.Key, out var field)) settings.Set(field.Key, p.Value, null);
                else parameters.Set(p.Key, p.Value, null);
            }
            foreach (var c in account.ExtraColumns)
            {
                if (string.IsNullOrEmpty(c.Value) || ProfileParameters.IsLayoutName(c.Key)) continue;
                if (PrivateWaveSettingsSchema.TryGetField(c.Key, out var field)) settings.Set(field.Key, c.Value, c.Key);
                else parameters.Set(c.Key, c.Value, c.Key);
            }

            for (int i = 0; i < settings.Count; i++)
            {
                ref var s = ref settings[i];
                CheckUnicode(document, s);
                if (!PrivateWaveSettingsSchema.TryGetField(s.Name, out var field))
                {
                    items.Add(new Item { Path = s.Name, Value = s.Value, Kind = Kind.String });
                    continue;
                }
                var canonical = PrivateWaveSettingsSchema.Normalize(field, s.Value, out var problem);
                if (canonical == null)
                {
                    var shown = field.Type == PrivateWaveSettingType.Secret ? "" : $" (got '{s.Value}')";
                    throw new ProvisioningException(ErrorIds.InvalidSettingValue, ErrorKind.InvalidData,
                        $"{FormatErrors.Where(document, s)}: {field.Key} {problem}{shown}. Change the value in the CSV or template.",
                        document.Account);
                }
                var kind = field.Type == PrivateWaveSettingType.Integer ? Kind.Number
                    : field.Type == PrivateWaveSettingType.Boolean ? Kind.Boolean : Kind.String;
                items.Add(new Item { Path = field.Key, Value = canonical, Kind = kind });
            }
            for (int i = 0; i < parameters.Count; i++)
            {
                ref var p = ref parameters[i];
                CheckUnicode(document, p);
                items.Add(new Item { Path = "Parameters." + p.Name, Value = p.Value, Kind = Kind.String });
            }
            return items;
        }

        /// <summary>JSON can escape anything except a lone UTF-16 surrogate, which has no UTF-8 form.</summary>
        private static void CheckUnicode(ProfileDocument document, in ProfileParameter p)
        {
            var v = p.Value;
            for (int i = 0; i < v.Length; i++)
            {
                if (!char.IsSurrogate(v[i])) continue;
                if (char.IsHighSurrogate(v[i]) && i + 1 < v.Length && char.IsLowSurrogate(v[i + 1])) { i++; continue; }
                throw FormatErrors.NotRepresentable(document, p, FormatName, i, "is an unpaired surrogate, which has no UTF-8 form");
            }
        }

        /// <summary>The document flattened to the names the reader reports ("Account.UserId", "PinMaxRetries", "CsrSubject.Country", "Parameters.X").</summary>
        public static IReadOnlyList<KeyValuePair<string, string>> MergeParameters(ProfileDocument document)
        {
            var items = Build(document);
            var list = new List<KeyValuePair<string, string>>(items.Count);
            foreach (var item in items) list.Add(new KeyValuePair<string, string>(item.Path, item.Value));
            return list;
        }

        public byte[] Render(ProfileDocument document)
        {
            if (document == null) throw new ArgumentNullException(nameof(document));
            var items = Build(document);
            var sb = XmlText.RentBuilder();
            sb.Append("{\n");
            int i = 0;
            bool firstTop = true;
            // Top level scalars.
            while (i < items.Count && items[i].Path.IndexOf('.') < 0 && i < 3) { Property(sb, 1, items[i].Path, items[i], ref firstTop); i++; }
            // "Account" object.
            Open(sb, 1, "Account", ref firstTop);
            bool first = true;
            while (i < items.Count && items[i].Path.StartsWith("Account.", StringComparison.Ordinal))
            {
                Property(sb, 2, items[i].Path.Substring(8), items[i], ref first);
                i++;
            }
            Close(sb, 1, first);
            // "Settings" object; a run of "Group.Key" settings becomes a nested object.
            Open(sb, 1, "Settings", ref firstTop);
            first = true;
            while (i < items.Count && !items[i].Path.StartsWith("Parameters.", StringComparison.Ordinal))
            {
                var path = items[i].Path;
                int dot = path.IndexOf('.');
                bool known = PrivateWaveSettingsSchema.TryGetField(path, out _);
                if (dot > 0 && known)
                {
                    var group = path.Substring(0, dot + 1);
                    Open(sb, 2, path.Substring(0, dot), ref first);
                    bool firstInGroup = true;
                    while (i < items.Count && items[i].Path.StartsWith(group, StringComparison.Ordinal) && PrivateWaveSettingsSchema.TryGetField(items[i].Path, out _))
                    {
                        Property(sb, 3, items[i].Path.Substring(group.Length), items[i], ref firstInGroup);
                        i++;
                    }
                    Close(sb, 2, firstInGroup);
                    continue;
                }
                Property(sb, 2, path, items[i], ref first);
                i++;
            }
            Close(sb, 1, first);
            Open(sb, 1, "Parameters", ref firstTop);
            first = true;
            for (; i < items.Count; i++) Property(sb, 2, items[i].Path.Substring(11), items[i], ref first);
            Close(sb, 1, first);
            sb.Append("\n}\n");
            return XmlText.ToUtf8AndReturn(sb);
        }

        private static void Separator(StringBuilder sb, int depth, ref bool first)
        {
            sb.Append(first ? "\n" : ",\n");
            first = false;
            sb.Append(' ', depth * 2);
        }

        private static void Open(StringBuilder sb, int depth, string name, ref bool first)
        {
            if (first && depth == 1) { sb.Append(' ', 2); first = false; }
            else Separator(sb, depth, ref first);
            JsonText.AppendString(sb, name);
            sb.Append(": {");
        }

        private static void Close(StringBuilder sb, int depth, bool wasEmpty)
        {
            if (wasEmpty) { sb.Append('}'); return; }
            sb.Append('\n').Append(' ', depth * 2).Append('}');
        }

        private static void Property(StringBuilder sb, int depth, string name, in Item item, ref bool first)
        {
            if (first && depth == 1) { sb.Append(' ', 2); first = false; }
            else Separator(sb, depth, ref first);
            JsonText.AppendString(sb, name);
            sb.Append(": ");
            if (item.Kind == Kind.String) JsonText.AppendString(sb, item.Value);
            else sb.Append(item.Value);
        }
    }

    /// <summary>JSON string escaping for the writers (RFC 8259 §7): quotes, backslash and controls; other text as UTF-8.</summary>
    internal static class JsonText
    {
        public static void AppendString(StringBuilder sb, string value)
        {
            sb.Append('"');
            int start = 0;
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c >= 0x20 && c != '"' && c != '\\') continue;
                sb.Append(value, start, i - start);
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    case '\b': sb.Append("\\b"); break;
                    case '\f': sb.Append("\\f"); break;
                    default: sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                }
                start = i + 1;
            }
            sb.Append(value, start, value.Length - start).Append('"');
        }
    }
}
