using System;
using System.IO;
using System.Runtime.InteropServices;

namespace PrivateProvisioning.Core
{
    /// <summary>What a write did to the file on disk.</summary>
    public enum WriteStatus
    {
        Created,
        Updated,
        Unchanged,
    }

    /// <summary>
    /// Writes files the way a scheduled task must while phones are fetching them: the bytes go to a
    /// temporary file in the same folder, which is then renamed over the target, so a reader sees the old
    /// file or the new one, never half of one. A file whose bytes would not change is left alone, so its
    /// time stamp (and the phone's If-Modified-Since) stays.
    /// </summary>
    public static class AtomicFile
    {
        /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically.</summary>
        /// <param name="ownerOnly">Create the file readable and writable by its owner only (private keys).</param>
        /// <param name="whatIf">Report what would happen without touching the disk.</param>
        public static WriteStatus Write(string path, byte[] content, bool ownerOnly = false, bool whatIf = false)
            => Write(path, content, 0, content.Length, ownerOnly, whatIf);

        public static WriteStatus Write(string path, byte[] buffer, int offset, int count, bool ownerOnly = false, bool whatIf = false)
        {
            var full = Path.GetFullPath(path);
            var existing = Probe(full, buffer, offset, count);
            if (existing == WriteStatus.Unchanged)
            {
                // Content is right, but a key file must also have the right mode (Windows: access list).
                if (ownerOnly && !whatIf) RestrictExisting(full);
                return WriteStatus.Unchanged;
            }
            if (whatIf) return existing;
            WriteReplacing(full, buffer, offset, count, ownerOnly, isNew: existing == WriteStatus.Created);
            return existing;
        }

        /// <summary>
        /// The write half of <see cref="Write(string, byte[], int, int, bool, bool)"/> for a caller that has already
        /// compared the file's bytes (<paramref name="full"/> is a full path): temp file, then rename over the target.
        /// </summary>
        /// <param name="isNew">The probe found no file: on Linux it is then published without a temporary name.</param>
        internal static void WriteReplacing(string full, byte[] buffer, int offset, int count, bool ownerOnly, bool isNew = false)
        {
            // Falls through when a file of that name appeared since the probe, or the file system cannot do it.
            if (isNew && LinuxFiles.TryCreateNew(full, buffer, offset, count, ownerOnly)) return;
            var dir = Path.GetDirectoryName(full)!;
            var temp = TemporaryPathFor(full);
            // The folder is created only when missing (as before, outside the error wrapping below): a mkdir per
            // file costs a syscall on every one of 100,000 files.
            if (WriteAndRename(temp, full, buffer, offset, count, ownerOnly, folderMayBeMissing: true)) return;
            Directory.CreateDirectory(dir);
            WriteAndRename(temp, full, buffer, offset, count, ownerOnly, folderMayBeMissing: false);
        }

        /// <summary>False (nothing written) when the folder is missing and <paramref name="folderMayBeMissing"/>.</summary>
        private static bool WriteAndRename(string temp, string full, byte[] buffer, int offset, int count, bool ownerOnly, bool folderMayBeMissing)
        {
            try
            {
                try { WriteTemp(temp, buffer, offset, count, ownerOnly); }
                // ENOENT for the missing folder shows as FileNotFound when a parallel writer has just created it.
                catch (Exception ex) when (folderMayBeMissing && (ex is DirectoryNotFoundException || ex is FileNotFoundException)) { return false; }
                ReplaceFile(temp, full);
                return true;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                TryDelete(temp);
                throw new ProvisioningException(ErrorIds.FileWriteFailed, ErrorKind.WriteError,
                    $"Cannot write '{full}': {ex.Message}", full, ex);
            }
            catch
            {
                TryDelete(temp);
                throw;
            }
        }

        private static void RestrictExisting(string full)
        {
            try { OwnerOnlyAccess.Restrict(full); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new ProvisioningException(ErrorIds.FileWriteFailed, ErrorKind.WriteError,
                    $"Cannot make '{full}' readable by its owner only: {ex.Message}", full, ex);
            }
        }

