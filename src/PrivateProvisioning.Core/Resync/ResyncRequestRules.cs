using System;
using System.Globalization;
using System.Linq;
using System.Text;
using PrivateProvisioning.Core.Formats;

namespace PrivateProvisioning.Core.Resync
{
    /// <summary>
    /// What goes into the trigger: the NOTIFY event per vendor (spec cisco-spa-mpp §5.2, panasonic §4) and the
    /// checks that keep a bad URL or event from reaching a phone (or injecting a header).
    /// </summary>
    public static class ResyncRequestRules
    {
        /// <summary>Events the phones document; others are sent as given when they are valid SIP tokens.</summary>
        public static readonly string[] KnownEvents = { "check-sync", "resync", "reboot_now", "restart_now", "report", "prt-gen" };

        /// <summary>
        /// The phone family of a trigger: one of the profile formats' names (the generator's Format column), case-insensitive,
        /// returned in its canonical spelling. Anything else ('Ciscoo') is refused rather than silently given check-sync.
        /// </summary>
        public static string CanonicalVendor(string vendor, string target)
        {
            var text = vendor.Trim();
            if (Enum.TryParse<ProfileFormat>(text, true, out var format) && Enum.IsDefined(typeof(ProfileFormat), format) && !int.TryParse(text, out _))
                return format.ToString();
            throw new ProvisioningException(ErrorIds.UnknownVendor, ErrorKind.InvalidArgument,
                $"The vendor '{vendor}' of '{target}' is not a known phone family; use one of {string.Join(", ", Enum.GetNames(typeof(ProfileFormat)))}.", vendor);
        }

