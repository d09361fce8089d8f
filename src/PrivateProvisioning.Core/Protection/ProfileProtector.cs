using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;

namespace PrivateProvisioning.Core.Protection
{
    /// <summary>
    /// Protects profile files: reads the source (never modifies it), runs the layers (gzip, then encryption),
    /// and writes the destination atomically. Small files go through memory, so an unchanged profile is
    /// detected (the old salt is tried first) and left alone; big files stream through a temporary file.
    /// Any failure leaves no output behind and names the file.
    /// </summary>
    public sealed class ProfileProtector
    {
        /// <summary>Files larger than this stream from disk to disk instead of going through memory.</summary>
        internal const long StreamingThreshold = 8L * 1024 * 1024;

        private readonly ProtectionOptions _options;
        private readonly IReadOnlyList<IProtectionLayer> _layers;
        private readonly IProtectionLayer? _saltedLayer;

        /// <summary>
        /// Set once a destination turned out to exist: from then on each destination is read first (its salt is reused
        /// when the content is the same, so an unchanged file stays Unchanged). Until then (a first run into an empty
        /// folder) files are created first, without the failed open of a probe: a lookup in the destination folder.
        /// </summary>
        private volatile bool _probeFirst;

        public ProfileProtector(ProtectionOptions options)
        {
            _options = options.Clone();
            _layers = ProtectionMethods.CreateLayers(_options);
            // Only the outermost layer's salt can be read back from the file's first bytes.
            _saltedLayer = _layers.Count > 0 && !(_layers[_layers.Count - 1] is GzipLayer) ? _layers[_layers.Count - 1] : null;
            Method = ProtectionMethods.Describe(_layers);
        }

        /// <summary>"Gzip+OpenSslAes256Cbc".</summary>
        public string Method { get; }

        public IReadOnlyList<IProtectionLayer> Layers => _layers;

        /// <summary>Where <paramref name="source"/> goes (see <see cref="ProtectionNaming"/>).</summary>
        public string DestinationFor(string source, string? destinationFolder, string? extension) =>
            ProtectionNaming.ProtectedPath(source, destinationFolder, extension, _layers);

        /// <summary>Protects many files in parallel; one failure does not stop the others.</summary>
        public ProtectionOutcome[] ProtectFiles(IReadOnlyList<ProtectionJob> jobs, byte[]? key, bool allowReplaceSource = false, bool whatIf = false)
        {
            // A run killed while replacing files leaves hidden temporary files: the next run removes them.
            if (!whatIf)
                foreach (var folder in jobs.Select(j => Path.GetDirectoryName(FullPaths.Of(j.Destination))).Distinct(StringComparer.Ordinal))
                    if (folder != null && Directory.Exists(folder)) AtomicFile.SweepStaleTemporaryFiles(folder);
            return Templates.Generation.ProtectedCopyRecorder.Record( // copies of generated files are recorded for the prune of retired phones
                ParallelJobs.Run(jobs, job => ProtectFile(job.Source, job.Destination, key, allowReplaceSource, whatIf)), whatIf);
        }

