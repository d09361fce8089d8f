using System;
using System.Buffers;
using System.IO;
using System.Security.Cryptography;

namespace PrivateProvisioning.Core.Protection
{
    /// <summary>Base for the write-only streams the layers return: they never own the stream they write to.</summary>
    internal abstract class WriteOnlyStream : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Flush() { }
    }

    /// <summary>
    /// Applies a block cipher transform (AES-CBC with PKCS#7) to what is written, in large multi-block calls
    /// so the native AES runs at full speed; disposing writes the padded final block. Leaves its output open.
    /// </summary>
    internal sealed class CipherWriteStream : WriteOnlyStream
    {
        private const int ChunkBytes = 64 * 1024;
        private readonly Stream _output;
        private readonly ICryptoTransform _transform;
        private readonly SymmetricAlgorithm _algorithm;
        private readonly byte[] _pending = new byte[16];
        private int _pendingCount;
        private byte[]? _chunk;
        private int _used;
        private bool _done;

        public CipherWriteStream(Stream output, SymmetricAlgorithm algorithm, ICryptoTransform transform)
        {
            _output = output;
            _algorithm = algorithm;
            _transform = transform;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (_pendingCount > 0)
            {
                int fill = Math.Min(16 - _pendingCount, count);
                Buffer.BlockCopy(buffer, offset, _pending, _pendingCount, fill);
                _pendingCount += fill; offset += fill; count -= fill;
                if (_pendingCount < 16) return;
                TransformAndWrite(_pending, 0, 16);
                _pendingCount = 0;
            }
            int whole = count & ~15;
            while (whole > 0)
            {
                int n = Math.Min(whole, ChunkBytes);
                TransformAndWrite(buffer, offset, n);
                offset += n; count -= n; whole -= n;
            }
            if (count > 0)
            {
                Buffer.BlockCopy(buffer, offset, _pending, 0, count);
                _pendingCount = count;
            }
        }

        private void TransformAndWrite(byte[] buffer, int offset, int count)
        {
            // Pooled, and only as big as needed: a 2 KB profile must not pay for zeroing a 64 KB buffer.
            if (_chunk == null || _chunk.Length < count)
            {
                ReturnChunk();
                _chunk = ArrayPool<byte>.Shared.Rent(count);
            }
            int n = _transform.TransformBlock(buffer, offset, count, _chunk, 0);
            _used = Math.Max(_used, n);
            _output.Write(_chunk, 0, n);
        }

        private void ReturnChunk()
        {
            if (_chunk == null) return;
            Array.Clear(_chunk, 0, _used);
            ArrayPool<byte>.Shared.Return(_chunk);
            _chunk = null;
            _used = 0;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_done)
            {
                _done = true;
                try
                {
                    var last = _transform.TransformFinalBlock(_pending, 0, _pendingCount);
                    _output.Write(last, 0, last.Length);
                }
                finally
                {
                    Array.Clear(_pending, 0, _pending.Length);
                    ReturnChunk();
                    _transform.Dispose();
                    _algorithm.Dispose(); // clears the key schedule
                }
            }
            base.Dispose(disposing);
        }
    }

    /// <summary>Base64 in 64-character lines, each ending in '\n': what `openssl enc -a` writes and reads.</summary>
    internal sealed class Base64LineWriteStream : WriteOnlyStream
    {
        private const int LineBytes = 48; // 48 bytes -> 64 characters
        private readonly Stream _output;
        private readonly byte[] _pending = new byte[LineBytes];
        private readonly char[] _chars = new char[64];
        private readonly byte[] _line = new byte[65];
        private int _pendingCount;
        private bool _done;

        public Base64LineWriteStream(Stream output) { _output = output; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            while (count > 0)
            {
                int take = Math.Min(LineBytes - _pendingCount, count);
                Buffer.BlockCopy(buffer, offset, _pending, _pendingCount, take);
                _pendingCount += take; offset += take; count -= take;
                if (_pendingCount == LineBytes) WriteLine();
            }
        }

        private void WriteLine()
        {
            int n = Convert.ToBase64CharArray(_pending, 0, _pendingCount, _chars, 0);
            for (int i = 0; i < n; i++) _line[i] = (byte)_chars[i];
            _line[n] = (byte)'\n';
            _output.Write(_line, 0, n + 1);
            _pendingCount = 0;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_done)
            {
                _done = true;
                if (_pendingCount > 0) WriteLine();
            }
            base.Dispose(disposing);
        }
    }

    /// <summary>
    /// Hashes (SHA-256) and writes what is written, on a second thread: while one megabyte is hashed and
    /// written, the next is read and encrypted. For a 100 MB file that is the difference between running the
    /// four steps one after the other and running two pairs side by side. A failure of the write surfaces on
    /// the next Write or on Complete.
    /// </summary>
    internal sealed class HashingWriteStream : WriteOnlyStream
    {
        private const int BufferBytes = 1 << 20;
        private readonly Stream _inner;
        private readonly IncrementalHash _hash;
        private byte[] _filling = new byte[BufferBytes];
        private byte[] _spare = new byte[BufferBytes];
        private int _used;
        private System.Threading.Tasks.Task? _pending;

        public long Written { get; private set; }

        public HashingWriteStream(Stream inner, IncrementalHash hash) { _inner = inner; _hash = hash; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Written += count;
            while (count > 0)
            {
                int n = Math.Min(count, BufferBytes - _used);
                Buffer.BlockCopy(buffer, offset, _filling, _used, n);
                _used += n; offset += n; count -= n;
                if (_used == BufferBytes) Hand();
            }
        }

        /// <summary>Waits for the previous megabyte, then hashes and writes the full one in the background.</summary>
        private void Hand()
        {
            _pending?.GetAwaiter().GetResult(); // rethrows the write's IOException as is
            var full = _filling;
            int length = _used;
            _filling = _spare;
            _spare = full;
            _used = 0;
            _pending = System.Threading.Tasks.Task.Run(() =>
            {
                _hash.AppendData(full, 0, length);
                _inner.Write(full, 0, length);
            });
        }

        /// <summary>Everything written has been hashed and handed to the inner stream.</summary>
        public void Complete()
        {
            if (_used > 0) Hand();
            _pending?.GetAwaiter().GetResult();
            _pending = null;
        }

        public override void Flush()
        {
            Complete();
            _inner.Flush();
        }

        protected override void Dispose(bool disposing)
        {
            // An abandoned stream (an exception upstream) must not leave a write running on a file being deleted.
            if (disposing) try { _pending?.Wait(); } catch (AggregateException) { }
            base.Dispose(disposing);
        }
    }
}
