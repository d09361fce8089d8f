using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace PrivateProvisioning.Core.Resync
{
    /// <summary>A parsed SIP response (status line and headers; the NOTIFY answers we wait for carry no body we need).</summary>
    internal sealed class SipResponse
    {
        private readonly HeaderList _headers;

        private SipResponse(int statusCode, string reasonPhrase, HeaderList headers)
        {
            StatusCode = statusCode;
            ReasonPhrase = reasonPhrase;
            _headers = headers;
        }

        public int StatusCode { get; }
        public string ReasonPhrase { get; }

        public string? Header(string name) => _headers.First(name);

        public IEnumerable<string> Headers(string name) => _headers.All(name);

        /// <summary>The method of the CSeq header ("2 NOTIFY" gives "NOTIFY"), or null without one.</summary>
        public string? CSeqMethod
        {
            get
            {
                var cseq = Header("CSeq");
                if (cseq == null) return null;
                var parts = cseq.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                return parts.Length == 2 ? parts[1] : null;
            }
        }

        /// <summary>True when the response belongs to our client transaction: top Via branch and CSeq method (RFC 3261 §17.1.3).</summary>
        public bool Answers(string branch, string method) =>
            TopViaBranch == branch && string.Equals(CSeqMethod, method, StringComparison.Ordinal);

        /// <summary>The branch parameter of the topmost Via: how a response finds its transaction (RFC 3261 §17.1.3).</summary>
        public string? TopViaBranch
        {
            get
            {
                var via = Header("Via");
                if (via == null) return null;
                int comma = via.IndexOf(',');
                if (comma >= 0) via = via.Substring(0, comma);
                foreach (var part in via.Split(';'))
                {
                    var p = part.Trim();
                    if (p.StartsWith("branch=", StringComparison.OrdinalIgnoreCase)) return p.Substring(7);
                }
                return null;
            }
        }

        /// <summary>What a first line tells about a message: a SIP response, a SIP request (not for us), or not SIP at all.</summary>
        public static SipLineKind Classify(string firstLine)
        {
            if (firstLine.StartsWith("SIP/2.0 ", StringComparison.Ordinal)) return SipLineKind.Response;
            if (firstLine.EndsWith(" SIP/2.0", StringComparison.Ordinal) && firstLine.IndexOf(' ') > 0) return SipLineKind.Request;
            return SipLineKind.NotSip;
        }

        /// <summary>Parses the head (status line and headers, without the blank line). Returns null for a request; throws ResyncFailure for non-SIP text.</summary>
        public static SipResponse? ParseHead(string head, string peer)
        {
            var lines = head.Split(new[] { "\r\n", "\n" }, StringSplitOptions.None);
            var first = lines[0];
            var kind = Classify(first);
            if (kind == SipLineKind.Request) return null;
            if (kind == SipLineKind.NotSip) throw NotSip(first, peer);
            var parts = first.Split(new[] { ' ' }, 3);
            if (parts.Length < 2 || parts[1].Length != 3 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int code) || code < 100 || code > 699)
                throw new ResyncFailure(ResyncOutcome.ProtocolError, $"{peer} sent a malformed SIP status line: '{ResyncRequestRules.Printable(first)}'.");
            var headers = new HeaderList();
            for (int i = 1; i < lines.Length; i++)
            {
                var line = lines[i];
                if (line.Length == 0) break;
                if ((line[0] == ' ' || line[0] == '\t') && headers.Count > 0)
                {
                    // Header folding (RFC 3261 §7.3.1): a continuation line joins the previous value.
                    var last = headers[headers.Count - 1];
                    headers[headers.Count - 1] = new KeyValuePair<string, string>(last.Key, last.Value + " " + line.Trim());
                    continue;
                }
                int colon = line.IndexOf(':');
                if (colon <= 0) continue;
                headers.Add(LongName(line.Substring(0, colon).Trim()), line.Substring(colon + 1).Trim());
            }
            return new SipResponse(code, parts.Length > 2 ? parts[2] : "", headers);
        }

        /// <summary>
        /// Parses one UDP datagram: on the bytes for a plain answer (status line, top Via, CSeq; nothing else is read from
        /// it), through <see cref="ParseHead"/> for a challenge (its headers are needed), a request, folded headers or
        /// anything unusual. A storm of answers costs a few small strings each instead of a decoded copy split in lines.
        /// </summary>
        public static SipResponse? ParseDatagram(byte[] buffer, int count, string peer)
        {
            int headEnd = ByteSearch.IndexOf(buffer, count, "\r\n\r\n");
            if (headEnd < 0) headEnd = count;
            int lineEnd = ByteSearch.IndexOf(buffer, headEnd, "\r\n");
            if (lineEnd < 0) lineEnd = headEnd;
            if (lineEnd < 11 || !StartsWith(buffer, 0, "SIP/2.0 ") || !IsDigit(buffer[8]) || !IsDigit(buffer[9]) || !IsDigit(buffer[10])
                || (lineEnd > 11 && buffer[11] != ' ') || Array.IndexOf(buffer, (byte)'\n', 0, lineEnd) >= 0)
                return FullParse(buffer, count, peer); // bare LF line ends and the rest: the string parser knows them
            int code = (buffer[8] - '0') * 100 + (buffer[9] - '0') * 10 + (buffer[10] - '0');
            if (code < 100 || code > 699 || code == 401 || code == 407) return FullParse(buffer, count, peer);
            var headers = new HeaderList();
            for (int start = lineEnd + 2; start < headEnd;)
            {
                int end = ByteSearch.IndexOf(buffer, start, headEnd - start, "\r\n");
                if (end < 0) end = headEnd;
                if (buffer[start] == ' ' || buffer[start] == '\t' || end == start || Array.IndexOf(buffer, (byte)'\n', start, end - start) >= 0)
                    return FullParse(buffer, count, peer);
                int colon = Array.IndexOf(buffer, (byte)':', start, end - start);
                if (colon > start)
                {
                    int nameEnd = colon;
                    while (nameEnd > start && (buffer[nameEnd - 1] == ' ' || buffer[nameEnd - 1] == '\t')) nameEnd--;
                    string? name = IsName(buffer, start, nameEnd, "Via", 'v') ? "Via" : IsName(buffer, start, nameEnd, "CSeq", '\0') ? "CSeq" : null;
                    if (name != null && (name != "Via" || headers.First("Via") == null))
                        headers.Add(name, Encoding.UTF8.GetString(buffer, colon + 1, end - colon - 1).Trim());
                }
                start = end + 2;
            }
            return new SipResponse(code, lineEnd > 12 ? Encoding.UTF8.GetString(buffer, 12, lineEnd - 12) : "", headers);
        }

        private static SipResponse? FullParse(byte[] buffer, int count, string peer)
        {
            var text = Decode(buffer, 0, count);
            int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            return ParseHead(end >= 0 ? text.Substring(0, end) : text, peer);
        }

        private static bool IsDigit(byte b) => b >= '0' && b <= '9';

        private static bool StartsWith(byte[] buffer, int offset, string ascii)
        {
            for (int i = 0; i < ascii.Length; i++)
                if (buffer[offset + i] != ascii[i]) return false;
            return true;
        }

        // A header name, case-insensitively, or its compact form (RFC 3261 §7.3.3).
        private static bool IsName(byte[] buffer, int start, int end, string name, char compact)
        {
            if (end - start == 1) return compact != '\0' && (buffer[start] | 0x20) == compact;
            if (end - start != name.Length) return false;
            for (int i = 0; i < name.Length; i++)
                if ((buffer[start + i] | 0x20) != (name[i] | 0x20)) return false;
            return true;
        }

        public static ResyncFailure NotSip(string firstLine, string peer) =>
            new ResyncFailure(ResyncOutcome.ProtocolError, $"{peer} answered with something that is not SIP: '{ResyncRequestRules.Printable(firstLine)}'.");

        public int ContentLength =>
            int.TryParse(Header("Content-Length"), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0;

        // RFC 3261 §7.3.3 compact forms.
        private static string LongName(string name)
        {
            if (name.Length != 1) return name;
            switch (char.ToLowerInvariant(name[0]))
            {
                case 'v': return "Via";
                case 'i': return "Call-ID";
                case 'f': return "From";
                case 't': return "To";
                case 'l': return "Content-Length";
                case 'm': return "Contact";
                case 'c': return "Content-Type";
                case 'o': return "Event";
                default: return name;
            }
        }

        public static string Decode(byte[] buffer, int offset, int count) => Encoding.UTF8.GetString(buffer, offset, count);
    }

    internal enum SipLineKind
    {
        Response,
        Request,
        NotSip,
    }
}
