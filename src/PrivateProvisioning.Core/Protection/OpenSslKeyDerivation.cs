using System;
using System.Security.Cryptography;

namespace PrivateProvisioning.Core.Protection
{
    /// <summary>
    /// Key and IV exactly as `openssl enc -k PASS` derives them from the passphrase and the 8-byte salt:
    /// EVP_BytesToKey (one iteration, MD5 or SHA-256) or PBKDF2-HMAC-SHA256 (-pbkdf2 -iter N).
    /// The caller wipes the returned arrays.
    /// </summary>
    internal static class OpenSslKeyDerivation
    {
        public const int SaltLength = 8;
        public const int IvLength = 16;

        /// <summary>Returns key (keyBytes long) and IV (16 bytes).</summary>
        public static void Derive(KeyDerivation derivation, int iterations, byte[] passphrase, byte[] salt, int keyBytes, out byte[] key, out byte[] iv)
        {
            int total = keyBytes + IvLength;
            byte[] material = derivation == KeyDerivation.Pbkdf2
                ? Pbkdf2Sha256(passphrase, salt, iterations, total)
                : BytesToKey(derivation, passphrase, salt, total);
            try
            {
                key = new byte[keyBytes];
                iv = new byte[IvLength];
                Buffer.BlockCopy(material, 0, key, 0, keyBytes);
                Buffer.BlockCopy(material, keyBytes, iv, 0, IvLength);
            }
            finally
            {
                Array.Clear(material, 0, material.Length);
            }
        }

        /// <summary>EVP_BytesToKey, count 1: D1 = H(pass ‖ salt), Di = H(D(i-1) ‖ pass ‖ salt), concatenated.</summary>
        private static byte[] BytesToKey(KeyDerivation derivation, byte[] passphrase, byte[] salt, int length)
        {
#if NET
            // One-shot hashing: no hash object per file on the hot path.
            Func<byte[], int, byte[]> compute = derivation == KeyDerivation.Md5
                ? (b, n) => MD5.HashData(b.AsSpan(0, n))
                : (b, n) => SHA256.HashData(b.AsSpan(0, n));
            int digest = derivation == KeyDerivation.Md5 ? 16 : 32;
#else
            using HashAlgorithm hash = derivation == KeyDerivation.Md5 ? MD5.Create() : SHA256.Create();
            Func<byte[], int, byte[]> compute = (b, n) => hash.ComputeHash(b, 0, n);
            int digest = hash.HashSize / 8;
#endif
            var result = new byte[length];
            var input = new byte[digest + passphrase.Length + salt.Length];
            try
            {
                int produced = 0;
                byte[]? previous = null;
                while (produced < length)
                {
                    int n = 0;
                    if (previous != null) { Buffer.BlockCopy(previous, 0, input, 0, digest); n = digest; Array.Clear(previous, 0, previous.Length); }
                    Buffer.BlockCopy(passphrase, 0, input, n, passphrase.Length); n += passphrase.Length;
                    Buffer.BlockCopy(salt, 0, input, n, salt.Length); n += salt.Length;
                    previous = compute(input, n);
                    int take = Math.Min(digest, length - produced);
                    Buffer.BlockCopy(previous, 0, result, produced, take);
                    produced += take;
                }
                if (previous != null) Array.Clear(previous, 0, previous.Length);
                return result;
            }
            finally
            {
                Array.Clear(input, 0, input.Length);
            }
        }

        private static byte[] Pbkdf2Sha256(byte[] passphrase, byte[] salt, int iterations, int length)
        {
#if NET
            return Rfc2898DeriveBytes.Pbkdf2(passphrase, salt, iterations, HashAlgorithmName.SHA256, length);
#else
            // netstandard2.0's Rfc2898DeriveBytes is SHA-1 only.
            var generator = new Org.BouncyCastle.Crypto.Generators.Pkcs5S2ParametersGenerator(new Org.BouncyCastle.Crypto.Digests.Sha256Digest());
            generator.Init(passphrase, salt, iterations);
            var parameter = (Org.BouncyCastle.Crypto.Parameters.KeyParameter)generator.GenerateDerivedMacParameters(length * 8);
            return parameter.GetKey();
#endif
        }
    }
}
