using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace PrivateProvisioning.Core.Security.Enrollment
{
    /// <summary>What the issued certificate may be used for.</summary>
    public enum CertificateUsage
    {
        /// <summary>TLS client authentication (a phone or softphone): EKU clientAuth.</summary>
        Client,
        /// <summary>TLS server (the provisioning server): EKU serverAuth, SANs from the request or the CN.</summary>
        Server,
    }

    /// <summary>A certificate issued from a request and written as &lt;username&gt;.pem.</summary>
    public sealed class IssuedCertificate
    {
        internal IssuedCertificate(string path, string? sourcePath, string userName, X509Certificate2 certificate, CertificateUsage usage, WriteStatus status)
        {
            Path = path; SourcePath = sourcePath; UserName = userName; Certificate = certificate; Usage = usage; Status = status;
            Subject = certificate.Subject; Issuer = certificate.Issuer; SerialNumber = certificate.SerialNumber;
            NotBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
            NotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            Thumbprint = certificate.Thumbprint;
        }

        /// <summary>The written &lt;username&gt;.pem (pipes into Get-CertificatePin and Export-ProvisioningCertificate).</summary>
        public string Path { get; }
        /// <summary>The request file, when the request came from one.</summary>
        public string? SourcePath { get; }
        public string UserName { get; }
        public string Subject { get; }
        public string Issuer { get; }
        public string SerialNumber { get; }
        public DateTimeOffset NotBefore { get; }
        public DateTimeOffset NotAfter { get; }
        public string Thumbprint { get; }
        public CertificateUsage Usage { get; }
        public WriteStatus Status { get; }
        public X509Certificate2 Certificate { get; }
    }

    /// <summary>
    /// Approves certificate requests with our CA: checks the request's signature and the CA, issues an
    /// X.509 v3 certificate (random 128-bit serial, basicConstraints CA:FALSE, keyUsage, EKU, SKI, AKI,
    /// SANs from the request) and writes it as &lt;username&gt;.pem.
    /// </summary>
    public static class CertificateRequestApprover
    {
        public const int DefaultDays = 365;
        /// <summary>The usage when the user does not say: a client certificate (EKU clientAuth).</summary>
        public const CertificateUsage DefaultUsage = CertificateUsage.Client;

        /// <summary>One user name names one certificate: with a user name given, a single request (UserNameForOneRequest otherwise).</summary>
        public static void RequireOneRequestPerUserName(string? userName, int requestCount)
        {
            if (userName != null && requestCount > 1)
                throw new ProvisioningException(ErrorIds.UserNameForOneRequest, ErrorKind.InvalidArgument,
                    "A user name names one certificate; give a single request with it.").About(RequestParameter.UserName);
        }

        /// <summary>Approves a request file (PEM or DER).</summary>
        public static IssuedCertificate? ApproveFile(string path, PemCredential issuer, string destinationDirectory, string? userName = null,
            int days = DefaultDays, CertificateUsage usage = CertificateUsage.Client, bool force = false, Func<string, bool>? confirm = null, DateTimeOffset? now = null)
        {
            var full = System.IO.Path.GetFullPath(path);
            return Approve(EnrollmentPem.ReadFile(full, "certificate request"), full, issuer, destinationDirectory, userName, days, usage, force, confirm, now);
        }

        /// <summary>
        /// Approves a request. <paramref name="confirm"/> is asked with the target path before anything is
        /// written (ShouldProcess); when it says no, null is returned and nothing is written.
        /// </summary>
        public static IssuedCertificate? Approve(byte[] request, string? source, PemCredential issuer, string destinationDirectory, string? userName = null,
            int days = DefaultDays, CertificateUsage usage = CertificateUsage.Client, bool force = false, Func<string, bool>? confirm = null, DateTimeOffset? now = null)
        {
            if (issuer == null) throw new ArgumentNullException(nameof(issuer));
            if (days < 1 || days > 36500)
                throw new ProvisioningException(ErrorIds.InvalidValidity, ErrorKind.InvalidArgument, $"Days must be between 1 and 36500, not {days}.", days);
            var at = now ?? DateTimeOffset.UtcNow;
            var label = source ?? "the certificate request";
            CheckIssuer(issuer, at);
            var parsed = CertificateRequestReader.Read(request, label);
            CheckRequestKey(parsed, label);

            var name = userName != null ? UserNames.Check(userName) : UserNames.TryFromCommonName(parsed.CommonName)
                ?? throw new ProvisioningException(ErrorIds.UserNameMissing, ErrorKind.InvalidData,
                    $"The certificate request '{label}' has no Common Name to name the certificate after; give a user name.", label).About(RequestParameter.UserName);
            var target = SafePath.Combine(destinationDirectory, name + ".pem", "user name");
            // A CN of "CON" or "nul" passes the character rule, but on Windows CON.pem is the console, not a file.
            WindowsFileNames.Check(name + ".pem", "certificate file name");
            if (!force && File.Exists(target))
                throw new ProvisioningException(ErrorIds.CertificateExists, ErrorKind.ResourceExists,
                    $"'{target}' already exists; replace it explicitly to issue a new certificate for {parsed.Subject}.", target).About(RequestParameter.Force);
            if (confirm != null && !confirm(target)) return null;

            var certificate = Issue(parsed, issuer, days, usage, at);
            var pem = Encoding.ASCII.GetBytes(EnrollmentPem.Encode("CERTIFICATE", certificate.RawData));
            var status = AtomicFile.Write(target, pem);
            return new IssuedCertificate(target, source, name, certificate, usage, status);
        }

        internal static X509Certificate2 Issue(ParsedCertificateRequest request, PemCredential issuer, int days, CertificateUsage usage, DateTimeOffset now)
        {
            var caKey = issuer.PrivateKey!;
            var ca = X509CertificateStructure.GetInstance(issuer.Certificate.RawData);
            var publicKey = request.Request.GetPublicKey();
            var requestKeyInfo = request.Request.GetCertificationRequestInfo().SubjectPublicKeyInfo;
            bool isRsa = requestKeyInfo.Algorithm.Algorithm.Id == "1.2.840.113549.1.1.1";

            var generator = new X509V3CertificateGenerator();
            generator.SetSerialNumber(RandomSerial());
            generator.SetIssuerDN(ca.Subject);
            generator.SetSubjectDN(request.SubjectName);
            generator.SetPublicKey(publicKey);
            // A little slack for phones whose clock runs behind, but never before the CA itself.
            var notBefore = Max(now.UtcDateTime.AddMinutes(-5), issuer.Certificate.NotBefore.ToUniversalTime());
            var notAfter = Min(now.UtcDateTime.AddDays(days), issuer.Certificate.NotAfter.ToUniversalTime());
            generator.SetNotBefore(Truncate(notBefore));
            generator.SetNotAfter(Truncate(notAfter));

            generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(false));
            generator.AddExtension(X509Extensions.KeyUsage, true,
                new KeyUsage(isRsa ? KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment : KeyUsage.DigitalSignature));
            generator.AddExtension(X509Extensions.ExtendedKeyUsage, false,
                new ExtendedKeyUsage(usage == CertificateUsage.Server ? KeyPurposeID.id_kp_serverAuth : KeyPurposeID.id_kp_clientAuth));
            generator.AddExtension(X509Extensions.SubjectKeyIdentifier, false, new SubjectKeyIdentifier(Sha1(requestKeyInfo.PublicKey.GetBytes())));
            generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, new AuthorityKeyIdentifier(KeyIdentifierOf(ca)));
            var names = request.RequestedSubjectAlternativeNames();
            if (names == null && usage == CertificateUsage.Server && request.CommonName != null)
                names = CertificateRequestGenerator.ParseSubjectAlternativeNames(new[] { request.CommonName });
            // RFC 5280 §4.2.1.6: an e-mail address belongs in the SAN; copy the subject's emailAddress there.
            var emails = request.SubjectName.GetValueList(Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers.Pkcs9AtEmailAddress);
            if (names == null && usage == CertificateUsage.Client && emails.Count > 0)
                names = new GeneralNames(new GeneralName(GeneralName.Rfc822Name, (string)emails[0]!));
            if (names != null)
                generator.AddExtension(X509Extensions.SubjectAlternativeName, false, names);

            BcCertificate issued = generator.Generate(KeyBridge.SignatureFactory(caKey));
            issued.Verify(KeyBridge.ToPublicParameter(caKey));
            return PemCredential.CertificateFromDer(issued.GetEncoded(), "the issued certificate");
        }

        /// <summary>Refuses a CA that cannot sign: no key, expired, not yet valid, or not a CA.</summary>
        internal static void CheckIssuer(PemCredential issuer, DateTimeOffset now)
        {
            var certificate = issuer.Certificate;
            var label = $"The CA certificate '{certificate.Subject}' (from {issuer.Source})";
            if (issuer.PrivateKey == null)
                throw new ProvisioningException(ErrorIds.IssuerKeyMissing, ErrorKind.InvalidArgument,
                    $"{label} comes without its private key; approving requests needs it: give the PEM with the key, or the key file.", issuer.Source)
                    .About(RequestParameter.KeyPath);
            var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
            if (notAfter <= now)
                throw new ProvisioningException(ErrorIds.IssuerExpired, ErrorKind.InvalidArgument,
                    $"{label} expired on {notAfter:yyyy-MM-dd HH:mm:ss} UTC; certificates it signs would not verify. Renew the CA. Nothing was issued.", issuer.Source);
            if (notBefore > now)
                throw new ProvisioningException(ErrorIds.IssuerNotYetValid, ErrorKind.InvalidArgument,
                    $"{label} is valid only from {notBefore:yyyy-MM-dd HH:mm:ss} UTC (check the clock). Nothing was issued.", issuer.Source);
            var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
            if (constraints == null || !constraints.CertificateAuthority)
                throw new ProvisioningException(ErrorIds.IssuerNotCertificateAuthority, ErrorKind.InvalidArgument,
                    $"{label} is not a CA (basicConstraints CA:TRUE is missing); clients would reject what it signs.", issuer.Source);
            var keyUsage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
            if (keyUsage != null && (keyUsage.KeyUsages & X509KeyUsageFlags.KeyCertSign) == 0)
                throw new ProvisioningException(ErrorIds.IssuerNotCertificateAuthority, ErrorKind.InvalidArgument,
                    $"{label} may not sign certificates (its keyUsage lacks keyCertSign).", issuer.Source);
        }

        /// <summary>Refuses RSA keys under 2048 bits: no current client needs them and they no longer resist factoring budgets.</summary>
        private static void CheckRequestKey(ParsedCertificateRequest request, string label)
        {
            if (request.Request.GetPublicKey() is Org.BouncyCastle.Crypto.Parameters.RsaKeyParameters rsa && rsa.Modulus.BitLength < 2048)
                throw new ProvisioningException(ErrorIds.RequestKeyTooWeak, ErrorKind.SecurityError,
                    $"The certificate request '{label}' ({request.Subject}) has a {rsa.Modulus.BitLength}-bit RSA key; at least 2048 bits are required. Nothing was issued.", label);
        }

        /// <summary>16 random bytes, positive, never zero (what mkcert and openssl -set_serial habits give).</summary>
        private static BigInteger RandomSerial()
        {
            var bytes = new byte[16];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
            bytes[0] &= 0x7F;
            bytes[0] |= 0x01;
            return new BigInteger(1, bytes);
        }

        private static byte[] KeyIdentifierOf(X509CertificateStructure ca)
        {
            var ski = ca.TbsCertificate.Extensions?.GetExtension(X509Extensions.SubjectKeyIdentifier);
            return ski != null
                ? SubjectKeyIdentifier.GetInstance(ski.GetParsedValue()).GetKeyIdentifier()
                : Sha1(ca.SubjectPublicKeyInfo.PublicKey.GetBytes());
        }

        private static byte[] Sha1(byte[] data)
        {
            using var sha1 = SHA1.Create();
            return sha1.ComputeHash(data);
        }

        private static DateTime Truncate(DateTime value) => new DateTime(value.Ticks - value.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
        private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
    }
}
