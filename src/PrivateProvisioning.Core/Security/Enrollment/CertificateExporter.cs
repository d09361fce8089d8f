using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace PrivateProvisioning.Core.Security.Enrollment
{
    public enum CertificateExportFormat
    {
        /// <summary>The certificate alone, binary (openssl x509 -outform der): what phones and pinning downloads take.</summary>
        Der,
        /// <summary>The certificate alone, PEM (strips a key that shared its file).</summary>
        Pem,
        /// <summary>PKCS#12 with the private key and any chain in the file, protected by a password.</summary>
        Pfx,
    }

    public sealed class ExportedCertificate
    {
        internal ExportedCertificate(string path, string sourcePath, CertificateExportFormat format, X509Certificate2 certificate, WriteStatus status)
        {
            Path = path; SourcePath = sourcePath; Format = format; Subject = certificate.Subject; Thumbprint = certificate.Thumbprint; Status = status;
        }

        public string Path { get; }
        public string SourcePath { get; }
        public CertificateExportFormat Format { get; }
        public string Subject { get; }
        public string Thumbprint { get; }
        public WriteStatus Status { get; }
    }

    /// <summary>Converts a certificate file to DER, PEM or PFX (Export-ProvisioningCertificate, pprov cert export).</summary>
    public static class CertificateExporter
    {
        /// <summary>The default output: the source name with .der, .pem (a -cert.pem suffix when that is the source) or .pfx.</summary>
        public static string DefaultDestination(string sourcePath, CertificateExportFormat format)
        {
            var extension = "." + format.ToString().ToLowerInvariant();
            var candidate = System.IO.Path.ChangeExtension(sourcePath, extension);
            if (string.Equals(System.IO.Path.GetFullPath(candidate), System.IO.Path.GetFullPath(sourcePath), StringComparison.Ordinal))
                candidate = System.IO.Path.ChangeExtension(sourcePath, null) + "-cert" + extension;
            return candidate;
        }

        /// <summary>
        /// Writes the export. A PFX needs the private key (in the source file, in <paramref name="keyPath"/>,
        /// or in the .key file beside it) and a password; it is written readable by its owner only.
        /// </summary>
        public static ExportedCertificate Export(string sourcePath, CertificateExportFormat format, string? destination = null,
            byte[]? pfxPassword = null, string? keyPath = null, byte[]? keyPassword = null, bool whatIf = false)
        {
            var source = System.IO.Path.GetFullPath(sourcePath);
            var target = System.IO.Path.GetFullPath(destination ?? DefaultDestination(source, format));
            if (string.Equals(source, target, StringComparison.Ordinal))
                throw new ProvisioningException(ErrorIds.OutputIsInput, ErrorKind.InvalidArgument,
                    $"Exporting '{source}' onto itself would destroy it; choose another destination.", source);
            switch (format)
            {
                case CertificateExportFormat.Der:
                case CertificateExportFormat.Pem:
                {
                    using var credential = PemCredential.Load(source);
                    var bytes = format == CertificateExportFormat.Der
                        ? credential.Certificate.RawData
                        : Encoding.ASCII.GetBytes(EnrollmentPem.Encode("CERTIFICATE", credential.Certificate.RawData));
                    return new ExportedCertificate(target, source, format, credential.Certificate, AtomicFile.Write(target, bytes, whatIf: whatIf));
                }
                case CertificateExportFormat.Pfx:
                {
                    if (pfxPassword == null || pfxPassword.Length == 0)
                        throw new ProvisioningException(ErrorIds.PfxPasswordRequired, ErrorKind.InvalidArgument,
                            "A PFX export needs a password to protect the private key (-Password, or --password-env/--password-file).", source);
                    using var credential = EnrollmentPem.LoadWithKey(source, keyPath, keyPassword, "a PFX export");
                    var pfx = BuildPfx(credential, source, pfxPassword);
                    try { return new ExportedCertificate(target, source, format, credential.Certificate, AtomicFile.Write(target, pfx, ownerOnly: true, whatIf: whatIf)); }
                    finally { Array.Clear(pfx, 0, pfx.Length); }
                }
                default:
                    throw new ProvisioningException(ErrorIds.UnsupportedExportFormat, ErrorKind.InvalidArgument, $"Unknown export format {format}.");
            }
        }

        /// <summary>
        /// PKCS#12 with 3DES for key and certificates and a SHA-1 MAC: what Windows and OpenSSL 3 both read
        /// without a legacy provider (BouncyCastle's RC2-40 default for certificates is not).
        /// </summary>
        private static byte[] BuildPfx(PemCredential credential, string source, byte[] password)
        {
            var parser = new X509CertificateParser();
            var leaf = parser.ReadCertificate(credential.Certificate.RawData);
            var chain = new[] { new X509CertificateEntry(leaf) }.Concat(OtherCertificates(source, credential.Certificate)
                .Select(c => new X509CertificateEntry(parser.ReadCertificate(c.RawData)))).ToArray();
            var store = new Pkcs12StoreBuilder()
                .SetUseDerEncoding(true)
                .SetKeyAlgorithm(PkcsObjectIdentifiers.PbeWithShaAnd3KeyTripleDesCbc)
                .SetCertAlgorithm(PkcsObjectIdentifiers.PbeWithShaAnd3KeyTripleDesCbc)
                .Build();
            var alias = credential.Certificate.GetNameInfo(X509NameType.SimpleName, false) ?? "certificate";
            store.SetKeyEntry(alias, new AsymmetricKeyEntry(BouncyCastleBridge.ToPrivateKey(credential.PrivateKey!, "a PFX export", credential.DescribeKey())), chain);
            var chars = Encoding.UTF8.GetChars(password);
            try
            {
                using var output = new MemoryStream();
                store.Save(output, chars, new SecureRandom());
                return output.ToArray();
            }
            finally { Array.Clear(chars, 0, chars.Length); }
        }

        private static X509Certificate2[] OtherCertificates(string source, X509Certificate2 leaf)
        {
            var content = EnrollmentPem.ReadFile(source, "certificate");
            if (!EnrollmentPem.LooksLikePem(content)) return Array.Empty<X509Certificate2>();
            return EnrollmentPem.Decode(content, source)
                .Where(b => b.Label == "CERTIFICATE")
                .Select(b => PemCredential.CertificateFromDer(b.Data, source))
                .Where(c => c.Thumbprint != leaf.Thumbprint)
                .ToArray();
        }
    }
}
