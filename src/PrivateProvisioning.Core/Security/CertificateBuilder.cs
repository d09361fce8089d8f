using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace PrivateProvisioning.Core.Security
{
    /// <summary>
    /// Builds X.509 v3 certificates through BouncyCastle: netstandard2.0 has no CertificateRequest. Internal,
    /// so no BouncyCastle type leaks; keys come and go as platform RSA/ECDsa.
    /// </summary>
    internal static class CertificateBuilder
    {
        public static X509Certificate2 Build(CertificateRequestOptions options, AsymmetricAlgorithm subjectKey, DateTime notBefore, DateTime notAfter, byte[] serial)
        {
            var subject = SubjectName(options);
            var subjectPublic = BouncyCastleBridge.ToPublicKey(subjectKey);
            var generator = new X509V3CertificateGenerator();
            generator.SetSerialNumber(new BigInteger(1, serial));
            generator.SetSubjectDN(subject);
            generator.SetNotBefore(notBefore);
            generator.SetNotAfter(notAfter);
            generator.SetPublicKey(subjectPublic);

            // mkcert's profile, in its order (spec §7).
            generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(0));
            generator.AddExtension(X509Extensions.KeyUsage, false, new KeyUsage(
                KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment | KeyUsage.DataEncipherment | KeyUsage.KeyCertSign | KeyUsage.CrlSign));
            generator.AddExtension(X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(
                KeyPurposeID.id_kp_serverAuth, KeyPurposeID.id_kp_clientAuth, KeyPurposeID.id_kp_ipsecEndSystem));
            generator.AddExtension(X509Extensions.SubjectKeyIdentifier, false, X509ExtensionUtilities.CreateSubjectKeyIdentifier(subjectPublic));
            generator.AddExtension(X509Extensions.SubjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.DnsName, options.CommonName.ToLowerInvariant())));

            AsymmetricAlgorithm signingKey;
            if (options.Issuer == null)
            {
                generator.SetIssuerDN(subject);
                signingKey = subjectKey;
            }
            else
            {
                // Issued by a CA: its subject as issuer, and the key identifier that lets verifiers find it.
                generator.SetIssuerDN(X509Name.GetInstance(Asn1Object.FromByteArray(options.Issuer.Certificate.SubjectName.RawData)));
                generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false,
                    X509ExtensionUtilities.CreateAuthorityKeyIdentifier(DotNetCertificate(options.Issuer.Certificate)));
                signingKey = options.Issuer.PrivateKey!;
            }
            // SHA-256 with RSA or ECDSA on every curve (mkcert's profile); the key object signs, so a CA whose key is
            // not exportable (the Windows certificate store, Get-PfxCertificate) can issue.
            var certificate = generator.Generate(Enrollment.KeyBridge.SignatureFactory(signingKey, HashAlgorithmName.SHA256));
            return PemCredential.CertificateFromDer(certificate.GetEncoded(), "the new certificate");
        }

        private static X509Name SubjectName(CertificateRequestOptions options)
        {
            // Encoded order CN, O, OU, L, ST, C, as mkcert's openssl config writes them.
            var oids = new List<DerObjectIdentifier> { X509Name.CN, X509Name.O, X509Name.OU };
            var values = new List<string> { options.CommonName, options.Organization, options.OrganizationalUnit };
            if (options.Locality != null) { oids.Add(X509Name.L); values.Add(options.Locality); }
            if (options.State != null) { oids.Add(X509Name.ST); values.Add(options.State); }
            if (options.Country != null) { oids.Add(X509Name.C); values.Add(options.Country); }
            return new X509Name(oids, values);
        }

        private static Org.BouncyCastle.X509.X509Certificate DotNetCertificate(X509Certificate2 certificate) =>
            new X509CertificateParser().ReadCertificate(certificate.RawData);
    }
}
