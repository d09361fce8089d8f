using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1.X509;

namespace PrivateProvisioning.Core.Security.Enrollment
{
    /// <summary>An SSL pin: SHA-256 over the certificate's SubjectPublicKeyInfo, Base64 (RFC 7469 pin-sha256).</summary>
    public sealed class CertificatePin
    {
        internal CertificatePin(string? path, X509Certificate2 certificate, string pin)
        {
            Path = path; Pin = pin; Subject = certificate.Subject; Thumbprint = certificate.Thumbprint;
            NotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        }

        public string? Path { get; }
        public string Subject { get; }
        /// <summary>Always "sha256".</summary>
        public string Algorithm => "sha256";
        /// <summary>Base64 of SHA-256(SubjectPublicKeyInfo DER).</summary>
        public string Pin { get; }
        public string Thumbprint { get; }
        public DateTimeOffset NotAfter { get; }
    }

    /// <summary>
    /// Computes pins exactly as
    /// `openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64`
    /// prints them. The pin follows the key, not the certificate: a renewed certificate with the same key keeps it.
    /// </summary>
    public static class CertificatePins
    {
        public static string Compute(X509Certificate2 certificate)
        {
            if (certificate == null) throw new ArgumentNullException(nameof(certificate));
            var spki = X509CertificateStructure.GetInstance(certificate.RawData).SubjectPublicKeyInfo.GetDerEncoded();
            using var sha = SHA256.Create();
            return Convert.ToBase64String(sha.ComputeHash(spki));
        }

        public static CertificatePin FromCertificate(X509Certificate2 certificate, string? path = null)
        {
            if (certificate == null) throw new ArgumentNullException(nameof(certificate));
            // X509Certificate2 loads lazily: a certificate whose validity or key info is damaged loads, then throws
            // when a field is read (NotAfter, the SubjectPublicKeyInfo). That is the file's error, not ours.
            try { return new CertificatePin(path, certificate, Compute(certificate)); }
            catch (Exception ex) when (ex is CryptographicException || ex is ArgumentException || ex is System.IO.IOException || ex is InvalidCastException || ex is InvalidOperationException || ex is FormatException)
            {
                var what = path ?? certificate.SubjectName.Name;
                throw new ProvisioningException(ErrorIds.CertificateInvalid, ErrorKind.InvalidData,
                    $"'{what}' holds a certificate whose fields cannot be read (validity or public key damaged): {Core.TerminalText.Escape(ex.Message)}", what, ex);
            }
        }

        /// <summary>The pin of the first certificate in a PEM or DER file (the leaf, in a chain file).</summary>
        public static CertificatePin FromFile(string path)
        {
            var full = System.IO.Path.GetFullPath(path);
            using var credential = PemCredential.Load(full);
            return FromCertificate(credential.Certificate, full);
        }
    }
}
