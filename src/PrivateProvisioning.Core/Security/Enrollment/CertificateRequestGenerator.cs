using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Pkcs;

namespace PrivateProvisioning.Core.Security.Enrollment
{
    /// <summary>Key types a request can be made with.</summary>
    public enum CertificateRequestKeyAlgorithm
    {
        Rsa2048,
        Rsa3072,
        Rsa4096,
        EcP256,
        EcP384,
    }

    /// <summary>What New-CertificateRequest / pprov csr new wrote.</summary>
    public sealed class CertificateRequestFile
    {
        internal CertificateRequestFile(string path, string keyPath, string subject, string commonName, CertificateRequestKeyAlgorithm keyAlgorithm,
            IReadOnlyList<string> subjectAlternativeNames, WriteStatus status)
        {
            Path = path; KeyPath = keyPath; Subject = subject; CommonName = commonName; KeyAlgorithm = keyAlgorithm;
            SubjectAlternativeName = subjectAlternativeNames.ToArray(); Status = status;
        }

        /// <summary>The PEM CSR (pipes into Approve-CertificateRequest -Path).</summary>
        public string Path { get; }
        /// <summary>The PKCS#8 PEM private key, readable by its owner only.</summary>
        public string KeyPath { get; }
        public string Subject { get; }
        public string CommonName { get; }
        public CertificateRequestKeyAlgorithm KeyAlgorithm { get; }
        public string[] SubjectAlternativeName { get; }
        public WriteStatus Status { get; }
    }

    /// <summary>A key pair and its PKCS#10 request, in memory (PEM text; the key part is secret).</summary>
    internal sealed class GeneratedCertificateRequest
    {
        public GeneratedCertificateRequest(byte[] requestPem, byte[] keyPem) { RequestPem = requestPem; KeyPem = keyPem; }
        public byte[] RequestPem { get; }
        public byte[] KeyPem { get; }
    }

    /// <summary>
    /// Makes a key pair and a PKCS#10 request, as `openssl req -new -newkey ... -keyout KEY -out CSR` does:
    /// the key as an unencrypted PKCS#8 "PRIVATE KEY" PEM (OpenSSL 3's default), the request as a
    /// "CERTIFICATE REQUEST" PEM signed with SHA-256 (SHA-384 for P-384), SANs in an extensionRequest.
    /// </summary>
    public static class CertificateRequestGenerator
    {
        /// <summary>The key when the user does not say.</summary>
        public const CertificateRequestKeyAlgorithm DefaultKeyAlgorithm = CertificateRequestKeyAlgorithm.Rsa2048;

        /// <summary>The request's file name when none is given: the Common Name made safe as a file name, or "request", with .csr.</summary>
        public static string DefaultFileName(string commonName) => (UserNames.TryFromCommonName(commonName) ?? "request") + ".csr";

        /// <summary>Writes OUT.csr and its key; refuses to replace either unless <paramref name="force"/>.</summary>
        public static CertificateRequestFile Write(string requestPath, string? keyPath, CertificateSubject subject,
            CertificateRequestKeyAlgorithm keyAlgorithm = CertificateRequestKeyAlgorithm.Rsa2048, IEnumerable<string>? subjectAlternativeNames = null, bool force = false)
        {
            var sans = (subjectAlternativeNames ?? Enumerable.Empty<string>()).ToList();
            var keyFile = keyPath ?? DefaultKeyPath(requestPath);
            if (string.Equals(System.IO.Path.GetFullPath(keyFile), System.IO.Path.GetFullPath(requestPath), StringComparison.Ordinal))
                throw new ProvisioningException(ErrorIds.KeyPathIsRequestPath, ErrorKind.InvalidArgument,
                    $"The key and the request would both be written to '{requestPath}'; give the request a .csr name or a separate key path.", requestPath);
            if (!force)
                foreach (var existing in new[] { keyFile, requestPath })
                    if (File.Exists(existing))
                        throw new ProvisioningException(ErrorIds.FileExists, ErrorKind.ResourceExists,
                            $"'{existing}' already exists; replace it explicitly if that is meant.", existing).About(RequestParameter.Force);
            var generated = Generate(subject, keyAlgorithm, sans);
            try
            {
                // The key first: a request without its key would be useless.
                AtomicFile.Write(keyFile, generated.KeyPem, ownerOnly: true);
                var status = AtomicFile.Write(requestPath, generated.RequestPem);
                return new CertificateRequestFile(System.IO.Path.GetFullPath(requestPath), System.IO.Path.GetFullPath(keyFile),
                    subject.ToString(), subject.CommonName, keyAlgorithm, sans, status);
            }
            finally { Array.Clear(generated.KeyPem, 0, generated.KeyPem.Length); }
        }

        /// <summary>OUT.csr → OUT.key beside it.</summary>
        public static string DefaultKeyPath(string requestPath) => System.IO.Path.ChangeExtension(requestPath, ".key");

