using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Serving;
using PrivateProvisioning.Internal;

namespace PrivateProvisioning.Commands
{
    /// <summary>Get-ProvisioningServerLog: the requests a running provisioning server answered, oldest first.</summary>
    [Cmdlet(VerbsCommon.Get, "ProvisioningServerLog")]
    [OutputType(typeof(ServedRequest))]
    public sealed class GetProvisioningServerLogCommand : ProvisioningCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        public int[]? Id { get; set; }

        [Parameter]
        public string? MacAddress { get; set; }

        [Parameter]
        public RequestOutcome[]? Outcome { get; set; }

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int? Last { get; set; }

        protected override void ProcessRecordCore()
        {
            string? mac = null;
            if (MacAddress != null)
            {
                try { mac = Core.MacAddress.Parse(MacAddress, RequestParameter.MacAddress).Upper; }
                catch (ProvisioningException ex) { ThrowProvisioningError(ex); }
            }
            var known = ProvisioningServer.Known;
            var servers = new List<ProvisioningServer>();
            if (Id == null) servers.AddRange(known);
            else
                foreach (var id in Id)
                {
                    var server = known.FirstOrDefault(s => s.Id == id);
                    if (server != null) servers.Add(server);
                    else WriteProvisioningError(new ProvisioningException(ErrorIds.ServerNotFound, ErrorKind.ObjectNotFound,
                        $"No provisioning server with Id {id} was started in this session (or it was stopped long ago).", id));
                }
            IEnumerable<ServedRequest> records = servers.SelectMany(s => s.GetLog()).OrderBy(r => r.Time);
            if (mac != null) records = records.Where(r => r.MacAddress == mac);
            if (Outcome != null) records = records.Where(r => Outcome.Contains(r.Outcome));
            var list = records.ToList();
            if (Last is int last && list.Count > last) list = list.Skip(list.Count - last).ToList();
            foreach (var record in list) WriteObject(record);
        }
    }
}
