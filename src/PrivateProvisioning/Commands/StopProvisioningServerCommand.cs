using System.Linq;
using System.Management.Automation;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Serving;
using PrivateProvisioning.Internal;

namespace PrivateProvisioning.Commands
{
    /// <summary>Stop-ProvisioningServer: stops servers started with Start-ProvisioningServer (all of them without -Id).</summary>
    [Cmdlet(VerbsLifecycle.Stop, "ProvisioningServer", SupportsShouldProcess = true)]
    [OutputType(typeof(ProvisioningServer))]
    public sealed class StopProvisioningServerCommand : ProvisioningCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        public int[]? Id { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecordCore()
        {
            var running = ProvisioningServer.Running;
            if (Id == null)
            {
                foreach (var server in running) Stop(server);
                return;
            }
            foreach (var id in Id)
            {
                var server = running.FirstOrDefault(s => s.Id == id);
                if (server == null)
                {
                    WriteProvisioningError(new ProvisioningException(ErrorIds.ServerNotFound, ErrorKind.ObjectNotFound,
                        $"No provisioning server with Id {id} is running in this session (Get-ProvisioningServerLog lists none for it).", id));
                    continue;
                }
                Stop(server);
            }
        }

        private void Stop(ProvisioningServer server)
        {
            if (!ShouldProcess(server.ToString(), "Stop the provisioning server")) return;
            server.Stop();
            if (PassThru) WriteObject(server);
        }
    }
}
