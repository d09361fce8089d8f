#if NET
using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace PrivateProvisioning.Core.Templates.Generation
{
    /// <summary>One generated file as the last run left it.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct GenerationRecord
    {
        /// <summary>The file's full path, hashed (<see cref="GenerationState.HashPath(string)"/>).</summary>
        public ulong PathHash;
        /// <summary>The 128-bit fingerprint of everything the file was made from (<see cref="TextDigest.FinishFingerprint"/>).</summary>
        public ulong Input0, Input1;
        /// <summary>SHA-256 of the file's bytes.</summary>
        public ulong Sha0, Sha1, Sha2, Sha3;
        public long Size, ModifiedNs, ChangedNs, Inode;

        public FileIdentity Identity => new FileIdentity(Size, ModifiedNs, ChangedNs, Inode);

        public bool SameAs(in GenerationRecord other) =>
            PathHash == other.PathHash && Input0 == other.Input0 && Input1 == other.Input1
            && Sha0 == other.Sha0 && Sha1 == other.Sha1 && Sha2 == other.Sha2 && Sha3 == other.Sha3
            && Size == other.Size && ModifiedNs == other.ModifiedNs && ChangedNs == other.ChangedNs && Inode == other.Inode;

        public static GenerationRecord For(string path, ReadOnlySpan<byte> input, ReadOnlySpan<byte> sha256, FileIdentity identity) => new GenerationRecord
        {
            PathHash = GenerationState.HashPath(path),
            Input0 = BinaryPrimitives.ReadUInt64LittleEndian(input),
            Input1 = BinaryPrimitives.ReadUInt64LittleEndian(input.Slice(8)),
            Sha0 = BinaryPrimitives.ReadUInt64LittleEndian(sha256),
            Sha1 = BinaryPrimitives.ReadUInt64LittleEndian(sha256.Slice(8)),
            Sha2 = BinaryPrimitives.ReadUInt64LittleEndian(sha256.Slice(16)),
            Sha3 = BinaryPrimitives.ReadUInt64LittleEndian(sha256.Slice(24)),
            Size = identity.Size,
            ModifiedNs = identity.ModifiedNs,
            ChangedNs = identity.ChangedNs,
            Inode = identity.Inode,
        };
    }

    /// <summary>
    /// SHA-256 over length-prefixed UTF-16 texts, gathered in a per-thread buffer and hashed in one call (a native
    /// hash update per text costs more than the copy). The buffer is cleared after: rows hold passwords. One
    /// digest at a time per thread.
    /// </summary>
    internal sealed class TextDigest
    {
        [ThreadStatic] private static TextDigest? _current;
        private byte[] _buffer = new byte[4096];
        private int _used;

        public static TextDigest Start()
        {
            var digest = _current ??= new TextDigest();
            digest._used = 0;
            return digest;
        }

        public TextDigest Add(string text) => Add(text.AsSpan());

        /// <summary>The same bytes as <see cref="Add(string)"/> of the same characters.</summary>
        public TextDigest Add(ReadOnlySpan<char> text)
        {
            Ensure(4 + 2 * text.Length);
            BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_used), text.Length);
            _used += 4;
            return Add(MemoryMarshal.AsBytes(text));
        }

        public TextDigest Add(ReadOnlySpan<byte> bytes)
        {
            Ensure(bytes.Length);
            bytes.CopyTo(_buffer.AsSpan(_used));
            _used += bytes.Length;
            return this;
        }

        public byte[] Finish()
        {
            var digest = new byte[32];
            Finish(digest);
            return digest;
        }

        /// <summary>The SHA-256 into <paramref name="digest"/> (32 bytes).</summary>
        public void Finish(Span<byte> digest)
        {
            Sha256Digest.HashData(_buffer.AsSpan(0, _used), digest);
            Array.Clear(_buffer, 0, _used);
            _used = 0;
        }

        /// <summary>
        /// The first 16 bytes of the gathered bytes' SHA-256 into <paramref name="fingerprint"/>, for a row's inputs in the
        /// generation state. A cryptographic hash on purpose: the rows hold SIP passwords, and a fast non-cryptographic
        /// hash such as MurmurHash3 can be run backwards to the one unknown block of a row whose other values are known.
        /// </summary>
        public void FinishFingerprint(Span<byte> fingerprint)
        {
            Span<byte> digest = stackalloc byte[32];
            Finish(digest);
            digest.Slice(0, 16).CopyTo(fingerprint);
        }

        /// <summary>MurmurHash3 x64/128 with seed 0: h1 then h2, little-endian, into 16 bytes. For hash tables (paths), never for secrets.</summary>
        internal static void Fingerprint(ReadOnlySpan<byte> data, Span<byte> output)
        {
            const ulong c1 = 0x87c37b91114253d5UL, c2 = 0x4cf5ad432745937fUL;
            ulong h1 = 0, h2 = 0;
            int blocks = data.Length / 16;
            for (int i = 0; i < blocks; i++)
            {
                ulong k1 = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(i * 16));
                ulong k2 = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(i * 16 + 8));
                k1 *= c1; k1 = BitOperations.RotateLeft(k1, 31); k1 *= c2; h1 ^= k1;
                h1 = BitOperations.RotateLeft(h1, 27); h1 += h2; h1 = h1 * 5 + 0x52dce729;
                k2 *= c2; k2 = BitOperations.RotateLeft(k2, 33); k2 *= c1; h2 ^= k2;
                h2 = BitOperations.RotateLeft(h2, 31); h2 += h1; h2 = h2 * 5 + 0x38495ab5;
            }
            var tail = data.Slice(blocks * 16);
            ulong t1 = 0, t2 = 0;
            for (int i = tail.Length - 1; i >= 8; i--) t2 = (t2 << 8) | tail[i];
            for (int i = Math.Min(tail.Length, 8) - 1; i >= 0; i--) t1 = (t1 << 8) | tail[i];
            if (tail.Length > 8) { t2 *= c2; t2 = BitOperations.RotateLeft(t2, 33); t2 *= c1; h2 ^= t2; }
            if (tail.Length > 0) { t1 *= c1; t1 = BitOperations.RotateLeft(t1, 31); t1 *= c2; h1 ^= t1; }
            h1 ^= (ulong)data.Length; h2 ^= (ulong)data.Length;
            h1 += h2; h2 += h1;
            h1 = Mix(h1); h2 = Mix(h2);
            h1 += h2; h2 += h1;
            BinaryPrimitives.WriteUInt64LittleEndian(output, h1);
            BinaryPrimitives.WriteUInt64LittleEndian(output.Slice(8), h2);

            static ulong Mix(ulong k)
            {
                k ^= k >> 33; k *= 0xff51afd7ed558ccdUL;
                k ^= k >> 33; k *= 0xc4ceb9fe1a85ec53UL;
                return k ^ (k >> 33);
            }
        }

        private void Ensure(int more)
        {
            if (_used + more <= _buffer.Length) return;
            var bigger = new byte[Math.Max(_buffer.Length * 2, _used + more)];
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _used);
            Array.Clear(_buffer, 0, _used);
            _buffer = bigger;
        }
    }

    /// <summary>
    /// What the last run made each file from, and how the file looked on disk right after, so that a scheduled
    /// re-run with nothing changed need not render or read 100,000 files: a row whose inputs hash the same and
    /// whose file still has the recorded size, modification and change times and inode is Unchanged at the cost
    /// of one stat. Anything else (an edited row or template, a new secret, a file touched by anyone, another
    /// build of pprov) falls back to rendering and comparing bytes, so the state can make a run faster but never
    /// make it skip a change. It is a cache: unreadable, foreign or missing, it is ignored and rebuilt.
    /// Linux only (statx). The file lives outside the served folder, owner-only: it holds hashes of rows that
    /// contain passwords.
    /// </summary>
    internal sealed class GenerationState : IDisposable
    {
        private const int RecordSize = 88;
        /// <summary>The magic, the run key, and the destination folder's identity when the last run left it without temporary files.</summary>
        private const int HeaderSize = 8 + 32 + FolderSize;
        private const int FolderSize = 32;
        private static readonly byte[] Magic = { (byte)'P', (byte)'P', (byte)'R', (byte)'O', (byte)'V', (byte)'G', (byte)'S', (byte)'2' };

        private readonly string _path;
        private readonly string _temp;
        /// <summary>
        /// The last run's records, in native memory: a million rows are 88 MB that live for the whole run, and on the
        /// managed heap they would also raise the collector's budget for garbage by as much again.
        /// </summary>
        private readonly NativeRecords _previous;
        /// <summary>
        /// Open addressing on PathHash: index + 1 into _previous, 0 for empty; twice as many slots as records. Built
        /// on the first row that is not where the last run had it: a re-run of the same list never needs it (8 MB
        /// and a pass over the records at a million rows).
        /// </summary>
        private int[]? _slots;
        private readonly object _slotsLock = new object();
        private readonly byte[] _runKey;
        private FileStream? _next;
        private readonly byte[] _buffer = new byte[RecordSize];
        /// <summary>Records appended so far; while they equal the previous state's, in order, nothing is written.</summary>
        private long _appended;
        private bool _changed;
        private bool _disposed;
        /// <summary>
        /// The destination folder as the last run left it, when that run knew it held no temporary file of ours
        /// (default otherwise): while the folder's modification and change times are the same, no name in it was
        /// added, removed or renamed since, so there is still none and the sweep need not read 100,000 names.
        /// </summary>
        private readonly FileIdentity _previousFolder;
        /// <summary>What <see cref="Commit"/> keeps in the header (the folder as this run leaves it, or default).</summary>
        private FileIdentity _nextFolder;
        /// <summary>Records appended for the next state (every row's, in order), whether or not they are being written.</summary>
        private long _count;

        /// <summary>The state file this run read its records from, as it was on disk (default when there was none or it changed while read).</summary>
        public FileIdentity LoadedFrom { get; private set; }

        /// <summary>
        /// After <see cref="Commit"/>: the state file that now holds exactly this run's records (default when this run
        /// kept none: a write failed, or nothing was committed). A run memo names it, so a memo never outlives its state.
        /// </summary>
        public FileIdentity CommittedAs { get; private set; }

        /// <summary>Records this run has appended to the next state.</summary>
        public long AppendedCount => _count;

        public static bool Supported => LinuxFiles.Enabled;

        private GenerationState(string path, NativeRecords previous, byte[] runKey, string temp, bool previousUsable, FileIdentity previousFolder, FileIdentity loadedFrom)
        {
            LoadedFrom = loadedFrom;
            _runKey = runKey;
            _path = path;
            _previous = previous;
            _temp = temp;
            _previousFolder = previousFolder;
            if (!previousUsable) StartWriting();
        }

        /// <summary>True when <paramref name="folder"/> is the folder the last run left without temporary files, unchanged since (its names: not its files' contents).</summary>
        public bool FolderUnchanged(FileIdentity folder) => _previousFolder.Inode != 0 && folder.Equals(_previousFolder);

        /// <summary>The records the last run left.</summary>
        public int PreviousRows => _previous.Length;

        /// <summary>How many rows the state answered without rendering (for tests and --verbose).</summary>
        public int Hits;

        /// <summary>Opens the state of <paramref name="path"/> for a run whose settings hash to <paramref name="runKey"/>; null (no state) when its folder cannot be used.</summary>
        public static GenerationState? Open(string path, byte[] runKey, out string? problem)
        {
            problem = null;
            if (!Supported || !OperatingSystem.IsLinux()) return null;
            var previous = new NativeRecords(0);
            bool usable = false;
            FileIdentity folderIdentity = default;
            // The file's identity before and after it is read: a state replaced meanwhile is not named as the one read.
            LinuxFiles.TryStat(path, out var before);
            try
            {
                // Straight into the records (no second copy: a million rows is 88 MB of state).
                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
                long length = file.Length;
                Span<byte> header = stackalloc byte[HeaderSize];
                if (length >= HeaderSize && (length - HeaderSize) % RecordSize == 0 && (length - HeaderSize) / RecordSize < int.MaxValue / 2
                    && file.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) == HeaderSize
                    && header.Slice(0, 8).SequenceEqual(Magic) && header.Slice(8, 32).SequenceEqual(runKey))
                {
                    folderIdentity = ReadFolder(header.Slice(40));
                    var records = new NativeRecords((int)((length - HeaderSize) / RecordSize));
                    var bytes = MemoryMarshal.AsBytes(records.Span);
                    if (file.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) == bytes.Length)
                    {
                        previous.Dispose();
                        previous = records;
                        usable = true;
                    }
                    else { records.Dispose(); folderIdentity = default; }
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { /* none yet, or unreadable: start afresh */ }

            try
            {
                var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
                if (!Directory.Exists(folder))
                    Directory.CreateDirectory(folder, System.IO.UnixFileMode.UserRead | System.IO.UnixFileMode.UserWrite | System.IO.UnixFileMode.UserExecute);
                var temp = path + "." + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".tmp";
                RemoveAbandoned(folder, Path.GetFileName(path));
                FileIdentity loadedFrom = default;
                if (usable && before.Inode != 0 && LinuxFiles.TryStat(path, out var after) && after.Equals(before)) loadedFrom = before;
                var state = new GenerationState(path, previous, runKey, temp, usable, folderIdentity, loadedFrom);
                if (state._disposed) { state._previous.Dispose(); problem = $"cannot write the generation state '{path}'; every file is compared by content."; return null; }
                return state;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                previous.Dispose();
                problem = $"no generation state at '{path}' ({ex.Message}); every file is compared by content.";
                return null;
            }
        }

        /// <summary>
        /// True when the last run made <paramref name="path"/> from the same inputs and the file has not been
        /// touched since; then <paramref name="at"/> is where its record is among the last run's (<see cref="Previous"/>), which is what to keep.
        /// </summary>
        /// <param name="folderFd">The destination opened with <see cref="LinuxFiles.OpenFolder"/> (or -1), <paramref name="folder"/> its path: the file is looked up from there.</param>
        /// <param name="ordinal">The row's place among the run's rows (the last run's record at that place is tried first), or -1.</param>
        public bool TryUnchanged(string path, ReadOnlySpan<byte> input, int ordinal, int folderFd, string folder, out int at)
        {
            var hash = HashPath(path);
            at = ordinal >= 0 && ordinal < _previous.Length && _previous.Span[ordinal].PathHash == hash ? ordinal : Find(hash);
            if (at < 0) return false;
            ref readonly var record = ref _previous.Span[at];
            if (record.Input0 != BinaryPrimitives.ReadUInt64LittleEndian(input) || record.Input1 != BinaryPrimitives.ReadUInt64LittleEndian(input.Slice(8)))
                return false;
            if (!LinuxFiles.TryStatIn(folderFd, folder, path, out var identity) || !identity.Equals(record.Identity)) return false;
            System.Threading.Interlocked.Increment(ref Hits);
            return true;
        }

        /// <summary>
        /// True when the last run's record <paramref name="at"/> is of <paramref name="path"/> (whose last
        /// <paramref name="name"/>.Length characters are the ASCII <paramref name="name"/>, the name in the open
        /// folder <paramref name="folderFd"/>) and the file has not been touched since: a run memo's check, the
        /// inputs being known to be the same. Allocates nothing.
        /// </summary>
        public bool FileAsLeft(int at, ReadOnlySpan<char> path, ReadOnlySpan<byte> name, int folderFd)
        {
            if (at < 0 || at >= _previous.Length) return false;
            ref readonly var record = ref _previous.Span[at];
            if (record.PathHash != HashPath(path)) return false;
            return LinuxFiles.TryStatNameIn(folderFd, name, out var identity) && identity.Equals(record.Identity);
        }

        /// <summary>True when the last run recorded a file at <paramref name="path"/> (the record at <paramref name="ordinal"/> tried first).</summary>
        public bool HasRecord(string path, int ordinal)
        {
            if (_previous.Length == 0) return false;
            var hash = HashPath(path);
            if (ordinal >= 0 && ordinal < _previous.Length && _previous.Span[ordinal].PathHash == hash) return true;
            return Find(hash) >= 0;
        }

        /// <summary>The last run's record at <paramref name="at"/> (valid until <see cref="Commit"/> or <see cref="Dispose"/>).</summary>
        public ref readonly GenerationRecord Previous(int at) => ref _previous.Span[at];

        /// <summary>Appends the last run's record at <paramref name="at"/>, unchanged (a row the state answered).</summary>
        public void AppendPrevious(int at)
        {
            if (_disposed) return;
            // A re-run of the same list: the record the last run had at this very place, so nothing to compare or write.
            if (!_changed && at == _appended && at < _previous.Length) { _appended++; _count++; return; }
            Append(_previous.Span[at]);
        }

        /// <summary>Appends a record to the next state (rows in order, from one thread).</summary>
        public void Append(in GenerationRecord record)
        {
            if (_disposed) return;
            _count++;
            if (!_changed)
            {
                // A re-run with nothing changed appends exactly the previous records in the same order: nothing to write.
                if (_appended < _previous.Length && _previous.Span[(int)_appended].SameAs(record)) { _appended++; return; }
                StartWriting();
            }
            Write(record);
        }

        /// <summary>The first difference: from here on the next state is written, starting with the records that matched.</summary>
        private void StartWriting()
        {
            _changed = true;
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 64 * 1024 };
                if (!OperatingSystem.IsWindows()) options.UnixCreateMode = System.IO.UnixFileMode.UserRead | System.IO.UnixFileMode.UserWrite;
                _next = new FileStream(_temp, options);
                _next.Write(Magic);
                _next.Write(_runKey);
                _next.Write(new byte[FolderSize]); // filled in by Commit
                var previous = _previous.Span;
                for (int i = 0; i < _appended; i++) Write(previous[i]);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                _next?.Dispose();
                _next = null;
                _disposed = true; // a cache: this run keeps none
                AtomicFile.TryDelete(_temp);
            }
        }

        private void Write(in GenerationRecord record)
        {
            if (_next == null) return;
            MemoryMarshal.Write(_buffer, in record);
            _next.Write(_buffer, 0, RecordSize);
        }

        /// <summary>Keeps the next state; a run that appended exactly the previous records, and leaves the folder as the last one did, rewrites nothing.</summary>
        /// <param name="folder">The destination folder as this run leaves it, when this run knows it holds no temporary file of ours (else default).</param>
        public void Commit(FileIdentity folder = default)
        {
            if (_disposed) return;
            _nextFolder = folder;
            if (!_changed && (_appended != _previous.Length || !folder.Equals(_previousFolder))) StartWriting(); // rows were dropped, or the folder moved on
            _disposed = true;
            _previous.Dispose();
            if (_next == null)
            {
                if (!_changed) CommittedAs = LoadedFrom; // nothing to write: the file read is the file kept
                return;
            }
            try
            {
                _next.Flush();
                Span<byte> identity = stackalloc byte[FolderSize];
                WriteFolder(identity, _nextFolder);
                _next.Position = 40;
                _next.Write(identity);
                _next.Flush();
                _next.Dispose();
                _next = null;
                AtomicFile.ReplaceFile(_temp, _path);
                if (LinuxFiles.TryStat(_path, out var kept)) CommittedAs = kept;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                AtomicFile.TryDelete(_temp); // a cache: the next run rebuilds it
            }
        }

        public void Dispose()
        {
            _previous.Dispose(); // also after Commit, or when a failed write made the state give up
            if (_disposed) return;
            _disposed = true;
            if (_next == null) return;
            _next.Dispose();
            _next = null;
            AtomicFile.TryDelete(_temp);
        }

        private static FileIdentity ReadFolder(ReadOnlySpan<byte> bytes) => new FileIdentity(
            BinaryPrimitives.ReadInt64LittleEndian(bytes), BinaryPrimitives.ReadInt64LittleEndian(bytes.Slice(8)),
            BinaryPrimitives.ReadInt64LittleEndian(bytes.Slice(16)), BinaryPrimitives.ReadInt64LittleEndian(bytes.Slice(24)));

        private static void WriteFolder(Span<byte> bytes, FileIdentity folder)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes, folder.Size);
            BinaryPrimitives.WriteInt64LittleEndian(bytes.Slice(8), folder.ModifiedNs);
            BinaryPrimitives.WriteInt64LittleEndian(bytes.Slice(16), folder.ChangedNs);
            BinaryPrimitives.WriteInt64LittleEndian(bytes.Slice(24), folder.Inode);
        }

        private int Find(ulong hash)
        {
            var slots = Slots();
            int mask = slots.Length - 1;
            for (int slot = (int)(hash & (ulong)mask); ; slot = (slot + 1) & mask)
            {
                int at = slots[slot] - 1;
                if (at < 0) return -1;
                if (_previous.Span[at].PathHash == hash) return at;
            }
        }

        private int[] Slots()
        {
            var slots = System.Threading.Volatile.Read(ref _slots);
            if (slots != null) return slots;
            lock (_slotsLock)
            {
                if (_slots != null) return _slots;
                int size = 16;
                while (size < _previous.Length * 2) size <<= 1;
                slots = new int[size];
                var records = _previous.Span;
                for (int i = 0; i < records.Length; i++)
                {
                    int slot = (int)(records[i].PathHash & (ulong)(size - 1));
                    while (slots[slot] != 0) slot = (slot + 1) & (size - 1);
                    slots[slot] = i + 1;
                }
                System.Threading.Volatile.Write(ref _slots, slots);
                return slots;
            }
        }

        /// <summary>Temporary files of runs that were killed before they could rename theirs (an hour old: not a run in progress).</summary>
        private static void RemoveAbandoned(string folder, string stateName)
        {
            try
            {
                foreach (var stale in Directory.EnumerateFiles(folder, stateName + ".*.tmp"))
                    if (File.GetLastWriteTimeUtc(stale) < DateTime.UtcNow.AddHours(-1)) AtomicFile.TryDelete(stale);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { }
        }

        /// <summary>64 bits of the path's fingerprint (16 bytes a step, where FNV-1a took a multiply per character).</summary>
        internal static ulong HashPath(string path) => HashPath(path.AsSpan());

        /// <summary><see cref="HashPath(string)"/> of the same characters.</summary>
        internal static ulong HashPath(ReadOnlySpan<char> path)
        {
            Span<byte> fingerprint = stackalloc byte[16];
            TextDigest.Fingerprint(MemoryMarshal.AsBytes(path), fingerprint);
            return BinaryPrimitives.ReadUInt64LittleEndian(fingerprint);
        }

        /// <summary>The default place: $XDG_CACHE_HOME/pprov (else ~/.cache/pprov), one file per destination and format.</summary>
        public static string? DefaultPath(string destination, Formats.ProfileFormat format)
        {
            var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (string.IsNullOrEmpty(cache))
            {
                var home = Environment.GetEnvironmentVariable("HOME");
                if (string.IsNullOrEmpty(home)) return null;
                cache = Path.Combine(home, ".cache");
            }
            var id = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(destination) + "\0" + format.ToString()));
            return Path.Combine(cache, "pprov", "generate-" + Convert.ToHexStringLower(id, 0, 8) + ".state");
        }
    }

    /// <summary>An array of records outside the managed heap, freed once (by Dispose, else by the finalizer).</summary>
    internal sealed unsafe class NativeRecords : IDisposable
    {
        private GenerationRecord* _items;

        public NativeRecords(int length)
        {
            Length = length;
            if (length > 0) _items = (GenerationRecord*)NativeMemory.Alloc((nuint)length, (nuint)sizeof(GenerationRecord));
        }

        public int Length { get; private set; }

        public Span<GenerationRecord> Span => _items == null ? Span<GenerationRecord>.Empty : new Span<GenerationRecord>(_items, Length);

        public void Dispose()
        {
            if (_items != null) { NativeMemory.Free(_items); _items = null; }
            Length = 0;
            GC.SuppressFinalize(this);
        }

        ~NativeRecords() { if (_items != null) NativeMemory.Free(_items); }
    }
}
#endif
