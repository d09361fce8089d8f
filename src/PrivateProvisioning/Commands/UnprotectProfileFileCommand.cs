using System.Collections.Generic;
using System.Management.Automation;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Protection;

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

        protected override string ActionVerb => "Unprotect";

        protected override void BeginProcessing()
        {
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
            _unprotector!.DestinationFor(source, destinationFolder, Extension);

        protected override ProtectionOutcome[] Run(IReadOnlyList<ProtectionJob> jobs, byte[]? key) =>
            _unprotector!.UnprotectFiles(jobs, key, allowReplaceSource: Force.IsPresent);
    }
}
