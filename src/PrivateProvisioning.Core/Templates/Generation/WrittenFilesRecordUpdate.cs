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
        private StreamReader? _old;
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
            if (_failure == null)
            {
                try
                {
                    _line.Clear();
                    WrittenFilesRecord.AppendLine(_line, file);
                    var line = _line.ToString();
                    if (!_begun) Begin();
                    if (_old != null)
                    {
                        var old = ReadOld();
                        if (old != null && SameLine(line, old)) _matched++;
                        else Diverge();
                    }
                    if (_old == null)
                    {
                        if (_out == null) _out = Open();
                        _out.Write(line);
                    }
                }
                catch (ProvisioningException ex) { _failure = ex; }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { _failure = Unwritable(ex); }
            }
            if (_count == _written.Length) Array.Resize(ref _written, _written.Length * 2);
            var hash = Hash(file.Path);
            if (_count > 0 && hash < _written[_count - 1]) _sorted = false;
            _written[_count++] = hash;
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
            StreamReader reader;
            try
            {
                reader = new StreamReader(new FileStream(_recordPath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan), new UTF8Encoding(false));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { return; } // Commit reads it the usual way, and reports it
            // Replaced while it was opened: compare nothing (Commit then reads the record under its lock).
            if (!RecordStamp.Of(_recordPath).Equals(before) || reader.ReadLine() + "\n" != WrittenFilesRecord.HeaderLine(_destination))
            {
                reader.Dispose();
                return;
            }
            _old = reader;
            _oldStamp = before;
        }

        private string? ReadOld()
        {
            try { return _old!.ReadLine(); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { return null; } // a difference: Commit reads it again and reports it
        }

        /// <summary><paramref name="line"/> (with its line break) is <paramref name="old"/> (read without it).</summary>
        private static bool SameLine(string line, string old) =>
            line.Length == old.Length + 1 && string.CompareOrdinal(line, 0, old, 0, old.Length) == 0;

        /// <summary>
        /// Under the record's lock, with every line of the run matched: true when the record is still the file the
        /// run compared against and the new record would be the old one, byte for byte (the rest of its lines all
        /// kept: none rewritten by this run, none dropped).
        /// </summary>
        private bool OldRecordKept()
        {
            if (_dropped != null && _dropped.Count > 0) return false;
            if (!RecordStamp.Of(_recordPath).Equals(_oldStamp)) return false; // another run replaced it meanwhile
            for (var line = ReadOld(); line != null; line = ReadOld())
            {
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
            var old = _old!;
            _old = null;
            using (old)
            {
                _out = Open();
                if (_matched == 0) return;
                old.BaseStream.Seek(0, SeekOrigin.Begin);
                old.DiscardBufferedData();
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
