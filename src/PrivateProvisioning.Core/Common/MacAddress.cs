using System;
using System.Globalization;

namespace PrivateProvisioning.Core
{
    /// <summary>
    /// A 48-bit MAC address. Parses the forms admins paste (00:0E:08:AB:CD:EF, 00-0e-08-ab-cd-ef,
    /// 000e.08ab.cdef, 000E08ABCDEF) and prints the forms phones use in file names and macros.
    /// </summary>
    public readonly struct MacAddress : IEquatable<MacAddress>
    {
        private readonly long _value;

        private MacAddress(long value) { _value = value; }

        public static MacAddress FromInt64(long value) => new MacAddress(value & 0xFFFFFFFFFFFFL);

        public long ToInt64() => _value;

        /// <summary>Lower-case hex, no separators: the Cisco $MA form (000e08abcdef).</summary>
        public string Lower => _value.ToString("x12", CultureInfo.InvariantCulture);

        /// <summary>Upper-case hex, no separators: $MAU and Panasonic/Cisco SEP names (000E08ABCDEF).</summary>
        public string Upper => _value.ToString("X12", CultureInfo.InvariantCulture);

        /// <summary>Lower-case, colon separated: the Cisco $MAC form (00:0e:08:ab:cd:ef).</summary>
        public string Colon
        {
            get
            {
                var s = Lower;
                return string.Concat(s.Substring(0, 2), ":", s.Substring(2, 2), ":", s.Substring(4, 2), ":",
                    s.Substring(6, 2), ":", s.Substring(8, 2), ":", s.Substring(10, 2));
            }
        }

        public override string ToString() => Upper;

        public static bool TryParse(string? text, out MacAddress mac)
        {
            mac = default;
            return text != null && TryParseSpan(text.AsSpan(), out mac);
        }

        /// <summary><see cref="TryParse(string, out MacAddress)"/> over characters that need not be a string of their own (a CSV cell).</summary>
        internal static bool TryParseSpan(ReadOnlySpan<char> text, out MacAddress mac)
        {
            mac = default;
            var t = text.Trim();
            long value = 0;
            int digits = 0;
            // Accept exactly one separator style: none, ':' or '-' every 2 digits, or '.' every 4 digits.
            char sep = '\0';
            int groupLen = 0;
            int groupSize = 0;
            foreach (var c in t)
            {
                int v = HexValue(c);
                if (v >= 0)
                {
                    if (++digits > 12) return false;
                    value = (value << 4) | (uint)v;
                    groupLen++;
                    continue;
                }
                if (c != ':' && c != '-' && c != '.') return false;
                if (sep == '\0') { sep = c; groupSize = groupLen; }
                else if (c != sep || groupLen != groupSize) return false;
                if (groupLen == 0) return false;
                groupLen = 0;
            }
            if (digits != 12) return false;
            if (sep != '\0')
            {
                if (groupLen != groupSize) return false;
                if ((sep == '.' && groupSize != 4) || (sep != '.' && groupSize != 2)) return false;
            }
            mac = new MacAddress(value);
            return true;
        }

        /// <summary>
        /// Parses or throws InvalidMacAddress naming the offending text. <paramref name="parameter"/> is the request parameter
        /// (<see cref="RequestParameter"/>) the text came from, which each front end spells its own way; null for a CSV column.
        /// </summary>
        public static MacAddress Parse(string? text, string? parameter = null)
        {
            if (TryParse(text, out var mac)) return mac;
            var error = new ProvisioningException(ErrorIds.InvalidMacAddress, ErrorKind.InvalidArgument,
                $"MAC address '{text}' is not a MAC address; use 12 hex digits such as 00:0E:08:AB:CD:EF, 00-0e-08-ab-cd-ef, 000e.08ab.cdef or 000E08ABCDEF.",
                text);
            throw parameter == null ? error : error.About(parameter);
        }

        private static int HexValue(char c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            return -1;
        }

        public bool Equals(MacAddress other) => _value == other._value;
        public override bool Equals(object? obj) => obj is MacAddress m && Equals(m);
        public override int GetHashCode() => _value.GetHashCode();
        public static bool operator ==(MacAddress a, MacAddress b) => a._value == b._value;
        public static bool operator !=(MacAddress a, MacAddress b) => a._value != b._value;
    }
}