        /// <param name="key">The passphrase/IKM bytes; the caller wipes it.</param>
        public ProtectionResult ProtectFile(string source, string destination, byte[]? key, bool allowReplaceSource = false, bool whatIf = false)
        {
            source = FullPaths.Of(source);
            destination = FullPaths.Of(destination);
            _options.RequireKey(key != null && key.Length > 0, source);
            ProtectionMethods.RefuseUnpublishedFormat(destination);
            if (ProtectionNaming.SamePath(source, destination) && !allowReplaceSource)
                throw new ProvisioningException(ErrorIds.DestinationIsSource, ErrorKind.InvalidArgument,
                    $"'{source}' would be replaced by its protected form; write to another folder, give an extension, or allow it explicitly.", source)
                    .About(RequestParameter.Destination, RequestParameter.Extension, RequestParameter.Force);
            // Linux: a small source in one open, one read and one close (per-file system calls add up over 100,000 files),
            // into this thread's buffer: a fresh array a file was most of a run's page faults (each collection's young
            // generation came back as new pages).
            var buffers = ThreadBuffers.Get();
            if (SourceFiles.TryReadSmall(source, buffers.Input, out int smallLength))
            {
                try { return ProtectInMemory(source, buffers.Input, smallLength, destination, key, whatIf, buffers); }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { throw WriteFailed(source, destination, ex); }
            }
            // One open of the source serves both the size check and the read.
#if NET
            // A bare handle: no FileStream (and its position bookkeeping) unless the file is big enough to stream.
            using var handle = SourceFiles.OpenHandle(source);
            try
            {
                if (RandomAccess.GetLength(handle) > StreamingThreshold && !whatIf)
                {
                    using var input = new FileStream(handle, FileAccess.Read, 1);
                    return ProtectStreaming(source, input, destination, key);
                }
                var bytes = SourceFiles.ReadAll(handle, source);
                return ProtectInMemory(source, bytes, bytes.Length, destination, key, whatIf, buffers);
            }
#else
            using var input = SourceFiles.OpenRead(source);
            try
            {
                if (input.Length > StreamingThreshold && !whatIf) return ProtectStreaming(source, input, destination, key);
                var bytes = SourceFiles.ReadAll(input, source);
                return ProtectInMemory(source, bytes, bytes.Length, destination, key, whatIf, buffers);
            }
#endif
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { throw WriteFailed(source, destination, ex); }
        }

        /// <summary>e.g. the destination is a folder, or not writable.</summary>
        private static ProvisioningException WriteFailed(string source, string destination, Exception ex) =>
            new ProvisioningException(ErrorIds.FileWriteFailed, ErrorKind.WriteError, $"Cannot write '{destination}' from '{source}': {ex.Message}", destination, ex);

        /// <summary>Protects the first <paramref name="inputLength"/> bytes of <paramref name="input"/>, which are cleared after.</summary>
        private ProtectionResult ProtectInMemory(string source, byte[] input, int inputLength, string destination, byte[]? key, bool whatIf, ThreadBuffers buffers)
        {
            try
            {
                if (!whatIf && !_probeFirst && LinuxFiles.CanCreate)
                {
                    // Created only if the name is free (O_TMPFILE and linkat never replace a file); a taken name switches
                    // this protector to reading first, and this file's fresh output is thrown away for that way.
                    var fresh = RunLayers(input, inputLength, key, null, buffers);
                    int length = (int)fresh.Length;
                    switch (LinuxFiles.TryCreate(destination, fresh.GetBuffer(), 0, length, ownerOnly: false))
                    {
                        case CreateNewStatus.Created:
                            return new ProtectionResult(destination, source, Method, EncryptionDerivation(), WriteStatus.Created, HexText.Sha256(fresh.GetBuffer(), 0, length), length);
                        case CreateNewStatus.Exists:
                            _probeFirst = true;
                            break;
                    }
                }
                // One read of the destination (one failed open on a first run) serves both the old salt and the
                // unchanged check; per-file syscalls add up over 100,000 files.
                var existing = ExistingOutput.Read(destination);
                if (existing.Unreadable) return ProtectProbing(source, input, inputLength, destination, key, whatIf, buffers);
                byte[]? oldSalt = _saltedLayer == null || existing.Head == null ? null : _saltedLayer.ReadSalt(existing.Head, existing.HeadLength);
                var output = RunLayers(input, inputLength, key, oldSalt, buffers);
                var status = existing.Head == null ? WriteStatus.Created
                    : existing.SameAs(output.GetBuffer(), (int)output.Length) ? WriteStatus.Unchanged : WriteStatus.Updated;
                if (oldSalt != null && status != WriteStatus.Unchanged)
                    output = RunLayers(input, inputLength, key, null, buffers); // changed content: never reuse a salt
                var bytes = output.GetBuffer();
                int count = (int)output.Length;
                if (status != WriteStatus.Unchanged && !whatIf) AtomicFile.WriteReplacing(destination, bytes, 0, count, ownerOnly: false, isNew: status == WriteStatus.Created);
                return new ProtectionResult(destination, source, Method, EncryptionDerivation(), status, HexText.Sha256(bytes, 0, count), count);
            }
            catch (CryptographicException ex)
            {
                throw new ProvisioningException(ErrorIds.ProtectFailed, ErrorKind.InvalidOperation, $"Cannot protect '{source}': {ex.Message}", source);
            }
            finally
            {
                buffers.Release();
                Array.Clear(input, 0, inputLength); // the plain profile holds SIP passwords
            }
        }

