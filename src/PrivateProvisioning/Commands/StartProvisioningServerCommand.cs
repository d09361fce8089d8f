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
        public string Address { get; set; } = "127.0.0.1";

        [Parameter]
        [ValidateRange(0, 65535)]
        public int TftpPort { get; set; } = 69;

        [Parameter]
        [ValidateRange(0, 65535)]
        public int HttpPort { get; set; } = 80;

        [Parameter]
        [ValidateRange(1, 1000000)]
        public int LogCapacity { get; set; } = 10000;

        protected override void EndProcessingCore()
        {
            try
            {
                var folder = GetResolvedProviderPathFromPSPath(Path, out _);
                if (folder.Count != 1)
                    throw new ProvisioningException("AmbiguousPath", ErrorKind.InvalidArgument, $"The path '{Path}' resolves to {folder.Count} folders; give one.", Path);
                if (!IPAddress.TryParse(Address, out var address))
                    throw new ProvisioningException("InvalidEndPoint", ErrorKind.InvalidArgument, $"The address '{Address}' is not an IP address (use 0.0.0.0 for every interface).", Address);
                // Neither switch: serve both, which is what a bench set-up usually wants.
                bool both = !Tftp.IsPresent && !Http.IsPresent;
                var options = new ProvisioningServerOptions(folder[0]) { LogCapacity = LogCapacity };
                if (both || Tftp) options.TftpEndPoint = new IPEndPoint(address, TftpPort);
                if (both || Http) options.HttpEndPoint = new IPEndPoint(address, HttpPort);
                var listeners = string.Join(", ", new[] { options.TftpEndPoint == null ? null : "TFTP " + options.TftpEndPoint, options.HttpEndPoint == null ? null : "HTTP " + options.HttpEndPoint }
                    .Where(e => e != null));
                if (!ShouldProcess(listeners, $"Serve '{folder[0]}' read-only")) return;
                var server = ProvisioningServer.Start(options);
                WriteVerbose($"Serving {server.Path}" + (server.TftpEndPoint != null ? $" over TFTP on {server.TftpEndPoint}" : "") + (server.HttpEndPoint != null ? $" over HTTP on {server.HttpEndPoint}" : ""));
                WriteObject(server);
            }
            catch (ItemNotFoundException ex)
            {
                ThrowProvisioningError(new ProvisioningException("ServingRootNotFound", ErrorKind.ObjectNotFound, ex.Message, Path));
            }
            catch (ProvisioningException ex)
            {
                ThrowProvisioningError(ex);
            }
        }
    }
}
