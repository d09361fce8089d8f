using System.Management.Automation;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security.Enrollment;
using PrivateProvisioning.Internal;

namespace PrivateProvisioning.Commands
{
    /// <summary>Export-WebServerConfiguration: an nginx or Apache server block with client verification against our CA.</summary>
    [Cmdlet(VerbsData.Export, "WebServerConfiguration", SupportsShouldProcess = true)]
    [OutputType(typeof(WebServerConfiguration))]
    public sealed class ExportWebServerConfigurationCommand : ProvisioningCmdlet
    {
        [Parameter(Mandatory = true)]
        public WebServerKind Server { get; set; }

        [Parameter(Mandatory = true)]
        public string Root { get; set; } = "";

        [Parameter(Mandatory = true)]
        public string Certificate { get; set; } = "";

        [Parameter(Mandatory = true)]
        public string CertificateKey { get; set; } = "";

        [Parameter(Mandatory = true)]
        public string ClientCA { get; set; } = "";

        [Parameter(Mandatory = true)]
        public string ServerName { get; set; } = "";

        [Parameter]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = 443;

        [Parameter]
        public string? ListenAddress { get; set; }

        [Parameter]
        [ValidateRange(1, 10)]
        public int VerifyDepth { get; set; } = 2;

        /// <summary>Where to write the snippet; without it the result carries the text only.</summary>
        [Parameter(Position = 0)]
        public string? Path { get; set; }

        protected override void EndProcessing()
        {
            try
            {
                var options = new WebServerConfigurationOptions(Resolve(Root), Resolve(Certificate), Resolve(CertificateKey), Resolve(ClientCA),
                    ServerName, Port, ListenAddress, VerifyDepth);
                var path = Path == null ? null : GetUnresolvedProviderPathFromPSPath(Path);
                bool whatIf = path != null && !ShouldProcess(path, $"Write the {Server} configuration for '{ServerName}'");
                WriteObject(WebServerConfigurationWriter.Write(Server, options, path, whatIf));
            }
            catch (ProvisioningException ex) { ThrowProvisioningError(ex); }
        }

        private string Resolve(string path) => GetUnresolvedProviderPathFromPSPath(path);
    }
}
