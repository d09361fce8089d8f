using System;
using System.Globalization;

namespace PrivateProvisioning.Core
{
    /// <summary>
    /// The names Windows cannot hold: the characters &lt; &gt; : " | ? * and control characters, the device names
    /// CON, PRN, AUX, NUL, COM0-9 and LPT0-9 (with or without an extension, any case), and names ending in a dot
    /// or a space (Windows strips them, so the file would get another name). Checked on every system, not only on
    /// Windows: a tree generated on Linux is often served from Windows (IIS, a Windows TFTP server) or copied to
    /// a share, where such a file fails to copy or is silently renamed, and the phone asking for the name it was
    /// given gets a 404. No phone asks for such a name, so the rule costs nothing real. Names are refused, not
    /// mapped: a mapped name is not the one the phone requests.
    /// </summary>
    public static class WindowsFileNames
    {
        private const string Forbidden = "<>:\"|?*";

        /// <summary>
        /// Why <paramref name="relativeName"/> (segments separated by / or \) cannot be a Windows path, naming the
        /// segment; null when every segment can. "." and ".." are left to <see cref="SafePath"/>.
        /// </summary>
        public static string? Problem(string relativeName)
        {
            if (string.IsNullOrEmpty(relativeName)) return null;
            foreach (var segment in relativeName.Split('/', '\\'))
            {
                if (segment.Length == 0 || segment == "." || segment == "..") continue;
                var problem = SegmentProblem(segment);
                if (problem != null)
                    return (segment == relativeName ? "it " : $"its part '{Printable(segment)}' ") + problem;
            }
            return null;
        }

        /// <summary>
        /// Throws FileNameNotPortable when <paramref name="relativeName"/> cannot be a Windows path. The message names
        /// the name and, when given, the <paramref name="rule"/> it came from, and says what to change.
        /// </summary>
        /// <param name="what">What the name is, for the message ("file name").</param>
        public static void Check(string relativeName, string what = "file name", string? rule = null)
        {
            var problem = Problem(relativeName);
            if (problem == null) return;
            // Lower case after a rule: the generator puts "Row N, column 'FileName': " in front.
            var origin = rule == null ? $"The {what} '{Printable(relativeName)}'" : $"the {what} rule '{rule}' gives '{Printable(relativeName)}', which";
            var hint = relativeName.IndexOf(':') >= 0 && rule != null && rule.IndexOf("$MAC", StringComparison.Ordinal) >= 0
                ? " $MAC is the MAC address with colons: use $MA (lower case) or $MAU (upper case) in file names."
                : rule != null ? " Change the rule or the column values it uses." : " Choose another name.";
            throw new ProvisioningException(ErrorIds.FileNameNotPortable, ErrorKind.InvalidArgument,
                $"{origin} cannot be a file name on Windows: {problem}.{hint} (Names are checked on every system, so a tree made here can be served from Windows.)",
                relativeName);
        }

        /// <summary>What is wrong with one path segment ("contains ..."), or null.</summary>
        private static string? SegmentProblem(string segment)
        {
            foreach (char c in segment)
            {
                if (c < 0x20 || c == 0x7F) return $"contains the control character U+{(int)c:X4}";
                if (Forbidden.IndexOf(c) >= 0) return $"contains '{c}', which Windows does not allow in names (< > : \" | ? * are refused)";
            }
            char last = segment[segment.Length - 1];
            if (last == '.' || last == ' ')
                return $"ends with {(last == '.' ? "a dot" : "a space")}, which Windows strips (the file would get another name)";
            if (IsDeviceName(segment))
                return "is a Windows device name (CON, PRN, AUX, NUL, COM0-9 and LPT0-9 are reserved, with any extension)";
            return null;
        }

        /// <summary>CON, PRN, AUX, NUL, COM0-9, LPT0-9 (and the superscript ¹²³ forms) before the first dot, ignoring case and trailing spaces.</summary>
        internal static bool IsDeviceName(string segment)
        {
            int dot = segment.IndexOf('.');
            var stem = (dot < 0 ? segment : segment.Substring(0, dot)).TrimEnd(' ').ToUpperInvariant();
            switch (stem.Length)
            {
                case 3:
                    return stem == "CON" || stem == "PRN" || stem == "AUX" || stem == "NUL";
                case 4:
                    if (!stem.StartsWith("COM", StringComparison.Ordinal) && !stem.StartsWith("LPT", StringComparison.Ordinal)) return false;
                    char n = stem[3];
                    return (n >= '0' && n <= '9') || n == '\u00B9' || n == '\u00B2' || n == '\u00B3';
                default:
                    return false;
            }
        }

        /// <summary>The name with control characters shown as \u escapes, so the message stays on one line.</summary>
        private static string Printable(string name)
        {
            var sb = new System.Text.StringBuilder(name.Length);
            foreach (char c in name)
            {
                if (c < 0x20 || c == 0x7F) sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                else sb.Append(c);
            }
            return sb.ToString();
        }
    }
}
