using System;
using System.Collections.Concurrent;
using System.IO;
using System.Runtime.InteropServices;

namespace PrivateProvisioning.Core
{
    /// <summary>What <see cref="LinuxFiles.TryReadSmall"/> found.</summary>
    internal enum SmallReadStatus
    {
        /// <summary>No such file (or a path component is not a folder).</summary>
        Missing,
        /// <summary>The whole file fit; its length is in the out parameter.</summary>
        Read,
        /// <summary>The file is longer than the buffer.</summary>
        TooLarge,
        /// <summary>Anything else (no permission, a folder, ...): the caller takes the portable path, which reports it.</summary>
        Failed,
    }

    /// <summary>What <see cref="LinuxFiles.TryCreate"/> did.</summary>
    internal enum CreateNewStatus
    {
        /// <summary>The file now exists under its name with exactly the bytes given.</summary>
        Created,
        /// <summary>A file of that name exists (linkat said EEXIST): nothing was written; the caller compares or replaces.</summary>
        Exists,
        /// <summary>Not done for another reason (not Linux, the folder is missing, no O_TMPFILE, no space, ...): the caller takes the portable path.</summary>
        NotHandled,
    }

    /// <summary>What stat says about a file: enough to tell it was not touched since (rsync's and git's quick check, plus inode and ctime).</summary>
    internal readonly struct FileIdentity : IEquatable<FileIdentity>
    {
        public FileIdentity(long size, long modifiedNs, long changedNs, long inode)
        {
            Size = size; ModifiedNs = modifiedNs; ChangedNs = changedNs; Inode = inode;
        }
        public long Size { get; }
        public long ModifiedNs { get; }
        /// <summary>ctime: moves on every write, rename or chmod, and no one can set it back.</summary>
        public long ChangedNs { get; }
        public long Inode { get; }
        public bool Equals(FileIdentity other) => Size == other.Size && ModifiedNs == other.ModifiedNs && ChangedNs == other.ChangedNs && Inode == other.Inode;
        public override bool Equals(object? obj) => obj is FileIdentity other && Equals(other);
        public override int GetHashCode() => (int)(Inode ^ ChangedNs);
    }

    /// <summary>
    /// Direct Linux system calls for the two per-file hot paths of bulk runs, where .NET's file API costs several
    /// extra calls per file (stat, fstat, flock for FileShare, lseek, a random temp name):
    /// <list type="bullet">
    /// <item>reading a small existing file in one open, one read and one close (the unchanged check);</item>
    /// <item>publishing a new file with O_TMPFILE and linkat: the file is written while it has no name and appears
    /// complete under its final name, so it is as atomic as temp-file-and-rename but skips creating and
    /// renaming the temporary name, about a third of the kernel time per file on ext4.</item>
    /// </list>
    /// Every method answers "not handled" rather than throwing, and the caller then takes the portable path,
    /// which produces the usual errors. Nothing here runs on Windows or macOS.
    /// </summary>
    internal static class LinuxFiles
    {
        private const int O_RDONLY = 0, O_WRONLY = 1, O_CLOEXEC = 0x80000;
        private const int EPERM = 1, ENOENT = 2, EINTR = 4, EEXIST = 17, ENOTDIR = 20;
        private const int AT_FDCWD = -100, AT_SYMLINK_FOLLOW = 0x400, AT_EMPTY_PATH = 0x1000;

        /// <summary>O_TMPFILE differs by architecture (it includes O_DIRECTORY): 0 where we do not know it.</summary>
        private static readonly int OTmpFile =
            RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 0x410000
            : RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x404000
            : 0;

        /// <summary>True on Linux x64/arm64 unless PRIVATEPROVISIONING_PORTABLE_IO=1 asks for .NET's file API only.</summary>
        public static readonly bool Enabled =
            RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && OTmpFile != 0
            && Environment.GetEnvironmentVariable("PRIVATEPROVISIONING_PORTABLE_IO") != "1";

        /// <summary>
        /// Naming the unnamed file: linkat(fd, "", AT_EMPTY_PATH) where allowed (Linux 6.10 and later, or with
        /// CAP_DAC_READ_SEARCH), else through /proc/self/fd/N, which costs a walk of /proc (~3 µs a file).
        /// </summary>
        private static readonly bool CanPublish = Enabled && Directory.Exists("/proc/self/fd");
        private static volatile bool _emptyPathWorks = true;

