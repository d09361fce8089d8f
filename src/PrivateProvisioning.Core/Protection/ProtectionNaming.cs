using System;
using System.Collections.Generic;
using System.IO;

namespace PrivateProvisioning.Core.Protection
{
    /// <summary>
    /// Where protected and recovered files go. Into another folder a file keeps its name (a Cisco rule
    /// `[--key $SA] http://server/$MA.xml` keeps its URL when the file gets encrypted); beside its source it
    /// gets the layers' extensions (".gz", ".enc", ".gz.enc", ".aes128gcm"), so the source is never replaced
    /// unless the caller asks for that explicitly. An explicit extension always wins ("" keeps the name).
    /// </summary>
    public static class ProtectionNaming
    {
        private static readonly string[] ProtectionExtensions = { ".gz", ".enc", ".aes128gcm", ".aes" };

        public static string ProtectedPath(string source, string? destinationFolder, string? extension, IReadOnlyList<IProtectionLayer> layers)
        {
            var full = FullPaths.Of(source);
            var folder = destinationFolder == null ? Path.GetDirectoryName(full)! : FullPaths.Of(destinationFolder);
            string suffix;
            if (extension != null) suffix = NormaliseExtension(extension);
            else if (!SameFolder(folder, Path.GetDirectoryName(full)!)) suffix = string.Empty;
            else
            {
                suffix = string.Empty;
                foreach (var layer in layers) suffix += layer.DefaultExtension;
            }
            var path = Path.Combine(folder, Path.GetFileName(full) + suffix);
            ProtectionMethods.RefuseUnpublishedFormat(path);
            return path;
        }

        public static string UnprotectedPath(string source, string? destinationFolder, string? extension)
        {
            var full = FullPaths.Of(source);
            var folder = destinationFolder == null ? Path.GetDirectoryName(full)! : FullPaths.Of(destinationFolder);
            var name = Path.GetFileName(full);
            var stripped = StripProtectionExtensions(name);
            if (extension != null) stripped += NormaliseExtension(extension);
            else if (stripped == name && SameFolder(folder, Path.GetDirectoryName(full)!)) stripped += ".plain";
            return Path.Combine(folder, stripped);
        }

        /// <summary>"0011.xml.gz.enc" → "0011.xml"; a name that is only an extension keeps it.</summary>
        public static string StripProtectionExtensions(string name)
        {
            bool again = true;
            while (again)
            {
                again = false;
                foreach (var ext in ProtectionExtensions)
                {
                    if (name.Length > ext.Length && name.EndsWith(ext, StringComparison.OrdinalIgnoreCase))
                    {
                        name = name.Substring(0, name.Length - ext.Length);
                        again = true;
                    }
                }
            }
            return name;
        }

        private static string NormaliseExtension(string extension)
        {
            var e = extension.Trim();
            if (e.Length == 0) return e;
            if (e.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || e.Contains("/") || e.Contains("\\") || e == "." || e == "..")
                throw new ProvisioningException(ErrorIds.InvalidExtension, ErrorKind.InvalidArgument, $"The extension '{extension}' is not a valid file name ending.", extension);
            return e.StartsWith(".", StringComparison.Ordinal) ? e : "." + e;
        }

        internal static bool SameFolder(string a, string b)
        {
            var cmp = Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            return string.Equals(FullPaths.Of(a).TrimEnd(Path.DirectorySeparatorChar), FullPaths.Of(b).TrimEnd(Path.DirectorySeparatorChar), cmp);
        }

        internal static bool SamePath(string a, string b)
        {
            var cmp = Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            return string.Equals(FullPaths.Of(a), FullPaths.Of(b), cmp);
        }
    }
}
