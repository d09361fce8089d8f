using System;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PrivateProvisioning.Core.Serving
{
    /// <summary>
    /// Parses RFC 5424 and RFC 3164 syslog datagrams, and the bare "&lt;PRI&gt;text" many phones send, and
    /// recognises the resync/upgrade messages of Cisco SPA/MPP (§6.3: "$PN $MAC -- Requesting resync
    /// $SCHEME://$SERVIP:$PORT$PATH"). Never throws: anything unparseable becomes a Bare message.
    /// </summary>
    public static class SyslogParser
    {
        private const int DefaultPriority = 13; // user.notice, RFC 3164 §4.3.3

        private static readonly Regex Rfc3164Header = new Regex(
            @"^(?<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (?<day>[ \d]\d) (?<time>\d\d:\d\d:\d\d) (?:(?<host>[^\s:\[]+) )?(?<rest>.*)$",
            RegexOptions.Singleline | RegexOptions.CultureInvariant);

        private static readonly Regex Tag = new Regex(@"^(?<tag>[^\s:\[]{1,48})(?:\[(?<pid>[^\]]*)\])?: ?(?<msg>.*)$", RegexOptions.Singleline | RegexOptions.CultureInvariant);

        // The phone-event patterns search anywhere in a datagram from the network: with backtracking, a line of
        // dashes or spaces took quadratic time (4 KB: a second; found by fuzzing). .NET's linear engine where it
        // exists, a time limit everywhere, and only the first 2 KB searched (phones' lines are short).
#if NET
        private const RegexOptions Linear = RegexOptions.NonBacktracking;
#else
        private const RegexOptions Linear = RegexOptions.None;
#endif
        private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(200);
        private const int MaxEventSearch = 2048;

        // "$PN $MAC -- Requesting resync URL" and friends; the dashes may be typographic (the spec's sample shows "–-").
        private static readonly Regex PhoneEvent = new Regex(
            @"(?:(?<product>\S+)\s+(?<mac>\S+)\s+)?[-\u2013\u2014]{1,2}\s*(?<what>Requesting resync|Successful resync|Resync failed|Requesting upgrade|Successful upgrade|Upgrade failed)\s*:?\s*(?<rest>.*?)\s*$",
            RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant | Linear, MatchTimeout);

        private static readonly Regex UrlThenError = new Regex(@"^(?<url>\S+)(?:\s+[-\u2013\u2014]{1,2}\s*(?<err>.*))?$",
            RegexOptions.Singleline | RegexOptions.CultureInvariant | Linear, MatchTimeout);

        private static readonly Regex ColonMac = new Regex(@"(?<![0-9A-Fa-f:-])[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}(?![0-9A-Fa-f:-])", RegexOptions.CultureInvariant);
        private static readonly Regex PlainMac = new Regex(@"(?<![0-9A-Fa-f])[0-9A-Fa-f]{12}(?![0-9A-Fa-f])", RegexOptions.CultureInvariant);

        public static SyslogMessage Parse(byte[] datagram, int length, string sourceAddress, DateTimeOffset received)
        {
            var text = DecodeText(datagram, length);
            int priority = DefaultPriority;
            int at = 0;
            bool hasPriority = TryReadPriority(text, ref at, ref priority);
            var body = text.Substring(at);

            if (hasPriority && body.StartsWith("1 ", StringComparison.Ordinal) && TryParse5424(body.Substring(2), out var r))
                return Build(priority, r.Time ?? received, received, r.Host ?? sourceAddress, sourceAddress, r.App, r.Message, SyslogFormat.Rfc5424);

            var m = Rfc3164Header.Match(body);
            if (m.Success)
            {
                var time = Parse3164Time(m, received);
                var rest = m.Groups["rest"].Value;
                string? app = null;
                var tag = Tag.Match(rest);
                if (tag.Success) { app = tag.Groups["tag"].Value; rest = tag.Groups["msg"].Value; }
                var host = m.Groups["host"].Success ? m.Groups["host"].Value : sourceAddress;
                return Build(priority, time, received, host, sourceAddress, app, rest, SyslogFormat.Rfc3164);
            }
            return Build(priority, received, received, sourceAddress, sourceAddress, null, body, SyslogFormat.Bare);
        }

        private static string DecodeText(byte[] datagram, int length)
        {
            int start = 0;
            // RFC 5424 MSG may start with a UTF-8 BOM; drop trailing NUL/newlines some senders add.
            while (length > 0 && (datagram[length - 1] == 0 || datagram[length - 1] == '\n' || datagram[length - 1] == '\r')) length--;
            var text = new UTF8Encoding(false, false).GetString(datagram, start, length);
            return text.Replace("\uFEFF", "");
        }

        private static bool TryReadPriority(string text, ref int at, ref int priority)
        {
            if (text.Length < 3 || text[0] != '<') return false;
            int close = text.IndexOf('>');
            if (close < 2 || close > 4) return false;
            if (!int.TryParse(text.Substring(1, close - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p > 191) return false;
            priority = p;
            at = close + 1;
            return true;
        }

        private struct Parsed5424
        {
            public DateTimeOffset? Time;
            public string? Host;
            public string? App;
            public string Message;
        }

        private static bool TryParse5424(string s, out Parsed5424 result)
        {
            result = default;
            var fields = new string[5];
            int at = 0;
            for (int i = 0; i < 5; i++)
            {
                int space = s.IndexOf(' ', at);
                if (space < 0) return false;
                fields[i] = s.Substring(at, space - at);
                at = space + 1;
            }
            // Structured data: "-" or one or more [id param="value" ...] with \" \\ \] escapes.
            if (at < s.Length && s[at] == '-') at++;
            else
            {
                if (at >= s.Length || s[at] != '[') return false;
                while (at < s.Length && s[at] == '[')
                {
                    bool quoted = false;
                    at++;
                    for (; at < s.Length; at++)
                    {
                        if (quoted && s[at] == '\\') { at++; continue; }
                        if (s[at] == '"') quoted = !quoted;
                        else if (s[at] == ']' && !quoted) { at++; break; }
                    }
                }
            }
            if (at < s.Length && s[at] == ' ') at++;
            result.Message = at < s.Length ? s.Substring(at) : string.Empty;
            if (fields[0] != "-")
            {
                if (!DateTimeOffset.TryParse(fields[0], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)) return false;
                result.Time = time;
            }
            result.Host = fields[1] == "-" ? null : fields[1];
            result.App = fields[2] == "-" ? null : fields[2];
            return true;
        }

        private static DateTimeOffset Parse3164Time(Match m, DateTimeOffset received)
        {
            // RFC 3164 has no year and no zone: assume the receiver's, and last year for a date in the future.
            var text = $"{m.Groups["month"].Value} {m.Groups["day"].Value.Trim()} {received.Year} {m.Groups["time"].Value}";
            if (!DateTime.TryParseExact(text, "MMM d yyyy HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
                return received;
            var time = new DateTimeOffset(local, received.Offset);
            if (time > received.AddDays(1)) time = time.AddYears(-1);
            return time;
        }

        private static SyslogMessage Build(int priority, DateTimeOffset time, DateTimeOffset received, string host, string source, string? app, string message, SyslogFormat format)
        {
            var kind = SyslogMessageKind.Other;
            string? product = null, url = null, error = null, mac = null;
            Match ev;
            try { ev = PhoneEvent.Match(message.Length > MaxEventSearch ? message.Substring(0, MaxEventSearch) : message); }
            catch (RegexMatchTimeoutException) { ev = Match.Empty; }
            if (ev.Success)
            {
                kind = KindOf(ev.Groups["what"].Value);
                var rest = ev.Groups["rest"].Value;
                if (kind == SyslogMessageKind.ResyncFailure || kind == SyslogMessageKind.UpgradeFailure)
                    error = rest.Length == 0 ? null : rest;
                else
                {
                    // "URL -- $ERR" on SPA100 and on upgrade success.
                    Match split;
                    try { split = UrlThenError.Match(rest); }
                    catch (RegexMatchTimeoutException) { split = Match.Empty; }
                    url = split.Success ? split.Groups["url"].Value : (rest.Length == 0 ? null : rest);
                    if (split.Success && split.Groups["err"].Success && split.Groups["err"].Value.Length > 0) error = split.Groups["err"].Value;
                }
                if (ev.Groups["mac"].Success && MacAddress.TryParse(ev.Groups["mac"].Value, out var evMac))
                {
                    mac = evMac.Upper;
                    product = ev.Groups["product"].Value;
                }
            }
            mac ??= FindMac(message);
            return new SyslogMessage(time, received, host, source, mac, (SyslogSeverity)(priority & 7), (SyslogFacility)(priority >> 3),
                app, message, kind, product, url, error, format);
        }

        private static string? FindMac(string message)
        {
            if (message.Length > MaxEventSearch) message = message.Substring(0, MaxEventSearch);
            var m = ColonMac.Match(message);
            if (!m.Success) m = PlainMac.Match(message);
            return m.Success && MacAddress.TryParse(m.Value, out var mac) ? mac.Upper : null;
        }

        private static SyslogMessageKind KindOf(string what)
        {
            switch (what.ToLowerInvariant())
            {
                case "requesting resync": return SyslogMessageKind.ResyncRequest;
                case "successful resync": return SyslogMessageKind.ResyncSuccess;
                case "resync failed": return SyslogMessageKind.ResyncFailure;
                case "requesting upgrade": return SyslogMessageKind.UpgradeRequest;
                case "successful upgrade": return SyslogMessageKind.UpgradeSuccess;
                default: return SyslogMessageKind.UpgradeFailure;
            }
        }
    }
}
