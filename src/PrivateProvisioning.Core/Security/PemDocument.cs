using System;
using System.Collections.Generic;
using System.Text;

namespace PrivateProvisioning.Core.Security
{
    /// <summary>One "-----BEGIN X-----" block of a PEM file: its label, RFC 1421 headers and decoded bytes.</summary>
    internal sealed class PemBlock
    {
        public PemBlock(string label, IReadOnlyDictionary<string, string> headers, byte[] data, string text)
        {
            Label = label;
            Headers = headers;
            Data = data;
            Text = text;
        }

        public string Label { get; }
        /// <summary>Legacy OpenSSL headers such as Proc-Type and DEK-Info (encrypted traditional keys).</summary>
        public IReadOnlyDictionary<string, string> Headers { get; }
        public byte[] Data { get; }
        /// <summary>The block as written, BEGIN to END line, for parsers that want the text.</summary>
        public string Text { get; }

        public bool IsLegacyEncrypted =>
            Headers.TryGetValue("Proc-Type", out var proc) && proc.IndexOf("ENCRYPTED", StringComparison.OrdinalIgnoreCase) >= 0;
    }

    /// <summary>
    /// Reads and writes PEM text. Hand-written rather than BouncyCastle's reader so that a broken block is
    /// reported with its line number, and so that certificates never need BouncyCastle at all.
    /// </summary>
    internal static class PemDocument
    {
        private const string Begin = "-----BEGIN ";
        private const string End = "-----END ";

        /// <summary>Every block in <paramref name="text"/>, in file order. Text outside blocks is ignored (openssl does the same).</summary>
        public static List<PemBlock> Parse(string text, string source)
        {
            var blocks = new List<PemBlock>();
            var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                var line = lines[i].Trim();
                if (!line.StartsWith(Begin, StringComparison.Ordinal)) continue;
                if (!line.EndsWith("-----", StringComparison.Ordinal) || line.Length <= Begin.Length + 5)
                    throw Invalid(source, i + 1, "the BEGIN line is malformed");
                var label = line.Substring(Begin.Length, line.Length - Begin.Length - 5);
                int startLine = i;
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                var base64 = new StringBuilder();
                bool ended = false;
                bool inHeaders = true;
                for (i++; i < lines.Length; i++)
                {
                    var l = lines[i].Trim();
                    if (l.StartsWith(End, StringComparison.Ordinal))
                    {
                        if (l != End + label + "-----")
                            throw Invalid(source, i + 1, $"'{l}' does not close the '{label}' block begun on line {startLine + 1}");
                        ended = true;
                        break;
                    }
                    if (inHeaders && l.IndexOf(':') > 0)
                    {
                        var colon = l.IndexOf(':');
                        headers[l.Substring(0, colon).Trim()] = l.Substring(colon + 1).Trim();
                        continue;
                    }
                    inHeaders = false;
                    base64.Append(l);
                }
                if (!ended)
                    throw Invalid(source, startLine + 1, $"the '{label}' block has no END line");
                byte[] data;
                try { data = Convert.FromBase64String(base64.ToString()); }
                catch (FormatException)
                {
                    throw Invalid(source, startLine + 1, $"the '{label}' block is not valid base64");
                }
                var blockText = string.Join("\n", lines, startLine, i - startLine + 1) + "\n";
                blocks.Add(new PemBlock(label, headers, data, blockText));
            }
            return blocks;
        }

        /// <summary>Writes one block with 64-character lines, the form openssl writes.</summary>
        public static string Encode(string label, byte[] data)
        {
            var b64 = Convert.ToBase64String(data);
            var sb = new StringBuilder(b64.Length + b64.Length / 64 + 64);
            sb.Append(Begin).Append(label).Append("-----\n");
            for (int i = 0; i < b64.Length; i += 64)
                sb.Append(b64, i, Math.Min(64, b64.Length - i)).Append('\n');
            sb.Append(End).Append(label).Append("-----\n");
            return sb.ToString();
        }

        private static ProvisioningException Invalid(string source, int line, string why) =>
            new ProvisioningException(ErrorIds.PemInvalid, ErrorKind.InvalidData, $"'{source}' line {line}: {why}.", source);
    }
}
