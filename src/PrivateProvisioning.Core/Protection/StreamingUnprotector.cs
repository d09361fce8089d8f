using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Security.Cryptography;

namespace PrivateProvisioning.Core.Protection
{
    /// <summary>
    /// Unprotects big raw files (gzip, openssl Salted__, or gzip inside Salted__) from disk to disk without
    /// holding them in memory: the key derivation is chosen from the first and last blocks, the plaintext
    /// streams through a temporary file that is renamed into place only when every check passed.
    /// Other shapes (Base64, RFC 8188) go through memory.
    /// </summary>
    internal static class StreamingUnprotector
    {
        public static bool CanStream(FileStream input)
        {
            var head = new byte[8];
            int n = input.Read(head, 0, head.Length);
            input.Position = 0;
            return GzipLayer.IsGzip(head, 0, n) || OpenSslCbcLayer.StartsWithMagic(head, 0, n);
        }

        public static ProtectionResult Run(FileStream input, string source, string destination, byte[]? key,
            IReadOnlyList<KeyDerivation> derivations, int iterations, IReadOnlyList<int> keySizes, long maxProfileSize)
        {
            var layers = new List<string>();
            KeyDerivation? derivation = null;
            var folder = Path.GetDirectoryName(destination)!;
            string temp = AtomicFile.TemporaryPathFor(destination);
            var disposables = new List<IDisposable>();
            try
            {
                Stream plain = input;
                var head = new byte[16];
                int n = input.Read(head, 0, 16);
                input.Position = 0;
                if (OpenSslCbcLayer.StartsWithMagic(head, 0, n))
                {
                    long cipherLength = input.Length - 16;
                    if (cipherLength < 48 || cipherLength % 16 != 0)
                        throw new ProvisioningException(ErrorIds.EncryptedFileTruncated, ErrorKind.InvalidData,
                            $"'{source}' is truncated or corrupted: its AES-CBC data is {Math.Max(cipherLength, 0)} bytes, not a positive multiple of 16.", source);
                    var salt = OpenSslCbcLayer.Slice(head, 8, 8);
                    var probe = new byte[48];
                    input.Position = 16;
                    ReadExactly(input, probe, 0, 16);
                    input.Position = input.Length - 32;
                    ReadExactly(input, probe, 16, 32);
                    input.Position = 16;
                    var decryptor = OpenSslCbcLayer.CreateStreamingDecryptor(salt, probe, key, derivations, iterations, keySizes, source, "OpenSslAes256Cbc",
                        out var used, out var bits, out var aes);
                    disposables.Add(aes);
                    disposables.Add(decryptor);
                    plain = new CryptoStream(input, decryptor, CryptoStreamMode.Read);
                    layers.Add(bits == 256 ? "OpenSslAes256Cbc" : $"OpenSslAes{bits}Cbc");
                    derivation = used;
                    // What the cipher hides: peek at the first plaintext bytes.
                    var first = new byte[3];
                    int got = ReadAtMost(plain, first, 3);
                    plain = new PrefixedStream(first, got, plain);
                    if (GzipLayer.IsGzip(first, 0, got)) plain = Gunzip(plain, layers, disposables);
                }
                else
                {
                    plain = Gunzip(plain, layers, disposables);
                }

                Directory.CreateDirectory(folder);
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                // Only a gzip layer makes the output bigger than the file; that output stops at the profile size limit.
                bool limited = layers.Contains(GzipLayer.Instance.Name);
                long written;
                uint crc = 0;
                using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    var hashing = new HashingWriteStream(file, hash);
                    var chunk = new byte[1 << 20];
                    int r;
                    while ((r = plain.Read(chunk, 0, chunk.Length)) > 0)
                    {
                        if (limited && hashing.Written + r > maxProfileSize) throw ProfileSizeLimit.TooLarge(source, maxProfileSize);
                        crc = Crc32.Append(crc, chunk, 0, r);
                        hashing.Write(chunk, 0, r);
                    }
                    // The last (partial) megabyte is still in the hashing stream's buffer until Complete.
                    hashing.Complete();
                    written = hashing.Written;
                }
                foreach (var tail in disposables)
                    if (tail is TailKeepingStream t) t.CheckGzipTrailer(crc, written, temp);
                bool existed = File.Exists(destination);
                AtomicFile.ReplaceFile(temp, destination);
                layers.Reverse();
                return new ProtectionResult(destination, source, string.Join("+", layers), derivation,
                    existed ? WriteStatus.Updated : WriteStatus.Created, HexText.Lower(hash.GetHashAndReset()), written);
            }
            catch (CryptographicException)
            {
                AtomicFile.TryDelete(temp);
                throw OpenSslCbcLayer.WrongKeyFor(source, "OpenSslAes256Cbc", derivations, iterations, keySizes);
            }
            catch (InvalidDataException ex)
            {
                AtomicFile.TryDelete(temp);
                throw new ProvisioningException(ErrorIds.GzipCorrupt, ErrorKind.InvalidData,
                    $"The gzip data in '{source}' is truncated or corrupted ({ex.Message}); `gzip -t` would reject it too. Regenerate the file.", source);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                AtomicFile.TryDelete(temp);
                throw new ProvisioningException(ErrorIds.FileWriteFailed, ErrorKind.WriteError, $"Cannot write '{destination}' from '{source}': {ex.Message}", destination, ex);
            }
            catch
            {
                AtomicFile.TryDelete(temp);
                throw;
            }
            finally
            {
                for (int i = disposables.Count - 1; i >= 0; i--) disposables[i].Dispose();
            }
        }

