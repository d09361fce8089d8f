using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using PrivateProvisioning.Core.Formats;

namespace PrivateProvisioning.Core.Templates.Generation
{
    /// <summary>One file we wrote into a destination: a phone's generated file, or a copy our protection step made of it.</summary>
    internal sealed class WrittenFile
    {
        public WrittenFile(string path, long mac, ProfileFormat? format, string sha256)
        {
            Path = path;
            Mac = mac;
            Format = format;
            Sha256 = sha256;
        }

        public string Path { get; }
        /// <summary>The phone (48-bit MAC) the file belongs to.</summary>
        public long Mac { get; }
        /// <summary>The generated file's format; null for a derived (signed, encrypted, compressed) copy.</summary>
        public ProfileFormat? Format { get; }
        /// <summary>SHA-256 of the bytes we wrote: a file whose bytes differ now is someone else's, and is left alone.</summary>
        public string Sha256 { get; }
        public bool Derived => Format == null;
    }

    /// <summary>
    /// What our runs wrote into one destination folder, kept outside it (the served folder must not list its
    /// own files, and the phones' passwords stay out of a cache that may be wiped): on Windows
    /// %LOCALAPPDATA%\PrivateProvisioning, elsewhere $XDG_STATE_HOME/pprov (else ~/.local/state/pprov), one
    /// owner-only file per destination. Generation records each phone's file; protection records the copies it
    /// made of a recorded file (.sgn, .enc.sgn, .enc, .gz...). Pruning removes only recorded files, and only
    /// while their bytes are still the ones we wrote.
    /// </summary>
    internal sealed class WrittenFilesRecord
    {
        private const string Header = "#PrivateProvisioning written files 1";
        internal static readonly StringComparer PathComparer = Path.DirectorySeparatorChar == '\\' ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

        private readonly Dictionary<string, WrittenFile> _files = new Dictionary<string, WrittenFile>(PathComparer);

        private WrittenFilesRecord(string recordPath, string destination)
        {
            RecordPath = recordPath;
            Destination = destination;
        }

        public string RecordPath { get; }
        public string Destination { get; }
        public bool TryGet(string path, out WrittenFile file) => _files.TryGetValue(path, out file!);
        /// <summary>Replaces a file's entry in place, or adds it last (nothing is removed, so the dictionary keeps the order).</summary>
        public void Set(WrittenFile file) => _files[file.Path] = file;

        internal static string NormalizeFolder(string folder) =>
            Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);