        /// <summary>Folders whose file system refused O_TMPFILE (some network and FUSE file systems): not asked again.</summary>
        private static readonly ConcurrentDictionary<string, bool> NoTmpFile = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);

        /// <summary>The largest small file the per-thread buffer is kept for.</summary>
        public const int MaxBuffered = 1 << 20;
        [ThreadStatic] private static byte[]? _buffer;

        /// <summary>A per-thread buffer of at least <paramref name="size"/> bytes, kept while small; callers clear what they read (it may be a plain profile).</summary>
        public static byte[] ThreadBuffer(int size)
        {
            var buffer = _buffer;
            if (buffer != null && buffer.Length >= size) return buffer;
            buffer = new byte[Math.Max(size, 64 * 1024)];
            if (buffer.Length <= MaxBuffered) _buffer = buffer;
            return buffer;
        }

        /// <summary>All of a file of at most <paramref name="maxBytes"/>, as an array of its exact length (Read), or why not.</summary>
        public static SmallReadStatus TryReadAll(string path, int maxBytes, out byte[] bytes)
        {
            bytes = Array.Empty<byte>();
            if (!Enabled) return SmallReadStatus.Failed;
            var buffer = ThreadBuffer(maxBytes + 1);
            int length = 0;
            try
            {
                var status = TryReadSmall(path, buffer, maxBytes + 1, out length);
                if (status != SmallReadStatus.Read) return status;
                bytes = new byte[length];
                Buffer.BlockCopy(buffer, 0, bytes, 0, length);
                return status;
            }
            finally { Array.Clear(buffer, 0, length); }
        }

        /// <summary>Reads all of <paramref name="path"/> into the first <paramref name="capacity"/> bytes of <paramref name="buffer"/> if it fits.</summary>
        public static SmallReadStatus TryReadSmall(string path, byte[] buffer, int capacity, out int length)
        {
            length = 0;
            if (!Enabled || capacity <= 0 || capacity > buffer.Length) return SmallReadStatus.Failed;
            int fd;
            while ((fd = open(path, O_RDONLY | O_CLOEXEC, 0)) < 0)
            {
                int errno = Marshal.GetLastWin32Error();
                if (errno != EINTR) return OpenFailure(errno);
            }
            return ReadOpened(fd, buffer, capacity, out length);
        }

        private static SmallReadStatus OpenFailure(int errno) =>
            errno == ENOENT || errno == ENOTDIR ? SmallReadStatus.Missing : SmallReadStatus.Failed;

        /// <summary>The rest of a small read: the whole of the open file <paramref name="fd"/>, which is closed.</summary>
        private static SmallReadStatus ReadOpened(int fd, byte[] buffer, int capacity, out int length)
        {
            length = 0;
            try
            {
                // A regular file returns fewer bytes than asked only at its end, so one short read is the whole file
                // (no second read to see 0: a system call per file); a full buffer means it may be longer.
                long n;
                while ((n = (long)pread(fd, ref buffer[0], (IntPtr)capacity, 0)) < 0)
                    if (Marshal.GetLastWin32Error() != EINTR) return SmallReadStatus.Failed; // EISDIR for a folder, EIO, ...
                length = (int)n;
                return length == capacity ? SmallReadStatus.TooLarge : SmallReadStatus.Read;
            }
            finally { close(fd); }
        }

        /// <summary>
        /// <see cref="TryReadSmall"/> of <paramref name="path"/> (<paramref name="folder"/>, a separator and a name) opened
        /// from the open folder <paramref name="folderFd"/> (<see cref="OpenFolder"/>): the kernel looks up one name
        /// instead of walking every folder of the path. Failed when <paramref name="path"/> is not in that folder.
        /// </summary>
        public static unsafe SmallReadStatus TryReadSmallIn(int folderFd, string folder, string path, byte[] buffer, int capacity, out int length)
        {
            length = 0;
            int start = folder.Length + 1;
            int chars = path.Length - start;
            if (!Enabled || folderFd < 0 || capacity <= 0 || capacity > buffer.Length || !IsNameIn(folder, path)) return SmallReadStatus.Failed;
            byte* name = stackalloc byte[chars * 3 + 1];
            int bytes;
            fixed (char* p = path) bytes = System.Text.Encoding.UTF8.GetBytes(p + start, chars, name, chars * 3);
            name[bytes] = 0;
            int fd;
            while ((fd = openat(folderFd, name, O_RDONLY | O_CLOEXEC, 0)) < 0)
            {
                int errno = Marshal.GetLastWin32Error();
                if (errno != EINTR) return OpenFailure(errno);
            }
            return ReadOpened(fd, buffer, capacity, out length);
        }

