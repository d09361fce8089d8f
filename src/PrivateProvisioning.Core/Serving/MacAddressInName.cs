using System;

namespace PrivateProvisioning.Core.Serving
{
    /// <summary>
    /// Finds the phone's MAC address in a requested file name: $MA.xml, $MAU.cfg, SEP&lt;MAC&gt;.cnf.xml,
    /// Config&lt;MAC&gt;.cfg (Panasonic), spa&lt;mac&gt;.xml, CP-8851-3PCC&lt;mac&gt;.cfg, ?mac=&lt;mac&gt;.
    /// </summary>
    public static class MacAddressInName
    {
        // Prefixes that end in a hex letter and so run into the MAC: "spa" + 000e08..., "ata"/"ATA" + ..., "3PCC" + ...
        private static readonly string[] HexEndingPrefixes = { "spa", "ata", "3pcc", "cisco-spa", "mac=" };

        /// <summary>The MAC in upper-case hex, or null when the name carries none. Looks at the last path segment first.</summary>
        public static string? Find(string? name)
        {
            if (string.IsNullOrEmpty(name)) return null;
            // Search from the end: the file name is more telling than a directory name.
            int end = name!.Length;
            while (end > 0)
            {
                int i = end - 1;
                while (i >= 0 && !IsHex(name[i])) i--;
                if (i < 0) break;
                int runEnd = i + 1;
                while (i >= 0 && IsHex(name[i])) i--;
                int runStart = i + 1;
                int length = runEnd - runStart;
                if (length == 12) return Parse(name, runStart);
                if (length > 12 && length <= 16 && EndsWithKnownPrefix(name, runEnd - 12)) return Parse(name, runEnd - 12);
                end = runStart;
            }
            return null;
        }

        private static bool EndsWithKnownPrefix(string name, int macStart)
        {
            foreach (var prefix in HexEndingPrefixes)
                if (macStart >= prefix.Length && string.Compare(name, macStart - prefix.Length, prefix, 0, prefix.Length, StringComparison.OrdinalIgnoreCase) == 0)
                    return true;
            return false;
        }

        private static string? Parse(string name, int start) =>
            MacAddress.TryParse(name.Substring(start, 12), out var mac) ? mac.Upper : null;

        private static bool IsHex(char c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