        internal static GeneratedCertificateRequest Generate(CertificateSubject subject, CertificateRequestKeyAlgorithm keyAlgorithm, IReadOnlyList<string> subjectAlternativeNames)
        {
            var names = ParseSubjectAlternativeNames(subjectAlternativeNames);
            using var key = CreateKey(keyAlgorithm);
            Asn1Set attributes = new DerSet();
            if (names != null)
            {
                var generator = new X509ExtensionsGenerator();
                generator.AddExtension(X509Extensions.SubjectAlternativeName, false, names);
                var extensions = generator.Generate();
                attributes = new DerSet(new AttributePkcs(PkcsObjectIdentifiers.Pkcs9AtExtensionRequest, new DerSet(extensions)));
            }
            var request = new Pkcs10CertificationRequest(KeyBridge.SignatureFactory(key), subject.ToX509Name(),
                KeyBridge.ToPublicParameter(key), attributes);
            var requestPem = Encoding.ASCII.GetBytes(EnrollmentPem.Encode("CERTIFICATE REQUEST", request.GetDerEncoded()));
            var pkcs8 = KeyBridge.Pkcs8(key);
            try { return new GeneratedCertificateRequest(requestPem, Encoding.ASCII.GetBytes(EnrollmentPem.Encode("PRIVATE KEY", pkcs8))); }
            finally { Array.Clear(pkcs8, 0, pkcs8.Length); }
        }

        internal static AsymmetricAlgorithm CreateKey(CertificateRequestKeyAlgorithm algorithm)
        {
            switch (algorithm)
            {
                case CertificateRequestKeyAlgorithm.Rsa2048: return NewRsa(2048);
                case CertificateRequestKeyAlgorithm.Rsa3072: return NewRsa(3072);
                case CertificateRequestKeyAlgorithm.Rsa4096: return NewRsa(4096);
                case CertificateRequestKeyAlgorithm.EcP256: return ECDsa.Create(ECCurve.NamedCurves.nistP256);
                case CertificateRequestKeyAlgorithm.EcP384: return ECDsa.Create(ECCurve.NamedCurves.nistP384);
                default: throw new ProvisioningException(ErrorIds.UnsupportedKeyAlgorithm, ErrorKind.InvalidArgument, $"Unknown key algorithm {algorithm}.");
            }
        }

        private static RSA NewRsa(int bits)
        {
            var rsa = RSA.Create();
            rsa.KeySize = bits;
            return rsa;
        }

        /// <summary>
        /// DNS names, IP addresses, and "email:" / "DNS:" / "IP:" prefixed entries (openssl's -addext syntax)
        /// into a GeneralNames; null when there are none.
        /// </summary>
        internal static GeneralNames? ParseSubjectAlternativeNames(IReadOnlyList<string> entries)
        {
            if (entries.Count == 0) return null;
            var names = new List<GeneralName>();
            foreach (var item in entries)
            {
                var raw = item ?? string.Empty;
                var entry = raw.Trim();
                int colon = entry.IndexOf(':');
                string kind = "", value = entry;
                if (colon > 0 && !IPAddress.TryParse(entry, out _))
                {
                    kind = entry.Substring(0, colon).ToUpperInvariant();
                    value = entry.Substring(colon + 1).Trim();
                }
                if (kind == "IP" || (kind == "" && IPAddress.TryParse(value, out _)))
                {
                    if (!IPAddress.TryParse(value, out var ip))
                        throw BadName(raw, "it is not an IP address");
                    names.Add(new GeneralName(GeneralName.IPAddress, new DerOctetString(ip.GetAddressBytes())));
                }
                else if (kind == "EMAIL")
                {
                    if (value.IndexOf('@') <= 0) throw BadName(raw, "it is not an e-mail address");
                    names.Add(new GeneralName(GeneralName.Rfc822Name, new DerIA5String(value)));
                }
                else if (kind == "DNS" || kind == "")
                {
                    if (!IsDnsName(value)) throw BadName(raw, "a DNS name is letters, digits, '-' and '.', optionally starting with '*.'");
                    names.Add(new GeneralName(GeneralName.DnsName, new DerIA5String(value)));
                }
                else throw BadName(raw, $"'{kind}:' is not a supported kind; use DNS:, IP: or email:");
            }
            return new GeneralNames(names.ToArray());
        }

        private static bool IsDnsName(string value)
        {
            if (value.Length == 0 || value.Length > 253) return false;
            var labels = value.Split('.');
            for (int i = 0; i < labels.Length; i++)
            {
                var label = labels[i];
                if (i == 0 && label == "*" && labels.Length > 1) continue;
                if (label.Length == 0 || label.Length > 63 || label[0] == '-' || label[label.Length - 1] == '-') return false;
                foreach (var c in label)
                    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
            }
            return true;
        }

        private static ProvisioningException BadName(string raw, string why) =>
            new ProvisioningException(ErrorIds.InvalidSubjectAlternativeName, ErrorKind.InvalidArgument,
                $"The subject alternative name '{raw}' is refused: {why}.", raw);
    }
}