        /// <summary>True when <paramref name="path"/> is <paramref name="folder"/>, '/' and one name of at most 255 characters.</summary>
        private static bool IsNameIn(string folder, string path)
        {
            int start = folder.Length + 1;
            return path.Length > start && path.Length - start <= 255 && path[folder.Length] == '/'
                && string.CompareOrdinal(path, 0, folder, 0, folder.Length) == 0 && path.IndexOf('/', start) < 0;
        }

        /// <summary>
        /// <see cref="TryCreate"/> (a file readable by all, as File.Create makes it) from the open folder
        /// <paramref name="folderFd"/> holding <paramref name="path"/>: the unnamed file is made in the folder and
        /// linked under its name with no path walk. NotHandled, with nothing left behind, when this cannot be done here;
        /// the caller then takes <see cref="TryCreate"/>, which knows the other ways.
        /// </summary>
        public static CreateNewStatus TryCreateIn(int folderFd, string folder, string path, byte[] buffer, int offset, int count)
        {
            int fd = TryWriteUnnamedIn(folderFd, folder, path, buffer, offset, count);
            if (fd < 0) return CreateNewStatus.NotHandled;
            try
            {
                if (TryNameIn(fd, folderFd, folder, path, out bool exists)) return CreateNewStatus.Created;
                return exists ? CreateNewStatus.Exists : CreateNewStatus.NotHandled;
            }
            finally { close(fd); }
        }

        /// <summary>
        /// Creates <paramref name="path"/> with exactly these bytes if no file has that name. False (and nothing left
        /// behind) when the name exists, the folder is missing, or the file system cannot do it.
        /// </summary>
        public static bool TryCreateNew(string path, byte[] buffer, int offset, int count, bool ownerOnly) =>
            TryCreate(path, buffer, offset, count, ownerOnly) == CreateNewStatus.Created;

        /// <summary>True where <see cref="TryCreate"/> can publish files at all (Linux x64/arm64 with /proc).</summary>
        public static bool CanCreate => CanPublish;

        /// <summary>
        /// <see cref="TryCreateNew"/> that also tells a taken name (<see cref="CreateNewStatus.Exists"/>) from the other
        /// reasons it did nothing, for callers that try creating first and compare with the existing file only then.
        /// </summary>
        public static CreateNewStatus TryCreate(string path, byte[] buffer, int offset, int count, bool ownerOnly)
        {
            const CreateNewStatus No = CreateNewStatus.NotHandled;
            if (!CanPublish) return No;
            var folder = Path.GetDirectoryName(path);
            if (string.IsNullOrEmpty(folder) || NoTmpFile.ContainsKey(folder!)) return No;
            // 0666 less the umask, as File.Create would; 0600 for keys, set at creation so no one else ever can read it.
            int mode = ownerOnly ? 0x180 : 0x1B6;
            int fd;
            while ((fd = open(folder!, OTmpFile | O_WRONLY | O_CLOEXEC, mode)) < 0)
            {
                int errno = Marshal.GetLastWin32Error();
                if (errno == EINTR) continue;
                // EOPNOTSUPP (95), EISDIR (21, kernels before 3.11) and EINVAL (22): the file system has no O_TMPFILE.
                if (errno == 95 || errno == 21 || errno == 22) NoTmpFile.TryAdd(folder!, true);
                return No;
            }
            try
            {
                if (!WriteAll(fd, buffer, offset, count)) return No; // ENOSPC, EDQUOT, ...: the portable path reports it
                // Fails with EEXIST when another writer (or an earlier run) has the name: the caller replaces it the
                // classic way. The unnamed file is freed by close.
                if (_emptyPathWorks)
                {
                    // The descriptor itself (Linux 6.10+ for the file's opener, or CAP_DAC_READ_SEARCH): no /proc walk.
                    int rc;
                    while ((rc = linkat(fd, string.Empty, AT_FDCWD, path, AT_EMPTY_PATH)) != 0 && Marshal.GetLastWin32Error() == EINTR) { }
                    if (rc == 0) return CreateNewStatus.Created;
                    int errno = Marshal.GetLastWin32Error();
                    if (errno == EEXIST) return CreateNewStatus.Exists;
                    if (errno != ENOENT && errno != EPERM) return No; // the caller replaces it the portable way
                    _emptyPathWorks = false; // not allowed here: name it through /proc from now on
                }
                var self = "/proc/self/fd/" + fd.ToString(System.Globalization.CultureInfo.InvariantCulture);
                while (linkat(AT_FDCWD, self, AT_FDCWD, path, AT_SYMLINK_FOLLOW) != 0)
                {
                    int errno = Marshal.GetLastWin32Error();
                    if (errno == EINTR) continue;
                    // Refused for another reason than a taken name (a security module, no /proc access): do not pay
                    // for an unnamed file that cannot be named on every later file of this folder.
                    if (errno == EEXIST) return CreateNewStatus.Exists;
                    if (errno != ENOENT) NoTmpFile.TryAdd(folder!, true);
                    return No;
                }
                return CreateNewStatus.Created;
            }
            finally { close(fd); }
        }

