using System;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;

namespace PrivateProvisioning.Core.Security
{
    /// <summary>
    /// The one place where BouncyCastle key objects meet System.Security.Cryptography ones. BouncyCastle
    /// parses and builds what netstandard2.0 cannot (legacy encrypted PEM, SEC1, certificates); the keys
    /// then live in the platform RSA/ECDsa, which does the signing.
    /// </summary>
    internal static class BouncyCastleBridge
    {
        public static RSA ToRsa(RsaPrivateCrtKeyParameters key)
        {
            int n = (key.Modulus.BitLength + 7) / 8;
            int half = (n + 1) / 2;
            var parameters = new RSAParameters
            {
                Modulus = Unsigned(key.Modulus, n),
                Exponent = key.PublicExponent.ToByteArrayUnsigned(),
                D = Unsigned(key.Exponent, n),
                P = Unsigned(key.P, half),
                Q = Unsigned(key.Q, half),
                DP = Unsigned(key.DP, half),
                DQ = Unsigned(key.DQ, half),
                InverseQ = Unsigned(key.QInv, half),
            };
            try
            {
                var rsa = RSA.Create();
                rsa.ImportParameters(parameters);
                return rsa;
            }
            finally
            {
                Wipe(parameters.D, parameters.P, parameters.Q, parameters.DP, parameters.DQ, parameters.InverseQ);
            }
        }

        public static ECDsa ToECDsa(ECPrivateKeyParameters key, string source)
        {
            var oid = key.PublicKeyParamSet ?? FindCurveOid(key.Parameters)
                ?? throw new ProvisioningException(ErrorIds.KeyAlgorithmUnsupported, ErrorKind.InvalidData,
                    $"'{source}': the EC key uses explicit curve parameters; only named curves (secp256r1, secp384r1, secp521r1) are supported.", source);
            int size = (key.Parameters.Curve.FieldSize + 7) / 8;
            var q = key.Parameters.G.Multiply(key.D).Normalize();
            var parameters = new ECParameters
            {
                Curve = ECCurve.CreateFromValue(oid.Id),
                D = Unsigned(key.D, size),
                Q = new System.Security.Cryptography.ECPoint
                {
                    X = Unsigned(q.AffineXCoord.ToBigInteger(), size),
                    Y = Unsigned(q.AffineYCoord.ToBigInteger(), size),
                },
            };
            try
            {
                var ec = ECDsa.Create();
                ec.ImportParameters(parameters);
                return ec;
            }
            finally
            {
                Wipe(parameters.D);
            }
        }

        /// <summary>
        /// The platform key as a BouncyCastle private key (PFX and PEM export on netstandard2.0, OAEP with SHA-2 on
        /// Windows PowerShell 5.1). A non-exportable key gives a clear PrivateKeyNotExportable error naming
        /// <paramref name="purpose"/>; signing never comes here (KeyBridge signs with the key object).
        /// </summary>
        /// <param name="owner">Whose key, for the message ("The private key of the certificate 'CN=CA' (from ...)").</param>
        public static AsymmetricKeyParameter ToPrivateKey(AsymmetricAlgorithm key, string purpose = "this operation", string? owner = null)
        {
            switch (key)
            {
                case RSA rsa:
                    var p = ExportPrivate(() => rsa.ExportParameters(true), purpose, owner);
                    try
                    {
                        return new RsaPrivateCrtKeyParameters(Big(p.Modulus), Big(p.Exponent), Big(p.D), Big(p.P), Big(p.Q),
                            Big(p.DP), Big(p.DQ), Big(p.InverseQ));
                    }
                    finally { Wipe(p.D, p.P, p.Q, p.DP, p.DQ, p.InverseQ); }
                case ECDsa ec:
                    var e = ExportPrivate(() => ec.ExportParameters(true), purpose, owner);
                    try { return new ECPrivateKeyParameters("EC", Big(e.D), CurveOid(e.Curve)); }
                    finally { Wipe(e.D); }
                default:
                    throw new ArgumentException("Only RSA and ECDsa keys are supported.", nameof(key));
            }
        }

        /// <summary>Runs a private-key export, turning the platform's refusal (a non-exportable key) into a clear error.</summary>
        internal static T ExportPrivate<T>(Func<T> export, string purpose, string? owner)
        {
            try { return export(); }
            catch (CryptographicException ex) { throw NotExportable(purpose, owner, ex); }
            catch (NotSupportedException ex) { throw NotExportable(purpose, owner, ex); }
        }