        /// <summary>The earlier path, for a destination that exists but cannot be read here (a folder, no permission): same errors as before.</summary>
        private ProtectionResult ProtectProbing(string source, byte[] input, int inputLength, string destination, byte[]? key, bool whatIf, ThreadBuffers buffers)
        {
            byte[]? oldSalt = _saltedLayer == null ? null : ReadExistingSalt(destination);
            var output = RunLayers(input, inputLength, key, oldSalt, buffers);
            if (oldSalt != null && AtomicFile.Probe(destination, output.GetBuffer(), 0, (int)output.Length) != WriteStatus.Unchanged)
                output = RunLayers(input, inputLength, key, null, buffers); // changed content: never reuse a salt
            var bytes = output.GetBuffer();
            int count = (int)output.Length;
            var status = AtomicFile.Write(destination, bytes, 0, count, ownerOnly: false, whatIf: whatIf);
            return new ProtectionResult(destination, source, Method, EncryptionDerivation(), status, HexText.Sha256(bytes, 0, count), count);
        }

        private MemoryStream RunLayers(byte[] input, int inputLength, byte[]? key, byte[]? salt, ThreadBuffers buffers)
        {
            byte[] current = input;
            int currentLength = inputLength;
            MemoryStream? result = null;
            for (int i = 0; i < _layers.Count; i++)
            {
                var target = buffers.Stage(i);
                bool outermost = i == _layers.Count - 1;
                var context = new LayerContext(key, currentLength, outermost ? salt : null);
#if NET
                if (_layers[i] is OpenSslCbcLayer cbc && cbc.CanEncryptInMemory)
                    cbc.EncryptInMemory(target, current, currentLength, context);
                else
#endif
                using (var stream = _layers[i].Protect(target, context))
                    stream.Write(current, 0, currentLength);
                current = target.GetBuffer();
                currentLength = (int)target.Length;
                result = target;
            }
            return result!;
        }

        private byte[]? ReadExistingSalt(string destination)
        {
            // Checked first: a missing file is the common case of a first run, and an exception costs more than the work.
            if (!File.Exists(destination)) return null;
            var head = new byte[64];
            int n;
            try
            {
                using var fs = new FileStream(destination, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
                n = fs.Read(head, 0, head.Length);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { return null; }
            return _saltedLayer!.ReadSalt(head, n);
        }

        private ProtectionResult ProtectStreaming(string source, FileStream input, string destination, byte[]? key)
        {
            var folder = Path.GetDirectoryName(destination)!;
            string temp = AtomicFile.TemporaryPathFor(destination);
            try
            {
                Directory.CreateDirectory(folder);
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                long written;
                using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    using var hashing = new HashingWriteStream(file, hash);
                    // Build the chain from the outside in: the last layer writes to the file.
                    var streams = new Stream[_layers.Count];
                    Stream next = hashing;
                    for (int i = _layers.Count - 1; i >= 0; i--)
                        next = streams[i] = _layers[i].Protect(next, new LayerContext(key, i == 0 ? input.Length : -1, null));
                    var chunk = new byte[1 << 20];
                    int n;
                    while ((n = input.Read(chunk, 0, chunk.Length)) > 0) next.Write(chunk, 0, n);
                    for (int i = 0; i < streams.Length; i++) streams[i].Dispose(); // innermost first flushes into the next
                    hashing.Complete();
                    written = hashing.Written;
                }
                bool existed = File.Exists(destination);
                AtomicFile.ReplaceFile(temp, destination);
                return new ProtectionResult(destination, source, Method, EncryptionDerivation(),
                    existed ? WriteStatus.Updated : WriteStatus.Created, HexText.Lower(hash.GetHashAndReset()), written);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is CryptographicException)
            {
                AtomicFile.TryDelete(temp);
                throw new ProvisioningException(ErrorIds.FileWriteFailed, ErrorKind.WriteError, $"Cannot write '{destination}' from '{source}': {ex.Message}", destination, ex);
            }
            catch
            {
                AtomicFile.TryDelete(temp);
                throw;
            }
        }

        /// <summary>The derivation of the (first) openssl-compatible layer, wherever later layers put it.</summary>
        private KeyDerivation? EncryptionDerivation()
        {
            foreach (var layer in _layers)
                if (layer.KeyDerivation.HasValue) return layer.KeyDerivation;
            return null;
        }

    }