        /// <summary>
        /// Creates <paramref name="path"/> (<paramref name="folder"/>, a separator and a name) with exactly these bytes
        /// if no file has that name, working from the open folder <paramref name="folderFd"/> (<see cref="OpenFolder"/>):
        /// the unnamed file is made in the folder, written, named, and its identity taken from the descriptor before
        /// it is closed, so the caller needs no probe before and no stat by name after (five system calls, one
        /// lookup of the name). True when created; false when the name is taken (<paramref name="exists"/>) or this
        /// cannot be done here, and then nothing is left behind and the caller takes its usual way.
        /// </summary>
        public static bool TryCreateIn(int folderFd, string folder, string path, byte[] buffer, int offset, int count, out bool exists, out FileIdentity identity)
        {
            exists = false;
            identity = default;
            int fd = TryWriteUnnamedIn(folderFd, folder, path, buffer, offset, count);
            if (fd < 0) return false;
            try
            {
                if (!TryNameIn(fd, folderFd, folder, path, out exists)) return false;
                TryIdentity(fd, out identity);
                return true;
            }
            finally { close(fd); }
        }

        /// <summary>
        /// The first half of <see cref="TryCreateIn(int, string, string, byte[], int, int, out bool, out FileIdentity)"/>, for callers that name files in groups (<see cref="TryNameIn"/>):
        /// an unnamed file made in the open folder with exactly these bytes, its descriptor, or -1 when this cannot be
        /// done here for <paramref name="path"/> (nothing is left behind). Until it is named, no one can see it, and
        /// closing it frees it.
        /// </summary>
        public static unsafe int TryWriteUnnamedIn(int folderFd, string folder, string path, byte[] buffer, int offset, int count)
        {
            if (!CanPublish || !_emptyPathWorks || folderFd < 0 || !IsNameIn(folder, path) || NoTmpFile.ContainsKey(folder)) return -1;
            byte* here = stackalloc byte[2];
            here[0] = (byte)'.'; here[1] = 0;
            int fd;
            while ((fd = openat(folderFd, here, OTmpFile | O_WRONLY | O_CLOEXEC, 0x1B6)) < 0)
            {
                int errno = Marshal.GetLastWin32Error();
                if (errno == EINTR) continue;
                if (errno == 95 || errno == 21 || errno == 22) NoTmpFile.TryAdd(folder, true);
                return -1;
            }
            if (WriteAll(fd, buffer, offset, count)) return fd;
            close(fd); // ENOSPC, EDQUOT, ...: the portable path reports it
            return -1;
        }

