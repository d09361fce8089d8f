using System.IO;

namespace PrivateProvisioning.Core
{
    /// <summary>Full paths for bulk runs, which hand the same full paths from step to step.</summary>
    internal static class FullPaths
    {
        /// <summary>
        /// <see cref="Path.GetFullPath(string)"/> of <paramref name="path"/>, without its work when the path is already
        /// full and normal on Unix (rooted, no empty, "." or ".." part): signing one file asked it for the same two
        /// paths six times.
        /// </summary>
        public static string Of(string path) =>
            Path.DirectorySeparatorChar == '/' && IsFullAndNormal(path) ? path : Path.GetFullPath(path);

        private static bool IsFullAndNormal(string path)
        {
            if (path.Length == 0 || path[0] != '/') return false;
            for (int i = 0; i < path.Length; i++)
            {
                char c = path[i];
                if (c == '\0') return false; // GetFullPath's own error
                if (c != '/' || i + 1 == path.Length) continue;
                char next = path[i + 1];
                if (next == '/') return false;
                if (next != '.') continue;
                int after = i + 2;
                if (after == path.Length || path[after] == '/') return false;
                if (path[after] == '.' && (after + 1 == path.Length || path[after + 1] == '/')) return false;
            }
            return true;
        }
    }
}