    /// <summary>An earlier output, read with one open: its first bytes (for the salt) and, when small enough to match, all of it.</summary>
    internal readonly struct ExistingOutput
    {
        /// <summary>Outputs of the in-memory path stay far below this (8 MiB input, Base64 at most 4/3 of it plus gzip's slack).</summary>
        private const long MaxCompared = 16L * 1024 * 1024;
        private const int HeadBytes = 64;

        /// <summary>Null when there is no file.</summary>
        public byte[]? Head { get; }
        public int HeadLength { get; }
        /// <summary>The whole file, or null when it is too big to equal any in-memory output.</summary>
        private readonly byte[]? _all;
        /// <summary>It exists but could not be opened or read here (a folder, no permission).</summary>
        public bool Unreadable { get; }

        private ExistingOutput(byte[]? head, int headLength, byte[]? all, bool unreadable)
        {
            Head = head; HeadLength = headLength; _all = all; Unreadable = unreadable;
        }

        public bool SameAs(byte[] buffer, int count)
        {
            if (_all == null || _all.Length != count) return false;
            return new ReadOnlySpan<byte>(_all).SequenceEqual(new ReadOnlySpan<byte>(buffer, 0, count));
        }

        public static ExistingOutput Read(string path)
        {
            // Linux: one open, one read and one close, or one failed open on a first run.
            switch (LinuxFiles.TryReadAll(path, SourceFiles.SmallFile, out var whole))
            {
                case SmallReadStatus.Missing: return new ExistingOutput(null, 0, null, false);
                case SmallReadStatus.Read: return new ExistingOutput(whole, Math.Min(whole.Length, HeadBytes), whole, false);
            }
            // A missing file is the common case of a first run: a stat (~2 µs) answers it; a failed open throws (~10 µs).
            if (!File.Exists(path)) return new ExistingOutput(null, 0, null, false);
            try
            {
                using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
                long length = fs.Length;
                if (length > MaxCompared)
                {
                    var head = new byte[HeadBytes];
                    int n = ReadUpTo(fs, head, head.Length);
                    return new ExistingOutput(head, n, null, false);
                }
                var all = new byte[length];
                int read = ReadUpTo(fs, all, all.Length);
                if (read != all.Length) return new ExistingOutput(null, 0, null, true); // it changed under us: take the careful path
                return new ExistingOutput(all, Math.Min(read, HeadBytes), all, false);
            }
            catch (FileNotFoundException) { return new ExistingOutput(null, 0, null, false); }
            catch (DirectoryNotFoundException) { return new ExistingOutput(null, 0, null, false); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { return new ExistingOutput(null, 0, null, true); }
        }

        private static int ReadUpTo(FileStream fs, byte[] buffer, int count)
        {
            int done = 0, n;
            while (done < count && (n = fs.Read(buffer, done, count - done)) > 0) done += n;
            return done;
        }
    }

    /// <summary>Reading sources with errors that name the file.</summary>
    internal static class SourceFiles
    {
        /// <summary>Sources and earlier outputs up to this size are read in one open, one read and one close (Linux).</summary>
        internal const int SmallFile = 64 * 1024;

        /// <summary>
        /// Linux: reads a source of up to 64 KiB in one open, one read and one close into <paramref name="buffer"/> (at
        /// least <see cref="SmallFile"/> + 1 bytes; the caller clears the <paramref name="length"/> bytes read). False,
        /// with nothing left in the buffer, on other systems and for anything else, which the usual path then reads or reports.
        /// </summary>
        public static bool TryReadSmall(string path, byte[] buffer, out int length)
        {
            var status = LinuxFiles.TryReadSmall(path, buffer, SmallFile + 1, out length);
            if (status == SmallReadStatus.Read) return true;
            Array.Clear(buffer, 0, length); // the first bytes of a larger file
            length = 0;
            if (status == SmallReadStatus.Missing) throw NotFound(path);
            return false;
        }

        /// <summary>Reads the rest of an open source into an array of its exact length.</summary>
        public static byte[] ReadAll(FileStream stream, string path)
        {
            try
            {
                var bytes = new byte[stream.Length - stream.Position];
                int done = 0, n;
                while (done < bytes.Length && (n = stream.Read(bytes, done, bytes.Length - done)) > 0) done += n;
                if (done != bytes.Length) throw new IOException("the file changed size while being read");
                return bytes;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { throw Unreadable(path, ex); }
        }

#if NET
        /// <summary>Reads a whole open source (from offset 0) into an array of its exact length.</summary>
        public static byte[] ReadAll(Microsoft.Win32.SafeHandles.SafeFileHandle handle, string path)
        {
            try
            {
                long length = RandomAccess.GetLength(handle);
                var bytes = new byte[length];
                int done = 0, n;
                while (done < bytes.Length && (n = RandomAccess.Read(handle, new Span<byte>(bytes, done, bytes.Length - done), done)) > 0) done += n;
                if (done != bytes.Length) throw new IOException("the file changed size while being read");
                return bytes;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { throw Unreadable(path, ex); }
        }

        public static Microsoft.Win32.SafeHandles.SafeFileHandle OpenHandle(string path)
        {
            try { return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.None); }
            catch (FileNotFoundException) { throw NotFound(path); }
            catch (DirectoryNotFoundException) { throw NotFound(path); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { throw Unreadable(path, ex); }
        }
#endif

        public static byte[] ReadAll(string path)
        {
            try { return File.ReadAllBytes(path); }
            catch (FileNotFoundException) { throw NotFound(path); }
            catch (DirectoryNotFoundException) { throw NotFound(path); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { throw Unreadable(path, ex); }
        }

        public static FileStream OpenRead(string path)
        {
            try { return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None); }
            catch (FileNotFoundException) { throw NotFound(path); }
            catch (DirectoryNotFoundException) { throw NotFound(path); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { throw Unreadable(path, ex); }
        }

        private static ProvisioningException NotFound(string path) =>
            new ProvisioningException(ErrorIds.SourceNotFound, ErrorKind.ObjectNotFound, $"'{path}' does not exist.", path);

        private static ProvisioningException Unreadable(string path, Exception ex) =>
            new ProvisioningException(ErrorIds.SourceUnreadable, ErrorKind.ReadError, $"Cannot read '{path}': {ex.Message}", path, ex);
    }

    /// <summary>Per-thread reusable buffers for the in-memory path (one per layer), so a batch of small files allocates little.</summary>
    internal sealed class ThreadBuffers
    {
        private const int KeepCapacity = 1 << 20;
        [ThreadStatic] private static ThreadBuffers? _current;
        private readonly List<MemoryStream> _stages = new List<MemoryStream>();
        private byte[]? _input;

        public static ThreadBuffers Get() => _current ??= new ThreadBuffers();

        /// <summary>Room for a small source (<see cref="SourceFiles.SmallFile"/> + 1 bytes); whoever reads into it clears it.</summary>
        public byte[] Input => _input ??= new byte[SourceFiles.SmallFile + 1];

        public MemoryStream Stage(int index)
        {
            while (_stages.Count <= index) _stages.Add(new MemoryStream(4096));
            var stream = _stages[index];
            stream.SetLength(0);
            return stream;
        }

        /// <summary>Clears what the buffers held (it may be plaintext) and drops any that grew big.</summary>
        public void Release()
        {
            for (int i = 0; i < _stages.Count; i++)
            {
                var s = _stages[i];
                Array.Clear(s.GetBuffer(), 0, (int)Math.Min(s.Length, int.MaxValue));
                if (s.Capacity > KeepCapacity) _stages[i] = new MemoryStream(4096);
                else s.SetLength(0);
            }
        }
    }
}
