using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;

namespace PrivateProvisioning.Core.Protection
{
    /// <summary>
    /// A gzip member (RFC 1952: magic 1f 8b, deflate, CRC-32 and size trailer) that `gzip -t` accepts and
    /// phones recognise by its header. Not zlib or raw deflate: the phones sniff for 1f 8b 08. Reading accepts
    /// several members concatenated, as `gzip -d` does, up to the profile size limit.
    /// </summary>
    public sealed class GzipLayer : IProtectionLayer
    {
        /// <summary>gzip at its default effort (level 6).</summary>
        public static readonly GzipLayer Instance = new GzipLayer(ProfileCompressionLevel.Optimal);
        private static readonly GzipLayer FastestInstance = new GzipLayer(ProfileCompressionLevel.Fastest);
        private static readonly GzipLayer SmallestInstance = new GzipLayer(ProfileCompressionLevel.SmallestSize);

        private readonly CompressionLevel _level;

        private GzipLayer(ProfileCompressionLevel level)
        {
            Level = level;
            _level = level switch
            {
                ProfileCompressionLevel.Fastest => CompressionLevel.Fastest,
#if NET
                ProfileCompressionLevel.SmallestSize => CompressionLevel.SmallestSize,
#else
                // SmallestSize (3) exists from .NET 6; .NET Framework has only Optimal for the best ratio.
                ProfileCompressionLevel.SmallestSize => Enum.IsDefined(typeof(CompressionLevel), 3) ? (CompressionLevel)3 : CompressionLevel.Optimal,
#endif
                _ => CompressionLevel.Optimal,
            };
        }

        public static GzipLayer For(ProfileCompressionLevel level) => level switch
        {
            ProfileCompressionLevel.Fastest => FastestInstance,
            ProfileCompressionLevel.SmallestSize => SmallestInstance,
            _ => Instance,
        };

        public ProfileCompressionLevel Level { get; }

        public string Name => "Gzip";
        public string DefaultExtension => ".gz";
        public KeyDerivation? KeyDerivation => null;

        public Stream Protect(Stream output, LayerContext context) => new GzipWriteStream(output, _level);

        // gzip output is deterministic (no name, no time stamp), so there is no salt to keep.
        public byte[]? ReadSalt(byte[] head, int count) => null;

        /// <summary>True when the bytes start like a gzip member with deflate.</summary>
        public static bool IsGzip(byte[] data, int offset, int count) =>
            count >= 3 && data[offset] == 0x1f && data[offset + 1] == 0x8b && data[offset + 2] == 0x08;

        /// <summary>Decompresses gzip data up to the profile size limit in force (<see cref="ProfileSizeLimit.Current"/>).</summary>
        public static byte[] Decompress(byte[] data, int offset, int count, string file) =>
            Decompress(data, offset, count, file, ProfileSizeLimit.Current);

        /// <summary>
        /// Decompresses gzip data, one member or several concatenated (`cat a.gz b.gz`, which `gzip -d` reads as the
        /// concatenation), and checks the CRC-32 and size trailers, so a truncated file is an error, not a short
        /// profile. Reading stops as soon as the output passes <paramref name="limit"/> bytes: a gzip bomb is a
        /// ProfileTooLarge error, never a whole expansion in memory.
        /// </summary>
        public static byte[] Decompress(byte[] data, int offset, int count, string file, long limit)
        {
            // Header (10) + empty deflate block (2) + trailer (8).
            if (count < 18) throw Corrupt(file, "it is shorter than the smallest gzip member");
            byte[] plain;
            try
            {
                using var input = new MemoryStream(data, offset, count, writable: false);
                using var gzip = new GZipStream(input, CompressionMode.Decompress);
                // Whole 64 KiB pieces, not a doubling buffer: a bomb costs at most the limit before it is refused.
                var pieces = new List<byte[]>();
                long total = 0;
                while (true)
                {
                    var piece = new byte[1 << 16];
                    int used = 0, r;
                    while (used < piece.Length && (r = gzip.Read(piece, used, piece.Length - used)) > 0) used += r;
                    if (used == 0) break;
                    total += used;
                    if (total > limit) throw ProfileSizeLimit.TooLarge(file, limit);
                    if (total > int.MaxValue - 64) throw ProfileSizeLimit.TooLarge(file, int.MaxValue - 64);
                    if (used < piece.Length) Array.Resize(ref piece, used);
                    pieces.Add(piece);
                    if (used < (1 << 16)) break;
                }
                plain = new byte[total];
                int at = 0;
                foreach (var piece in pieces)
                {
                    Buffer.BlockCopy(piece, 0, plain, at, piece.Length);
                    Array.Clear(piece, 0, piece.Length);
                    at += piece.Length;
                }
            }
            catch (InvalidDataException ex) { throw Corrupt(file, ex.Message); }
            catch (IOException ex) { throw Corrupt(file, ex.Message); }
            int t = offset + count - 8;
            uint crc = (uint)(data[t] | data[t + 1] << 8 | data[t + 2] << 16 | data[t + 3] << 24);
            uint size = (uint)(data[t + 4] | data[t + 5] << 8 | data[t + 6] << 16 | data[t + 7] << 24);
            if (!LastTrailerMatches(crc, size, plain.Length, (start, length) => Crc32.Compute(plain, (int)start, (int)length)))
                throw Corrupt(file, "its CRC-32 or length trailer does not match the data");
            return plain;
        }

        /// <summary>
        /// The decompressor checks the trailer of every member it finishes, but says nothing when the input ends
        /// inside the last member (a truncated file). So the file's last 8 bytes must be the trailer of the last
        /// member: its output is the last <paramref name="storedSize"/> bytes (modulo 2^32) of everything, and
        /// their CRC-32 must match. For a single member that is the whole output, as before.
        /// </summary>
        internal static bool LastTrailerMatches(uint storedCrc, uint storedSize, long total, Func<long, long, uint> crcOfRange)
        {
            for (long length = storedSize; length <= total; length += 1L << 32)
                if (crcOfRange(total - length, length) == storedCrc) return true;
            return false;
        }

        /// <summary>
        /// GZipStream writes nothing at all when given no data; a phone (and gzip -t) needs a member even for an
        /// empty profile, so that case gets the canonical empty member.
        /// </summary>
        private sealed class GzipWriteStream : WriteOnlyStream
        {
            private static readonly byte[] EmptyMember =
                { 0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03, 0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 0 };
            private readonly Stream _output;
            private readonly GZipStream _gzip;
            private bool _wrote;
            private bool _done;

            public GzipWriteStream(Stream output, CompressionLevel level)
            {
                _output = output;
                _gzip = new GZipStream(output, level, leaveOpen: true);
            }

            public override void Write(byte[] buffer, int offset, int count)
            {
                if (count == 0) return;
                _wrote = true;
                _gzip.Write(buffer, offset, count);
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing && !_done)
                {
                    _done = true;
                    _gzip.Dispose();
                    if (!_wrote) _output.Write(EmptyMember, 0, EmptyMember.Length);
                }
                base.Dispose(disposing);
            }
        }

        internal static ProvisioningException Corrupt(string file, string why) =>
            new ProvisioningException(ErrorIds.GzipCorrupt, ErrorKind.InvalidData,
                $"The gzip data in '{file}' is truncated or corrupted ({why}); `gzip -t` would reject it too. Regenerate the file.", file);
    }
}
