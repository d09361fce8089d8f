using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1.X509;

namespace PrivateProvisioning.Core.Security.Enrollment
{
    /// <summary>
    /// A certificate with its private key: the CA that approves requests, or the server certificate that
    /// encrypted requests are addressed to. Loaded from PEM files as openssl writes them, or taken from an
    /// X509Certificate2 that already carries its key.
    /// </summary>
    public sealed class CertificateCredential : IDisposable
    {
        private CertificateCredential(X509Certificate2 certificate, AsymmetricAlgorithm privateKey, IReadOnlyList<X509Certificate2> chain, string? path)
        {
            Certificate = certificate;
            PrivateKey = privateKey;
            Chain = chain;
            Path = path;
        }

        public X509Certificate2 Certificate { get; }

        /// <summary>RSA or ECDsa.</summary>
        public AsymmetricAlgorithm PrivateKey { get; }

        /// <summary>Further certificates found in the file after the first (intermediates).</summary>
        public IReadOnlyList<X509Certificate2> Chain { get; }

        /// <summary>The file the certificate came from, when it came from one.</summary>
        public string? Path { get; }

        /// <summary>
        /// Loads a certificate and its key. The key is taken from <paramref name="keyPath"/>, else from the
        /// certificate file itself (mkcert writes key and certificate together), else from a file with the
        /// same name and the extension .key beside it (openssl req -keyout habits).
        /// </summary>
        public static CertificateCredential Load(string certificatePath, string? keyPath = null, byte[]? keyPassword = null)
        {
            var content = EnrollmentPem.ReadFile(certificatePath, "certificate");
            var certificates = EnrollmentPem.ReadCertificates(content, certificatePath);
            if (certificates.Count == 0)
                throw new ProvisioningException("CertificateMissing", ErrorKind.InvalidData,
                    $"'{certificatePath}' holds no CERTIFICATE block.", certificatePath);

            AsymmetricAlgorithm? key;
            string keySource;
            if (keyPath != null)
            {
                keySource = keyPath;
                key = EnrollmentPem.ReadPrivateKey(EnrollmentPem.ReadFile(keyPath, "private key"), keyPath, keyPassword)
                      ?? throw NoKey(keyPath, $"'{keyPath}' holds no PRIVATE KEY block.");
            }
            else
            {
                keySource = certificatePath;
                key = EnrollmentPem.ReadPrivateKey(content, certificatePath, keyPassword);
                if (key == null)
                {
                    var beside = System.IO.Path.ChangeExtension(certificatePath, ".key");
                    if (!File.Exists(beside))
                        throw NoKey(certificatePath, $"'{certificatePath}' holds no private key and there is no '{System.IO.Path.GetFileName(beside)}' beside it; give the key file.");
                    keySource = beside;
                    key = EnrollmentPem.ReadPrivateKey(EnrollmentPem.ReadFile(beside, "private key"), beside, keyPassword)
                          ?? throw NoKey(beside, $"'{beside}' holds no PRIVATE KEY block.");
                }
            }
            EnsureKeyMatches(certificates[0], key, keySource);
            return new CertificateCredential(certificates[0], key, certificates.Skip(1).ToList(), certificatePath);
        }

        /// <summary>Uses a certificate object that carries its private key (from the certificate store, a PFX, or our own cmdlets).</summary>
        public static CertificateCredential FromCertificate(X509Certificate2 certificate)
        {
            if (certificate == null) throw new ArgumentNullException(nameof(certificate));
            AsymmetricAlgorithm? key = null;
            if (certificate.HasPrivateKey)
                key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey();
            if (key == null)
                throw NoKey(certificate.Subject, $"The certificate '{certificate.Subject}' ({certificate.Thumbprint}) has no usable private key; load it from its PEM file with the key.");
            return new CertificateCredential(certificate, key, Array.Empty<X509Certificate2>(), null);
        }

        /// <summary>The name used in messages: the file when there is one, else the subject.</summary>
        public string DisplayName => Path ?? Certificate.Subject;

        public void Dispose() => PrivateKey.Dispose();

        internal static byte[] PublicKeyBits(X509Certificate2 certificate) =>
            X509CertificateStructure.GetInstance(certificate.RawData).SubjectPublicKeyInfo.PublicKeyData.GetBytes();

        private static void EnsureKeyMatches(X509Certificate2 certificate, AsymmetricAlgorithm key, string keySource)
        {
            var fromKey = SubjectPublicKeyInfo.GetInstance(KeyBridge.SubjectPublicKeyInfo(key)).PublicKeyData.GetBytes();
            if (!fromKey.SequenceEqual(PublicKeyBits(certificate)))
                throw new ProvisioningException("KeyDoesNotMatchCertificate", ErrorKind.InvalidData,
                    $"The private key in '{keySource}' does not belong to the certificate '{certificate.Subject}'.", keySource);
        }

        private static ProvisioningException NoKey(object target, string message) =>
            new ProvisioningException("PrivateKeyMissing", ErrorKind.ObjectNotFound, message, target);
    }
}
