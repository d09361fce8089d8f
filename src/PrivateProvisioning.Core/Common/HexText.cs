using System;
using System.Security.Cryptography;

namespace PrivateProvisioning.Core
{
    /// <summary>Lower-case hex, as result objects, digest authentication and the Cisco headers print it.</summary>
    internal static class HexText
    {
        private const string Digits = "0123456789abcdef";

#if NET
        public static string Lower(byte[] bytes) => Lower((ReadOnlySpan<byte>)bytes);

        public static string Lower(ReadOnlySpan<byte> bytes)
#else
        public static string Lower(byte[] bytes)
#endif
        {
            var chars = new char[bytes.Length * 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                chars[2 * i] = Digits[bytes[i] >> 4];
                chars[2 * i + 1] = Digits[bytes[i] & 15];
            }
            return new string(chars);
        }

#if NET
        /// <summary>The 8 bytes of <paramref name="value"/> in little-endian order (as it was read from a digest), 16 lower-case hex digits.</summary>
        public static void WriteLower(ulong value, Span<char> chars)
        {
            for (int i = 0; i < 16; i += 2, value >>= 8)
            {
                chars[i] = Digits[(int)(value >> 4) & 15];
                chars[i + 1] = Digits[(int)value & 15];
            }
        }

#endif
        /// <summary>SHA-256 of a slice, lower-case hex: the Sha256 of every result object.</summary>
        public static string Sha256(byte[] data, int offset, int count)
        {
#if NET
            // libcrypto's EVP_Digest with the algorithm fetched once (Sha256Digest): each signed file's result hashes ~2.5 KB.
            Span<byte> digest = stackalloc byte[32];
            Sha256Digest.HashData(data.AsSpan(offset, count), digest);
            return Lower(digest);
#else
            using var sha = SHA256.Create();
            return Lower(sha.ComputeHash(data, offset, count));
#endif
        }
    }
}
