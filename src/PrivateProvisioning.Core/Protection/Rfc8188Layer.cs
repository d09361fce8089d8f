using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace PrivateProvisioning.Core.Protection
{
    /// <summary>
    /// RFC 8188 "aes128gcm" content coding, as Cisco MPP reads it with Content-Encoding: aes128gcm:
    /// header salt(16) ‖ rs(uint32 BE) ‖ idlen ‖ keyid, then records of AES-128-GCM(plaintext ‖ delimiter ‖ padding),
    /// key and nonce from HKDF-SHA-256 over the IKM. We write idlen 0 and, by default, a single record.
    /// </summary>
    public sealed class Rfc8188Layer : IProtectionLayer
    {
        public const int MinimumRecordSize = 18;
        private const int SaltLength = 16;
        private const int TagLength = 16;
        private const int HeaderLength = SaltLength + 4 + 1;
        private const int StreamingRecordSize = 4096;
        private readonly int _recordSize;

        public Rfc8188Layer(int recordSize) { _recordSize = recordSize; }

        public string Name => "Rfc8188";
        public string DefaultExtension => ".aes128gcm";
        public KeyDerivation? KeyDerivation => null;

        public Stream Protect(Stream output, LayerContext context)
        {
            var ikm = context.Key ?? throw new ProvisioningException(ErrorIds.KeyRequired, ErrorKind.InvalidArgument, "Rfc8188 needs a key.");
            var salt = context.Salt != null && context.Salt.Length == SaltLength ? context.Salt : OpenSslCbcLayer.RandomBytes(SaltLength);
            int rs = _recordSize;
            if (rs == 0)
            {
                // One record holding everything (data + delimiter + tag), rounded up to whole AES blocks.
                rs = context.InputLength < 0 || context.InputLength > int.MaxValue - 64
                    ? StreamingRecordSize
                    : Math.Max(MinimumRecordSize, (int)((context.InputLength + 17 + 15) / 16 * 16));
            }
            var header = new byte[HeaderLength];
            Buffer.BlockCopy(salt, 0, header, 0, SaltLength);
            header[16] = (byte)(rs >> 24); header[17] = (byte)(rs >> 16); header[18] = (byte)(rs >> 8); header[19] = (byte)rs;
            header[20] = 0;
            output.Write(header, 0, header.Length);
            DeriveKeys(ikm, salt, out var cek, out var nonce);
            return new RecordWriteStream(output, rs, cek, nonce);
        }

        public byte[]? ReadSalt(byte[] head, int count) => count >= HeaderLength ? OpenSslCbcLayer.Slice(head, 0, SaltLength) : null;

        /// <summary>Whether the bytes have a plausible RFC 8188 header (it has no magic, so this is only a shape check).</summary>
        internal static bool HasPlausibleHeader(byte[] data, int offset, int count)
        {
            if (count < HeaderLength) return false;
            uint rs = ReadRecordSize(data, offset);
            int idlen = data[offset + 20];
            int body = count - HeaderLength - idlen;
            return rs >= MinimumRecordSize && body >= TagLength + 1;
        }

        private static uint ReadRecordSize(byte[] data, int offset) =>
            (uint)(data[offset + 16] << 24 | data[offset + 17] << 16 | data[offset + 18] << 8 | data[offset + 19]);

        /// <summary>Decrypts a whole aes128gcm body; any failed tag, bad delimiter or missing last record is an error naming the file.</summary>
        public static byte[] Decrypt(byte[] data, int offset, int count, byte[]? ikm, string file)
        {
            if (ikm == null)
                throw new ProvisioningException(ErrorIds.KeyRequired, ErrorKind.InvalidArgument,
                    $"'{file}' is RFC 8188 (aes128gcm) encrypted; give the key (-Key, or --key-file / --key-env).", file);
            if (!HasPlausibleHeader(data, offset, count))
                throw Corrupt(file, "its header is not an RFC 8188 aes128gcm header");
            uint rsValue = ReadRecordSize(data, offset);
            int rs = rsValue > int.MaxValue ? int.MaxValue : (int)rsValue;
            int idlen = data[offset + 20];
            var salt = OpenSslCbcLayer.Slice(data, offset, SaltLength);
            int position = offset + HeaderLength + idlen;
            int end = offset + count;
            DeriveKeys(ikm, salt, out var cek, out var baseNonce);
            var output = new MemoryStream(Math.Max(0, count - HeaderLength - idlen));
            try
            {
                using var gcm = new GcmCipher(cek);
                var nonce = new byte[12];
                long sequence = 0;
                bool sawLast = false;
                var plain = new byte[Math.Min(rs, end - position)];
                while (position < end)
                {
                    if (sawLast) throw Corrupt(file, "data follows the last record");
                    int length = Math.Min(rs, end - position);
                    if (length <= TagLength) throw Corrupt(file, $"record {sequence} is too short");
                    ComputeNonce(baseNonce, sequence, nonce);
                    int plainLength = length - TagLength;
                    if (!gcm.TryDecrypt(nonce, data, position, plainLength, data, position + plainLength, plain))
                        throw new ProvisioningException(ErrorIds.WrongKey, ErrorKind.AuthenticationError,
                            $"'{file}' could not be decrypted (Rfc8188): record {sequence} failed its authentication tag, so the key is wrong or the file is corrupted.", file);
                    int last = plainLength - 1;
                    while (last >= 0 && plain[last] == 0) last--;
                    if (last < 0) throw Corrupt(file, $"record {sequence} has no delimiter");
                    if (plain[last] == 2) sawLast = true;
                    else if (plain[last] != 1) throw Corrupt(file, $"record {sequence} has delimiter {plain[last]}, not 1 or 2");
                    output.Write(plain, 0, last);
                    position += length;
                    sequence++;
                }
                if (!sawLast) throw Corrupt(file, "it ends without the last record (truncated)");
                Array.Clear(plain, 0, plain.Length);
                return output.ToArray();
            }
            finally
            {
                Array.Clear(cek, 0, cek.Length);
            }
        }

        /// <summary>PRK = HMAC(salt, IKM); CEK = HMAC(PRK, "Content-Encoding: aes128gcm\0\x01")[..16]; NONCE likewise [..12].</summary>
        internal static void DeriveKeys(byte[] ikm, byte[] salt, out byte[] cek, out byte[] nonce)
        {
            byte[] prk;
            using (var extract = new HMACSHA256(salt)) prk = extract.ComputeHash(ikm);
            try
            {
                using var expand = new HMACSHA256(prk);
                var t = expand.ComputeHash(Info("Content-Encoding: aes128gcm"));
                cek = OpenSslCbcLayer.Slice(t, 0, 16);
                Array.Clear(t, 0, t.Length);
                t = expand.ComputeHash(Info("Content-Encoding: nonce"));
                nonce = OpenSslCbcLayer.Slice(t, 0, 12);
                Array.Clear(t, 0, t.Length);
            }
            finally
            {
                Array.Clear(prk, 0, prk.Length);
            }
        }

        private static byte[] Info(string label)
        {
            var bytes = new byte[label.Length + 2];
            Encoding.ASCII.GetBytes(label, 0, label.Length, bytes, 0);
            bytes[label.Length] = 0;
            bytes[label.Length + 1] = 1;
            return bytes;
        }

        /// <summary>The record nonce: the base nonce XOR the record number as a 96-bit big-endian integer.</summary>
        internal static void ComputeNonce(byte[] baseNonce, long sequence, byte[] nonce)
        {
            Buffer.BlockCopy(baseNonce, 0, nonce, 0, 12);
            for (int i = 0; i < 8; i++) nonce[11 - i] ^= (byte)(sequence >> (8 * i));
        }

        private static ProvisioningException Corrupt(string file, string why) =>
            new ProvisioningException(ErrorIds.EncryptedFileTruncated, ErrorKind.InvalidData,
                $"'{file}' is truncated or corrupted: {why} (RFC 8188 aes128gcm).", file);

        /// <summary>Buffers one record; a record is written as non-final only once more data proves another follows.</summary>
        private sealed class RecordWriteStream : WriteOnlyStream
        {
            private readonly Stream _output;
            private readonly int _recordSize;
            private readonly byte[] _cek;
            private readonly byte[] _baseNonce;
            private readonly byte[] _record; // data + delimiter
            private readonly byte[] _sealed;
            private readonly byte[] _nonce = new byte[12];
            private readonly GcmCipher _gcm;
            private int _count;
            private long _sequence;
            private bool _done;

            public RecordWriteStream(Stream output, int recordSize, byte[] cek, byte[] baseNonce)
            {
                _output = output;
                _recordSize = recordSize;
                _cek = cek;
                _baseNonce = baseNonce;
                _record = new byte[recordSize - TagLength];
                _sealed = new byte[recordSize];
                _gcm = new GcmCipher(cek);
            }

            private int DataPerRecord => _recordSize - TagLength - 1;

            public override void Write(byte[] buffer, int offset, int count)
            {
                while (count > 0)
                {
                    if (_count == DataPerRecord) Seal(final: false);
                    int take = Math.Min(DataPerRecord - _count, count);
                    Buffer.BlockCopy(buffer, offset, _record, _count, take);
                    _count += take; offset += take; count -= take;
                }
            }

            private void Seal(bool final)
            {
                _record[_count] = final ? (byte)2 : (byte)1;
                int length = _count + 1;
                ComputeNonce(_baseNonce, _sequence++, _nonce);
                _gcm.Encrypt(_nonce, _record, length, _sealed);
                _output.Write(_sealed, 0, length + TagLength);
                _count = 0;
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing && !_done)
                {
                    _done = true;
                    try { Seal(final: true); }
                    finally
                    {
                        _gcm.Dispose();
                        Array.Clear(_cek, 0, _cek.Length);
                        Array.Clear(_record, 0, _record.Length);
                    }
                }
                base.Dispose(disposing);
            }
        }
    }

    /// <summary>AES-128-GCM with a 16-byte tag and no associated data: AesGcm on .NET, BouncyCastle on netstandard2.0.</summary>
    internal sealed class GcmCipher : IDisposable
    {
#if NET
        private readonly AesGcm _aes;
        public GcmCipher(byte[] key) { _aes = new AesGcm(key, 16); }

        /// <summary>Writes ciphertext ‖ tag (count + 16 bytes) to output.</summary>
        public void Encrypt(byte[] nonce, byte[] plain, int count, byte[] output) =>
            _aes.Encrypt(nonce, plain.AsSpan(0, count), output.AsSpan(0, count), output.AsSpan(count, 16));

        public bool TryDecrypt(byte[] nonce, byte[] cipher, int offset, int count, byte[] tagSource, int tagOffset, byte[] plain)
        {
            try
            {
                _aes.Decrypt(nonce, cipher.AsSpan(offset, count), tagSource.AsSpan(tagOffset, 16), plain.AsSpan(0, count));
                return true;
            }
            catch (CryptographicException) { return false; }
        }

        public void Dispose() => _aes.Dispose();
#else
        private readonly byte[] _key;
        public GcmCipher(byte[] key) { _key = (byte[])key.Clone(); }

        private Org.BouncyCastle.Crypto.Modes.GcmBlockCipher Create(bool encrypt, byte[] nonce)
        {
            var cipher = new Org.BouncyCastle.Crypto.Modes.GcmBlockCipher(new Org.BouncyCastle.Crypto.Engines.AesEngine());
            cipher.Init(encrypt, new Org.BouncyCastle.Crypto.Parameters.AeadParameters(new Org.BouncyCastle.Crypto.Parameters.KeyParameter(_key), 128, nonce));
            return cipher;
        }

        public void Encrypt(byte[] nonce, byte[] plain, int count, byte[] output)
        {
            var cipher = Create(true, nonce);
            int n = cipher.ProcessBytes(plain, 0, count, output, 0);
            cipher.DoFinal(output, n);
        }

        public bool TryDecrypt(byte[] nonce, byte[] cipherText, int offset, int count, byte[] tagSource, int tagOffset, byte[] plain)
        {
            var cipher = Create(false, nonce);
            var joined = new byte[count + 16];
            Buffer.BlockCopy(cipherText, offset, joined, 0, count);
            Buffer.BlockCopy(tagSource, tagOffset, joined, count, 16);
            try
            {
                int n = cipher.ProcessBytes(joined, 0, joined.Length, plain, 0);
                cipher.DoFinal(plain, n);
                return true;
            }
            catch (Org.BouncyCastle.Crypto.InvalidCipherTextException) { return false; }
        }

        public void Dispose() => Array.Clear(_key, 0, _key.Length);
#endif
    }
}