        /// <summary>The record's default place for <paramref name="destination"/>; null when the user has no such folder (no HOME).</summary>
        public static string? DefaultPath(string destination)
        {
            string? folder;
            if (Path.DirectorySeparatorChar == '\\')
            {
                var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
                folder = string.IsNullOrEmpty(local) ? null : Path.Combine(local, "PrivateProvisioning");
            }
            else
            {
                var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
                if (string.IsNullOrEmpty(state))
                {
                    var home = Environment.GetEnvironmentVariable("HOME");
                    state = string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".local", "state");
                }
                folder = state == null ? null : Path.Combine(state, "pprov");
            }
            if (folder == null) return null;
            byte[] id;
            using (var sha = SHA256.Create()) id = sha.ComputeHash(Encoding.UTF8.GetBytes(NormalizeFolder(destination)));
            return Path.Combine(folder, "written-" + HexText.Lower(id).Substring(0, 16) + ".tsv");
        }

        /// <summary>Reads the record (an empty one when there is none yet).</summary>
        /// <exception cref="ProvisioningException">The record exists but cannot be read or belongs to another folder.</exception>
        public static WrittenFilesRecord Load(string recordPath, string destination)
        {
            var record = new WrittenFilesRecord(recordPath, NormalizeFolder(destination));
            foreach (var file in Read(recordPath, record.Destination)) record.Set(file);
            return record;
        }

        /// <summary>
        /// The record's files one at a time, in the record's order, without holding the record in memory (a
        /// million phones make a 140 MB record); nothing when there is no record yet. <paramref name="destination"/>
        /// is a normalized folder (<see cref="NormalizeFolder"/>).
        /// </summary>
        /// <exception cref="ProvisioningException">The record exists but cannot be read, belongs to another folder or is damaged.</exception>
        internal static IEnumerable<WrittenFile> Read(string recordPath, string destination)
        {
            StreamReader reader;
            try
            {
                if (!File.Exists(recordPath)) yield break;
                reader = new StreamReader(new FileStream(recordPath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan), Encoding.UTF8);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { throw Unreadable(recordPath, ex); }
            using (reader)
            {
                var header = ReadLine(reader, recordPath);
                if (header == null || !header.StartsWith(Header + "\t", StringComparison.Ordinal)
                    || !PathComparer.Equals(header.Substring(Header.Length + 1), destination))
                    throw new ProvisioningException(ErrorIds.WrittenFilesRecordInvalid, ErrorKind.InvalidData,
                        $"'{recordPath}' is not the record of files written into '{destination}'; move it away to start a new record.", recordPath);
                int number = 1;
                for (var line = ReadLine(reader, recordPath); line != null; line = ReadLine(reader, recordPath))
                {
                    number++;
                    yield return Parse(line) ?? throw new ProvisioningException(ErrorIds.WrittenFilesRecordInvalid, ErrorKind.InvalidData,
                        $"The record of written files '{recordPath}', line {number.ToString(CultureInfo.InvariantCulture)}, is damaged; move the record away to start a new one.", recordPath);
                }
            }
        }

        private static string? ReadLine(StreamReader reader, string recordPath)
        {
            try { return reader.ReadLine(); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { throw Unreadable(recordPath, ex); }
        }

        private static ProvisioningException Unreadable(string recordPath, Exception ex) =>
            new ProvisioningException(ErrorIds.WrittenFilesRecordUnreadable, ErrorKind.ReadError, $"Cannot read the record of written files '{recordPath}': {ex.Message}", recordPath, ex);

        private static WrittenFile? Parse(string line)
        {
            var f = line.Split('\t');
            if (f.Length == 5 && f[0] == "G" && long.TryParse(f[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mac)
                && Enum.TryParse<ProfileFormat>(f[2], out var format))
                return new WrittenFile(f[4], mac, format, f[3]);
            if (f.Length == 4 && f[0] == "D" && long.TryParse(f[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out mac))
                return new WrittenFile(f[3], mac, null, f[2]);
            return null;
        }

        /// <summary>The record's first line for <paramref name="destination"/> (normalized), with its line break.</summary>
        internal static string HeaderLine(string destination) => Header + "\t" + destination + "\n";

        /// <summary>One file's line, with its line break: G, MAC, format, SHA-256, path; or D, MAC, SHA-256, path for a derived copy.</summary>
        internal static void AppendLine(StringBuilder text, WrittenFile f)
        {
            var mac = f.Mac.ToString("X12", CultureInfo.InvariantCulture);
            if (f.Derived) text.Append("D\t").Append(mac).Append('\t').Append(f.Sha256).Append('\t').Append(f.Path).Append('\n');
            else text.Append("G\t").Append(mac).Append('\t').Append(f.Format!.Value.ToString()).Append('\t').Append(f.Sha256).Append('\t').Append(f.Path).Append('\n');
        }

        /// <summary>Writes the record atomically, owner-only (it names every phone's file); unchanged, it is not rewritten.</summary>
        public void Save()
        {
            // In the record's own order (a generation run puts its files first, in row order): a run that changes
            // nothing writes the same bytes, so the record is not rewritten.
            var text = new StringBuilder(64 + _files.Count * 120);
            text.Append(HeaderLine(Destination));
            foreach (var f in _files.Values) AppendLine(text, f);
            try
            {
                var folder = Path.GetDirectoryName(Path.GetFullPath(RecordPath))!;
                if (!Directory.Exists(folder)) Directory.CreateDirectory(folder);
                AtomicFile.Write(RecordPath, new UTF8Encoding(false).GetBytes(text.ToString()), ownerOnly: true);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new ProvisioningException(ErrorIds.WrittenFilesRecordUnwritable, ErrorKind.WriteError, $"Cannot write the record of written files '{RecordPath}': {ex.Message}", RecordPath, ex);
            }
        }

        /// <summary>A path the record can hold (no tab or line break: the record is one line per file).</summary>
        public static bool Recordable(string path) => path.IndexOfAny(LineBreaksAndTab) < 0;

        private static readonly char[] LineBreaksAndTab = { '\t', '\n', '\r' };

        /// <summary>Takes the record's lock (a file beside it), so a generation run and a protection run do not lose each other's lines.</summary>
        public static IDisposable Lock(string recordPath)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(recordPath))!;
            if (!Directory.Exists(folder)) Directory.CreateDirectory(folder);
            var lockPath = recordPath + ".lock";
            for (int attempt = 0; ; attempt++)
            {
                try { return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1); }
                catch (IOException) when (attempt < 200) { Thread.Sleep(50); }
                catch (IOException ex)
                {
                    throw new ProvisioningException(ErrorIds.WrittenFilesRecordBusy, ErrorKind.ResourceBusy, $"The record of written files '{recordPath}' is locked by another run ('{lockPath}').", recordPath, ex);
                }
            }
        }

        /// <summary>SHA-256 of a file's bytes (lower-case hex), or null when it is gone or unreadable.</summary>
        public static string? HashOf(string path)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var sha = SHA256.Create();
                return HexText.Lower(sha.ComputeHash(stream));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { return null; }
        }
    }
}