        /// <summary>PrivateKeyNotExportable: what is wrong, why the operation needs the key's bytes, and what to do.</summary>
        internal static ProvisioningException NotExportable(string purpose, string? owner, Exception inner) =>
            new ProvisioningException(ErrorIds.PrivateKeyNotExportable, ErrorKind.SecurityError,
                $"{owner ?? "The private key"} cannot be exported: it is marked non-exportable (as keys in the Windows certificate store, " +
                $"on a smart card, or imported without -Exportable usually are), and {purpose} needs the key itself, not only signatures from it. " +
                "Give the PEM or PFX file instead, or re-import the PFX with Import-PfxCertificate -Exportable.", owner, inner);

        public static AsymmetricKeyParameter ToPublicKey(AsymmetricAlgorithm key)
        {
            switch (key)
            {
                case RSA rsa:
                    var p = rsa.ExportParameters(false);
                    return new RsaKeyParameters(false, Big(p.Modulus), Big(p.Exponent));
                case ECDsa ec:
                    var e = ec.ExportParameters(false);
                    var oid = CurveOid(e.Curve);
                    var curve = ECNamedCurveTable.GetByOid(oid);
                    var point = curve.Curve.CreatePoint(Big(e.Q.X), Big(e.Q.Y));
                    return new ECPublicKeyParameters("EC", point, oid);
                default:
                    throw new ArgumentException("Only RSA and ECDsa keys are supported.", nameof(key));
            }
        }

        /// <summary>SEC1 ECPrivateKey DER with the curve OID and the public point, as `openssl ecparam -genkey` writes it.</summary>
        public static byte[] ToSec1(ECDsa ec, string purpose = "this operation", string? owner = null)
        {
            var e = ExportPrivate(() => ec.ExportParameters(true), purpose, owner);
            try
            {
                var oid = CurveOid(e.Curve);
                var curve = ECNamedCurveTable.GetByOid(oid);
                var publicPoint = new byte[1 + e.Q.X!.Length + e.Q.Y!.Length];
                publicPoint[0] = 4;
                Buffer.BlockCopy(e.Q.X, 0, publicPoint, 1, e.Q.X.Length);
                Buffer.BlockCopy(e.Q.Y, 0, publicPoint, 1 + e.Q.X.Length, e.Q.Y.Length);
                return new Org.BouncyCastle.Asn1.Sec.ECPrivateKeyStructure(curve.N.BitLength, Big(e.D), new DerBitString(publicPoint), oid).GetDerEncoded();
            }
            finally { Wipe(e.D); }
        }

        public static DerObjectIdentifier CurveOid(ECCurve curve)
        {
            var value = curve.Oid?.Value;
            if (!string.IsNullOrEmpty(value)) return new DerObjectIdentifier(value);
            // Windows CNG reports some curves by friendly name only.
            switch (curve.Oid?.FriendlyName)
            {
                case "nistP256": case "ECDSA_P256": case "secp256r1": case "prime256v1": return SecObjectIdentifiers.SecP256r1;
                case "nistP384": case "ECDSA_P384": case "secp384r1": return SecObjectIdentifiers.SecP384r1;
                case "nistP521": case "ECDSA_P521": case "secp521r1": return SecObjectIdentifiers.SecP521r1;
            }
            throw new ProvisioningException(ErrorIds.KeyAlgorithmUnsupported, ErrorKind.InvalidData,
                $"The EC curve '{curve.Oid?.FriendlyName}' is not supported; use secp256r1, secp384r1 or secp521r1.");
        }

        private static DerObjectIdentifier? FindCurveOid(ECDomainParameters parameters)
        {
            foreach (string name in ECNamedCurveTable.Names)
            {
                var candidate = ECNamedCurveTable.GetByName(name);
                if (candidate != null && candidate.Curve.Equals(parameters.Curve) && candidate.G.Equals(parameters.G))
                    return ECNamedCurveTable.GetOid(name);
            }
            return null;
        }

        internal static BigInteger Big(byte[]? bytes) => new BigInteger(1, bytes ?? Array.Empty<byte>());

        /// <summary>Big-endian, left-padded to <paramref name="length"/> bytes (the platform importers demand exact sizes).</summary>
        internal static byte[] Unsigned(BigInteger value, int length)
        {
            var raw = value.ToByteArrayUnsigned();
            if (raw.Length == length) return raw;
            if (raw.Length > length) throw new CryptographicException("Key component larger than the key size.");
            var padded = new byte[length];
            Buffer.BlockCopy(raw, 0, padded, length - raw.Length, raw.Length);
            Array.Clear(raw, 0, raw.Length);
            return padded;
        }

        internal static void Wipe(params byte[]?[] buffers)
        {
            foreach (var b in buffers)
                if (b != null) Array.Clear(b, 0, b.Length);
        }
    }
}
