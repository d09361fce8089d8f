using System;
using System.IO;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;

namespace PrivateProvisioning.Core.Security
{
    /// <summary>
    /// Turns a private-key PEM block into a platform RSA or ECDsa, and back. Under .NET (net10.0) the
    /// platform importers do the work; BouncyCastle handles what they cannot (legacy "Proc-Type: 4,ENCRYPTED"
    /// keys) and everything on netstandard2.0. Both paths are compiled on every target so tests can prove
    /// they agree.
    /// </summary>
    internal static class PrivateKeyCodec
    {
        public static bool IsPrivateKeyLabel(string label) =>
            label == "PRIVATE KEY" || label == "ENCRYPTED PRIVATE KEY" || label == "RSA PRIVATE KEY" || label == "EC PRIVATE KEY";

        public static AsymmetricAlgorithm Read(PemBlock block, char[]? password, string source)
        {
            if (IsEncrypted(block) && (password == null || password.Length == 0))
                throw new ProvisioningException(ErrorIds.PrivateKeyPasswordRequired, ErrorKind.AuthenticationError,
                    $"The private key in '{source}' is encrypted; give its password.", source);
#if NET
            if (!block.IsLegacyEncrypted) return ReadWithPlatform(block, password, source);
#endif
            return ReadWithBouncyCastle(block, password, source);
        }

        public static bool IsEncrypted(PemBlock block) => block.Label == "ENCRYPTED PRIVATE KEY" || block.IsLegacyEncrypted;

#if NET
        internal static AsymmetricAlgorithm ReadWithPlatform(PemBlock block, char[]? password, string source)
        {
            try
            {
                switch (block.Label)
                {
                    case "RSA PRIVATE KEY":
                        var rsa1 = RSA.Create();
                        rsa1.ImportRSAPrivateKey(block.Data, out _);
                        return rsa1;
                    case "EC PRIVATE KEY":
                        var ec1 = ECDsa.Create();
                        ec1.ImportECPrivateKey(block.Data, out _);
                        return ec1;
                    case "PRIVATE KEY":
                        if (Pkcs8AlgorithmOid(block.Data) == "1.2.840.10045.2.1")
                        {
                            var ec2 = ECDsa.Create();
                            ec2.ImportPkcs8PrivateKey(block.Data, out _);
                            return ec2;
                        }
                        var rsa2 = RSA.Create();
                        rsa2.ImportPkcs8PrivateKey(block.Data, out _);
                        return rsa2;
                    case "ENCRYPTED PRIVATE KEY":
                        // The algorithm is only known after decryption: try RSA, then EC.
                        var rsa3 = RSA.Create();
                        try
                        {
                            rsa3.ImportEncryptedPkcs8PrivateKey(password, block.Data, out _);
                            return rsa3;
                        }
                        catch (CryptographicException)
                        {
                            rsa3.Dispose();
                        }
                        var ec3 = ECDsa.Create();
                        try
                        {
                            ec3.ImportEncryptedPkcs8PrivateKey(password, block.Data, out _);
                            return ec3;
                        }
                        catch (CryptographicException)
                        {
                            ec3.Dispose();
                            throw WrongPassword(source);
                        }
                }
            }
            // A damaged key also fails as PlatformNotSupportedException (an unknown curve) or ArgumentException.
            catch (Exception ex) when (ex is CryptographicException || ex is PlatformNotSupportedException || ex is ArgumentException
                                       || ex is System.Formats.Asn1.AsnContentException)
            {
                throw Unreadable(source, block.Label, ex);
            }
            throw Unreadable(source, block.Label, null);
        }

        private static string? Pkcs8AlgorithmOid(byte[] der)
        {
            try
            {
                var reader = new System.Formats.Asn1.AsnReader(der, System.Formats.Asn1.AsnEncodingRules.BER);
                var info = reader.ReadSequence();
                info.ReadInteger();
                return info.ReadSequence().ReadObjectIdentifier();
            }
            catch (System.Formats.Asn1.AsnContentException) { return null; }
        }
#endif

