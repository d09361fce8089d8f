using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Protection;
using PrivateProvisioning.Core.Security;

namespace PrivateProvisioning.Commands
{
    /// <summary>
    /// The Cisco part of Protect-/Unprotect-ProfileFile (-SigningCertificate, -PhoneCertificate): loads the
    /// certificates once per call and routes each batch to Core's CiscoFileProtector / CiscoFileUnprotector.
    /// </summary>
    internal sealed class CiscoProtectionSupport : IDisposable
    {
        private readonly List<PemCredential> _credentials = new List<PemCredential>();

        public CiscoFileProtector? Protector { get; private set; }
        public CiscoFileUnprotector? Unprotector { get; private set; }

        public static CiscoProtectionSupport ForProtect(PSCmdlet cmdlet, object signing, object[]? phones, SecureString? password,
            CiscoDigest digest, string? fileName, bool otherProtectionRequested)
        {
            if (otherProtectionRequested)
                throw new ProvisioningException(ErrorIds.SigningWithOtherProtection, ErrorKind.InvalidArgument,
                    "-SigningCertificate writes Cisco .sgn/.enc.sgn files and cannot be combined with -Compress, -Method or -Key; protect in two steps if you need both.");
            var support = new CiscoProtectionSupport();
            try
            {
                var signer = support.Load(cmdlet, signing, password);
                var phoneCredentials = (phones ?? Array.Empty<object>()).Select(p => support.Load(cmdlet, p, null)).ToList();
                support.Protector = new CiscoFileProtector(signer, digest, phoneCredentials, fileName);
                return support;
            }
            catch
            {
                support.Dispose();
                throw;
            }
        }

        public static CiscoProtectionSupport ForUnprotect(PSCmdlet cmdlet, object? signing, object? phone, SecureString? password)
        {
            var support = new CiscoProtectionSupport();
            try
            {
                var tftp = signing == null ? null : support.Load(cmdlet, signing, null);
                var phoneCredential = phone == null ? null : support.Load(cmdlet, phone, password);
                support.Unprotector = new CiscoFileUnprotector(tftp?.Certificate, phoneCredential);
                return support;
            }
            catch
            {
                support.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            Protector?.Dispose();
            foreach (var c in _credentials) c.Dispose();
        }

        private PemCredential Load(PSCmdlet cmdlet, object value, SecureString? password)
        {
            var credential = PrivateProvisioning.Internal.CertificateArgument.Load(cmdlet, value, password);
            _credentials.Add(credential);
            return credential;
        }
    }
}
