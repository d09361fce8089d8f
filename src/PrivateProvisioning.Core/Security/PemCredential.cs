using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PrivateProvisioning.Core.Security
{
    /// <summary>The public-key algorithm of a certificate.</summary>
    public enum CertificateKeyAlgorithm
    {
        Rsa,
        EC,
    }

    /// <summary>
    /// A certificate and (optionally) its private key, as the rest of the module uses them: read from PEM
    /// (key and certificate in one file, as mkcert writes them, or in two files; PKCS#1, SEC1, PKCS#8,
    /// encrypted PKCS#8 and legacy encrypted PEM keys) or taken from an X509Certificate2. The private key is
    /// a platform <see cref="RSA"/> or <see cref="ECDsa"/> (held separately because netstandard2.0 cannot
    /// attach a key to an X509Certificate2). Dispose it when done: that disposes the key.
    /// </summary>
    /// <example>
    /// <code>
    /// using var tftp = PemCredential.Load("asterisk.pem");                       // key + certificate
    /// using var phone = PemCredential.Load("phone.crt", "phone.key", password);  // separate, encrypted key
    /// RSA signer = tftp.GetRsaPrivateKey("signing .sgn files");
    /// </code>
    /// </example>
    public sealed class PemCredential : IDisposable
    {
        private const string RsaOid = "1.2.840.113549.1.1.1";
        private const string EcOid = "1.2.840.10045.2.1";

        private PemCredential(X509Certificate2 certificate, AsymmetricAlgorithm? privateKey, string source)
        {
            Certificate = certificate;
            PrivateKey = privateKey;
            Source = source;
            KeyAlgorithm = AlgorithmOf(certificate, source);
        }

        /// <summary>The certificate.</summary>
        public X509Certificate2 Certificate { get; }

        /// <summary>The private key (<see cref="RSA"/> or <see cref="ECDsa"/>), or null when only the certificate was given.</summary>
        public AsymmetricAlgorithm? PrivateKey { get; }

        public bool HasPrivateKey => PrivateKey != null;

        public CertificateKeyAlgorithm KeyAlgorithm { get; }

        /// <summary>Where the credential came from (a path, or a description), for error messages.</summary>
        public string Source { get; }

        /// <summary>
        /// Reads a certificate and its private key. <paramref name="certificatePath"/> may hold both (mkcert's
        /// form) or only the certificate (PEM or DER); <paramref name="keyPath"/>, when given, holds the key.
        /// When no key is found the credential has none (fine for a phone certificate used to encrypt).
        /// </summary>
        /// <param name="password">Password of an encrypted key; the caller wipes it afterwards.</param>
        public static PemCredential Load(string certificatePath, string? keyPath = null, char[]? password = null)
        {
            var certificateBytes = ReadFile(certificatePath, "certificate");
            var certificateBlocks = IsPem(certificateBytes)
                ? PemDocument.Parse(Encoding.UTF8.GetString(certificateBytes), certificatePath)
                : null;
            PemBlock? keyBlock;
            string keySource;
            if (keyPath != null)
            {
                var keyBytes = ReadFile(keyPath, "private key");
                try
                {
                    keyBlock = PemDocument.Parse(Encoding.UTF8.GetString(keyBytes), keyPath).FirstOrDefault(b => PrivateKeyCodec.IsPrivateKeyLabel(b.Label))
                        ?? throw new ProvisioningException(ErrorIds.PrivateKeyNotFound, ErrorKind.InvalidData,
                            $"'{keyPath}' holds no PEM private key (expected a PRIVATE KEY, ENCRYPTED PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block).", keyPath);
                }
                finally { Array.Clear(keyBytes, 0, keyBytes.Length); }
                keySource = keyPath;
            }
            else
            {
                keyBlock = certificateBlocks?.FirstOrDefault(b => PrivateKeyCodec.IsPrivateKeyLabel(b.Label));
                keySource = certificatePath;
            }

            var certificates = certificateBlocks == null
                ? new List<X509Certificate2> { CertificateFromDer(certificateBytes, certificatePath) }
                : certificateBlocks.Where(b => b.Label == "CERTIFICATE" || b.Label == "TRUSTED CERTIFICATE")
                    .Select(b => CertificateFromDer(b.Data, certificatePath)).ToList();
            if (certificates.Count == 0)
                throw new ProvisioningException(ErrorIds.CertificateNotFound, ErrorKind.InvalidData,
                    $"'{certificatePath}' holds no certificate (expected a '-----BEGIN CERTIFICATE-----' block or a DER certificate).", certificatePath);
            return Combine(certificates, keyBlock, password, certificatePath, keySource);
        }

        /// <summary>As <see cref="Load(string, string, char[])"/>, with the password as UTF-8 bytes (what SecureString unwrapping gives).</summary>
        public static PemCredential Load(string certificatePath, string? keyPath, byte[]? utf8Password)
        {
            var chars = utf8Password == null ? null : Encoding.UTF8.GetChars(utf8Password);
            try { return Load(certificatePath, keyPath, chars); }
            finally { if (chars != null) Array.Clear(chars, 0, chars.Length); }
        }

        /// <summary>Reads a credential from PEM text (certificate, optionally with its key).</summary>
        public static PemCredential Parse(string pemText, char[]? password = null, string source = "PEM text")
        {
            var blocks = PemDocument.Parse(pemText, source);
            var certificates = blocks.Where(b => b.Label == "CERTIFICATE").Select(b => CertificateFromDer(b.Data, source)).ToList();
            if (certificates.Count == 0)
                throw new ProvisioningException(ErrorIds.CertificateNotFound, ErrorKind.InvalidData, $"{source} holds no certificate.", source);
            return Combine(certificates, blocks.FirstOrDefault(b => PrivateKeyCodec.IsPrivateKeyLabel(b.Label)), password, source, source);
        }

        /// <summary>
        /// Wraps an X509Certificate2 (from Get-PfxCertificate, a certificate store, ...). Its private key is
        /// used when it has one (RSA or ECDsa); otherwise the credential holds only the public certificate.
        /// </summary>
        public static PemCredential FromCertificate(X509Certificate2 certificate)
        {
            if (certificate == null) throw new ArgumentNullException(nameof(certificate));
            var source = "certificate " + certificate.Subject;
            AsymmetricAlgorithm? key = null;
            if (certificate.HasPrivateKey)
            {
                try
                {
                    key = AlgorithmOf(certificate, source) == CertificateKeyAlgorithm.Rsa
                        ? certificate.GetRSAPrivateKey()
                        : (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey();
                }
                catch (CryptographicException ex)
                {
                    throw new ProvisioningException(ErrorIds.PrivateKeyUnavailable, ErrorKind.SecurityError,
                        $"The private key of {source} cannot be used: {ex.Message}", certificate, ex);
                }
            }
            return new PemCredential(certificate, key, source);
        }

        /// <summary>Pairs a certificate with a private key the caller already holds; refuses a key that does not belong to it.</summary>
        public static PemCredential FromCertificate(X509Certificate2 certificate, AsymmetricAlgorithm privateKey)
        {
            if (certificate == null) throw new ArgumentNullException(nameof(certificate));
            if (privateKey == null) throw new ArgumentNullException(nameof(privateKey));
            var source = "certificate " + certificate.Subject;
            if (!KeyMatches(certificate, privateKey))
                throw Mismatch(source);
            return new PemCredential(certificate, privateKey, source);
        }

        /// <summary>The RSA private key, or a clear error naming <paramref name="purpose"/> when there is none or it is EC.</summary>
        public RSA GetRsaPrivateKey(string purpose)
        {
            RequireRsa(purpose);
            return PrivateKey as RSA ?? throw new ProvisioningException(ErrorIds.PrivateKeyRequired, ErrorKind.InvalidArgument,
                $"{Describe()} has no private key, which {purpose} needs; give the PEM file that holds the key (or -KeyPath / --key).", Source);
        }

        /// <summary>The certificate's RSA public key, or a clear error when the certificate is EC.</summary>
        public RSA GetRsaPublicKey(string purpose)
        {
            RequireRsa(purpose);
            return Certificate.GetRSAPublicKey()!;
        }

        /// <summary>Throws a clear "RSA required" error for an EC certificate.</summary>
        public void RequireRsa(string purpose)
        {
            if (KeyAlgorithm != CertificateKeyAlgorithm.Rsa)
                throw new ProvisioningException(ErrorIds.RsaKeyRequired, ErrorKind.InvalidArgument,
                    $"{Describe()} has an EC key, but {purpose} needs an RSA key (Cisco phones verify these with RSA only). Use an RSA certificate.", Source);
        }

        /// <summary>The certificate as a PEM block.</summary>
        public string ExportCertificatePem() => PemDocument.Encode("CERTIFICATE", Certificate.RawData);

        /// <summary>The private key as PEM (RSA: PKCS#8 "PRIVATE KEY"; EC: SEC1 "EC PRIVATE KEY"), unencrypted, as mkcert writes it.</summary>
        public string ExportPrivateKeyPem()
        {
            if (PrivateKey == null)
                throw new ProvisioningException(ErrorIds.PrivateKeyRequired, ErrorKind.InvalidArgument, $"{Describe()} has no private key to export.", Source);
            return PrivateKeyCodec.ExportPem(PrivateKey, "writing it to a PEM file", DescribeKey());
        }

        /// <summary>
        /// Writes mkcert's form: the private key, then the certificate, in one PEM file readable by its owner
        /// only, atomically. Without a private key only the certificate is written (mode left to the umask).
        /// </summary>
        public WriteStatus Save(string path, bool whatIf = false)
        {
            var text = PrivateKey == null ? ExportCertificatePem() : ExportPrivateKeyPem() + ExportCertificatePem();
            var bytes = Encoding.ASCII.GetBytes(text);
            try { return AtomicFile.Write(path, bytes, ownerOnly: PrivateKey != null, whatIf: whatIf); }
            finally { Array.Clear(bytes, 0, bytes.Length); }
        }

        public void Dispose() => PrivateKey?.Dispose();

        /// <summary>"The private key of the certificate '...' (from ...)", for errors about the key itself.</summary>
        internal string DescribeKey() => $"The private key of the certificate '{CertificateNames.Format(Certificate.SubjectName)}' (from {Source})";

        internal string Describe() => $"The certificate '{CertificateNames.Format(Certificate.SubjectName)}' (from {Source})";

        private static PemCredential Combine(List<X509Certificate2> certificates, PemBlock? keyBlock, char[]? password, string certificateSource, string keySource)
        {
            if (keyBlock == null) return new PemCredential(certificates[0], null, certificateSource);
            var key = PrivateKeyCodec.Read(keyBlock, password, keySource);
            // A file may carry a chain: the certificate is the one the key belongs to. A certificate loads lazily:
            // one whose public key is damaged fails only here, and is the file's error.
            X509Certificate2? match;
            try { match = certificates.FirstOrDefault(c => KeyMatches(c, key)); }
            catch (Exception ex) when (ex is CryptographicException || ex is ArgumentException || ex is PlatformNotSupportedException)
            {
                key.Dispose();
                throw new ProvisioningException(ErrorIds.CertificateInvalid, ErrorKind.InvalidData,
                    $"'{certificateSource}' holds a certificate whose public key cannot be read: {TerminalText.Escape(ex.Message)}", certificateSource, ex);
            }
            if (match == null)
            {
                key.Dispose();
                throw Mismatch(keySource == certificateSource ? certificateSource : $"{keySource}' / '{certificateSource}");
            }
            return new PemCredential(match, key, certificateSource);
        }

        internal static bool KeyMatches(X509Certificate2 certificate, AsymmetricAlgorithm key)
        {
            switch (key)
            {
                case RSA rsa:
                    using (var pub = certificate.GetRSAPublicKey())
                    {
                        if (pub == null) return false;
                        var a = pub.ExportParameters(false);
                        var b = rsa.ExportParameters(false);
                        return a.Modulus!.SequenceEqual(b.Modulus!) && a.Exponent!.SequenceEqual(b.Exponent!);
                    }
                case ECDsa ec:
                    using (var pub = certificate.GetECDsaPublicKey())
                    {
                        if (pub == null) return false;
                        var a = pub.ExportParameters(false);
                        var b = ec.ExportParameters(false);
                        return a.Q.X!.SequenceEqual(b.Q.X!) && a.Q.Y!.SequenceEqual(b.Q.Y!);
                    }
                default:
                    return false;
            }
        }

        internal static CertificateKeyAlgorithm AlgorithmOf(X509Certificate2 certificate, string source)
        {
            switch (certificate.PublicKey.Oid.Value)
            {
                case RsaOid: return CertificateKeyAlgorithm.Rsa;
                case EcOid: return CertificateKeyAlgorithm.EC;
                default:
                    throw new ProvisioningException(ErrorIds.KeyAlgorithmUnsupported, ErrorKind.InvalidData,
                        $"The certificate in '{source}' has a {certificate.PublicKey.Oid.FriendlyName ?? certificate.PublicKey.Oid.Value} key; only RSA and EC are supported.", source);
            }
        }

        internal static X509Certificate2 CertificateFromDer(byte[] der, string source)
        {
            try
            {
#if NET
                return X509CertificateLoader.LoadCertificate(der);
#else
                return new X509Certificate2(der);
#endif
            }
            catch (CryptographicException ex)
            {
                throw new ProvisioningException(ErrorIds.CertificateInvalid, ErrorKind.InvalidData,
                    $"'{source}' holds a certificate that cannot be read: {ex.Message}", source, ex);
            }
        }

        private static bool IsPem(byte[] bytes)
        {
            // DER certificates start with a SEQUENCE tag; anything with a BEGIN line is PEM.
            int limit = Math.Min(bytes.Length, 64 * 1024);
            var marker = Encoding.ASCII.GetBytes("-----BEGIN ");
            for (int i = 0; i + marker.Length <= limit; i++)
            {
                int j = 0;
                while (j < marker.Length && bytes[i + j] == marker[j]) j++;
                if (j == marker.Length) return true;
            }
            return bytes.Length == 0 || bytes[0] != 0x30;
        }

        private static byte[] ReadFile(string path, string what)
        {
            try { return File.ReadAllBytes(path); }
            catch (FileNotFoundException)
            {
                throw new ProvisioningException(ErrorIds.CertificateFileNotFound, ErrorKind.ObjectNotFound, $"The {what} file '{path}' does not exist.", path);
            }
            catch (DirectoryNotFoundException)
            {
                throw new ProvisioningException(ErrorIds.CertificateFileNotFound, ErrorKind.ObjectNotFound, $"The {what} file '{path}' does not exist.", path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new ProvisioningException(ErrorIds.CertificateFileUnreadable, ErrorKind.ReadError, $"Cannot read the {what} file '{path}': {ex.Message}", path, ex);
            }
        }

        private static ProvisioningException Mismatch(string source) =>
            new ProvisioningException(ErrorIds.PrivateKeyMismatch, ErrorKind.InvalidData,
                $"The private key in '{source}' does not belong to the certificate.", source);
    }
}
