using System;
using System.Collections.Generic;
using System.Text;

namespace PrivateProvisioning.Core.Formats
{
    /// <summary>
    /// Writes the Panasonic "Standard Format" text file (panasonic.md §1, §7): the header line first, then one
    /// NAME="value" line per parameter, CR LF everywhere, an empty line at the end, UTF-8 without BOM.
    /// Names are at most 32 characters of [A-Z0-9_]; values at most 500 bytes and free of '"', CR, LF and
    /// other control characters (the format has no escape); the file is limited to 120 KB (2040 KB for KX-UDS).
    /// Template "#" entries become comment lines and "" entries blank lines, so a template fixes the layout.
    /// </summary>
    public sealed class PanasonicConfigWriter : IProfileFormatWriter
    {
        internal const string FormatName = "Panasonic standard-format";

        /// <summary>The first line for every model but the KX-TGP500/550.</summary>
        public const string StandardHeader = "# Panasonic SIP Phone Standard Format File # DO NOT CHANGE THIS LINE!";

        /// <summary>The first line of the older KX-TGP500/550 DECT bases (panasonic.md §1.1).</summary>
        public const string PccHeader = "# PCC Standard Format File # DO NOT CHANGE THIS LINE!";

        public const int MaximumNameLength = 32;
        public const int MaximumValueBytes = 500;
        public const int MaximumLineBytes = 537;
        public const int DefaultMaximumFileBytes = 120 * 1024;
        public const int UdsMaximumFileBytes = 2040 * 1024;

        // Lines per model (panasonic.md §1.5); where sources disagree the larger count is taken so no valid file is refused.
        private static readonly Dictionary<string, int> LinesPerModel = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
        {
            ["KX-HDV100"] = 1, ["KX-UT113"] = 1, ["KX-UT123"] = 2, ["KX-UT133"] = 4, ["KX-UT136"] = 6, ["KX-UT670"] = 6,
            ["KX-TGP500"] = 8, ["KX-TGP550"] = 8,
        };

        // The per-line parameters of panasonic.md §6 whose "_n" suffix is a line number.
        private static readonly HashSet<string> PerLineNames = new HashSet<string>(StringComparer.Ordinal)
        {
            "PHONE_NUMBER", "SIP_URI", "DISPLAY_NAME", "SIP_AUTHID", "SIP_PASS", "SIP_RGSTR_ADDR", "SIP_RGSTR_PORT",
            "SIP_PRXY_ADDR", "SIP_PRXY_PORT", "SIP_OUTPROXY_ADDR", "SIP_OUTPROXY_PORT", "SIP_PRSNC_ADDR", "SIP_PRSNC_PORT",
            "SIP_SVCDOMAIN", "SIP_2NDRGSTR_ADDR", "SIP_2NDPROXY_ADDR", "SIP_SRC_PORT", "SIP_TRANSPORT", "SIP_TLS_MODE",
            "SRTP_CONNECT_MODE", "REG_EXPIRE_TIME", "REG_INTERVAL_RATE", "SIP_DNSSRV_ENA", "VM_NUMBER", "LINE_ENABLE",
            "PROFILE_ENABLE", "OUTBANDDTMF", "SHARED_CALL_ENABLE", "SHARED_USER_ID",
        };

        public ProfileFormat Format => ProfileFormat.Panasonic;

        public string DefaultFileNameRule => "Config$MAU.cfg";

        /// <summary>The header line a model's file must start with.</summary>
        public static string HeaderFor(string? model) =>
            model != null && (model.IndexOf("TGP500", StringComparison.OrdinalIgnoreCase) >= 0
                              || model.IndexOf("TGP550", StringComparison.OrdinalIgnoreCase) >= 0)
                ? PccHeader : StandardHeader;

        /// <summary>The file-size limit for a model: 2040 KB for the KX-UDS124 SIP-CS, 120 KB otherwise.</summary>
        public static int MaximumFileBytesFor(string? model) =>
            model != null && model.IndexOf("UDS", StringComparison.OrdinalIgnoreCase) >= 0 ? UdsMaximumFileBytes : DefaultMaximumFileBytes;

        /// <summary>
        /// Line 1 account fields (panasonic.md §6), in output order: PHONE_NUMBER_1 (Extension, else UserId),
        /// SIP_URI_1 (UserId, else Extension), DISPLAY_NAME_1, SIP_AUTHID_1, SIP_PASS_1, and the SipServer as
        /// registrar, proxy and service domain.
        /// </summary>
        internal static void AddAccountFields(ProfileParameters parameters, AccountRecord account)
        {
            var extension = CiscoFlatProfileWriter.NullIfEmpty(account.Extension);
            var userId = CiscoFlatProfileWriter.NullIfEmpty(account.UserId);
            parameters.Set("PHONE_NUMBER_1", extension ?? userId, extension != null ? "Extension" : "UserId");
            parameters.Set("SIP_URI_1", userId ?? extension, userId != null ? "UserId" : "Extension");
            parameters.Set("DISPLAY_NAME_1", CiscoFlatProfileWriter.NullIfEmpty(account.DisplayName), "DisplayName");
            parameters.Set("SIP_AUTHID_1", CiscoFlatProfileWriter.NullIfEmpty(account.AuthId), "AuthId");
            parameters.Set("SIP_PASS_1", CiscoFlatProfileWriter.NullIfEmpty(account.Password), "Password");
            var server = CiscoFlatProfileWriter.NullIfEmpty(account.SipServer);
            parameters.Set("SIP_RGSTR_ADDR_1", server, "SipServer");
            parameters.Set("SIP_PRXY_ADDR_1", server, "SipServer");
            parameters.Set("SIP_SVCDOMAIN_1", server, "SipServer");
        }

