using System.Linq;
using System.Management.Automation;
using System.Net;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Serving;
using PrivateProvisioning.Internal;

namespace PrivateProvisioning.Commands
{
    /// <summary>
    /// Start-ProvisioningServer: serves a folder over TFTP and/or HTTP in the background of the session,
    /// read-only, logging every request (Get-ProvisioningServerLog) until Stop-ProvisioningServer.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "ProvisioningServer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ProvisioningServer))]
    public sealed class StartProvisioningServerCommand : ProvisioningCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = null!;

        [Parameter]
        public SwitchParameter Tftp { get; set; }

        [Parameter]
        public SwitchParameter Http { get; set; }

        /// <summary>The address to listen on: this machine only by default; 0.0.0.0 (or one interface's address) opens it to the phones.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Address { get; set; } = ServeRequest.DefaultSessionAddress;

        [Parameter]
        [ValidateRange(0, 65535)]
        public int TftpPort { get; set; } = ServeRequest.DefaultTftpPort;

        [Parameter]
        [ValidateRange(0, 65535)]
        public int HttpPort { get; set; } = ServeRequest.DefaultHttpPort;

        [Parameter]
        [ValidateRange(1, 1000000)]
        public int LogCapacity { get; set; } = ServeRequest.DefaultLogCapacity;

        protected override void EndProcessingCore()
        {
            try
            {
                var folder = GetResolvedProviderPathFromPSPath(Path, out _);
                if (folder.Count != 1)
                    throw new ProvisioningException(ErrorIds.AmbiguousPath, ErrorKind.InvalidArgument, $"The path '{Path}' resolves to {folder.Count} folders; give one.", Path);
                var options = new ServeRequest(folder[0])
                {
                    Address = ServeRequest.ParseAddress(Address), Tftp = Tftp, Http = Http, TftpPort = TftpPort, HttpPort = HttpPort, LogCapacity = LogCapacity,
                }.ToOptions();
                var listeners = string.Join(", ", new[] { options.TftpEndPoint == null ? null : "TFTP " + options.TftpEndPoint, options.HttpEndPoint == null ? null : "HTTP " + options.HttpEndPoint }
                    .Where(e => e != null));
                if (!ShouldProcess(listeners, $"Serve '{folder[0]}' read-only")) return;
                var server = ProvisioningServer.Start(options);
                WriteVerbose($"Serving {server.Path}" + (server.TftpEndPoint != null ? $" over TFTP on {server.TftpEndPoint}" : "") + (server.HttpEndPoint != null ? $" over HTTP on {server.HttpEndPoint}" : ""));
                WriteObject(server);
            }
            catch (ItemNotFoundException ex)
            {
                ThrowProvisioningError(new ProvisioningException(ErrorIds.ServingRootNotFound, ErrorKind.ObjectNotFound, ex.Message, Path));
            }
            catch (ProvisioningException ex)
            {
                ThrowProvisioningError(ex);
            }
        }
    }
}
