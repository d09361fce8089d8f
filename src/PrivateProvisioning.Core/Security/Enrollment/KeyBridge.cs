using System;
using System.IO;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.X509;

namespace PrivateProvisioning.Core.Security.Enrollment
{
    /// <summary>
    /// Lets BouncyCastle build PKCS#10 requests and X.509 certificates (netstandard2.0 has no
    /// CertificateRequest) while the platform key does the signing, so a non-exportable Windows key
    /// (a CA in the certificate store) still works. Key conversions are the shared BouncyCastleBridge's.
    /// </summary>
    internal static class KeyBridge
    {
        public static AsymmetricKeyParameter ToPublicParameter(AsymmetricAlgorithm key) => BouncyCastleBridge.ToPublicKey(key);

        /// <summary>The SubjectPublicKeyInfo DER of a platform key (to match a key with its certificate).</summary>
        public static byte[] SubjectPublicKeyInfo(AsymmetricAlgorithm key) =>
            SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(ToPublicParameter(key)).GetDerEncoded();

        /// <summary>PKCS#8 for RSA and EC alike, as `openssl req -newkey` writes keys (mkcert's SEC1 form is PemCredential's).</summary>
        public static byte[] Pkcs8(AsymmetricAlgorithm key) =>
            PrivateKeyInfoFactory.CreatePrivateKeyInfo(BouncyCastleBridge.ToPrivateKey(key)).GetDerEncoded();

        /// <summary>A BouncyCastle signature factory whose signing is done by the platform key.</summary>
        public static ISignatureFactory SignatureFactory(AsymmetricAlgorithm key) => new PlatformSignatureFactory(key, SignatureAlgorithm(key));

        /// <summary>As <see cref="SignatureFactory(AsymmetricAlgorithm)"/> with a fixed digest (mkcert's certificates: SHA-256 on every curve).</summary>
        public static ISignatureFactory SignatureFactory(AsymmetricAlgorithm key, HashAlgorithmName hash) => new PlatformSignatureFactory(key, SignatureAlgorithm(key, hash));

        internal static BigInteger Positive(byte[] bigEndian) => new BigInteger(1, bigEndian);

        private static ProvisioningException Unsupported(AsymmetricAlgorithm key) =>
            new ProvisioningException(ErrorIds.UnsupportedKeyType, ErrorKind.InvalidData,
                $"Keys of type {key.GetType().Name} are not supported; use RSA or ECDSA.");

        /// <summary>The signature algorithm we use with a key: SHA-256 for RSA and P-256, SHA-384 for P-384, SHA-512 for P-521.</summary>
        internal static (AlgorithmIdentifier Identifier, HashAlgorithmName Hash) SignatureAlgorithm(AsymmetricAlgorithm key)
        {
            if (key is RSA) return (new AlgorithmIdentifier(PkcsObjectIdentifiers.Sha256WithRsaEncryption, DerNull.Instance), HashAlgorithmName.SHA256);
            if (key is ECDsa)
            {
                if (key.KeySize > 384) return (new AlgorithmIdentifier(X9ObjectIdentifiers.ECDsaWithSha512), HashAlgorithmName.SHA512);
                if (key.KeySize > 256) return (new AlgorithmIdentifier(X9ObjectIdentifiers.ECDsaWithSha384), HashAlgorithmName.SHA384);
                return (new AlgorithmIdentifier(X9ObjectIdentifiers.ECDsaWithSha256), HashAlgorithmName.SHA256);
            }
            throw Unsupported(key);
        }

