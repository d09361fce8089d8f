using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PrivateProvisioning.Core.Security
{
    /// <summary>Digest of a Cisco signed header (tag 8) and of the .enc.sgn plaintext (tag 26).</summary>
    public enum CiscoDigest : byte
    {
        Sha1 = 1,
        Sha512 = 3,
    }

    /// <summary>
    /// Signs Cisco headers (.tlv, .sgn, .enc.sgn) with an RSA key: the platform RSA, RSASSA-PKCS1-v1_5 with
    /// SHA-1 or SHA-512 (spec §3.4). The signer-info element (names, serial) is computed once, so signing
    /// thousands of files costs one RSA operation each. Thread-safe: an exportable key (a PEM or PFX file) is
    /// copied into one RSA handle per thread, so parallel batches sign in parallel; a non-exportable key (the
    /// Windows certificate store, Get-PfxCertificate, a smart card) is never exported: the key object itself
    /// signs, one signature at a time.
    /// </summary>
    public sealed class CiscoSigner : IDisposable
    {
        private readonly RSAParameters _parameters;
        /// <summary>Per-thread copies of an exportable key; null when the key signs itself.</summary>
        private readonly System.Threading.ThreadLocal<RSA>? _copies;
#if NET
        /// <summary>On Linux with OpenSSL 3: an exportable key signs straight through libcrypto, one prepared context per thread (null elsewhere).</summary>
        private readonly OpenSslRsaSigner? _native;
#endif
        /// <summary>A non-exportable key (the credential's: not disposed here); null when copies sign.</summary>
        private readonly RSA? _key;
        private readonly System.Threading.ThreadLocal<RSA> _public;
        /// <summary>
        /// Each thread's hasher of the signed bytes, reused for every file it signs: a new one per file was a hash
        /// context to fetch and a finalizer to register and run, 10,000 times in a bulk run.
        /// </summary>
        private readonly System.Threading.ThreadLocal<IncrementalHash> _hashers;
        private readonly string _describe;
        private readonly string _source;

        /// <param name="credential">An RSA certificate with its private key (SAST for .tlv, TFTP for .sgn).</param>
        /// <param name="purpose">What the key is for, named in errors ("signing ITL files").</param>
        public CiscoSigner(PemCredential credential, CiscoDigest digest, string purpose = "signing Cisco files")
        {
            if (credential == null) throw new ArgumentNullException(nameof(credential));
            var key = credential.GetRsaPrivateKey(purpose);
            KeySize = key.KeySize;
            ModulusCode = ModulusCodeOf(KeySize, credential, purpose);
            SignatureLength = KeySize / 8;
            Digest = digest == CiscoDigest.Sha1 || digest == CiscoDigest.Sha512 ? digest
                : throw new ProvisioningException(ErrorIds.DigestUnsupported, ErrorKind.InvalidArgument, $"The digest {digest} is not supported; use Sha1 or Sha512.");
            Certificate = credential.Certificate;
            SignerInfo = BuildSignerInfo(credential.Certificate);
            _describe = credential.Describe();
            _source = credential.Source;
            var certificate = credential.Certificate;
            _public = new System.Threading.ThreadLocal<RSA>(() => certificate.GetRSAPublicKey()!, trackAllValues: true);
            var hashName = HashName;
            _hashers = new System.Threading.ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHash(hashName), trackAllValues: true);
            if (TryExportPrivate(key, out _parameters))
            {
#if NET
                _native = OpenSslRsaSigner.TryCreate(_parameters, Digest, key);
#endif
                _copies = new System.Threading.ThreadLocal<RSA>(() =>
                {
                    var rsa = RSA.Create();
                    rsa.ImportParameters(_parameters);
                    return rsa;
                }, trackAllValues: true);
            }
            else
            {
                _key = key;
                // One signature now, so a key that cannot sign this digest fails once, before any file is written.
                SignHash(new byte[Digest == CiscoDigest.Sha1 ? 20 : 64]);
            }
        }

        public System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate { get; }
        public CiscoDigest Digest { get; }
        public int KeySize { get; }
        internal byte ModulusCode { get; }
        internal int SignatureLength { get; }
        /// <summary>Tag 3 with tags 4, 6, 5 (certutils v4.13 order).</summary>
        internal byte[] SignerInfo { get; }

        /// <summary>True when the key could not be exported and signs through its own object (one signature at a time).</summary>
        internal bool SignsWithKeyObject => _key != null;

        internal HashAlgorithmName HashName => Digest == CiscoDigest.Sha1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA512;

        /// <summary>This signer's digest (SHA-1 or SHA-512) of three byte ranges one after another, on the calling thread's hasher.</summary>
        internal byte[] HashOf(byte[] first, int firstCount, byte[] second, int secondCount, byte[] third, int thirdOffset, int thirdCount)
        {
            var hasher = _hashers.Value!;
            try
            {
                hasher.AppendData(first, 0, firstCount);
                hasher.AppendData(second, 0, secondCount);
                hasher.AppendData(third, thirdOffset, thirdCount);
                return hasher.GetHashAndReset();
            }
            catch (Exception ex) when (ex is ArgumentException || ex is CryptographicException)
            {
                hasher.GetHashAndReset(); // nothing half-hashed is left for this thread's next file
                throw;
            }
        }

        internal byte[] SignHash(byte[] hash)
        {
            try
            {
#if NET
                if (_native != null) return _native.SignHash(hash);
#endif
                if (_copies != null) return _copies.Value!.SignHash(hash, HashName, RSASignaturePadding.Pkcs1);
                // The platform does not promise that one key object signs on several threads at once.
                lock (_key!) return _key.SignHash(hash, HashName, RSASignaturePadding.Pkcs1);
            }
            catch (CryptographicException ex)
            {
                throw new ProvisioningException(ErrorIds.SigningFailed, ErrorKind.SecurityError,
                    $"{_describe}: its private key refused to sign with RSA and {(Digest == CiscoDigest.Sha1 ? "SHA-1" : "SHA-512")} ({ex.Message.TrimEnd('.', ' ')}). " +
                    "A key held by an old CryptoAPI provider may not sign SHA-512: re-import the PFX into the Microsoft Software Key Storage " +
                    "Provider, or sign with the SHA-1 digest.", _source, ex).About(RequestParameter.Digest);
            }
        }

        /// <summary>True when <paramref name="header"/>'s signature over <paramref name="data"/> is this signer's (a cheap public-key operation).</summary>
        internal bool Signed(CiscoHeader header, byte[] data, string source) => header.Verify(data, _public.Value!, source);

        public void Dispose()
        {
#if NET
            _native?.Dispose();
#endif
            if (_copies != null)
            {
                foreach (var rsa in _copies.Values) rsa.Dispose();
                _copies.Dispose();
            }
            foreach (var rsa in _public.Values) rsa.Dispose();
            _public.Dispose();
            foreach (var hasher in _hashers.Values) hasher.Dispose();
            _hashers.Dispose();
            BouncyCastleBridge.Wipe(_parameters.D, _parameters.P, _parameters.Q, _parameters.DP, _parameters.DQ, _parameters.InverseQ);
        }

        /// <summary>The private parameters, or false for a key that refuses to be exported (it then signs itself).</summary>
        private static bool TryExportPrivate(RSA key, out RSAParameters parameters)
        {
            try
            {
                parameters = key.ExportParameters(true);
                return parameters.D != null;
            }
            catch (CryptographicException) { }
            catch (NotSupportedException) { } // a hardware or third-party RSA class
            parameters = default;
            return false;
        }

        internal static byte ModulusCodeOf(int bits, PemCredential credential, string purpose)
        {
            switch (bits)
            {
                case 512: return 0;
                case 1024: return 1;
                case 2048: return 2;
                case 4096: return 3;
                default:
                    throw new ProvisioningException(ErrorIds.SignerKeySizeUnsupported, ErrorKind.InvalidArgument,
                        $"{credential.Describe()} has a {bits}-bit RSA key; {purpose} needs 512, 1024, 2048 or 4096 bits (phones use up to 2048).", credential.Source);
            }
        }

        private static byte[] BuildSignerInfo(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
        {
            var name = NulTerminated(CertificateNames.Format(certificate.SubjectName));
            var issuer = NulTerminated(CertificateNames.Format(certificate.IssuerName));
            var serial = CertificateNames.SerialBytes(certificate);
            var writer = new TlvWriter(16 + name.Length + issuer.Length + serial.Length);
            writer.Header(CiscoTags.SignerInfo, 9 + name.Length + issuer.Length + serial.Length);
            writer.Element(CiscoTags.SignerName, name);
            writer.Element(CiscoTags.IssuerName, issuer);
            writer.Element(CiscoTags.SerialNumber, serial);
            return writer.ToArray();
        }

        internal static byte[] NulTerminated(string text)
        {
            var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
            Encoding.UTF8.GetBytes(text, 0, text.Length, bytes, 0);
            return bytes;
        }
    }
}
