using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security.Enrollment;
using PrivateProvisioning.Internal;

namespace PrivateProvisioning.Commands
{
    /// <summary>Get-CertificatePin: base64(sha256(SubjectPublicKeyInfo)), as the openssl pipeline prints it.</summary>
    [Cmdlet(VerbsCommon.Get, "CertificatePin", DefaultParameterSetName = "Path")]
    [OutputType(typeof(CertificatePin))]
    public sealed class GetCertificatePinCommand : ProvisioningCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Path", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        public string[] Path { get; set; } = null!;

        [Parameter(Mandatory = true, ParameterSetName = "LiteralPath", ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        public string[] LiteralPath { get; set; } = null!;

        /// <summary>A certificate object (by value only, so result objects with a Path bind to -Path).</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Certificate", ValueFromPipeline = true)]
        public X509Certificate2 Certificate { get; set; } = null!;

        protected override void ProcessRecordCore()
        {
            if (ParameterSetName == "Certificate")
            {
                WriteObject(CertificatePins.FromCertificate(Certificate));
                return;
            }
            foreach (var file in ResolveFilePaths(ParameterSetName == "Path" ? Path : null, ParameterSetName == "LiteralPath" ? LiteralPath : null))
            {
                try { WriteObject(CertificatePins.FromFile(file)); }
                catch (ProvisioningException ex) { WriteProvisioningError(ex, file); }
            }
        }
    }
}