        /// <summary>The algorithm identifier for <paramref name="key"/> with the digest <paramref name="hash"/> (SHA-256, 384 or 512).</summary>
        internal static (AlgorithmIdentifier Identifier, HashAlgorithmName Hash) SignatureAlgorithm(AsymmetricAlgorithm key, HashAlgorithmName hash)
        {
            bool rsa = key is RSA;
            if (!rsa && !(key is ECDsa)) throw Unsupported(key);
            DerObjectIdentifier oid =
                hash == HashAlgorithmName.SHA256 ? (rsa ? PkcsObjectIdentifiers.Sha256WithRsaEncryption : X9ObjectIdentifiers.ECDsaWithSha256)
                : hash == HashAlgorithmName.SHA384 ? (rsa ? PkcsObjectIdentifiers.Sha384WithRsaEncryption : X9ObjectIdentifiers.ECDsaWithSha384)
                : hash == HashAlgorithmName.SHA512 ? (rsa ? PkcsObjectIdentifiers.Sha512WithRsaEncryption : X9ObjectIdentifiers.ECDsaWithSha512)
                : throw new ArgumentException($"The digest {hash.Name} is not supported for certificates; use SHA-256, SHA-384 or SHA-512.", nameof(hash));
            // RSA's identifiers carry an explicit NULL parameter (RFC 4055); ECDSA's carry none (RFC 5758).
            return (rsa ? new AlgorithmIdentifier(oid, DerNull.Instance) : new AlgorithmIdentifier(oid), hash);
        }

        private sealed class PlatformSignatureFactory : ISignatureFactory
        {
            private readonly AsymmetricAlgorithm _key;
            private readonly AlgorithmIdentifier _algorithm;
            private readonly HashAlgorithmName _hash;

            public PlatformSignatureFactory(AsymmetricAlgorithm key, (AlgorithmIdentifier Identifier, HashAlgorithmName Hash) algorithm)
            {
                _key = key;
                (_algorithm, _hash) = algorithm;
            }

            public object AlgorithmDetails => _algorithm;

            public IStreamCalculator<IBlockResult> CreateCalculator() => new Calculator(this);

            private byte[] Sign(byte[] data)
            {
                try { return SignWithKey(data); }
                catch (CryptographicException ex)
                {
                    throw new ProvisioningException(ErrorIds.SigningFailed, ErrorKind.SecurityError,
                        $"The private key refused to sign with {(_key is RSA ? "RSA" : "ECDSA")} and {_hash.Name} ({ex.Message.TrimEnd('.', ' ')}). " +
                        "A key held by an old CryptoAPI provider may not sign SHA-2 digests: re-import the PFX into the Microsoft Software Key Storage Provider.", null, ex);
                }
            }

            private byte[] SignWithKey(byte[] data)
            {
                if (_key is RSA rsa) return rsa.SignData(data, _hash, RSASignaturePadding.Pkcs1);
                var ieee = ((ECDsa)_key).SignData(data, _hash);
                // X.509 wants ECDSA-Sig-Value (a DER SEQUENCE of r and s); the platform gives r||s.
                int half = ieee.Length / 2;
                var r = new byte[half]; var s = new byte[half];
                Buffer.BlockCopy(ieee, 0, r, 0, half);
                Buffer.BlockCopy(ieee, half, s, 0, half);
                return new DerSequence(new DerInteger(Positive(r)), new DerInteger(Positive(s))).GetDerEncoded();
            }

            private sealed class Calculator : IStreamCalculator<IBlockResult>
            {
                private readonly PlatformSignatureFactory _owner;
                private readonly MemoryStream _buffer = new MemoryStream();
                public Calculator(PlatformSignatureFactory owner) { _owner = owner; }
                public Stream Stream => _buffer;
                public IBlockResult GetResult() => new Signature(_owner.Sign(_buffer.ToArray()));
            }

            private sealed class Signature : IBlockResult
            {
                private readonly byte[] _value;
                public Signature(byte[] value) { _value = value; }
                public byte[] Collect() => (byte[])_value.Clone();
                public int Collect(byte[] destination, int offset)
                {
                    Buffer.BlockCopy(_value, 0, destination, offset, _value.Length);
                    return _value.Length;
                }
#if NET
                public int Collect(Span<byte> output)
                {
                    _value.CopyTo(output);
                    return _value.Length;
                }
#endif
                public int GetMaxResultLength() => _value.Length;
            }
        }
    }
}
