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
                    if (_out == null) _out = Open();
                    _line.Clear();
                    WrittenFilesRecord.AppendLine(_line, file);
                    _out.Write(_line.ToString());
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
            _out?.Dispose();
            _out = null;
            AtomicFile.TryDelete(_temp);
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
