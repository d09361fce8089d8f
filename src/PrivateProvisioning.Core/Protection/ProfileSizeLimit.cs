using System;
using System.Globalization;

namespace PrivateProvisioning.Core.Protection
{
    /// <summary>
    /// The most bytes a protected profile may expand to when it is unprotected (decompressed), so that a small
    /// gzip bomb cannot fill the memory or the disk: 64 MiB unless PRIVATEPROVISIONING_MAX_PROFILE_SIZE says
    /// otherwise (bytes, or with a K, M or G suffix in binary units, e.g. 128M).
    /// </summary>
    public static class ProfileSizeLimit
    {
        public const string EnvironmentVariable = "PRIVATEPROVISIONING_MAX_PROFILE_SIZE";
        public const long Default = 64L * 1024 * 1024;

        /// <summary>The limit in force: the environment variable when it is set, else <see cref="Default"/>.</summary>
        public static long Current
        {
            get
            {
                var text = Environment.GetEnvironmentVariable(EnvironmentVariable);
                if (string.IsNullOrWhiteSpace(text)) return Default;
                return Parse(text!) ?? throw new ProvisioningException(ErrorIds.InvalidProfileSizeLimit, ErrorKind.InvalidArgument,
                    $"{EnvironmentVariable}='{text!.Trim()}' is not a size: give a number of bytes, or a number with K, M or G (e.g. 128M).");
            }
        }

        /// <summary>Bytes, or a number with a K/M/G suffix (binary units, an optional trailing B or iB); null when it is not a positive size.</summary>
        public static long? Parse(string text)
        {
            var t = text.Trim();
            if (t.EndsWith("iB", StringComparison.OrdinalIgnoreCase)) t = t.Substring(0, t.Length - 2);
            else if (t.Length > 1 && (t[t.Length - 1] == 'B' || t[t.Length - 1] == 'b') && char.IsLetter(t[t.Length - 2])) t = t.Substring(0, t.Length - 1);
            long factor = 1;
            if (t.Length > 0)
            {
                switch (char.ToUpperInvariant(t[t.Length - 1]))
                {
                    case 'K': factor = 1L << 10; break;
                    case 'M': factor = 1L << 20; break;
                    case 'G': factor = 1L << 30; break;
                }
                if (factor != 1) t = t.Substring(0, t.Length - 1).TrimEnd();
            }
            if (!long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1) return null;
            if (n > long.MaxValue / factor) return null;
            return n * factor;
        }

        /// <summary>Says how big a size is in words a person reads: "64 MiB (67108864 bytes)".</summary>
        public static string Describe(long bytes)
        {
            string exact = bytes.ToString(CultureInfo.InvariantCulture) + " bytes";
            if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) return $"{bytes >> 30} GiB ({exact})";
            if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) return $"{bytes >> 20} MiB ({exact})";
            if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) return $"{bytes >> 10} KiB ({exact})";
            return exact;
        }

        internal static ProvisioningException TooLarge(string file, long limit) =>
            new ProvisioningException(ErrorIds.ProfileTooLarge, ErrorKind.InvalidData,
                $"'{file}' expands to more than {Describe(limit)} when unprotected, the most a profile may be; it may be a gzip bomb. " +
                $"If the profile really is that big, raise the limit with {EnvironmentVariable} (bytes, or e.g. 128M).", file);
    }
}
