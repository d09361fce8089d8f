using System;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security;
using PrivateProvisioning.Internal;
using PrivateProvisioning.Templates;

namespace PrivateProvisioning.Commands
{
    /// <summary>New-ProvisioningCertificate: a key and certificate in mkcert's profile, in one owner-only PEM file.</summary>
    [Cmdlet(VerbsCommon.New, "ProvisioningCertificate", SupportsShouldProcess = true, DefaultParameterSetName = SelfSignedSet)]
    [OutputType(typeof(ProvisioningCertificateInfo))]
    public sealed class NewProvisioningCertificateCommand : ProvisioningCmdlet
    {
        // One issuer at most: PowerShell refuses -IssuerPath with -IssuerCertificate (AmbiguousParameterSet); Core's
        // CertificateSource.Issuer holds the same rule (IssuerConflict) for any caller.
        private const string SelfSignedSet = "SelfSigned";
        private const string IssuerPathSet = "IssuerPath";
        private const string IssuerCertificateSet = "IssuerCertificate";

        [Parameter(Position = 0)]
        public string? Path { get; set; }

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("CN")]
        public string CommonName { get; set; } = "";

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("O")]
        public string Organization { get; set; } = "";

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("OU")]
        public string OrganizationalUnit { get; set; } = "";

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("L")]
        public string? Locality { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("ST")]
        public string? State { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("C")]
        public string? Country { get; set; }

        [Parameter]
        [ValidateRange(1, 100)]
        public int Years { get; set; } = CertificateRequestOptions.DefaultYears;

        [Parameter]
        public int KeySize { get; set; } = CertificateRequestOptions.DefaultRsaKeySize;

        [Parameter]
        public CertificateCurve Curve { get; set; }

        /// <summary>A PEM file (key + certificate) of the CA that signs the new certificate.</summary>
        [Parameter(Mandatory = true, ParameterSetName = IssuerPathSet)]
        public string? IssuerPath { get; set; }

        /// <summary>A CA certificate with its private key, as an object.</summary>
        [Parameter(Mandatory = true, ParameterSetName = IssuerCertificateSet)]
        public X509Certificate2? IssuerCertificate { get; set; }

        /// <summary>Password of an encrypted issuer key.</summary>
        [Parameter]
        public SecureString? IssuerPassword { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>The piped row (Import-Csv), kept as the error's TargetObject with its secret columns masked.</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        private PemCredential? _issuer;

        protected override void BeginProcessingCore()
        {
            try
            {
                var issuer = CertificateSource.Issuer(IssuerPath == null ? null : GetUnresolvedProviderPathFromPSPath(IssuerPath), IssuerCertificate);
                if (issuer != null) _issuer = CertificateArgument.Load(issuer, IssuerPassword);
            }
            catch (ProvisioningException ex) { ThrowProvisioningError(ex); }
        }

        protected override void ProcessRecordCore()
        {
            try
            {
                var options = new CertificateRequestOptions(CommonName, Organization, OrganizationalUnit, Locality, State, Country, Years,
                    MyInvocation.BoundParameters.ContainsKey(nameof(KeySize)) ? KeySize : (int?)null,
                    MyInvocation.BoundParameters.ContainsKey(nameof(Curve)) ? Curve : (CertificateCurve?)null, _issuer);
                var path = GetUnresolvedProviderPathFromPSPath(Path ?? options.DefaultFileName);
                var whatIf = !ShouldProcess(path, $"Create a key and certificate for '{CommonName}'");
                WriteObject(ProvisioningCertificate.CreateFile(options, path, Force, whatIf));
            }
            catch (ProvisioningException ex)
            {
                // Piped: the row an admin looks up in the CSV (secrets masked), named by CommonName; typed: what Core names (the file, the value).
                var record = ToErrorRecord(ex, InputObject != null && !(InputObject.BaseObject is string) ? RowCells.Masked(InputObject, null) : null);
                record.CategoryInfo.TargetName = CommonName;
                WriteError(record);
            }
        }

        protected override void EndProcessingCore() => _issuer?.Dispose();
    }
}