        private static ProfileParameters Merge(ProfileDocument document)
        {
            var parameters = new ProfileParameters(StringComparer.Ordinal);
            parameters.AddTemplate(document);
            AddAccountFields(parameters, document.Account);
            parameters.AddExtraColumns(document);
            return parameters;
        }

        /// <summary>The merged parameters this writer would emit, in file order (for diffs and -WhatIf).</summary>
        public static IReadOnlyList<KeyValuePair<string, string>> MergeParameters(ProfileDocument document) => Merge(document).ToList();

        public byte[] Render(ProfileDocument document)
        {
            if (document == null) throw new ArgumentNullException(nameof(document));
            var parameters = Merge(document);
            var model = document.Account.Model;
            LinesPerModel.TryGetValue(model ?? "", out int lines);
            var sb = XmlText.RentBuilder();
            sb.Append(HeaderFor(model)).Append("\r\n");
            for (int i = 0; i < parameters.Count; i++)
            {
                ref var p = ref parameters[i];
                if (p.IsBlankLine) { sb.Append("\r\n"); continue; }
                if (p.IsLayout)
                {
                    var comment = p.Name + p.Value;
                    CheckText(document, p, p.Name);
                    CheckText(document, p, p.Value);
                    if (Encoding.UTF8.GetByteCount(comment) + 2 > MaximumLineBytes)
                        throw FormatErrors.TooLong(document, p, FormatName, Encoding.UTF8.GetByteCount(comment), MaximumLineBytes - 2, "bytes (comment line)");
                    sb.Append(comment).Append("\r\n");
                    continue;
                }
                CheckName(document, p, lines);
                CheckText(document, p, p.Value);
                int bytes = Encoding.UTF8.GetByteCount(p.Value);
                if (bytes > MaximumValueBytes) throw FormatErrors.TooLong(document, p, FormatName, bytes, MaximumValueBytes, "bytes");
                sb.Append(p.Name).Append("=\"").Append(p.Value).Append("\"\r\n");
            }
            sb.Append("\r\n");
            var result = XmlText.ToUtf8AndReturn(sb);
            int limit = MaximumFileBytesFor(model);
            if (result.Length > limit)
                throw new ProvisioningException(ErrorIds.FileTooLarge, ErrorKind.InvalidData,
                    $"Row {document.Account.RowNumber}: the Panasonic file for {document.Account.MacAddress} would be {result.Length} bytes; {(string.IsNullOrEmpty(model) ? "the phone" : model)} accepts at most {limit} bytes. Move common parameters to ConfigCommon.cfg or shorten values.",
                    document.Account);
            return result;
        }

        private static void CheckName(ProfileDocument document, in ProfileParameter p, int lines)
        {
            var name = p.Name;
            bool ok = name.Length <= MaximumNameLength;
            for (int i = 0; ok && i < name.Length; i++)
            {
                char c = name[i];
                ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            }
            if (!ok)
                throw FormatErrors.InvalidName(document, p, FormatName, "at most 32 characters of A-Z, 0-9 and '_', e.g. SIP_PRXY_PORT_1");
            if (lines > 0)
            {
                int underscore = name.LastIndexOf('_');
                if (underscore > 0 && underscore < name.Length - 1 && PerLineNames.Contains(name.Substring(0, underscore))
                    && int.TryParse(name.Substring(underscore + 1), out int line) && line > lines)
                    throw new ProvisioningException(ErrorIds.LineNotOnModel, ErrorKind.InvalidData,
                        $"{FormatErrors.Where(document, p)}: {document.Account.Model} has {lines} line(s), so it has no line {line}. Remove the parameter or change the model.",
                        document.Account);
            }
        }

        /// <summary>Refuses '"' (no escape exists), CR, LF, other C0 controls, DEL and unpaired surrogates.</summary>
        private static void CheckText(ProfileDocument document, in ProfileParameter p, string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '"' && !p.IsLayout)
                    throw FormatErrors.NotRepresentable(document, p, FormatName, i, "is a double quote, which the format has no way to escape");
                if (c < 0x20 || c == 0x7F)
                    throw FormatErrors.NotRepresentable(document, p, FormatName, i,
                        c == '\r' || c == '\n' ? "is a line break (a parameter may not span lines)" : "is a control character");
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
                if (char.IsSurrogate(c))
                    throw FormatErrors.NotRepresentable(document, p, FormatName, i, "is not a valid character");
            }
        }
    }
}
