using System;
using System.Management.Automation;
using System.Security;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security.Enrollment;
using PrivateProvisioning.Internal;

namespace PrivateProvisioning.Commands
{
    /// <summary>Export-ProvisioningCertificate: DER (openssl x509 -outform der), PEM without the key, or PFX.</summary>
    [Cmdlet(VerbsData.Export, "ProvisioningCertificate", DefaultParameterSetName = "Path", SupportsShouldProcess = true)]
    [OutputType(typeof(ExportedCertificate))]
    public sealed class ExportProvisioningCertificateCommand : ProvisioningCmdlet
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
        public CertificateExportFormat Format { get; set; }

        /// <summary>The output file; by default the source name with the format's extension.</summary>
        [Parameter]
        public string? Destination { get; set; }

        /// <summary>Protects the PFX.</summary>
        [Parameter]
        public SecureString? Password { get; set; }

        [Parameter]
        public string? KeyPath { get; set; }

        [Parameter]
        public SecureString? KeyPassword { get; set; }

        protected override void BeginProcessingCore()
        {
            if (Format == CertificateExportFormat.Pfx && (Password == null || Password.Length == 0))
                ThrowProvisioningError(new ProvisioningException(ErrorIds.PfxPasswordRequired, ErrorKind.InvalidArgument,
                    "A PFX export needs -Password (a SecureString) to protect the private key."));
        }

        protected override void ProcessRecordCore()
        {
            var destination = Destination == null ? null : GetUnresolvedProviderPathFromPSPath(Destination);
            var keyPath = KeyPath == null ? null : GetUnresolvedProviderPathFromPSPath(KeyPath);
            foreach (var file in ResolveFilePaths(ParameterSetName == "Path" ? Path : null, ParameterSetName == "LiteralPath" ? LiteralPath : null, piped: InputObject))
            {
                byte[]? password = null, keyPassword = null;
                try
                {
                    var target = destination ?? CertificateExporter.DefaultDestination(file, Format);
                    bool whatIf = !ShouldProcess(target, $"Export '{file}' as {Format}");
                    if (Format == CertificateExportFormat.Pfx) password = SecureStrings.ToUtf8Bytes(Password!);
                    if (KeyPassword != null) keyPassword = SecureStrings.ToUtf8Bytes(KeyPassword);
                    var result = CertificateExporter.Export(file, Format, target, password, keyPath, keyPassword, whatIf);
                    if (!whatIf) WriteObject(result);
                }
                catch (ProvisioningException ex) { WriteProvisioningError(ex, file); }
                finally
                {
                    if (password != null) Array.Clear(password, 0, password.Length);
                    if (keyPassword != null) Array.Clear(keyPassword, 0, keyPassword.Length);
                }
            }
        }
    }
}
