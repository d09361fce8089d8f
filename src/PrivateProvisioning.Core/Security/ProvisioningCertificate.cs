using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace PrivateProvisioning.Core.Security
{
    /// <summary>The EC curves Cisco phones and the reference tools use.</summary>
    public enum CertificateCurve
    {
        Secp256r1,
        Secp384r1,
        Secp521r1,
    }

    /// <summary>What to put in a new certificate (mkcert's options). Validated on construction.</summary>
    public sealed class CertificateRequestOptions
    {
        /// <summary>Validity when the user does not say: ten years, as Cisco's mkcert makes them.</summary>
        public const int DefaultYears = 10;
        /// <summary>RSA key size when the user does not say.</summary>
        public const int DefaultRsaKeySize = 2048;

        /// <param name="rsaKeySize">1024 or 2048 (the default when no curve is given).</param>
        /// <param name="curve">An EC key on this curve instead of RSA.</param>
        /// <param name="issuer">Sign with this CA (it needs its private key) instead of self-signing.</param>
        public CertificateRequestOptions(string commonName, string organization, string organizationalUnit,
            string? locality = null, string? state = null, string? country = null, int years = 10,
            int? rsaKeySize = null, CertificateCurve? curve = null, PemCredential? issuer = null)
        {
            CommonName = Required(commonName, "common name (CN)");
            Organization = Required(organization, "organization (O)");
            OrganizationalUnit = Required(organizationalUnit, "organizational unit (OU)");
            Locality = Optional(locality);
            State = Optional(state);
            Country = Optional(country);
            if (Country != null && !Regex.IsMatch(Country, "^[A-Z]{2}$"))
                throw Invalid(ErrorIds.InvalidCountry, $"The country '{Country}' must be two upper-case letters (an ISO 3166 code such as NZ or US).", Country);
            if (years < 1 || years > 100)
                throw Invalid(ErrorIds.InvalidYears, $"The validity of {years} years is out of range; give 1 to 100 years.", years);
            Years = years;
            if (rsaKeySize != null && curve != null)
                throw Invalid(ErrorIds.KeyTypeConflict, "Give either an RSA key size or an EC curve, not both.", null);
            if (rsaKeySize != null && rsaKeySize != 1024 && rsaKeySize != 2048)
                throw Invalid(ErrorIds.UnsupportedKeySize, rsaKeySize > 2048
                    ? $"An RSA key of {rsaKeySize} bits is refused: Cisco phones support RSA keys up to 2048 bits. Use 2048 (or 1024)."
                    : $"An RSA key of {rsaKeySize} bits is refused: phones use 1024 or 2048 bits, and fewer than 1024 is not secure. Use 2048.", rsaKeySize);
            Curve = curve;
            RsaKeySize = curve == null ? rsaKeySize ?? 2048 : 0;
            if (issuer != null)
            {
                if (!issuer.HasPrivateKey)
                    throw Invalid(ErrorIds.IssuerKeyRequired, $"{issuer.Describe()} has no private key, so it cannot issue certificates.", issuer.Source);
            }
            Issuer = issuer;
        }

        public string CommonName { get; }
        public string Organization { get; }
        public string OrganizationalUnit { get; }
        public string? Locality { get; }
        public string? State { get; }
        public string? Country { get; }
        public int Years { get; }
        /// <summary>RSA key size in bits; 0 for an EC key.</summary>
        public int RsaKeySize { get; }
        public CertificateCurve? Curve { get; }
        public PemCredential? Issuer { get; }

        /// <summary>mkcert's default file name: the CN with every character outside [A-Za-z0-9-] replaced by '_', plus ".pem".</summary>
        public string DefaultFileName => Regex.Replace(CommonName, "[^A-Za-z0-9-]", "_") + ".pem";

        private static string Required(string? value, string what)
        {
            if (string.IsNullOrWhiteSpace(value))
                throw Invalid(ErrorIds.SubjectFieldRequired, $"The {what} is required.", what);
            return value!.Trim();
        }

        private static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();

        private static ProvisioningException Invalid(string id, string message, object? target) =>
            new ProvisioningException(id, ErrorKind.InvalidArgument, message, target);
    }

    /// <summary>Creates certificates with the profile of usecallmanager.nz's mkcert (spec §7).</summary>
    public static class ProvisioningCertificate
    {
        /// <summary>
        /// A new key and certificate: X.509 v3, 16-byte random serial, valid from today's midnight UTC for the
        /// given years, CA:TRUE pathlen 0, mkcert's key usages and EKUs, SKI, DNS name = lower-cased CN.
        /// </summary>
        /// <param name="now">The clock (tests); the current UTC time when null.</param>
        public static PemCredential Create(CertificateRequestOptions options, DateTimeOffset? now = null)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            var today = (now ?? DateTimeOffset.UtcNow).UtcDateTime.Date;
            var notBefore = DateTime.SpecifyKind(today, DateTimeKind.Utc);
            var notAfter = notBefore.AddYears(options.Years);
            if (options.Issuer != null && notAfter > options.Issuer.Certificate.NotAfter.ToUniversalTime())
                notAfter = options.Issuer.Certificate.NotAfter.ToUniversalTime(); // never outlive the CA

            AsymmetricAlgorithm key = options.Curve switch
            {
                CertificateCurve.Secp256r1 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
                CertificateCurve.Secp384r1 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
                CertificateCurve.Secp521r1 => ECDsa.Create(ECCurve.NamedCurves.nistP521),
                _ => CreateRsa(options.RsaKeySize),
            };
            try
            {
                var serial = new byte[16];
                using (var random = RandomNumberGenerator.Create()) random.GetBytes(serial);
                var certificate = CertificateBuilder.Build(options, key, notBefore, notAfter, serial);
                return PemCredential.FromCertificate(certificate, key);
            }
            catch
            {
                key.Dispose();
                throw;
            }
        }

        /// <summary>
        /// Creates a certificate and writes it with its key to <paramref name="path"/> (one PEM, owner-only,
        /// atomically). An existing file is kept unless <paramref name="force"/>: replacing a SAST or TFTP key
        /// by accident would lock out every phone that trusts it.
        /// </summary>
        public static ProvisioningCertificateInfo CreateFile(CertificateRequestOptions options, string path, bool force = false, bool whatIf = false, DateTimeOffset? now = null)
        {
            if (System.IO.File.Exists(path) && !force)
                throw new ProvisioningException(ErrorIds.CertificateFileExists, ErrorKind.ResourceExists,
                    $"'{path}' already exists; it may hold a key that phones trust. Choose another name, or replace it explicitly.", path)
                    .About(RequestParameter.Force);
            using var credential = Create(options, now);
            var status = credential.Save(path, whatIf);
            return new ProvisioningCertificateInfo(path, credential.Certificate, status);
        }

        /// <summary>Parses a curve name as admins and openssl spell it (secp256r1, prime256v1, P-256, nistp384...).</summary>
        public static CertificateCurve ParseCurve(string name)
        {
            switch (name.Trim().ToLowerInvariant().Replace("-", ""))
            {
                case "secp256r1": case "prime256v1": case "p256": case "nistp256": return CertificateCurve.Secp256r1;
                case "secp384r1": case "p384": case "nistp384": return CertificateCurve.Secp384r1;
                case "secp521r1": case "p521": case "nistp521": return CertificateCurve.Secp521r1;
            }
            throw new ProvisioningException(ErrorIds.UnsupportedCurve, ErrorKind.InvalidArgument,
                $"The curve '{name}' is not supported; use secp256r1, secp384r1 or secp521r1.", name);
        }

        private static RSA CreateRsa(int bits)
        {
            var rsa = RSA.Create();
            rsa.KeySize = bits;
            return rsa;
        }
    }

    /// <summary>What New-ProvisioningCertificate and `pprov cert new` report for a written certificate.</summary>
    public sealed class ProvisioningCertificateInfo
    {
        public ProvisioningCertificateInfo(string path, X509Certificate2 certificate, WriteStatus status)
        {
            Path = path;
            Certificate = certificate;
            Status = status;
            Subject = CertificateNames.Format(certificate.SubjectName);
            Issuer = CertificateNames.Format(certificate.IssuerName);
            SerialNumber = BitConverter.ToString(CertificateNames.SerialBytes(certificate)).Replace("-", "").ToLowerInvariant();
            Thumbprint = certificate.Thumbprint;
            NotBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
            NotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            KeyAlgorithm = PemCredential.AlgorithmOf(certificate, path);
            using (var rsa = certificate.GetRSAPublicKey())
            using (var ec = rsa == null ? certificate.GetECDsaPublicKey() : null)
                KeySize = rsa?.KeySize ?? ec?.KeySize ?? 0;
        }

        /// <summary>The PEM file (key + certificate).</summary>
        public string Path { get; }
        public string Subject { get; }
        public string Issuer { get; }
        public string SerialNumber { get; }
        public string Thumbprint { get; }
        public DateTimeOffset NotBefore { get; }
        public DateTimeOffset NotAfter { get; }
        public CertificateKeyAlgorithm KeyAlgorithm { get; }
        public int KeySize { get; }
        public WriteStatus Status { get; }
        public X509Certificate2 Certificate { get; }

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} {1} {2}", Status, Path, Subject);
    }
}
