using System;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security;
using PrivateProvisioning.Core.Security.Enrollment;
using PrivateProvisioning.Internal;

namespace PrivateProvisioning.Commands
{
    /// <summary>What the enrollment cmdlets share: a certificate-with-key argument and -Path/-LiteralPath resolution.</summary>
    internal static class EnrollmentArguments
    {
        /// <summary>
        /// A certificate with its key, given as an X509Certificate2 (with private key), a FileInfo or a PEM
        /// path (key in the file, in -KeyPath, or in the .key file beside it).
        /// </summary>
        public static PemCredential LoadCredential(PSCmdlet cmdlet, object value, string? keyPath, SecureString? password, string purpose)
        {
            var baseObject = value is PSObject ps ? ps.BaseObject : value;
            if (baseObject is X509Certificate2 certificate)
            {
                var credential = PemCredential.FromCertificate(certificate);
                if (credential.HasPrivateKey) return credential;
                credential.Dispose();
                throw new ProvisioningException("PrivateKeyRequired", ErrorKind.InvalidArgument,
                    $"The certificate '{certificate.Subject}' has no private key, which {purpose} needs; give its PEM file with the key.", certificate);
            }
            string path = baseObject is System.IO.FileInfo file ? file.FullName
                : baseObject is string s ? s
                : throw new ProvisioningException("CertificateArgumentInvalid", ErrorKind.InvalidArgument,
                    $"A certificate must be a PEM file path or an X509Certificate2 with its private key, not a {baseObject?.GetType().Name ?? "null"}.", value);
            var resolved = cmdlet.GetUnresolvedProviderPathFromPSPath(path);
            var resolvedKey = keyPath == null ? null : cmdlet.GetUnresolvedProviderPathFromPSPath(keyPath);
            byte[]? bytes = password == null ? null : SecureStrings.ToUtf8Bytes(password);
            try { return EnrollmentCredentials.Load(resolved, resolvedKey, bytes, purpose); }
            finally { if (bytes != null) Array.Clear(bytes, 0, bytes.Length); }
        }
    }
}
