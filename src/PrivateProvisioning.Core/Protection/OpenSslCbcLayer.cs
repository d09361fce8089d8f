using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace PrivateProvisioning.Core.Protection
{
    /// <summary>
    /// The `openssl enc -aes-N-cbc -k PASS` file: "Salted__", an 8-byte random salt, then AES-CBC with PKCS#7
    /// padding, key and IV derived from the passphrase and salt. With Base64 it is `openssl enc -a` (Panasonic
    /// KX-UTG `.enc`). No cipher or digest is stored in the file: the reader must know or try them.
    /// </summary>
    public sealed class OpenSslCbcLayer : IProtectionLayer
    {
        internal static readonly byte[] Magic = Encoding.ASCII.GetBytes("Salted__");
        /// <summary>Base64 of "Salted__" plus the first salt bits: every `openssl enc -a` file starts with it.</summary>
        internal const string Base64Magic = "U2FsdGVkX1";
        private const int HeaderLength = 16;

        private readonly KeyDerivation _derivation;
        private readonly int _iterations;
        private readonly int _keyBytes;
        private readonly bool _base64;

        public OpenSslCbcLayer(string name, KeyDerivation derivation, int iterations, int keyBits, bool base64, string defaultExtension)
        {
            Name = name;
            _derivation = derivation;
            _iterations = iterations;
            _keyBytes = keyBits / 8;
            _base64 = base64;
            DefaultExtension = defaultExtension;
        }

        public string Name { get; }
        public string DefaultExtension { get; }
        public KeyDerivation? KeyDerivation => _derivation;

        public Stream Protect(Stream output, LayerContext context)
        {
            var passphrase = context.Key ?? throw new ProvisioningException(ErrorIds.KeyRequired, ErrorKind.InvalidArgument, $"{Name} needs a key.");
            var salt = context.Salt != null && context.Salt.Length == OpenSslKeyDerivation.SaltLength ? context.Salt : RandomBytes(OpenSslKeyDerivation.SaltLength);
            OpenSslKeyDerivation.Derive(_derivation, _iterations, passphrase, salt, _keyBytes, out var key, out var iv);
            try
            {
                Stream target = _base64 ? new Base64LineWriteStream(output) : output;
                var header = new byte[HeaderLength];
                Buffer.BlockCopy(Magic, 0, header, 0, 8);
                Buffer.BlockCopy(salt, 0, header, 8, 8);
                target.Write(header, 0, header.Length);
                var aes = CreateAes();
                var cipher = new CipherWriteStream(target, aes, aes.CreateEncryptor(key, iv));
                return _base64 ? new ChainedWriteStream(cipher, target) : (Stream)cipher;
            }
            finally
            {
                Array.Clear(key, 0, key.Length);
                Array.Clear(iv, 0, iv.Length);
            }
        }

#if NET
        /// <summary>True when <see cref="EncryptInMemory"/> gives this layer's output (the binary form, not Base64).</summary>
        internal bool CanEncryptInMemory => !_base64;

        /// <summary>
        /// The same bytes as writing <paramref name="length"/> bytes of <paramref name="input"/> through
        /// <see cref="Protect"/> into <paramref name="target"/>, in one call: no transform or stream object per file.
        /// </summary>
        internal void EncryptInMemory(MemoryStream target, byte[] input, int length, LayerContext context)
        {
            var passphrase = context.Key ?? throw new ProvisioningException(ErrorIds.KeyRequired, ErrorKind.InvalidArgument, $"{Name} needs a key.");
            var salt = context.Salt != null && context.Salt.Length == OpenSslKeyDerivation.SaltLength ? context.Salt : RandomBytes(OpenSslKeyDerivation.SaltLength);
            OpenSslKeyDerivation.Derive(_derivation, _iterations, passphrase, salt, _keyBytes, out var key, out var iv);
            try
            {
                // One Aes per file, disposed at once: that clears its copy of the key (a reused one measured no faster).
                using var aes = CreateAes();
                aes.Key = key;
                int cipherLength = (length / 16 + 1) * 16; // PKCS#7 always adds 1..16 bytes
                target.SetLength(HeaderLength + cipherLength);
                var buffer = target.GetBuffer();
                Buffer.BlockCopy(Magic, 0, buffer, 0, 8);
                Buffer.BlockCopy(salt, 0, buffer, 8, 8);
                int n = aes.EncryptCbc(new ReadOnlySpan<byte>(input, 0, length), iv, new Span<byte>(buffer, HeaderLength, cipherLength), PaddingMode.PKCS7);
                if (n != cipherLength) throw new CryptographicException("unexpected AES-CBC output length");
                target.Position = target.Length;
            }
            finally
            {
                Array.Clear(key, 0, key.Length);
                Array.Clear(iv, 0, iv.Length);
            }
        }
#endif

        public byte[]? ReadSalt(byte[] head, int count)
        {
            if (_base64)
            {
                // The first 24 characters of the Base64 decode to exactly the 16-byte header.
                if (count < 24 || Encoding.ASCII.GetString(head, 0, 10) != Base64Magic) return null;
                byte[] decoded;
                try { decoded = Convert.FromBase64String(Encoding.ASCII.GetString(head, 0, 24)); }
                catch (FormatException) { return null; }
                return Slice(decoded, 8, 8);
            }
            return StartsWithMagic(head, 0, count) && count >= HeaderLength ? Slice(head, 8, 8) : null;
        }

        internal static bool StartsWithMagic(byte[] data, int offset, int count)
        {
            if (count < Magic.Length) return false;
            for (int i = 0; i < Magic.Length; i++)
                if (data[offset + i] != Magic[i]) return false;
            return true;
        }

        internal static Aes CreateAes()
        {
            var aes = Aes.Create();
            aes.Mode = CipherMode.CBC;
            aes.Padding = PaddingMode.PKCS7;
            return aes;
        }

        /// <summary>
        /// Decrypts a Salted__ file. With one candidate (derivation and key size known) a padding failure is a
        /// wrong key, as openssl's "bad decrypt". With several, each is tried on the first and last block only
        /// (cheap even for big files), and the first whose padding is valid and whose plaintext starts like a
        /// profile (text or gzip) wins: a wrong candidate passes both checks with a chance far below 1e-9.
        /// </summary>
        internal static byte[] Decrypt(byte[] data, int offset, int count, byte[]? passphrase, IReadOnlyList<KeyDerivation> derivations,
            int iterations, IReadOnlyList<int> keySizes, string file, string layerName, out KeyDerivation used, out int keyBits)
        {
            if (passphrase == null)
                throw new ProvisioningException(ErrorIds.KeyRequired, ErrorKind.InvalidArgument,
                    $"'{file}' is encrypted ({layerName}, openssl Salted__ format); give the key (-Key, or --key-file / --key-env).", file);
            int cipherLength = count - HeaderLength;
            if (cipherLength < 16 || cipherLength % 16 != 0)
                throw new ProvisioningException(ErrorIds.EncryptedFileTruncated, ErrorKind.InvalidData,
                    $"'{file}' is truncated or corrupted: its AES-CBC data is {Math.Max(cipherLength, 0)} bytes, not a positive multiple of 16.", file);
            var salt = Slice(data, offset + 8, 8);
            int cipherStart = offset + HeaderLength;
            bool single = derivations.Count == 1 && keySizes.Count == 1;
            foreach (var derivation in derivations)
            {
                foreach (var bits in keySizes)
                {
                    OpenSslKeyDerivation.Derive(derivation, iterations, passphrase, salt, bits / 8, out var key, out var iv);
                    try
                    {
                        using var aes = CreateAes();
                        if (!single && !LooksRight(aes, key, iv, data, cipherStart, cipherLength)) continue;
                        byte[] plain;
                        try
                        {
                            using var decryptor = aes.CreateDecryptor(key, iv);
                            plain = decryptor.TransformFinalBlock(data, cipherStart, cipherLength);
                        }
                        catch (CryptographicException)
                        {
                            if (!single) continue;
                            throw WrongKey(file, layerName, DescribeTried(derivations, iterations, keySizes));
                        }
                        used = derivation;
                        keyBits = bits;
                        return plain;
                    }
                    finally
                    {
                        Array.Clear(key, 0, key.Length);
                        Array.Clear(iv, 0, iv.Length);
                    }
                }
            }
            throw WrongKey(file, layerName, DescribeTried(derivations, iterations, keySizes));
        }

        /// <summary>
        /// For streaming: picks the derivation and key size from the salt, the first ciphertext block and the last
        /// two (48 bytes in <paramref name="probe"/>), then returns a decryptor; a wrong key with a single candidate
        /// surfaces as a padding error at the end of the stream.
        /// </summary>
        internal static ICryptoTransform CreateStreamingDecryptor(byte[] salt, byte[] probe, byte[]? passphrase, IReadOnlyList<KeyDerivation> derivations,
            int iterations, IReadOnlyList<int> keySizes, string file, string layerName, out KeyDerivation used, out int keyBits, out Aes algorithm)
        {
            if (passphrase == null)
                throw new ProvisioningException(ErrorIds.KeyRequired, ErrorKind.InvalidArgument,
                    $"'{file}' is encrypted ({layerName}, openssl Salted__ format); give the key (-Key, or --key-file / --key-env).", file);
            bool single = derivations.Count == 1 && keySizes.Count == 1;
            foreach (var derivation in derivations)
            {
                foreach (var bits in keySizes)
                {
                    OpenSslKeyDerivation.Derive(derivation, iterations, passphrase, salt, bits / 8, out var key, out var iv);
                    var aes = CreateAes();
                    try
                    {
                        if (!single && !LooksRight(aes, key, iv, probe, 0, probe.Length)) { aes.Dispose(); continue; }
                        used = derivation;
                        keyBits = bits;
                        algorithm = aes;
                        return aes.CreateDecryptor(key, iv);
                    }
                    finally
                    {
                        Array.Clear(key, 0, key.Length);
                        Array.Clear(iv, 0, iv.Length);
                    }
                }
            }
            throw WrongKey(file, layerName, DescribeTried(derivations, iterations, keySizes));
        }

        internal static ProvisioningException WrongKeyFor(string file, string layerName, IReadOnlyList<KeyDerivation> derivations, int iterations, IReadOnlyList<int> keySizes) =>
            WrongKey(file, layerName, DescribeTried(derivations, iterations, keySizes));

        private static bool LooksRight(Aes aes, byte[] key, byte[] iv, byte[] data, int start, int length)
        {
            aes.Padding = PaddingMode.None;
            try
            {
                var block = new byte[16];
                // Last block: its IV is the ciphertext block before it.
                var lastIv = length == 16 ? iv : Slice(data, start + length - 32, 16);
                using (var d = aes.CreateDecryptor(key, lastIv)) d.TransformBlock(data, start + length - 16, 16, block, 0);
                int pad = block[15];
                if (pad < 1 || pad > 16) return false;
                for (int i = 16 - pad; i < 16; i++) if (block[i] != pad) return false;
                int firstLength = length == 16 ? 16 - pad : 16;
                if (length != 16)
                    using (var d = aes.CreateDecryptor(key, iv)) d.TransformBlock(data, start, 16, block, 0);
                return LooksLikeProfileStart(block, firstLength);
            }
            finally
            {
                aes.Padding = PaddingMode.PKCS7;
            }
        }

        /// <summary>gzip magic, or ASCII text (an optional UTF-8 BOM first): how every profile we write begins.</summary>
        internal static bool LooksLikeProfileStart(byte[] block, int length)
        {
            if (length >= 2 && block[0] == 0x1f && block[1] == 0x8b) return true;
            int i = length >= 3 && block[0] == 0xEF && block[1] == 0xBB && block[2] == 0xBF ? 3 : 0;
            for (; i < length; i++)
            {
                byte b = block[i];
                if (!(b == 9 || b == 10 || b == 13 || (b >= 0x20 && b < 0x7f))) return false;
            }
            return true;
        }

        private static string DescribeTried(IReadOnlyList<KeyDerivation> derivations, int iterations, IReadOnlyList<int> keySizes)
        {
            var parts = new List<string>();
            foreach (var d in derivations) parts.Add(d == Protection.KeyDerivation.Pbkdf2 ? $"PBKDF2 with {iterations} iterations" : d.ToString().ToUpperInvariant());
            return string.Join(", ", parts) + (keySizes.Count == 1 ? $", AES-{keySizes[0]}" : $", AES-{string.Join("/", keySizes)}");
        }

        private static ProvisioningException WrongKey(string file, string layerName, string tried) =>
            new ProvisioningException(ErrorIds.WrongKey, ErrorKind.AuthenticationError,
                $"'{file}' could not be decrypted ({layerName}): the key is wrong or the file is corrupted (openssl would say 'bad decrypt'). Tried key derivation {tried}; give -KeyDerivation / --kdf (and -Iterations / --iter) if the file was made otherwise.", file);

        internal static byte[] Slice(byte[] data, int offset, int count)
        {
            var result = new byte[count];
            Buffer.BlockCopy(data, offset, result, 0, count);
            return result;
        }

        // RandomNumberGenerator instances are thread-safe; one serves every file.
        private static readonly RandomNumberGenerator Random = RandomNumberGenerator.Create();

        internal static byte[] RandomBytes(int count)
        {
            var bytes = new byte[count];
            Random.GetBytes(bytes);
            return bytes;
        }
    }

    /// <summary>Disposes an outer stream, then the stream it writes into (cipher, then Base64 line breaker).</summary>
    internal sealed class ChainedWriteStream : WriteOnlyStream
    {
        private readonly Stream _first;
        private readonly Stream _second;
        public ChainedWriteStream(Stream first, Stream second) { _first = first; _second = second; }
        public override void Write(byte[] buffer, int offset, int count) => _first.Write(buffer, offset, count);
        protected override void Dispose(bool disposing)
        {
            if (disposing) { try { _first.Dispose(); } finally { _second.Dispose(); } }
            base.Dispose(disposing);
        }
    }
}
