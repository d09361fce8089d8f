using System;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security;
using PrivateProvisioning.Internal;

namespace PrivateProvisioning.Commands
{
    /// <summary>
    /// How cmdlets take a certificate: a PEM path (resolved through the provider) with an optional separate
    /// key file and SecureString password, or an X509Certificate2. The password is unwrapped just for the
    /// load and wiped right after.
    /// </summary>
    internal static class CredentialLoader
    {
        public static PemCredential Load(PSCmdlet cmdlet, string path, string? keyPath, SecureString? password)
        {
            var resolved = cmdlet.GetUnresolvedProviderPathFromPSPath(path);
            var resolvedKey = keyPath == null ? null : cmdlet.GetUnresolvedProviderPathFromPSPath(keyPath);
            char[]? chars = password == null ? null : SecureStrings.ToChars(password);
            try { return PemCredential.Load(resolved, resolvedKey, chars); }
            finally { if (chars != null) Array.Clear(chars, 0, chars.Length); }
        }

        /// <summary>An argument given as a path string, a FileInfo or an X509Certificate2 (PowerShell passes any of them).</summary>
        public static PemCredential FromObject(PSCmdlet cmdlet, object value, SecureString? password)
        {
            var baseObject = value is PSObject ps ? ps.BaseObject : value;
            switch (baseObject)
            {
                case X509Certificate2 certificate: return PemCredential.FromCertificate(certificate);
                case System.IO.FileInfo file: return Load(cmdlet, file.FullName, null, password);
                case string path: return Load(cmdlet, path, null, password);
                default:
                    throw new ProvisioningException("CertificateArgumentInvalid", ErrorKind.InvalidArgument,
                        $"A certificate must be a PEM file path or an X509Certificate2, not a {baseObject?.GetType().Name ?? "null"}.", value);
            }
        }
    }
}
