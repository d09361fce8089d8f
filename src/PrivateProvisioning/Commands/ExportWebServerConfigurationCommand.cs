using System.Management.Automation;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security.Enrollment;
using PrivateProvisioning.Internal;

namespace PrivateProvisioning.Commands
{
    /// <summary>
    /// Export-WebServerConfiguration: an nginx or Apache server block, or an IIS web.config, with client
    /// verification against our CA and, with -Authorization PerPhone, each certificate opening only its own files.
    /// </summary>
    [Cmdlet(VerbsData.Export, "WebServerConfiguration", SupportsShouldProcess = true)]
    [OutputType(typeof(WebServerConfiguration))]
    public sealed class ExportWebServerConfigurationCommand : ProvisioningCmdlet
    {
        [Parameter(Mandatory = true)]
        public WebServerKind Server { get; set; }

        [Parameter(Mandatory = true)]
        public string Root { get; set; } = "";

        /// <summary>The server certificate (nginx and Apache; IIS binds its own).</summary>
        [Parameter]
        public string? Certificate { get; set; }

        [Parameter]
        public string? CertificateKey { get; set; }

        [Parameter(Mandatory = true)]
        public string ClientCA { get; set; } = "";

        [Parameter]
        public string? ClientCrl { get; set; }

        [Parameter(Mandatory = true)]
        public string ServerName { get; set; } = "";

        [Parameter]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = WebServerConfigurationOptions.DefaultPort;

        [Parameter]
        public string? ListenAddress { get; set; }

        [Parameter]
        [ValidateRange(1, 10)]
        public int VerifyDepth { get; set; } = WebServerConfigurationOptions.DefaultVerifyDepth;

        [Parameter]
        public WebServerAuthorization Authorization { get; set; } = WebServerConfigurationOptions.DefaultAuthorization;

        [Parameter]
        public ClientIdentityKind? Identity { get; set; }

        [Parameter]
        public string? IdentityAttribute { get; set; }

        [Parameter]
        public string? IdentityPattern { get; set; }

        [Parameter]
        public string[]? PerPhoneFile { get; set; }

        /// <summary>Where to write the snippet; without it the result carries the text only.</summary>
        [Parameter(Position = 0)]
        public string? Path { get; set; }

        protected override void EndProcessingCore()
        {
            try
            {
                var options = new WebServerConfigurationOptions(Resolve(Root), ResolveOptional(Certificate), ResolveOptional(CertificateKey), Resolve(ClientCA),
                    ServerName, Port, ListenAddress, VerifyDepth, Authorization,
                    ClientIdentityRule.FromOptions(Identity, IdentityAttribute, IdentityPattern), PerPhoneFile, ResolveOptional(ClientCrl));
                var path = Path == null ? null : GetUnresolvedProviderPathFromPSPath(Path);
                bool whatIf = path != null && !ShouldProcess(path, $"Write the {Server} configuration for '{ServerName}'");
                WriteObject(WebServerConfigurationWriter.Write(Server, options, path, whatIf, Log));
            }
            catch (ProvisioningException ex) { ThrowProvisioningError(ex); }
        }

        private string Resolve(string path) => GetUnresolvedProviderPathFromPSPath(path);

        private string? ResolveOptional(string? path) => string.IsNullOrEmpty(path) ? null : GetUnresolvedProviderPathFromPSPath(path);
    }
}
