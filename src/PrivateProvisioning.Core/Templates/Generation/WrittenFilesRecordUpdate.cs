using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using PrivateProvisioning.Core.Formats;

namespace PrivateProvisioning.Core.Templates.Generation
{
    /// <summary>
    /// A generation run's changes to the record of written files, kept out of memory: each file the run writes
    /// (or finds unchanged) goes as its line to a private temporary file beside the record while the run goes on,
    /// and only a 64-bit hash of its path stays in memory (8 bytes a phone instead of the ~400 of a path, a hash
    /// and an object). <see cref="Commit"/> then appends the old record's lines that the run neither rewrote nor
    /// pruned, in their order, and replaces the record when the result differs. The new record thus lists this
    /// run's files first, in row order: a re-run of the same list produces the same bytes. A hash collision
    /// (two paths, one hash: about one chance in 30 million for a million files) can only make the record forget a file, so that
    /// a prune leaves it alone: never remove a file we did not write.
    /// A re-run of the same list, the nightly case, writes nothing at all: while the run's lines equal the old
    /// record's lines, in order, they are only compared (one read of the old record, no temporary file); the first
    /// difference starts the temporary file with the lines that matched, copied from the old record.
    /// </summary>
    internal sealed class WrittenFilesRecordUpdate : IDisposable
    {
        private readonly string _recordPath;
        private readonly string _destination;
        private readonly string _temp;
        private readonly StringBuilder _line = new StringBuilder(256);
        private StreamWriter? _out;
        private ulong[] _written = new ulong[1024];
        private int _count;
        private bool _sorted = true;
        private HashSet<string>? _dropped;
        private ProvisioningException? _failure;
        /// <summary>The old record while the run's lines still equal its lines (null before the first line, and after the first difference).</summary>
        private OldRecordLines? _old;
        /// <summary>The line being added, as characters and as UTF-8 (no string per line: a re-run adds 100,000).</summary>
        private char[] _chars = new char[256];
        private byte[] _bytes = new byte[1024];
        private ProfileFormat? _lastFormat;
        private string _lastFormatName = string.Empty;
        private RecordStamp _oldStamp;
        private bool _begun;
        /// <summary>Lines of the old record the run's lines have matched so far, in order.</summary>
        private int _matched;

        /// <param name="recordPath">The record's path.</param>
        /// <param name="destination">The generation destination (any form; normalized here).</param>
        public WrittenFilesRecordUpdate(string recordPath, string destination)
        {
            _recordPath = recordPath;
            _destination = WrittenFilesRecord.NormalizeFolder(destination);
            _temp = recordPath + "." + System.Diagnostics.Process.GetCurrentProcess().Id.ToString(System.Globalization.CultureInfo.InvariantCulture)
                + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".part";
        }

        /// <summary>Lines noted so far.</summary>
        public int Count => _count;

        /// <summary>
        /// Notes a file the run wrote or found as it would write it (the caller's thread, in row order). A temporary
        /// file that cannot be written does not stop the run: <see cref="Commit"/> reports it.
        /// </summary>
        public void Add(WrittenFile file)
        {
            if (file.Derived)
            {
                _line.Clear();
                WrittenFilesRecord.AppendLine(_line, file);
                var text = _line.ToString();
                Ensure(text.Length);
                text.CopyTo(0, _chars, 0, text.Length);
                AddLine(text.Length, file.Path);
                return;
            }
            AddGenerated(file.Path, file.Mac, file.Format!.Value, file.Sha256);
        }

#if NET
        /// <summary>A generated file, its SHA-256 written straight into the line (<see cref="Add(WrittenFile)"/> without the objects).</summary>
        public void Add(ProvisioningProfileResult result, long mac)
        {
            int at = BeginGenerated(result.Path, mac, result.Format, 64);
            result.WriteSha256(_chars.AsSpan(at, 64));
            EndGenerated(at + 64, result.Path);
        }
#endif

        private void AddGenerated(string path, long mac, ProfileFormat format, string sha256)
        {
            int at = BeginGenerated(path, mac, format, sha256.Length);
            sha256.CopyTo(0, _chars, at, sha256.Length);
            EndGenerated(at + sha256.Length, path);
        }

