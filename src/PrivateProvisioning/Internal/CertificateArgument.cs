using System;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security;

namespace PrivateProvisioning.Internal
{
    /// <summary>
    /// How every cmdlet takes a certificate argument: it maps what PowerShell hands over onto Core's
    /// <see cref="CertificateSource"/> and unwraps the SecureString password here, at the edge, for the load only.
    /// Accepted: a path (PEM, DER or PFX, through the provider), a FileInfo, an X509Certificate2 (Get-PfxCertificate,
    /// Cert:\), and any object naming its file by a Path, PSPath or FullName property or carrying an X509Certificate2
    /// Certificate property: New-ProvisioningCertificate's and Approve-CertificateRequest's results pipe straight in.
    /// </summary>
    internal static class CertificateArgument
    {
        /// <summary>Loads <paramref name="value"/>; with <paramref name="keyPurpose"/> its private key is required.</summary>
        public static PemCredential Load(PSCmdlet cmdlet, object value, SecureString? password = null, string? keyPath = null, string? keyPurpose = null)
        {
            return Load(ToSource(cmdlet, value, keyPath), password, keyPurpose);
        }

        /// <summary>Loads <paramref name="source"/>, the password unwrapped here (at the edge) and wiped after.</summary>
        public static PemCredential Load(CertificateSource source, SecureString? password, string? keyPurpose = null)
        {
            char[]? chars = password == null ? null : SecureStrings.ToChars(password);
            try { return source.Load(chars, keyPurpose); }
            finally { if (chars != null) Array.Clear(chars, 0, chars.Length); }
        }

        public static CertificateSource ToSource(PSCmdlet cmdlet, object value, string? keyPath = null)
        {
            var resolvedKey = keyPath == null ? null : cmdlet.GetUnresolvedProviderPathFromPSPath(keyPath);
            var item = value is PSObject ps ? ps.BaseObject : value;
            switch (item)
            {
                case X509Certificate2 certificate: return CertificateSource.FromCertificate(certificate);
                case System.IO.FileInfo file: return CertificateSource.FromFile(file.FullName, resolvedKey);
                case string path: return CertificateSource.FromFile(cmdlet.GetUnresolvedProviderPathFromPSPath(path), resolvedKey);
            }
            if (item != null)
            {
                var wrapped = PSObject.AsPSObject(value);
                foreach (var name in new[] { "PSPath", "Path", "FullName" })
                    if (wrapped.Properties[name]?.Value is string path && path.Length > 0)
                        return CertificateSource.FromFile(cmdlet.GetUnresolvedProviderPathFromPSPath(path), resolvedKey);
                if (wrapped.Properties["Certificate"]?.Value is X509Certificate2 held)
                    return CertificateSource.FromCertificate(held);
            }
            throw new ProvisioningException(ErrorIds.CertificateArgumentInvalid, ErrorKind.InvalidArgument,
                $"A certificate must be a PEM or PFX file path, an X509Certificate2, or an object with a Path or Certificate property, not a {item?.GetType().Name ?? "null"}.", value);
        }
    }
}
