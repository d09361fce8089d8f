using System;
using System.IO;

namespace PrivateProvisioning.Core
{
    /// <summary>Joins a user- or data-supplied relative name to a root and refuses anything that would leave it.</summary>
    public static class SafePath
    {
        /// <summary>
        /// Returns the full path of <paramref name="relativeName"/> under <paramref name="root"/>, or throws
        /// when the name is absolute, contains a NUL, or climbs out with "..". The check is on path
        /// segments, not a string prefix ("/srv/tftp-evil" is not inside "/srv/tftp"). A name that ends in a
        /// folder ("sub/", "sub/.", ".") is refused too: it is a file name.
        /// </summary>
        public static string Combine(string root, string relativeName, string what = "file name")
        {
            if (string.IsNullOrEmpty(relativeName) || relativeName.IndexOf('\0') >= 0)
                throw Refused(relativeName, what, "it is empty or contains a NUL character");
            var normalised = relativeName.Replace('\\', '/');
            if (normalised.StartsWith("/", StringComparison.Ordinal) || Path.IsPathRooted(relativeName) || (normalised.Length >= 2 && normalised[1] == ':'))
                throw Refused(relativeName, what, "it is an absolute path");
            var segments = normalised.Split('/');
            foreach (var segment in segments)
                if (segment == "..")
                    throw Refused(relativeName, what, "it climbs out of the destination with '..'");
            // "." or "sub/." or "sub/" names a folder: the file would land on the destination itself or on "sub".
            var last = segments[segments.Length - 1];
            if (last.Length == 0 || last == ".")
                throw Refused(relativeName, what, "it names a folder, not a file");
            var fullRoot = Path.GetFullPath(root);
            var full = Path.GetFullPath(Path.Combine(fullRoot, normalised.Replace('/', Path.DirectorySeparatorChar)));
            if (!IsUnder(fullRoot, full))
                throw Refused(relativeName, what, "it resolves outside the destination");
            if (string.Equals(fullRoot.TrimEnd(Path.DirectorySeparatorChar), full.TrimEnd(Path.DirectorySeparatorChar),
                    Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
                throw Refused(relativeName, what, "it names the destination folder itself, not a file");
            return full;
        }

        /// <summary>True when <paramref name="candidate"/> is <paramref name="root"/> itself or below it (segment-wise).</summary>
        public static bool IsUnder(string root, string candidate)
        {
            var r = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            var c = Path.GetFullPath(candidate);
            var cmp = Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            if (string.Equals(r, c.TrimEnd(Path.DirectorySeparatorChar), cmp)) return true;
            return c.StartsWith(r + Path.DirectorySeparatorChar, cmp);
        }

        private static ProvisioningException Refused(string name, string what, string why) =>
            new ProvisioningException(ErrorIds.PathOutsideDestination, ErrorKind.SecurityError,
                $"The {what} '{name}' is refused: {why}.", name);
    }
}
