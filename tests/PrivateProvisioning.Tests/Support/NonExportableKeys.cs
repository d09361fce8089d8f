using System;
using System.Security.Cryptography;
using PrivateProvisioning.Core.Security;

namespace PrivateProvisioning.Tests.Support
{
    /// <summary>
    /// Keys that behave as a non-exportable Windows key does (a CNG key from the certificate store, a PFX imported
    /// without -Exportable): they sign and decrypt, but refuse to give their private parameters, with the
    /// CryptographicException Windows throws. Linux keys are always exportable, so this is how the tests get one.
    /// </summary>
    internal static class NonExportableKeys
    {
        /// <summary>The certificate of <paramref name="pemPath"/> paired with a non-exportable copy of its key.</summary>
        public static PemCredential Load(string pemPath, Action<NonExportableRsa>? configure = null)
        {
            using var loaded = PemCredential.Load(pemPath);
            AsymmetricAlgorithm key;
            switch (loaded.PrivateKey)
            {
                case RSA rsa:
                    var copy = RSA.Create();
                    copy.ImportParameters(rsa.ExportParameters(true));
                    var wrapped = new NonExportableRsa(copy);
                    configure?.Invoke(wrapped);
                    key = wrapped;
                    break;
                case ECDsa ec:
                    var ecCopy = ECDsa.Create();
                    ecCopy.ImportParameters(ec.ExportParameters(true));
                    key = new NonExportableECDsa(ecCopy);
                    break;
                default:
                    throw new InvalidOperationException(pemPath + " holds no private key");
            }
            return PemCredential.FromCertificate(loaded.Certificate, key);
        }

        internal static CryptographicException Refused() => new CryptographicException("Key not valid for use in specified state.");
    }

    internal sealed class NonExportableRsa : RSA
    {
        private readonly RSA _inner;

        public NonExportableRsa(RSA inner)
        {
            _inner = inner;
            KeySizeValue = inner.KeySize;
            LegalKeySizesValue = inner.LegalKeySizes;
        }

        /// <summary>Signatures with SHA-512 fail as they do with a key in an old CryptoAPI provider (PROV_RSA_FULL).</summary>
        public bool RefusesSha512 { get; set; }

        /// <summary>How many private-key operations went through this object (signatures and decryptions).</summary>
        public int PrivateOperations;

        public override RSAParameters ExportParameters(bool includePrivateParameters) =>
            includePrivateParameters ? throw NonExportableKeys.Refused() : _inner.ExportParameters(false);

        public override void ImportParameters(RSAParameters parameters) => throw NonExportableKeys.Refused();

        public override byte[] SignHash(byte[] hash, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
        {
            if (RefusesSha512 && hashAlgorithm == HashAlgorithmName.SHA512) throw new CryptographicException("Invalid algorithm specified.");
            System.Threading.Interlocked.Increment(ref PrivateOperations);
            return _inner.SignHash(hash, hashAlgorithm, padding);
        }

        public override bool VerifyHash(byte[] hash, byte[] signature, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding) =>
            _inner.VerifyHash(hash, signature, hashAlgorithm, padding);

        public override byte[] Decrypt(byte[] data, RSAEncryptionPadding padding)
        {
            System.Threading.Interlocked.Increment(ref PrivateOperations);
            return _inner.Decrypt(data, padding);
        }

        public override byte[] Encrypt(byte[] data, RSAEncryptionPadding padding) => _inner.Encrypt(data, padding);

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }
    }

    internal sealed class NonExportableECDsa : ECDsa
    {
        private readonly ECDsa _inner;

        public NonExportableECDsa(ECDsa inner)
        {
            _inner = inner;
            KeySizeValue = inner.KeySize;
            LegalKeySizesValue = inner.LegalKeySizes;
        }

        public override ECParameters ExportParameters(bool includePrivateParameters) =>
            includePrivateParameters ? throw NonExportableKeys.Refused() : _inner.ExportParameters(false);

        public override ECParameters ExportExplicitParameters(bool includePrivateParameters) =>
            includePrivateParameters ? throw NonExportableKeys.Refused() : _inner.ExportExplicitParameters(false);

        public override void ImportParameters(ECParameters parameters) => throw NonExportableKeys.Refused();

        public override byte[] SignHash(byte[] hash) => _inner.SignHash(hash);

        public override bool VerifyHash(byte[] hash, byte[] signature) => _inner.VerifyHash(hash, signature);

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