        internal static AsymmetricAlgorithm ReadWithBouncyCastle(PemBlock block, char[]? password, string source)
        {
            object? parsed;
            try
            {
                var reader = new PemReader(new StringReader(block.Text), new PasswordFinder(password));
                parsed = reader.ReadObject();
            }
            catch (Exception ex) when (ex is Org.BouncyCastle.OpenSsl.PasswordException || ex is InvalidCipherTextException || ex is PemException
                                       || ex is IOException || ex is ArgumentException || ex is InvalidOperationException
                                       || ex is InvalidKeyException || ex is SecurityUtilityException)
            {
                if (IsEncrypted(block)) throw WrongPassword(source);
                throw Unreadable(source, block.Label, ex);
            }
            var key = parsed is AsymmetricCipherKeyPair pair ? pair.Private : parsed as AsymmetricKeyParameter;
            switch (key)
            {
                case RsaPrivateCrtKeyParameters rsa: return BouncyCastleBridge.ToRsa(rsa);
                case ECPrivateKeyParameters ec: return BouncyCastleBridge.ToECDsa(ec, source);
                case null: throw Unreadable(source, block.Label, null);
                default:
                    throw new ProvisioningException(ErrorIds.KeyAlgorithmUnsupported, ErrorKind.InvalidData,
                        $"The private key in '{source}' is neither RSA nor EC; only those are supported.", source);
            }
        }

        /// <summary>
        /// PEM for a private key as OpenSSL 3 writes it: RSA as PKCS#8 ("PRIVATE KEY"), EC as SEC1
        /// ("EC PRIVATE KEY", curve named inside) — the same forms mkcert produces.
        /// </summary>
        /// <param name="purpose">Why the key is exported, and <paramref name="owner"/> whose it is: both for the error a non-exportable key gives.</param>
        public static string ExportPem(AsymmetricAlgorithm key, string purpose = "writing it to a PEM file", string? owner = null)
        {
#if NET
            return ExportPemWithPlatform(key, purpose, owner);
#else
            return ExportPemWithBouncyCastle(key, purpose, owner);
#endif
        }

#if NET
        internal static string ExportPemWithPlatform(AsymmetricAlgorithm key, string purpose = "writing it to a PEM file", string? owner = null)
        {
            byte[] der = key switch
            {
                RSA rsa => BouncyCastleBridge.ExportPrivate(() => rsa.ExportPkcs8PrivateKey(), purpose, owner),
                ECDsa ec => BouncyCastleBridge.ExportPrivate(() => ec.ExportECPrivateKey(), purpose, owner),
                _ => throw new ArgumentException("Only RSA and ECDsa keys are supported.", nameof(key)),
            };
            try { return PemDocument.Encode(key is RSA ? "PRIVATE KEY" : "EC PRIVATE KEY", der); }
            finally { Array.Clear(der, 0, der.Length); }
        }
#endif

        internal static string ExportPemWithBouncyCastle(AsymmetricAlgorithm key, string purpose = "writing it to a PEM file", string? owner = null)
        {
            byte[] der = key switch
            {
                RSA _ => Org.BouncyCastle.Pkcs.PrivateKeyInfoFactory.CreatePrivateKeyInfo(BouncyCastleBridge.ToPrivateKey(key, purpose, owner)).GetDerEncoded(),
                ECDsa ec => BouncyCastleBridge.ToSec1(ec, purpose, owner),
                _ => throw new ArgumentException("Only RSA and ECDsa keys are supported.", nameof(key)),
            };
            try { return PemDocument.Encode(key is RSA ? "PRIVATE KEY" : "EC PRIVATE KEY", der); }
            finally { Array.Clear(der, 0, der.Length); }
        }

        private static ProvisioningException WrongPassword(string source) =>
            new ProvisioningException(ErrorIds.PrivateKeyPasswordWrong, ErrorKind.AuthenticationError,
                $"Cannot decrypt the private key in '{source}': the password is wrong (or the encryption is not supported).", source);

        private static ProvisioningException Unreadable(string source, string label, Exception? inner) =>
            new ProvisioningException(ErrorIds.PrivateKeyInvalid, ErrorKind.InvalidData,
                $"The '{label}' block in '{source}' is not a readable RSA or EC private key.", source, inner);

        private sealed class PasswordFinder : IPasswordFinder
        {
            private readonly char[]? _password;
            public PasswordFinder(char[]? password) { _password = password; }
            // BouncyCastle may wipe what it is given: hand it a copy.
            public char[]? GetPassword() => _password == null ? null : (char[])_password.Clone();
        }
    }
}
