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
    /// The internal facade between the platform's keys (RSA/ECDsa, which do the signing and decrypting,
    /// so a non-exportable Windows key still works) and BouncyCastle (which netstandard2.0 needs to build
    /// PKCS#10 requests and X.509 certificates). No BouncyCastle type leaves Core.
    /// </summary>
    internal static class KeyBridge
    {
        public static AsymmetricKeyParameter ToPublicParameter(AsymmetricAlgorithm key)
        {
            switch (key)
            {
                case RSA rsa:
                {
                    var p = rsa.ExportParameters(false);
                    return new RsaKeyParameters(false, Positive(p.Modulus!), Positive(p.Exponent!));
                }
                case ECDsa ec:
                {
                    var p = ec.ExportParameters(false);
                    var oid = CurveOid(p.Curve);
                    var domain = ECNamedCurveTable.GetByOid(oid);
                    var point = domain.Curve.CreatePoint(Positive(p.Q.X!), Positive(p.Q.Y!));
                    return new ECPublicKeyParameters("EC", point, oid);
                }
                default:
                    throw Unsupported(key);
            }
        }

        /// <summary>Exports a private key into BouncyCastle form (for the PKCS#8 file only; signing stays on the platform key).</summary>
        public static AsymmetricKeyParameter ToPrivateParameter(AsymmetricAlgorithm key)
        {
            switch (key)
            {
                case RSA rsa:
                {
                    var p = rsa.ExportParameters(true);
                    try
                    {
                        return new RsaPrivateCrtKeyParameters(Positive(p.Modulus!), Positive(p.Exponent!), Positive(p.D!),
                            Positive(p.P!), Positive(p.Q!), Positive(p.DP!), Positive(p.DQ!), Positive(p.InverseQ!));
                    }
                    finally { Wipe(p.D, p.P, p.Q, p.DP, p.DQ, p.InverseQ); }
                }
                case ECDsa ec:
                {
                    var p = ec.ExportParameters(true);
                    try { return new ECPrivateKeyParameters("EC", Positive(p.D!), CurveOid(p.Curve)); }
                    finally { Wipe(p.D); }
                }
                default:
                    throw Unsupported(key);
            }
        }

        /// <summary>Turns a BouncyCastle private key (read from PEM) into a platform key.</summary>
        public static AsymmetricAlgorithm ToPlatformKey(AsymmetricKeyParameter key)
        {
            switch (key)
            {
                case RsaPrivateCrtKeyParameters rsa:
                {
                    int size = (rsa.Modulus.BitLength + 7) / 8, half = (size + 1) / 2;
                    var p = new RSAParameters
                    {
                        Modulus = Fixed(rsa.Modulus, size),
                        Exponent = rsa.PublicExponent.ToByteArrayUnsigned(),
                        D = Fixed(rsa.Exponent, size),
                        P = Fixed(rsa.P, half),
                        Q = Fixed(rsa.Q, half),
                        DP = Fixed(rsa.DP, half),
                        DQ = Fixed(rsa.DQ, half),
                        InverseQ = Fixed(rsa.QInv, half),
                    };
                    try
                    {
                        var result = RSA.Create();
                        result.ImportParameters(p);
                        return result;
                    }
                    finally { Wipe(p.D, p.P, p.Q, p.DP, p.DQ, p.InverseQ); }
                }
                case ECPrivateKeyParameters ec:
                {
                    var oid = ec.PublicKeyParamSet ?? NamedCurveOf(ec.Parameters);
                    int size = (ec.Parameters.Curve.FieldSize + 7) / 8;
                    var q = ec.Parameters.G.Multiply(ec.D).Normalize();
                    var p = new ECParameters
                    {
                        Curve = ECCurve.CreateFromValue(oid.Id),
                        D = Fixed(ec.D, size),
                        Q = new ECPoint { X = Fixed(q.AffineXCoord.ToBigInteger(), size), Y = Fixed(q.AffineYCoord.ToBigInteger(), size) },
                    };
                    try { return ECDsa.Create(p); }
                    finally { Wipe(p.D); }
                }
                default:
                    throw new ProvisioningException("UnsupportedKeyType", ErrorKind.InvalidData,
                        $"Keys of type {key.GetType().Name.Replace("Parameters", "")} are not supported; use RSA or EC (P-256, P-384, P-521).");
            }
        }

        /// <summary>The SubjectPublicKeyInfo DER of a platform key (to match a key with its certificate).</summary>
        public static byte[] SubjectPublicKeyInfo(AsymmetricAlgorithm key) =>
            SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(ToPublicParameter(key)).GetDerEncoded();

        public static byte[] Pkcs8(AsymmetricAlgorithm key) =>
            PrivateKeyInfoFactory.CreatePrivateKeyInfo(ToPrivateParameter(key)).GetDerEncoded();

        /// <summary>A BouncyCastle signature factory whose signing is done by the platform key.</summary>
        public static ISignatureFactory SignatureFactory(AsymmetricAlgorithm key) => new PlatformSignatureFactory(key);

        public static DerObjectIdentifier CurveOid(ECCurve curve)
        {
            if (!curve.IsNamed || curve.Oid == null)
                throw new ProvisioningException("UnsupportedCurve", ErrorKind.InvalidData, "Only named EC curves (P-256, P-384, P-521) are supported.");
            var value = curve.Oid.Value;
            if (string.IsNullOrEmpty(value))
            {
                switch (curve.Oid.FriendlyName)
                {
                    case "nistP256": case "ECDSA_P256": case "prime256v1": case "secp256r1": value = SecObjectIdentifiers.SecP256r1.Id; break;
                    case "nistP384": case "ECDSA_P384": case "secp384r1": value = SecObjectIdentifiers.SecP384r1.Id; break;
                    case "nistP521": case "ECDSA_P521": case "secp521r1": value = SecObjectIdentifiers.SecP521r1.Id; break;
                    default: throw new ProvisioningException("UnsupportedCurve", ErrorKind.InvalidData, $"The EC curve '{curve.Oid.FriendlyName}' is not supported; use P-256, P-384 or P-521.");
                }
            }
            return new DerObjectIdentifier(value);
        }

        private static DerObjectIdentifier NamedCurveOf(ECDomainParameters parameters)
        {
            foreach (var oid in new[] { SecObjectIdentifiers.SecP256r1, SecObjectIdentifiers.SecP384r1, SecObjectIdentifiers.SecP521r1 })
            {
                var named = ECNamedCurveTable.GetByOid(oid);
                if (named.Curve.Equals(parameters.Curve) && named.G.Equals(parameters.G)) return oid;
            }
            throw new ProvisioningException("UnsupportedCurve", ErrorKind.InvalidData, "The EC key does not use a named curve (P-256, P-384 or P-521).");
        }

        internal static BigInteger Positive(byte[] bigEndian) => new BigInteger(1, bigEndian);

        private static byte[] Fixed(BigInteger value, int length)
        {
            var bytes = value.ToByteArrayUnsigned();
            if (bytes.Length == length) return bytes;
            if (bytes.Length > length) throw new ProvisioningException("InvalidKey", ErrorKind.InvalidData, "The private key is malformed.");
            var padded = new byte[length];
            Buffer.BlockCopy(bytes, 0, padded, length - bytes.Length, bytes.Length);
            Array.Clear(bytes, 0, bytes.Length);
            return padded;
        }

        internal static void Wipe(params byte[]?[] buffers)
        {
            foreach (var b in buffers) if (b != null) Array.Clear(b, 0, b.Length);
        }

        private static ProvisioningException Unsupported(AsymmetricAlgorithm key) =>
            new ProvisioningException("UnsupportedKeyType", ErrorKind.InvalidData,
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

        private sealed class PlatformSignatureFactory : ISignatureFactory
        {
            private readonly AsymmetricAlgorithm _key;
            private readonly AlgorithmIdentifier _algorithm;
            private readonly HashAlgorithmName _hash;

            public PlatformSignatureFactory(AsymmetricAlgorithm key)
            {
                _key = key;
                (_algorithm, _hash) = SignatureAlgorithm(key);
            }

            public object AlgorithmDetails => _algorithm;

            public IStreamCalculator CreateCalculator() => new Calculator(this);

            private byte[] Sign(byte[] data)
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

            private sealed class Calculator : IStreamCalculator
            {
                private readonly PlatformSignatureFactory _owner;
                private readonly MemoryStream _buffer = new MemoryStream();
                public Calculator(PlatformSignatureFactory owner) { _owner = owner; }
                public Stream Stream => _buffer;
                public object GetResult() => new Signature(_owner.Sign(_buffer.ToArray()));
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
            }
        }
    }
}