        /// <summary>
        /// The second half: names the unnamed file <paramref name="fd"/> of <see cref="TryWriteUnnamedIn"/> as
        /// <paramref name="path"/> (one linkat, the only call that needs the folder's lock). False when the name is
        /// taken (<paramref name="exists"/>) or it cannot be named here; the caller closes the descriptor either way.
        /// </summary>
        public static unsafe bool TryNameIn(int fd, int folderFd, string folder, string path, out bool exists)
        {
            exists = false;
            int start = folder.Length + 1;
            int chars = path.Length - start;
            if (chars <= 0 || chars > 255) return false;
            byte* name = stackalloc byte[chars * 3 + 1];
            int bytes;
            fixed (char* p = path) bytes = System.Text.Encoding.UTF8.GetBytes(p + start, chars, name, chars * 3);
            name[bytes] = 0;
            byte* empty = stackalloc byte[1];
            empty[0] = 0;
            int rc;
            while ((rc = linkatAt(fd, empty, folderFd, name, AT_EMPTY_PATH)) != 0 && Marshal.GetLastWin32Error() == EINTR) { }
            if (rc == 0) return true;
            int errno = Marshal.GetLastWin32Error();
            exists = errno == EEXIST;
            if (errno == ENOENT || errno == EPERM) _emptyPathWorks = false; // not allowed here: the usual way names it through /proc
            return false;
        }

        /// <summary>A named file's identity from its open descriptor (after the link: naming it moved its change time).</summary>
        public static unsafe bool TryIdentity(int fd, out FileIdentity identity)
        {
            identity = default;
            byte* empty = stackalloc byte[1];
            empty[0] = 0;
            byte* stat = stackalloc byte[256];
            int rc;
            while ((rc = statxAt(fd, empty, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, stat)) != 0 && Marshal.GetLastWin32Error() == EINTR) { }
            return rc == 0 && RegularFileIdentity(stat, out identity);
        }

        /// <summary>Closes a descriptor of <see cref="TryWriteUnnamedIn"/> (an unnamed one is freed).</summary>
        public static void Close(int fd)
        {
            if (fd >= 0) close(fd);
        }

        /// <summary>Writes all <paramref name="count"/> bytes at the start of <paramref name="fd"/>; false on an error (ENOSPC, EDQUOT, ...).</summary>
        private static bool WriteAll(int fd, byte[] buffer, int offset, int count)
        {
            int done = 0;
            while (done < count)
            {
                long n = (long)pwrite(fd, ref buffer[offset + done], (IntPtr)(count - done), done);
                if (n < 0)
                {
                    if (Marshal.GetLastWin32Error() == EINTR) continue;
                    return false;
                }
                done += (int)n;
            }
            return true;
        }

        /// <summary>statx of a regular file (symbolic links not followed); false when it is missing or not a regular file.</summary>
        public static unsafe bool TryStat(string path, out FileIdentity identity)
        {
            identity = default;
            if (!Enabled) return false;
            // struct statx is the same on every architecture: 256 bytes.
            byte* buffer = stackalloc byte[256];
            return StatNoFollow(path, buffer) && RegularFileIdentity(buffer, out identity);
        }