        /// <summary>"G\tMAC\tFORMAT\t" into the line; returns where the 64 hex digits of the SHA-256 go.</summary>
        private int BeginGenerated(string path, long mac, ProfileFormat format, int shaLength)
        {
            if (_lastFormat != format) { _lastFormat = format; _lastFormatName = format.ToString(); }
            Ensure(2 + 12 + 1 + _lastFormatName.Length + 1 + shaLength + 1 + path.Length + 1);
            var c = _chars;
            int at = 0;
            c[at++] = 'G';
            c[at++] = '\t';
            for (int shift = 44; shift >= 0; shift -= 4) c[at++] = "0123456789ABCDEF"[(int)((mac >> shift) & 0xF)];
            c[at++] = '\t';
            _lastFormatName.CopyTo(0, c, at, _lastFormatName.Length);
            at += _lastFormatName.Length;
            c[at++] = '\t';
            return at;
        }

        private void EndGenerated(int at, string path)
        {
            _chars[at++] = '\t';
            path.CopyTo(0, _chars, at, path.Length);
            at += path.Length;
            _chars[at++] = '\n';
            AddLine(at, path);
        }

        private void Ensure(int length)
        {
            if (_chars.Length < length) _chars = new char[Math.Max(length, _chars.Length * 2)];
            int bytes = Encoding.UTF8.GetMaxByteCount(_chars.Length);
            if (_bytes.Length < bytes) _bytes = new byte[bytes];
        }

        /// <summary>The line in _chars (with its line break), for <paramref name="path"/>.</summary>
        private void AddLine(int length, string path)
        {
            if (_failure == null)
            {
                try
                {
                    if (!_begun) Begin();
                    if (_old != null)
                    {
                        int n = Encoding.UTF8.GetBytes(_chars, 0, length, _bytes, 0);
                        // The old line is read without its line break.
                        if (ReadOld(out var old, out int start, out int count) && count == n - 1 && SameBytes(old, start, _bytes, count)) _matched++;
                        else Diverge();
                    }
                    if (_old == null)
                    {
                        if (_out == null) _out = Open();
                        _out.Write(_chars, 0, length);
                    }
                }
                catch (ProvisioningException ex) { _failure = ex; }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { _failure = Unwritable(ex); }
            }
            if (_count == _written.Length) Array.Resize(ref _written, _written.Length * 2);
            var hash = Hash(path);
            if (_count > 0 && hash < _written[_count - 1]) _sorted = false;
            _written[_count++] = hash;
        }

        private static bool SameBytes(byte[] a, int start, byte[] b, int count)
        {
#if NET
            return a.AsSpan(start, count).SequenceEqual(b.AsSpan(0, count));
#else
            for (int i = 0; i < count; i++) if (a[start + i] != b[i]) return false;
            return true;
#endif
        }

        /// <summary>Whether this run noted <paramref name="path"/> (by its hash).</summary>
        public bool Wrote(string path)
        {
            if (!_sorted) { Array.Sort(_written, 0, _count); _sorted = true; }
            return Array.BinarySearch(_written, 0, _count, Hash(path)) >= 0;
        }

        /// <summary>Leaves a file of the old record out of the new one (pruned, or no longer ours).</summary>
        public void Drop(string path) => (_dropped ??= new HashSet<string>(WrittenFilesRecord.PathComparer)).Add(path);

