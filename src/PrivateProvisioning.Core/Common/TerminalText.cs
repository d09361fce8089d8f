using System;
using System.Globalization;
using System.Text;

namespace PrivateProvisioning.Core
{
    /// <summary>
    /// Makes text from outside (a phone's SIP reason phrase, a CSV value, a file name from a request) safe to print
    /// on a terminal: control characters (ESC, NUL, BEL, CR, DEL, the C1 range, bidi overrides) are shown as
    /// \xNN / \uNNNN escapes, so that no input can move the cursor, recolour the screen, hide a line or forge one.
    /// </summary>
    public static class TerminalText
    {
        /// <summary>One line: every control character is escaped, line breaks and tabs included.</summary>
        public static string Escape(string? text) => Escape(text, keepLineBreaks: false);

        /// <summary>
        /// With keepLineBreaks, '\n' and '\t' pass (multi-line output such as a profile listing); every other control
        /// character, '\r' included, is escaped.
        /// </summary>
        public static string Escape(string? text, bool keepLineBreaks)
        {
            if (string.IsNullOrEmpty(text)) return text ?? string.Empty;
#if NET
            // Printable ASCII never needs escaping: one vectorised scan finds the first character that might (a
            // run prints 100,000 paths).
            int i = text!.AsSpan().IndexOfAnyExceptInRange(' ', '~');
            if (i < 0) return text;
#else
            int i = 0;
#endif
            for (; i < text!.Length; i++)
                if (NeedsEscape(text[i], keepLineBreaks)) break;
            if (i == text.Length) return text;
            var sb = new StringBuilder(text.Length + 16);
            sb.Append(text, 0, i);
            for (; i < text.Length; i++)
            {
                char c = text[i];
                if (!NeedsEscape(c, keepLineBreaks)) { sb.Append(c); continue; }
                switch (c)
                {
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    case '\0': sb.Append("\\0"); break;
                    default:
                        if (c < 0x100) sb.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
                        else sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                        break;
                }
            }
            return sb.ToString();
        }

        private static bool NeedsEscape(char c, bool keepLineBreaks)
        {
            if (c == '\n' || c == '\t') return !keepLineBreaks;
            if (c < 0x20 || c == 0x7F) return true;
            if (c >= 0x80 && c <= 0x9F) return true;                 // C1 controls (CSI is 0x9B)
            if (c >= '\u202A' && c <= '\u202E') return true;         // bidi embeddings and overrides
            if (c >= '\u2066' && c <= '\u2069') return true;         // bidi isolates
            if (c == '\u2028' || c == '\u2029') return true;         // line and paragraph separators
            if (char.IsSurrogate(c)) return false;
            return false;
        }
    }
}