        /// <summary>statx of <paramref name="path"/> itself (a symbolic link not followed) into the 256-byte <paramref name="buffer"/>.</summary>
        private static unsafe bool StatNoFollow(string path, byte* buffer)
        {
            int rc;
            while ((rc = statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buffer)) != 0 && Marshal.GetLastWin32Error() == EINTR) { }
            return rc == 0;
        }

        /// <summary>statx of a folder (its size, modification and change times, inode): false when it is missing or not a folder.</summary>
        public static unsafe bool TryStatFolder(string path, out FileIdentity identity)
        {
            identity = default;
            if (!Enabled) return false;
            byte* buffer = stackalloc byte[256];
            if (!StatNoFollow(path, buffer) || (*(ushort*)(buffer + 28) & 0xF000) != 0x4000) return false; // S_IFDIR
            Identity(buffer, out identity);
            return true;
        }

        /// <summary>
        /// Opens a folder for <see cref="TryStatIn"/> (a descriptor: -1 when not on Linux or not possible). A stat
        /// relative to it walks one path component instead of every one of the full path: a third of the kernel's
        /// cost of statx for a file five folders deep.
        /// </summary>
        public static int OpenFolder(string path)
        {
            if (!Enabled) return -1;
            int fd;
            while ((fd = open(path, O_RDONLY | O_CLOEXEC, 0)) < 0 && Marshal.GetLastWin32Error() == EINTR) { }
            return fd;
        }

        /// <summary>Closes a descriptor of <see cref="OpenFolder"/> (nothing for -1).</summary>
        public static void CloseFolder(int fd)
        {
            if (fd >= 0) close(fd);
        }

        /// <summary>
        /// <see cref="TryStat(string, out FileIdentity)"/> of <paramref name="path"/>, looked up from the open folder
        /// <paramref name="folderFd"/> when <paramref name="path"/> is <paramref name="folder"/>, a separator and a
        /// name; else by its full path.
        /// </summary>
        public static unsafe bool TryStatIn(int folderFd, string folder, string path, out FileIdentity identity)
        {
            identity = default;
            if (!Enabled) return false;
            int start = folder.Length + 1;
            if (folderFd < 0 || path.Length <= start || path[folder.Length] != '/' || string.CompareOrdinal(path, 0, folder, 0, folder.Length) != 0)
                return TryStat(path, out identity);
            int chars = path.Length - start;
            if (chars > 1024) return TryStat(path, out identity);
            byte* name = stackalloc byte[chars * 3 + 1];
            int bytes;
            fixed (char* p = path) bytes = System.Text.Encoding.UTF8.GetBytes(p + start, chars, name, chars * 3);
            name[bytes] = 0;
            return StatAt(folderFd, name, out identity);
        }

        /// <summary>
        /// <see cref="TryStat(string, out FileIdentity)"/> of the file named <paramref name="name"/> (UTF-8, no
        /// separator, at most 255 bytes) in the open folder <paramref name="folderFd"/>.
        /// </summary>
        public static unsafe bool TryStatNameIn(int folderFd, ReadOnlySpan<byte> name, out FileIdentity identity)
        {
            identity = default;
            if (!Enabled || folderFd < 0 || name.Length == 0 || name.Length > 255) return false;
            byte* z = stackalloc byte[name.Length + 1];
            name.CopyTo(new Span<byte>(z, name.Length));
            z[name.Length] = 0;
            return StatAt(folderFd, z, out identity);
        }

        private static unsafe bool StatAt(int dirFd, byte* name, out FileIdentity identity)
        {
            identity = default;
            byte* buffer = stackalloc byte[256];
            int rc;
            while ((rc = statxAt(dirFd, name, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buffer)) != 0 && Marshal.GetLastWin32Error() == EINTR) { }
            return rc == 0 && RegularFileIdentity(buffer, out identity);
        }

        // A regular file's identity from a struct statx (the same 256 bytes on every architecture); false for anything else.
        private static unsafe bool RegularFileIdentity(byte* buffer, out FileIdentity identity)
        {
            identity = default;
            ushort mode = *(ushort*)(buffer + 28);
            if ((mode & 0xF000) != 0x8000) return false; // S_IFREG
            Identity(buffer, out identity);
            return true;
        }

        private static unsafe void Identity(byte* buffer, out FileIdentity identity)
        {
            long Ns(int offset) => *(long*)(buffer + offset) * 1_000_000_000L + *(uint*)(buffer + offset + 8);
            identity = new FileIdentity(*(long*)(buffer + 40), Ns(112), Ns(96), *(long*)(buffer + 32));
        }

        private const int AT_SYMLINK_NOFOLLOW = 0x100, STATX_BASIC_STATS = 0x7ff;

        [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
        private static extern unsafe int statxAt(int dirFd, byte* path, int flags, int mask, byte* buffer);

        [DllImport("libc", SetLastError = true)]
        private static extern unsafe int statx(int dirFd, string path, int flags, int mask, byte* buffer);

        // Strings marshal as UTF-8 on Linux (CharSet.Ansi). open is variadic; on x64 and arm64 Linux an int mode
        // passes exactly like a fixed argument.
        [DllImport("libc", SetLastError = true)]
        private static extern int open(string path, int flags, int mode);

        [DllImport("libc", SetLastError = true)]
        private static extern IntPtr pread(int fd, ref byte buffer, IntPtr count, long offset);

        [DllImport("libc", SetLastError = true)]
        private static extern IntPtr pwrite(int fd, ref byte buffer, IntPtr count, long offset);

        [DllImport("libc", SetLastError = true)]
        private static extern int linkat(int oldDirFd, string oldPath, int newDirFd, string newPath, int flags);

        [DllImport("libc", SetLastError = true)]
        private static extern int close(int fd);

        [DllImport("libc", EntryPoint = "openat", SetLastError = true)]
        private static extern unsafe int openat(int dirFd, byte* path, int flags, int mode);

        [DllImport("libc", EntryPoint = "linkat", SetLastError = true)]
        private static extern unsafe int linkatAt(int oldDirFd, byte* oldPath, int newDirFd, byte* newPath, int flags);
    }
}
