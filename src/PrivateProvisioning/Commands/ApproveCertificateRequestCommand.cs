using System.Management.Automation;
using System.Security;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security;
using PrivateProvisioning.Core.Security.Enrollment;
using PrivateProvisioning.Internal;

namespace PrivateProvisioning.Commands
{
    /// <summary>Approve-CertificateRequest: issues certificates from requests with our CA, written as &lt;username&gt;.pem.</summary>
    [Cmdlet(VerbsLifecycle.Approve, "CertificateRequest", DefaultParameterSetName = "Path", SupportsShouldProcess = true)]
    [OutputType(typeof(IssuedCertificate))]
    public sealed class ApproveCertificateRequestCommand : ProvisioningCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Path", ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        public string[] Path { get; set; } = null!;

        [Parameter(Mandatory = true, ParameterSetName = "LiteralPath", ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        public string[] LiteralPath { get; set; } = null!;

        /// <summary>The piped object itself: when -Path came from its Path property, the path is taken literally.</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>The request in DER form, as Unprotect-CertificateRequest emits it.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Request", ValueFromPipelineByPropertyName = true)]
        public byte[] Request { get; set; } = null!;

        [Parameter(Mandatory = true)]
        public object Issuer { get; set; } = null!;

        [Parameter]
        public string? KeyPath { get; set; }

        [Parameter]
        public SecureString? KeyPassword { get; set; }

        [Parameter(Mandatory = true)]
        public string Destination { get; set; } = "";

        [Parameter]
        [ValidateRange(1, 36500)]
        public int Days { get; set; } = CertificateRequestApprover.DefaultDays;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? UserName { get; set; }

        [Parameter]
        public CertificateUsage Usage { get; set; } = CertificateRequestApprover.DefaultUsage;

        [Parameter]
        public SwitchParameter Force { get; set; }

        private PemCredential? _issuer;
        private string _destination = "";

        protected override void BeginProcessingCore()
        {
            _destination = GetUnresolvedProviderPathFromPSPath(Destination);
            try { _issuer = CertificateArgument.Load(this, Issuer, KeyPassword, KeyPath, "approving requests"); }
            catch (ProvisioningException ex) { ThrowProvisioningError(ex, Issuer); }
        }

        protected override void ProcessRecordCore()
        {
            if (ParameterSetName == "Request")
            {
                Approve(null, () => CertificateRequestApprover.Approve(Request, null, _issuer!, _destination, UserName, Days, Usage, Force, Confirm));
                return;
            }
            foreach (var file in ResolveFilePaths(ParameterSetName == "Path" ? Path : null, ParameterSetName == "LiteralPath" ? LiteralPath : null, piped: InputObject))
                Approve(file, () => CertificateRequestApprover.ApproveFile(file, _issuer!, _destination, UserName, Days, Usage, Force, Confirm));
        }

        private bool Confirm(string target) => ShouldProcess(target, $"Issue a {Usage.ToString().ToLowerInvariant()} certificate signed by '{_issuer!.Certificate.Subject}'");

        private void Approve(string? file, System.Func<IssuedCertificate?> approve)
        {
            try
            {
                var issued = approve();
                if (issued != null) WriteObject(issued);
            }
            catch (ProvisioningException ex) { WriteProvisioningError(ex, file ?? (object?)UserName); }
        }

        protected override void EndProcessingCore() => _issuer?.Dispose();
    }
}
