using System;
using System.IO;

namespace PrivateProvisioning.Core.Serving
{
    /// <summary>
    /// The folder a provisioning server serves, and the one place that turns a requested name into a file.
    /// A leading '/' is relative to the root (phones ask for "/spa942.cfg", as tftpd-hpa -s serves it);
    /// everything else that could leave the root is refused: "..", drive letters and UNC names, NUL, and
    /// symbolic links whose real target is outside the root. The real path is checked segment by segment,
    /// so "/srv/tftp-evil" is not inside "/srv/tftp".
    /// </summary>
    public sealed class ServingRoot
    {
        private const int MaxLinkHops = 40;

        public ServingRoot(string path)
        {
            var full = Path.GetFullPath(path);
            if (!Directory.Exists(full))
                throw new ProvisioningException(ErrorIds.ServingRootNotFound, ErrorKind.ObjectNotFound,
                    File.Exists(full) ? $"'{path}' is a file; give the folder to serve." : $"The folder to serve '{path}' does not exist.", path);
            FullPath = full;
#if NET
            RealRoot = RealPath(full);
#else
            RealRoot = full;
#endif
        }

        /// <summary>The root as given (full path).</summary>
        public string FullPath { get; }

        /// <summary>The root with its symbolic links resolved: what every served file's real path must be under.</summary>
        public string RealRoot { get; }

        /// <summary>
        /// Resolves a requested name to the real path of an existing regular file under the root. Throws
        /// ProvisioningException "PathOutsideDestination" (refused) or "ServedFileNotFound".
        /// </summary>
        public string Resolve(string requestedName)
        {
            if (requestedName == null) throw new ArgumentNullException(nameof(requestedName));
            var relative = requestedName.Replace('\\', '/');
            // Only '/' prefixes are root-relative; "\\server\share" and "C:\" stay absolute and are refused below.
            if (requestedName.StartsWith("/", StringComparison.Ordinal)) relative = relative.TrimStart('/');
            else if (requestedName.StartsWith("\\", StringComparison.Ordinal)) relative = requestedName;
            if (relative.Length == 0)
                throw NotFound(requestedName, "it names the root folder, not a file");
            var segments = relative.Split('/');
            var last = segments[segments.Length - 1];
            if (last.Length == 0 || last == ".")
                throw NotFound(requestedName, "it is a folder");
            var lexical = SafePath.Combine(RealRoot, relative, "requested name");
            var real = ResolveUnderRoot(lexical, requestedName);
            // Hidden names are never served: the temporary files of an atomic write (".NAME.xxxxxxxx.tmp", left
            // behind if a run was killed), editors' and version control's files (.git, .htpasswd, .swp).
            if (IsHidden(lexical, RealRoot) || IsHidden(real, RealRoot))
                throw NotFound(requestedName, "hidden files (a name starting with '.') are never served");
            if (!File.Exists(real))
                throw NotFound(requestedName, Directory.Exists(real) ? "it is a folder" : "there is no such file under the root");
            return real;
        }

        private string ResolveUnderRoot(string lexical, string requestedName)
        {
#if NET
            var real = RealPath(lexical);
            if (!SafePath.IsUnder(RealRoot, real))
                throw Refused(requestedName, "a symbolic link on its way leads outside the served folder");
            return real;
#else
            // Without an API to read link targets, refuse every link below the root: safe, if strict.
            var current = RealRoot;
            var rest = lexical.Substring(RealRoot.Length).Split(new[] { Path.DirectorySeparatorChar }, StringSplitOptions.RemoveEmptyEntries);
            foreach (var segment in rest)
            {
                current = Path.Combine(current, segment);
                if (!File.Exists(current) && !Directory.Exists(current)) return lexical;
                if ((File.GetAttributes(current) & FileAttributes.ReparsePoint) != 0)
                    throw Refused(requestedName, "a symbolic link is on its way (links are not followed on this platform)");
            }
            return current;
#endif
        }

#if NET
        /// <summary>The path with every symbolic link resolved, one segment at a time (a missing tail is kept as is).</summary>
        internal static string RealPath(string path)
        {
            var full = Path.GetFullPath(path);
            int hops = 0;
            while (true)
            {
                var pathRoot = Path.GetPathRoot(full) ?? "/";
                var segments = full.Substring(pathRoot.Length).Split(new[] { Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar }, StringSplitOptions.RemoveEmptyEntries);
                var current = pathRoot;
                string? restart = null;
                for (int i = 0; i < segments.Length; i++)
                {
                    var next = Path.Combine(current, segments[i]);
                    var target = new FileInfo(next).LinkTarget;
                    if (target != null)
                    {
                        if (++hops > MaxLinkHops)
                            throw new ProvisioningException(ErrorIds.SymbolicLinkLoop, ErrorKind.SecurityError, $"Too many symbolic links while resolving '{path}'.", path);
                        var resolved = Path.IsPathRooted(target) ? target : Path.Combine(current, target);
                        for (int j = i + 1; j < segments.Length; j++) resolved = Path.Combine(resolved, segments[j]);
                        restart = Path.GetFullPath(resolved);
                        break;
                    }
                    if (!File.Exists(next) && !Directory.Exists(next))
                    {
                        for (int j = i + 1; j < segments.Length; j++) next = Path.Combine(next, segments[j]);
                        return next;
                    }
                    current = next;
                }
                if (restart == null) return current;
                full = restart;
            }
        }
#endif

        /// <summary>True when a segment of <paramref name="path"/> below <paramref name="root"/> starts with '.'.</summary>
        internal static bool IsHidden(string path, string root)
        {
            if (!SafePath.IsUnder(root, path)) return false;
            var below = path.Length > root.Length ? path.Substring(root.TrimEnd(Path.DirectorySeparatorChar).Length) : string.Empty;
            foreach (var segment in below.Split(new[] { Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar }, StringSplitOptions.RemoveEmptyEntries))
                if (segment.StartsWith(".", StringComparison.Ordinal)) return true;
            return false;
        }

        internal static ProvisioningException Refused(string name, string why) =>
            new ProvisioningException(ErrorIds.PathOutsideDestination, ErrorKind.SecurityError, $"The requested name '{Printable(name)}' is refused: {why}.", name);

        private static ProvisioningException NotFound(string name, string why) =>
            new ProvisioningException(ErrorIds.ServedFileNotFound, ErrorKind.ObjectNotFound, $"The requested name '{Printable(name)}' was not found: {why}.", name);

        /// <summary>The name with control characters shown as \xNN, so a log line cannot be forged or broken.</summary>
        internal static string Printable(string name)
        {
            var sb = new System.Text.StringBuilder(name.Length);
            foreach (var c in name)
                if (c < 0x20 || c == 0x7f) sb.Append("\\x").Append(((int)c).ToString("x2")); else sb.Append(c);
            return sb.ToString();
        }
    }
}
