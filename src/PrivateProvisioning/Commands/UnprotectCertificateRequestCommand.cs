using System.Management.Automation;
using System.Security;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security;
using PrivateProvisioning.Core.Security.Enrollment;
using PrivateProvisioning.Internal;

namespace PrivateProvisioning.Commands
{
    /// <summary>Unprotect-CertificateRequest: decrypts requests encrypted to the server certificate.</summary>
    [Cmdlet(VerbsSecurity.Unprotect, "CertificateRequest", DefaultParameterSetName = "Path", SupportsShouldProcess = true)]
    [OutputType(typeof(DecryptedCertificateRequest))]
    public sealed class UnprotectCertificateRequestCommand : ProvisioningCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Path", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        public string[] Path { get; set; } = null!;

        [Parameter(Mandatory = true, ParameterSetName = "LiteralPath", ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        public string[] LiteralPath { get; set; } = null!;

        /// <summary>The piped object itself: when -Path came from its Path property, the path is taken literally.</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        [Parameter(Mandatory = true)]
        public object Certificate { get; set; } = null!;

        [Parameter]
        public string? KeyPath { get; set; }

        [Parameter]
        public SecureString? KeyPassword { get; set; }

        [Parameter]
        public CertificateRequestProtection Method { get; set; } = CertificateRequestDecryptor.DefaultMethod;

        [Parameter]
        public string? Destination { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        private PemCredential? _server;

        protected override void BeginProcessingCore()
        {
            try { _server = CertificateArgument.Load(this, Certificate, KeyPassword, KeyPath, "decrypting requests"); }
            catch (ProvisioningException ex) { ThrowProvisioningError(ex, Certificate); }
        }

        protected override void ProcessRecordCore()
        {
            var destination = Destination == null ? null : GetUnresolvedProviderPathFromPSPath(Destination);
            foreach (var file in ResolveFilePaths(ParameterSetName == "Path" ? Path : null, ParameterSetName == "LiteralPath" ? LiteralPath : null, piped: InputObject))
            {
                try
                {
                    bool write = destination != null && ShouldProcess(file, $"Decrypt into '{destination}'");
                    WriteObject(CertificateRequestDecryptor.DecryptFile(file, _server!, Method, write ? destination : null, Force));
                }
                catch (ProvisioningException ex) { WriteProvisioningError(ex, file); }
            }
        }

        protected override void EndProcessingCore() => _server?.Dispose();
    }
}