        /// <summary>Panasonic (and unknown phones, as Wazo does): check-sync. Cisco SPA/MPP/ATA and Linksys: resync.</summary>
        public static string DefaultEventFor(string? vendor)
        {
            if (string.IsNullOrWhiteSpace(vendor)) return "check-sync";
            var v = new string(vendor!.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();
            // Cisco enterprise (SEP) SIP firmware is the one Cisco family that uses check-sync.
            if (v.Contains("sep") || v.Contains("enterprise")) return "check-sync";
            if (v.Contains("panasonic")) return "check-sync";
            if (v.Contains("cisco") || v.Contains("spa") || v.Contains("linksys") || v.Contains("mpp") || v.Contains("3pcc") || v.Contains("ata")) return "resync";
            return "check-sync";
        }

        /// <summary>The Event header value for one phone: the chosen (or vendor) event, with the reboot choice applied.</summary>
        public static string EventHeader(string? requestedEvent, string? vendor, bool? reboot)
        {
            var name = string.IsNullOrWhiteSpace(requestedEvent) ? DefaultEventFor(vendor) : requestedEvent!.Trim();
            ValidateEvent(name);
            // Cisco has no reboot parameter: reboot_now reboots, and the phone resyncs on boot (Resync_On_Reset).
            if (reboot == true && name == "resync") return "reboot_now";
            if (reboot.HasValue && name == "check-sync") return name + ";reboot=" + (reboot.Value ? "true" : "false");
            return name;
        }

        public static void ValidateEvent(string name)
        {
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                bool token = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-.!%*_+`'~".IndexOf(c) >= 0;
                if (!token)
                    throw new ProvisioningException(ErrorIds.InvalidEvent, ErrorKind.InvalidArgument,
                        $"The event '{Printable(name)}' has a character that is not allowed in a SIP Event header at position {i + 1}; use one of {string.Join(", ", KnownEvents)}.", name);
            }
            if (name.Length == 0)
                throw new ProvisioningException(ErrorIds.InvalidEvent, ErrorKind.InvalidArgument, "The event is empty.", name);
        }

        /// <summary>
        /// Checks a profile rule as the phone would read it: optional [--options], then a URL with scheme tftp,
        /// http or https, or a scheme-less host/path or /path. Throws naming the character position.
        /// </summary>
        public static void ValidateProfileUrl(string url)
        {
            if (string.IsNullOrWhiteSpace(url))
                throw Bad(url, "it is empty");
            for (int i = 0; i < url.Length; i++)
                if (url[i] < 0x20 || url[i] == 0x7f)
                    throw Bad(url, $"character {i + 1} is a control character (U+{(int)url[i]:X4})");
            int start = 0;
            while (start < url.Length && url[start] == ' ') start++;
            if (start < url.Length && url[start] == '[')
            {
                int close = url.IndexOf(']', start);
                if (close < 0) throw Bad(url, $"the '[' at position {start + 1} is never closed");
                start = close + 1;
                while (start < url.Length && url[start] == ' ') start++;
            }
            var rest = url.Substring(start).TrimEnd();
            if (rest.Length == 0) throw Bad(url, "there is no URL after the [options]");
            int space = rest.IndexOfAny(new[] { ' ', '\t' });
            if (space >= 0) throw Bad(url, $"character {start + space + 1} is a space inside the URL");
            int schemeEnd = rest.IndexOf("://", StringComparison.Ordinal);
            if (schemeEnd >= 0)
            {
                var scheme = rest.Substring(0, schemeEnd).ToLowerInvariant();
                if (scheme != "tftp" && scheme != "http" && scheme != "https")
                    throw Bad(url, $"the scheme '{scheme}' at position {start + 1} is not tftp, http or https");
                if (schemeEnd + 3 >= rest.Length || rest[schemeEnd + 3] == '/')
                    throw Bad(url, $"there is no host after '{scheme}://' (position {start + schemeEnd + 4})");
                if (!Uri.TryCreate(rest, UriKind.Absolute, out _))
                    throw Bad(url, "it is not a well-formed URL (check the host and port)");
            }
            else if (!(rest[0] == '/' || rest[0] == '$' || char.IsLetterOrDigit(rest[0])))
            {
                throw Bad(url, $"character {start + 1} ('{rest[0]}') cannot start a URL or path");
            }
        }

        /// <summary>The query of /admin/resync?url: only what HTTP forbids in a request line is escaped, so the phone sees its own rule syntax.</summary>
        public static string EscapeForQuery(string url)
        {
            var sb = new StringBuilder(url.Length + 8);
            foreach (var b in Encoding.UTF8.GetBytes(url))
            {
                if (b <= 0x20 || b >= 0x7f || b == (byte)'#' || b == (byte)'"' || b == (byte)'<' || b == (byte)'>')
                    sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                else
                    sb.Append((char)b);
            }
            return sb.ToString();
        }

        internal static string Printable(string text, int max = 80)
        {
            var sb = new StringBuilder();
            foreach (var c in text)
            {
                if (sb.Length >= max) { sb.Append('…'); break; }
                if (c == '\r') sb.Append("\\r");
                else if (c == '\n') sb.Append("\\n");
                else if (c < 0x20 || c == 0x7f) sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                else sb.Append(c);
            }
            return sb.ToString();
        }

        private static ProvisioningException Bad(string url, string why) =>
            new ProvisioningException(ErrorIds.InvalidProfileUrl, ErrorKind.InvalidArgument,
                $"The profile URL '{Printable(url ?? "")}' is malformed: {why}.", url);
    }
}

namespace PrivateProvisioning.Core.Resync
{
    internal static class ByteSearch
    {
        /// <summary>Position of an ASCII pattern in the first <paramref name="count"/> bytes, or -1.</summary>
        public static int IndexOf(byte[] buffer, int count, string pattern)
        {
            for (int i = 0; i + pattern.Length <= count; i++)
            {
                int j = 0;
                while (j < pattern.Length && buffer[i + j] == pattern[j]) j++;
                if (j == pattern.Length) return i;
            }
            return -1;
        }

        /// <summary>Position of an ASCII pattern within <paramref name="count"/> bytes from <paramref name="start"/>, or -1.</summary>
        public static int IndexOf(byte[] buffer, int start, int count, string pattern)
        {
            for (int i = start; i + pattern.Length <= start + count; i++)
            {
                int j = 0;
                while (j < pattern.Length && buffer[i + j] == pattern[j]) j++;
                if (j == pattern.Length) return i;
            }
            return -1;
        }
    }
}

namespace PrivateProvisioning.Core.Resync
{
    /// <summary>Message headers in arrival order, looked up case-insensitively (HTTP and SIP alike).</summary>
    internal sealed class HeaderList : System.Collections.Generic.List<System.Collections.Generic.KeyValuePair<string, string>>
    {
        public void Add(string name, string value) => Add(new System.Collections.Generic.KeyValuePair<string, string>(name, value));

        public string? First(string name)
        {
            foreach (var h in this)
                if (string.Equals(h.Key, name, System.StringComparison.OrdinalIgnoreCase)) return h.Value;
            return null;
        }

        public System.Collections.Generic.IEnumerable<string> All(string name)
        {
            foreach (var h in this)
                if (string.Equals(h.Key, name, System.StringComparison.OrdinalIgnoreCase)) yield return h.Value;
        }
    }
}