        private static void WriteTemp(string temp, byte[] buffer, int offset, int count, bool ownerOnly)
        {
            // Windows: the file is created with its owner-only access list, so no one else can ever open it.
            if (ownerOnly && OwnerOnlyAccess.IsWindows) { OwnerOnlyAccess.CreateNew(temp, buffer, offset, count); return; }
#if NET
            // A bare handle: no FileStream object, no position bookkeeping (lseek) per file.
            using var handle = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.None);
            // Restrict before the first byte lands, so a key is never readable by others, even briefly.
            if (ownerOnly) OwnerOnlyAccess.Restrict(temp);
            RandomAccess.Write(handle, new ReadOnlySpan<byte>(buffer, offset, count), 0);
#else
            using var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None);
            // Restrict before the first byte lands, so a key is never readable by others, even briefly.
            if (ownerOnly) OwnerOnlyAccess.Restrict(temp);
            fs.Write(buffer, offset, count);
#endif
        }

        /// <summary>Tells whether writing these bytes would create, update, or leave the file unchanged.</summary>
        public static WriteStatus Probe(string path, byte[] buffer, int offset, int count)
        {
            if (LinuxFiles.Enabled && count < LinuxFiles.MaxBuffered)
            {
                // One open, one read, one close: a scheduled re-run compares 100,000 files.
                var existing = LinuxFiles.ThreadBuffer(count + 1);
                int length = 0;
                try
                {
                    switch (LinuxFiles.TryReadSmall(path, existing, count + 1, out length))
                    {
                        case SmallReadStatus.Missing: return WriteStatus.Created;
                        case SmallReadStatus.TooLarge: return WriteStatus.Updated;
                        case SmallReadStatus.Read:
                            return length == count && new ReadOnlySpan<byte>(existing, 0, count).SequenceEqual(new ReadOnlySpan<byte>(buffer, offset, count))
                                ? WriteStatus.Unchanged : WriteStatus.Updated;
                    }
                }
                finally { Array.Clear(existing, 0, length); }
                // Failed: the portable path below reports it (no permission, a folder, ...).
            }
            // A missing file is the common case of a first run: answer it without a thrown exception (~20 µs each).
            if (!File.Exists(path)) return WriteStatus.Created;
            FileStream fs;
            try
            {
                fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
            }
            catch (FileNotFoundException) { return WriteStatus.Created; }
            catch (DirectoryNotFoundException) { return WriteStatus.Created; }
            using (fs)
            {
                if (fs.Length != count) return WriteStatus.Updated;
                var chunk = new byte[Math.Min(count, 64 * 1024) + 1];
                int pos = 0;
                while (pos < count)
                {
                    int n = fs.Read(chunk, 0, Math.Min(chunk.Length, count - pos));
                    if (n <= 0) return WriteStatus.Updated;
                    for (int i = 0; i < n; i++)
                        if (chunk[i] != buffer[offset + pos + i]) return WriteStatus.Updated;
                    pos += n;
                }
                return WriteStatus.Unchanged;
            }
        }

        /// <summary>
        /// A hidden temporary name beside <paramref name="full"/>: same folder, so the rename is atomic. Hidden (a
        /// leading '.') so that no server serves it (ours refuses hidden names; see docs/production-serving.md for
        /// nginx, Apache and IIS), and the folder's stale ones are swept on the way (<see cref="SweepStaleTemporaryFiles(string, bool)"/>).
        /// </summary>
        internal static string TemporaryPathFor(string full)
        {
            var folder = Path.GetDirectoryName(full)!;
            SweepStaleTemporaryFiles(folder);
            return Path.Combine(folder, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
        }

        /// <summary>How old a temporary file must be before a sweep removes it: older than any write in flight.</summary>
        public static readonly TimeSpan StaleTemporaryFileAge = TimeSpan.FromMinutes(10);

        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTime> LastSweep =
            new System.Collections.Concurrent.ConcurrentDictionary<string, DateTime>(StringComparer.Ordinal);

        private static readonly System.Text.RegularExpressions.Regex TemporaryName =
            new System.Text.RegularExpressions.Regex(@"^\..+\.[0-9a-f]{8}\.tmp$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        /// <summary>
        /// Deletes the temporary files our atomic writes leave when a run is killed between writing and renaming
        /// (".NAME.xxxxxxxx.tmp", older than <see cref="StaleTemporaryFileAge"/>, so a concurrent run's are kept) in
        /// <paramref name="folder"/>, at most once per folder every few minutes per process. Generation and
        /// protection call it for their destination at the start of a run; every temporary file's folder gets it too.
        /// Returns how many were deleted.
        /// </summary>
        public static int SweepStaleTemporaryFiles(string folder, bool force = false) => SweepStaleTemporaryFiles(folder, force, out _);

        /// <param name="clean">True when this sweep read the folder and left no temporary file of ours in it, fresh or stale (false when it did not read it: swept minutes ago).</param>
        internal static int SweepStaleTemporaryFiles(string folder, bool force, out bool clean)
        {
            var now = DateTime.UtcNow;
            clean = false;
            if (!force && LastSweep.TryGetValue(folder, out var last) && now - last < TimeSpan.FromMinutes(5)) return 0;
            LastSweep[folder] = now;
            int deleted = 0, left = 0;
            try
            {
                foreach (var path in Directory.EnumerateFiles(folder, ".*.tmp"))
                {
                    if (!TemporaryName.IsMatch(Path.GetFileName(path))) continue;
                    left++;
                    try
                    {
                        if (now - File.GetLastWriteTimeUtc(path) < StaleTemporaryFileAge) continue;
                        File.Delete(path);
                        deleted++;
                        left--;
                    }
                    catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { }
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { left++; }
            clean = left == 0;
            return deleted;
        }

        /// <summary>Renames <paramref name="source"/> over <paramref name="destination"/> in one step (MoveFileEx on Windows, rename elsewhere).</summary>
        internal static void ReplaceFile(string source, string destination)
        {
#if NET
            File.Move(source, destination, overwrite: true);
#else
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                if (!NativeMethods.MoveFileEx(source, destination, NativeMethods.MOVEFILE_REPLACE_EXISTING | NativeMethods.MOVEFILE_WRITE_THROUGH))
                    throw new IOException($"rename failed (Win32 error {Marshal.GetLastWin32Error()})");
            }
            else if (NativeMethods.rename(source, destination) != 0)
            {
                throw new IOException($"rename failed (errno {Marshal.GetLastWin32Error()})");
            }
#endif
        }

        internal static void TryDelete(string path)
        {
            try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }

        private static class NativeMethods
        {
            public const int MOVEFILE_REPLACE_EXISTING = 0x1;
            public const int MOVEFILE_WRITE_THROUGH = 0x8;

            [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
            public static extern bool MoveFileEx(string existingFileName, string newFileName, int flags);

            [DllImport("libc", SetLastError = true)]
            public static extern int rename(string oldpath, string newpath);
        }
    }

    /// <summary>
    /// Owner-only permissions for key files: mode 0600, or on Windows a protected access list for the current
    /// user and LocalSystem (see OwnerOnlyAccess).
    /// </summary>
    public static class UnixFileMode
    {
        public static void RestrictToOwner(string path) => OwnerOnlyAccess.Restrict(path);
    }
}
