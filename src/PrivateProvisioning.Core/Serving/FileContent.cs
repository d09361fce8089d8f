using System;
using System.IO;

namespace PrivateProvisioning.Core.Serving
{
    /// <summary>
    /// The bytes of a file being served, readable at any offset (a TFTP window may go back on a lost ACK).
    /// Small files and netascii conversions are held in memory; large files (firmware) are read block by block.
    /// </summary>
    internal sealed class FileContent : IDisposable
    {
        private readonly byte[]? _bytes;
        private readonly FileStream? _stream;

        private FileContent(byte[] bytes) { _bytes = bytes; Length = bytes.Length; }

        private FileContent(FileStream stream) { _stream = stream; Length = stream.Length; }

        public long Length { get; }

        public static FileContent Open(string path, bool netascii, int smallFileLimit)
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
            if (!netascii && stream.Length > smallFileLimit) return new FileContent(stream);
            using (stream)
            {
                var bytes = ReadAll(stream);
                return new FileContent(netascii ? TftpPacket.ToNetascii(bytes) : bytes);
            }
        }

        private static byte[] ReadAll(FileStream stream)
        {
            var bytes = new byte[stream.Length];
            int done = 0;
            while (done < bytes.Length)
            {
                int n = stream.Read(bytes, done, bytes.Length - done);
                if (n == 0) break;
                done += n;
            }
            if (done == bytes.Length) return bytes;
            var shorter = new byte[done];
            Buffer.BlockCopy(bytes, 0, shorter, 0, done);
            return shorter;
        }

        /// <summary>Copies up to <paramref name="count"/> bytes at <paramref name="offset"/>; returns how many (0 at the end).</summary>
        public int Read(long offset, byte[] buffer, int bufferOffset, int count)
        {
            if (offset >= Length) return 0;
            int n = (int)Math.Min(count, Length - offset);
            if (_bytes != null)
            {
                Buffer.BlockCopy(_bytes, (int)offset, buffer, bufferOffset, n);
                return n;
            }
            _stream!.Position = offset;
            int done = 0;
            while (done < n)
            {
                int r = _stream.Read(buffer, bufferOffset + done, n - done);
                if (r == 0) break;
                done += r;
            }
            return done;
        }

        public void Dispose() => _stream?.Dispose();
    }
}