        private static Stream Gunzip(Stream compressed, List<string> layers, List<IDisposable> disposables)
        {
            var tail = new TailKeepingStream(compressed);
            disposables.Add(tail);
            var gzip = new GZipStream(tail, CompressionMode.Decompress);
            disposables.Add(gzip);
            layers.Add(GzipLayer.Instance.Name);
            return gzip;
        }

        private static void ReadExactly(Stream s, byte[] buffer, int offset, int count)
        {
            if (ReadAtMost(s, buffer, count, offset) != count) throw new IOException("unexpected end of file");
        }

        private static int ReadAtMost(Stream s, byte[] buffer, int count, int offset = 0)
        {
            int done = 0, n;
            while (done < count && (n = s.Read(buffer, offset + done, count - done)) > 0) done += n;
            return done;
        }

        /// <summary>Base for the forward-only read streams of this file.</summary>
        private abstract class ReadOnlyStream : Stream
        {
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }

        /// <summary>Bytes already read (the peek), then the rest of the stream.</summary>
        private sealed class PrefixedStream : ReadOnlyStream
        {
            private readonly byte[] _prefix;
            private readonly int _count;
            private readonly Stream _rest;
            private int _position;

            public PrefixedStream(byte[] prefix, int count, Stream rest) { _prefix = prefix; _count = count; _rest = rest; }

            public override int Read(byte[] buffer, int offset, int count)
            {
                if (_position < _count)
                {
                    int n = Math.Min(count, _count - _position);
                    Buffer.BlockCopy(_prefix, _position, buffer, offset, n);
                    _position += n;
                    return n;
                }
                return _rest.Read(buffer, offset, count);
            }
        }

        /// <summary>
        /// Remembers the last 8 bytes that passed through: the gzip trailer (CRC-32, size), checked against the
        /// output so a truncated member is an error, as `gzip -t` says, not a short profile.
        /// </summary>
        private sealed class TailKeepingStream : ReadOnlyStream
        {
            private readonly Stream _inner;
            private readonly byte[] _tail = new byte[8];
            private long _total;

            public TailKeepingStream(Stream inner) { _inner = inner; }

            public override int Read(byte[] buffer, int offset, int count)
            {
                int n = _inner.Read(buffer, offset, count);
                for (int i = Math.Max(0, n - 8); i < n; i++)
                {
                    Buffer.BlockCopy(_tail, 1, _tail, 0, 7);
                    _tail[7] = buffer[offset + i];
                }
                _total += n;
                return n;
            }

            /// <summary>
            /// Several members may be concatenated: the last 8 bytes are the last member's trailer, checked against
            /// the end of the output (<see cref="GzipLayer.LastTrailerMatches"/>); <paramref name="crc"/> is the
            /// CRC-32 of the whole output, enough for a single member.
            /// </summary>
            public void CheckGzipTrailer(uint crc, long length, string written)
            {
                uint storedCrc = (uint)(_tail[0] | _tail[1] << 8 | _tail[2] << 16 | _tail[3] << 24);
                uint storedSize = (uint)(_tail[4] | _tail[5] << 8 | _tail[6] << 16 | _tail[7] << 24);
                if (_total < 18 || !GzipLayer.LastTrailerMatches(storedCrc, storedSize, length, (start, count) => start == 0 ? crc : CrcOfFileRange(written, start, count)))
                    throw new InvalidDataException("its CRC-32 or length trailer does not match the data");
            }

            private static uint CrcOfFileRange(string path, long start, long count)
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                file.Position = start;
                var chunk = new byte[1 << 16];
                uint crc = 0;
                while (count > 0)
                {
                    int r = file.Read(chunk, 0, (int)Math.Min(chunk.Length, count));
                    if (r <= 0) break;
                    crc = Crc32.Append(crc, chunk, 0, r);
                    count -= r;
                }
                return crc;
            }
        }
    }
}
