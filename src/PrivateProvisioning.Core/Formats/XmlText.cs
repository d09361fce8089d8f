using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Xml;

namespace PrivateProvisioning.Core.Formats
{
    /// <summary>Escaping for the XML writers and hardened XmlReader settings for the XML readers.</summary>
    internal static class XmlText
    {
        [ThreadStatic] private static StringBuilder? _cached;

        /// <summary>A cleared per-thread builder: rendering allocates one string and one byte[] per file, nothing more.</summary>
        public static StringBuilder RentBuilder()
        {
            var sb = _cached ?? new StringBuilder(4096);
            _cached = null;
            sb.Clear();
            return sb;
        }

        /// <summary>Returns the builder's text as UTF-8 (no BOM) and keeps the builder for the next file.</summary>
        public static byte[] ToUtf8AndReturn(StringBuilder sb)
        {
#if NET
            // Encode straight from the builder's chunks: no intermediate string per file.
            int count = 0;
            foreach (var chunk in sb.GetChunks()) count += Encoding.UTF8.GetByteCount(chunk.Span);
            var bytes = new byte[count];
            int written = 0;
            foreach (var chunk in sb.GetChunks()) written += Encoding.UTF8.GetBytes(chunk.Span, bytes.AsSpan(written));
#else
            var bytes = Encoding.UTF8.GetBytes(sb.ToString());
#endif
            if (sb.Capacity <= 1 << 20) _cached = sb;
            return bytes;
        }

        /// <summary>
        /// Finds the first character an XML 1.0 document cannot carry in text (controls other than tab/LF/CR,
        /// unpaired surrogates, U+FFFE/U+FFFF); -1 when none.
        /// </summary>
        public static int IndexOfInvalidXmlChar(string value, bool allowTabAndNewlines)
        {
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c >= 0x20 && c < 0xD800) continue;
                if (c < 0x20)
                {
                    if (allowTabAndNewlines && (c == '\t' || c == '\n' || c == '\r')) continue;
                    return i;
                }
                if (char.IsHighSurrogate(c))
                {
                    if (i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) { i++; continue; }
                    return i;
                }
                if (char.IsLowSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') return i;
            }
            return -1;
        }

        /// <summary>
        /// Appends text content escaped for XML. With <paramref name="asciiOnly"/> every non-ASCII character
        /// becomes a numeric reference (&amp;#xFC;), so the file is pure ASCII. Assumes the value passed
        /// <see cref="IndexOfInvalidXmlChar"/>.
        /// </summary>
        public static void AppendEscaped(StringBuilder sb, string value, bool asciiOnly, bool escapeQuotes)
        {
            int start = 0;
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                string? replacement = null;
                switch (c)
                {
                    case '&': replacement = "&amp;"; break;
                    case '<': replacement = "&lt;"; break;
                    case '>': replacement = "&gt;"; break;
                    case '"': if (escapeQuotes) replacement = "&quot;"; break;
                    case '\'': if (escapeQuotes) replacement = "&apos;"; break;
                    case '\r': replacement = "&#xD;"; break;
                    case '\n': if (escapeQuotes) replacement = "&#xA;"; break;
                    case '\t': if (escapeQuotes) replacement = "&#x9;"; break;
                }
                if (replacement == null && (!asciiOnly || c < 0x80)) continue;
                sb.Append(value, start, i - start);
                if (replacement != null)
                {
                    sb.Append(replacement);
                }
                else
                {
                    int cp = c;
                    if (char.IsHighSurrogate(c) && i + 1 < value.Length) { cp = char.ConvertToUtf32(c, value[i + 1]); i++; }
                    sb.Append("&#x").Append(cp.ToString("X", CultureInfo.InvariantCulture)).Append(';');
                }
                start = i + 1;
            }
            sb.Append(value, start, value.Length - start);
        }

        /// <summary>XML name check for the element names we write: ASCII letter or '_' first, then letters, digits, '_', '-', '.'.</summary>
        public static bool IsSimpleElementName(string name)
        {
            if (name.Length == 0) return false;
            char first = name[0];
            if (!((first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z') || first == '_')) return false;
            if (name.Length >= 3 && string.Compare(name, 0, "xml", 0, 3, StringComparison.OrdinalIgnoreCase) == 0) return false;
            for (int i = 1; i < name.Length; i++)
            {
                char c = name[i];
                if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.') continue;
                return false;
            }
            return true;
        }

        /// <summary>Reader settings that refuse DTDs and external entities (a profile from a customer is untrusted input).</summary>
        public static XmlReader CreateReader(byte[] content)
        {
            var settings = new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                IgnoreProcessingInstructions = true,
                IgnoreComments = true,
                CloseInput = true,
                MaxCharactersInDocument = 64L * 1024 * 1024,
            };
            return XmlReader.Create(new MemoryStream(content, writable: false), settings);
        }

        /// <summary>
        /// What System.Xml throws for a malformed document: XmlException, and ArgumentException from inside its
        /// reader when the XML declaration switches to an encoding the following bytes break (found by fuzzing:
        /// ArgumentOutOfRangeException from Buffer.BlockCopy in XmlTextReaderImpl.SwitchEncoding).
        /// </summary>
        public static bool IsMalformedXml(Exception ex) => ex is XmlException || ex is ArgumentException;

        /// <summary>Turns an XmlException into our error, naming the file, line and position.</summary>
        public static ProvisioningException InvalidXml(string sourceName, string what, Exception ex)
        {
            if (ex is XmlException xml)
                return new ProvisioningException(ErrorIds.InvalidProfileXml, ErrorKind.InvalidData,
                    $"{sourceName}: line {xml.LineNumber.ToString(CultureInfo.InvariantCulture)}, position {xml.LinePosition.ToString(CultureInfo.InvariantCulture)}: not a well-formed {what}: {xml.Message}",
                    sourceName, ex);
            return new ProvisioningException(ErrorIds.InvalidProfileXml, ErrorKind.InvalidData,
                $"{sourceName}: not a well-formed {what}: its XML declaration or encoding is broken.", sourceName, ex);
        }
    }
}