        /// <summary>
        /// Writes the new record (this run's lines, then the old record's other lines) and puts it in place unless
        /// it is byte for byte the old one. The caller holds the record's lock.
        /// </summary>
        /// <exception cref="ProvisioningException">The old record is unreadable or damaged, or the new one cannot be written; the old one is then left as it was.</exception>
        public void Commit()
        {
            try
            {
                if (_failure != null) throw _failure;
                if (!_begun) Begin();
                if (_old != null)
                {
                    if (OldRecordKept()) return; // the same lines as the old record, in the same order: nothing to write
                    Diverge();
                }
                if (_out == null) _out = Open();
                foreach (var f in WrittenFilesRecord.Read(_recordPath, _destination))
                {
                    if (Wrote(f.Path) || (_dropped != null && _dropped.Contains(f.Path))) continue;
                    _line.Clear();
                    WrittenFilesRecord.AppendLine(_line, f);
                    _out.Write(_line.ToString());
                }
                _out.Flush();
                _out.Dispose();
                _out = null;
                if (SameBytes(_temp, _recordPath)) AtomicFile.TryDelete(_temp);
                else AtomicFile.ReplaceFile(_temp, _recordPath);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { throw Unwritable(ex); }
            finally { Dispose(); }
        }

        public void Dispose()
        {
            _old?.Dispose();
            _old = null;
            _out?.Dispose();
            _out = null;
            AtomicFile.TryDelete(_temp);
        }

        /// <summary>Opens the old record for comparing, when there is one with this destination's exact header line.</summary>
        private void Begin()
        {
            _begun = true;
            var before = RecordStamp.Of(_recordPath);
            if (!before.Exists) return;
            OldRecordLines reader;
            try
            {
                reader = new OldRecordLines(new FileStream(_recordPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { return; } // Commit reads it the usual way, and reports it
            // Replaced while it was opened: compare nothing (Commit then reads the record under its lock).
            if (!RecordStamp.Of(_recordPath).Equals(before) || !SameHeader(reader))
            {
                reader.Dispose();
                return;
            }
            _old = reader;
            _oldStamp = before;
        }

        private bool SameHeader(OldRecordLines reader)
        {
            try
            {
                if (!reader.Next(out var bytes, out int start, out int count)) return false;
                var expected = Encoding.UTF8.GetBytes(WrittenFilesRecord.HeaderLine(_destination));
                return count == expected.Length - 1 && SameBytes(bytes, start, expected, count);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { return false; }
        }

        /// <summary>The old record's next line, without its line break; false at its end or when it cannot be read (a difference: Commit reads it again and reports it).</summary>
        private bool ReadOld(out byte[] bytes, out int start, out int count)
        {
            try { return _old!.Next(out bytes, out start, out count); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { bytes = _bytes; start = count = 0; return false; }
        }

        /// <summary>
        /// Under the record's lock, with every line of the run matched: true when the record is still the file the
        /// run compared against and the new record would be the old one, byte for byte (the rest of its lines all
        /// kept: none rewritten by this run, none dropped).
        /// </summary>
        private bool OldRecordKept()
        {
            if (_dropped != null && _dropped.Count > 0) return false;
            if (!RecordStamp.Of(_recordPath).Equals(_oldStamp)) return false; // another run replaced it meanwhile
            while (ReadOld(out var bytes, out int start, out int count))
            {
                var line = Encoding.UTF8.GetString(bytes, start, count);
                int tab = line.LastIndexOf('\t');
                if (tab < 0 || Wrote(line.Substring(tab + 1))) return false; // damaged (the full read reports it), or a line this run replaces
            }
            _old!.Dispose();
            _old = null;
            return true;
        }

        /// <summary>The first difference: the temporary file starts with the old record's lines that matched.</summary>
        private void Diverge()
        {
            var lines = _old!;
            _old = null;
            using (lines)
            {
                _out = Open();
                if (_matched == 0) return;
                var stream = lines.Stream;
                stream.Seek(0, SeekOrigin.Begin);
                var old = new StreamReader(stream, new UTF8Encoding(false), false, 64 * 1024, leaveOpen: true);
                old.ReadLine(); // the header, written by Open
                for (int i = 0; i < _matched; i++)
                {
                    _out.Write(old.ReadLine());
                    _out.Write('\n');
                }
            }
        }

        private StreamWriter Open()
        {
            try
            {
                var folder = Path.GetDirectoryName(Path.GetFullPath(_recordPath))!;
                if (!Directory.Exists(folder)) Directory.CreateDirectory(folder);
                RemoveAbandoned(folder, Path.GetFileName(_recordPath));
                // Nobody else may open it while it is written (FileShare.None), and it is owner-only before the first byte.
                var stream = new FileStream(_temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
                OwnerOnlyAccess.Restrict(_temp);
                var writer = new StreamWriter(stream, new UTF8Encoding(false), 64 * 1024);
                writer.Write(WrittenFilesRecord.HeaderLine(_destination));
                return writer;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { throw Unwritable(ex); }
        }

        private ProvisioningException Unwritable(Exception ex) =>
            new ProvisioningException(ErrorIds.WrittenFilesRecordUnwritable, ErrorKind.WriteError, $"Cannot write the record of written files '{_recordPath}': {ex.Message}", _recordPath, ex);

        /// <summary>Partial records of runs that were killed (an hour old: not a run in progress).</summary>
        private static void RemoveAbandoned(string folder, string recordName)
        {
            try
            {
                foreach (var stale in Directory.EnumerateFiles(folder, recordName + ".*.part"))
                    if (File.GetLastWriteTimeUtc(stale) < DateTime.UtcNow.AddHours(-1)) AtomicFile.TryDelete(stale);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { }
        }

        private static bool SameBytes(string a, string b)
        {
            if (!File.Exists(b)) return false;
            using var x = new FileStream(a, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            using var y = new FileStream(b, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            if (x.Length != y.Length) return false;
            var bx = new byte[64 * 1024];
            var by = new byte[64 * 1024];
            while (true)
            {
                int n = ReadFull(x, bx);
                if (n == 0) return true;
                if (ReadFull(y, by) != n) return false;
#if NET
                if (!bx.AsSpan(0, n).SequenceEqual(by.AsSpan(0, n))) return false;
#else
                for (int i = 0; i < n; i++) if (bx[i] != by[i]) return false;
#endif
            }
        }

        private static int ReadFull(Stream s, byte[] buffer)
        {
            int total = 0;
            while (total < buffer.Length)
            {
                int n = s.Read(buffer, total, buffer.Length - total);
                if (n == 0) break;
                total += n;
            }
            return total;
        }

        /// <summary>Enough of a file's state to tell it was not replaced or written: size, modification time and, on Linux, ctime and inode.</summary>
        private struct RecordStamp : IEquatable<RecordStamp>
        {
            private long _size, _modified, _changed, _inode;
            public bool Exists;

            public static RecordStamp Of(string path)
            {
                if (LinuxFiles.TryStat(path, out var id))
                    return new RecordStamp { Exists = true, _size = id.Size, _modified = id.ModifiedNs, _changed = id.ChangedNs, _inode = id.Inode };
                var info = new FileInfo(path);
                return info.Exists ? new RecordStamp { Exists = true, _size = info.Length, _modified = info.LastWriteTimeUtc.Ticks } : default;
            }

            public bool Equals(RecordStamp other) =>
                Exists == other.Exists && _size == other._size && _modified == other._modified && _changed == other._changed && _inode == other._inode;
            public override bool Equals(object? obj) => obj is RecordStamp other && Equals(other);
            public override int GetHashCode() => _size.GetHashCode() ^ _modified.GetHashCode();
        }

        /// <summary>The old record's lines as UTF-8 bytes in one buffer: compared with the run's lines without a string per line.</summary>
        private sealed class OldRecordLines : IDisposable
        {
            private byte[] _buffer = new byte[64 * 1024];
            private int _pos, _len;
            private bool _eof;

            public OldRecordLines(FileStream stream) { Stream = stream; }

            public FileStream Stream { get; }

            /// <summary>The next line without its line break (a last line without one counts); false at the end.</summary>
            public bool Next(out byte[] bytes, out int start, out int count)
            {
                bytes = _buffer;
                int scanned = 0;
                while (true)
                {
                    int nl = Array.IndexOf(_buffer, (byte)'\n', _pos + scanned, _len - _pos - scanned);
                    if (nl >= 0)
                    {
                        bytes = _buffer;
                        start = _pos;
                        count = nl - _pos;
                        _pos = nl + 1;
                        return true;
                    }
                    scanned = _len - _pos;
                    if (_eof)
                    {
                        start = _pos;
                        count = _len - _pos;
                        _pos = _len;
                        bytes = _buffer;
                        return count > 0;
                    }
                    // Keep the partial line, make room, read more.
                    if (_pos > 0)
                    {
                        Buffer.BlockCopy(_buffer, _pos, _buffer, 0, _len - _pos);
                        _len -= _pos;
                        _pos = 0;
                    }
                    if (_len == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
                    int n = Stream.Read(_buffer, _len, _buffer.Length - _len);
                    if (n <= 0) _eof = true;
                    else _len += n;
                }
            }

            public void Dispose() => Stream.Dispose();
        }

        /// <summary>FNV-1a over the path as the record compares paths (ignoring case on Windows).</summary>
        private static ulong Hash(string path)
        {
            bool ignoreCase = Path.DirectorySeparatorChar == '\\';
            ulong h = 14695981039346656037UL;
            foreach (char c in path) { h ^= ignoreCase ? char.ToUpperInvariant(c) : c; h *= 1099511628211UL; }
            return h;
        }
    }
}
