using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace PrivateProvisioning.Core.Formats
{
    /// <summary>A Panasonic standard-format file as the phone reads it.</summary>
    public sealed class PanasonicConfigFile
    {
        internal PanasonicConfigFile(string header, IReadOnlyList<KeyValuePair<string, string>> parameters, IReadOnlyList<string> warnings)
        {
            Header = header;
            Parameters = parameters;
            Warnings = warnings;
        }

        /// <summary>The first line as found (the standard or the KX-TGP500/550 "PCC" header).</summary>
        public string Header { get; }

        /// <summary>The parameters the phone applies, in file order; of repeated names the first wins (panasonic.md §1.3).</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; }

        /// <summary>Lines the phone ignores (too long, malformed) and repeated names, each naming its line number; never a value.</summary>
        public IReadOnlyList<string> Warnings { get; }
    }

    /// <summary>
    /// Reads the Panasonic standard format leniently, like the phone (panasonic.md §7 "Parser"): the 44-byte
    /// header must open the file (a BOM is reported as such), CR LF, LF or CR ends a line, comments and empty
    /// lines are skipped, lines over 537 bytes and malformed lines are ignored with a warning.
    /// </summary>
    public sealed class PanasonicConfigReader : IProfileFormatReader
    {
        private const string StandardMagic = "# Panasonic SIP Phone Standard Format File #";
        private const string PccMagic = "# PCC Standard Format File #";
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        public ProfileFormat Format => ProfileFormat.Panasonic;

        public IReadOnlyList<KeyValuePair<string, string>> Parse(byte[] content, string sourceName) => Read(content, sourceName).Parameters;

        /// <exception cref="ProvisioningException">MissingHeader (no magic line, or a BOM before it) or InvalidEncoding (not UTF-8), naming the file.</exception>
        public static PanasonicConfigFile Read(byte[] content, string sourceName)
        {
            if (content == null) throw new ArgumentNullException(nameof(content));
            if (content.Length >= 3 && content[0] == 0xEF && content[1] == 0xBB && content[2] == 0xBF)
                throw new ProvisioningException(ErrorIds.MissingHeader, ErrorKind.InvalidData,
                    $"{sourceName}: the file starts with a UTF-8 byte order mark (EF BB BF), so the header line is not the first bytes and the phone rejects the whole file. Save it as UTF-8 without BOM.",
                    sourceName);
            string text;
            try { text = StrictUtf8.GetString(content); }
            catch (DecoderFallbackException ex)
            {
                throw new ProvisioningException(ErrorIds.InvalidEncoding, ErrorKind.InvalidData,
                    $"{sourceName}: byte {ex.Index.ToString(CultureInfo.InvariantCulture)} is not valid UTF-8; the file must be plain UTF-8 text.", sourceName, ex);
            }
            if (!text.StartsWith(StandardMagic, StringComparison.Ordinal) && !text.StartsWith(PccMagic, StringComparison.Ordinal))
                throw new ProvisioningException(ErrorIds.MissingHeader, ErrorKind.InvalidData,
                    $"{sourceName}: the file does not start with '{StandardMagic}', so the phone rejects it as a whole. Make '{PanasonicConfigWriter.StandardHeader}' the first line.",
                    sourceName);

            var parameters = new List<KeyValuePair<string, string>>();
            var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
            var warnings = new List<string>();
            string header = "";
            int lineNumber = 0;
            int pos = 0;
            while (pos < text.Length)
            {
                int end = pos;
                while (end < text.Length && text[end] != '\r' && text[end] != '\n') end++;
                int next = end;
                if (next < text.Length && text[next] == '\r') next++;
                if (next < text.Length && text[next] == '\n' && (next == end || text[next - 1] == '\r')) next++;
                var line = text.Substring(pos, end - pos);
                lineNumber++;
                string at = $"{sourceName}: line {lineNumber.ToString(CultureInfo.InvariantCulture)}";
                if (lineNumber == 1) header = line;
                int lineBytes = Encoding.UTF8.GetByteCount(line) + (next - end);
                pos = next;
                if (line.Length == 0 || line[0] == '#') continue;
                if (lineBytes > PanasonicConfigWriter.MaximumLineBytes)
                {
                    warnings.Add($"{at} is {lineBytes.ToString(CultureInfo.InvariantCulture)} bytes long; the phone ignores lines over {PanasonicConfigWriter.MaximumLineBytes} bytes.");
                    continue;
                }
                int eq = line.IndexOf('=');
                var name = eq > 0 ? line.Substring(0, eq) : "";
                bool wellFormed = eq > 0 && IsName(name) && line.Length >= eq + 3 && line[eq + 1] == '"' && line[line.Length - 1] == '"'
                                  && line.IndexOf('"', eq + 2) == line.Length - 1;
                if (!wellFormed)
                {
                    warnings.Add(name.Length > 0 && IsName(name.TrimEnd())
                        ? $"{at} ({name.TrimEnd()}) is not NAME=\"value\" (no spaces around '=', value in double quotes); the phone ignores it."
                        : $"{at} is not NAME=\"value\" (no spaces around '=', value in double quotes); the phone ignores it.");
                    continue;
                }
                var value = line.Substring(eq + 2, line.Length - eq - 3);
                if (firstLine.TryGetValue(name, out int seen))
                {
                    warnings.Add($"{at} repeats {name} (first set on line {seen.ToString(CultureInfo.InvariantCulture)}); the phone keeps the first.");
                    continue;
                }
                firstLine.Add(name, lineNumber);
                parameters.Add(new KeyValuePair<string, string>(name, value));
            }
            return new PanasonicConfigFile(header, parameters, warnings);
        }

        private static bool IsName(string name)
        {
            if (name.Length == 0 || name.Length > PanasonicConfigWriter.MaximumNameLength) return false;
            foreach (char c in name)
                if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
            return true;
        }
    }
}
