using System.Management.Automation;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security.Enrollment;
using PrivateProvisioning.Internal;
using PrivateProvisioning.Templates;

namespace PrivateProvisioning.Commands
{
    /// <summary>New-CertificateRequest: a key pair and a PKCS#10 request, like openssl req -new.</summary>
    [Cmdlet(VerbsCommon.New, "CertificateRequest", SupportsShouldProcess = true)]
    [OutputType(typeof(CertificateRequestFile))]
    public sealed class NewCertificateRequestCommand : ProvisioningCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        public string? Path { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? KeyPath { get; set; }

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("CN")]
        public string CommonName { get; set; } = "";

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("O")]
        public string? Organization { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("OU")]
        public string? OrganizationalUnit { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("C")]
        public string? Country { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("ST")]
        public string? State { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("L")]
        public string? Locality { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Email { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Street { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? PostalCode { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Title { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("SAN")]
        public string[]? SubjectAlternativeName { get; set; }

        [Parameter]
        public CertificateRequestKeyAlgorithm KeyAlgorithm { get; set; } = CertificateRequestGenerator.DefaultKeyAlgorithm;

        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>The piped row (Import-Csv), kept as the error's TargetObject with its secret columns masked.</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        protected override void ProcessRecordCore()
        {
            try
            {
                var subject = new CertificateSubject(CommonName, Organization, OrganizationalUnit, Country, State, Locality, Street, PostalCode, Title, Email);
                var path = GetUnresolvedProviderPathFromPSPath(Path ?? CertificateRequestGenerator.DefaultFileName(CommonName));
                var keyPath = KeyPath == null ? null : GetUnresolvedProviderPathFromPSPath(KeyPath);
                if (!ShouldProcess(path, $"Create a {KeyAlgorithm} key and a certificate request for '{subject}'")) return;
                WriteObject(CertificateRequestGenerator.Write(path, keyPath, subject, KeyAlgorithm, SubjectAlternativeName, Force));
            }
            catch (ProvisioningException ex)
            {
                // Piped: the row an admin looks up in the CSV (secrets masked), named by CommonName; typed: what Core names (the file, the value).
                var record = ToErrorRecord(ex, InputObject != null && !(InputObject.BaseObject is string) ? RowCells.Masked(InputObject, null) : null);
                record.CategoryInfo.TargetName = CommonName;
                WriteError(record);
            }
        }
    }
}
