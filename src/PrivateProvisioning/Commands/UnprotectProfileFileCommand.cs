using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Protection;
using PrivateProvisioning.Core.Security;
using PrivateProvisioning.Internal;

namespace PrivateProvisioning.Commands
{
    /// <summary>
    /// Unprotect-ProfileFile: recovers the plain profile from a gzip, openssl (raw or Base64) or RFC 8188 file,
    /// detecting and peeling every layer, for troubleshooting what a phone receives.
    /// </summary>
    [Cmdlet(VerbsSecurity.Unprotect, "ProfileFile", SupportsShouldProcess = true, DefaultParameterSetName = "Path")]
    [OutputType(typeof(ProtectionResult))]
    public sealed class UnprotectProfileFileCommand : ProfileFileCommandBase
    {
        [Parameter]
        public KeyDerivation KeyDerivation { get; set; }

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Iterations { get; set; }

        [Parameter]
        public SwitchParameter Rfc8188 { get; set; }

        /// <summary>Cisco: the TFTP certificate that must have signed each .sgn / .enc.sgn (verified before stripping).</summary>
        [Parameter]
        public object? SigningCertificate { get; set; }

        /// <summary>Cisco: the phone certificate with its private key, to decrypt .enc.sgn files.</summary>
        [Parameter]
        public object? PhoneCertificate { get; set; }

        /// <summary>Password of an encrypted -PhoneCertificate key.</summary>
        [Parameter]
        public SecureString? CertificatePassword { get; set; }

        protected override string ActionVerb => "Unprotect";

        protected override ProfileFileProtection Open(string? destinationFolder)
        {
            var request = new UnprotectRequest
            {
                KeyDerivation = Bound(nameof(KeyDerivation)) ? KeyDerivation : (KeyDerivation?)null,
                Iterations = Bound(nameof(Iterations)) ? Iterations : (int?)null,
                AssumeRfc8188 = Rfc8188.IsPresent,
                SigningCertificate = SigningCertificate == null ? null : CertificateArgument.ToSource(this, SigningCertificate),
                PhoneCertificates = PhoneCertificate == null ? Array.Empty<CertificateSource>()
                    : (LanguagePrimitives.GetEnumerable(PhoneCertificate)?.Cast<object>() ?? new[] { PhoneCertificate }).Select(p => CertificateArgument.ToSource(this, p)).ToList(),
                DestinationFolder = destinationFolder,
                Extension = Extension,
                Force = Force.IsPresent,
            };
            var password = CertificatePassword == null ? null : SecureStrings.ToChars(CertificatePassword);
            try { return ProfileFileProtection.ForUnprotect(request, password); }
            finally { if (password != null) Array.Clear(password, 0, password.Length); }
        }
    }
}
