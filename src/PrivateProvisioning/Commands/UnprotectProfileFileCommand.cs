using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Protection;
using PrivateProvisioning.Core.Security;

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
        private ProfileUnprotector? _unprotector;

        [Parameter]
        public KeyDerivation KeyDerivation { get; set; }

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Iterations { get; set; } = ProtectionOptions.DefaultIterations;

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

        private CiscoProtectionSupport? _cisco;

        protected override string ActionVerb => "Unprotect";

        protected override void BeginProcessingCore()
        {
            try { _cisco = CiscoProtectionSupport.ForUnprotect(this, SigningCertificate, PhoneCertificate, CertificatePassword); }
            catch (ProvisioningException ex) { ThrowProvisioningError(ex); }
            var options = new UnprotectionOptions
            {
                // Not given: try MD5, SHA-256 and PBKDF2 and keep the one that yields a profile.
                KeyDerivation = MyInvocation.BoundParameters.ContainsKey(nameof(KeyDerivation)) ? KeyDerivation : (KeyDerivation?)null,
                Iterations = Iterations,
                AssumeRfc8188 = Rfc8188.IsPresent,
            };
            try { _unprotector = new ProfileUnprotector(options); }
            catch (ProvisioningException ex) { ThrowProvisioningError(ex); }
        }

        protected override string DestinationFor(string source, string? destinationFolder) =>
            CiscoFileUnprotector.Handles(source) ? _cisco!.Unprotector!.DestinationFor(source, destinationFolder, Extension) : _unprotector!.DestinationFor(source, destinationFolder, Extension);

        // .sgn / .enc.sgn go to the Cisco unprotector, everything else to the layer detector.
        protected override ProtectionOutcome[] Run(IReadOnlyList<ProtectionJob> jobs, byte[]? key) =>
            _cisco!.Unprotector!.UnprotectMixed(jobs, other => _unprotector!.UnprotectFiles(other, key, allowReplaceSource: Force.IsPresent), Force.IsPresent);

        protected override void EndProcessingCore()
        {
            try { base.EndProcessingCore(); }
            finally { _cisco?.Dispose(); }
        }
    }
}
