using System;
using System.Management.Automation;
using System.Net;
using System.Threading;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Serving;
using PrivateProvisioning.Internal;

namespace PrivateProvisioning.Commands
{
    /// <summary>
    /// Receive-PhoneSyslog: listens for syslog datagrams from phones and writes each as an object as it
    /// arrives, until -Count messages, -Timeout seconds, or Ctrl+C.
    /// </summary>
    [Cmdlet(VerbsCommunications.Receive, "PhoneSyslog")]
    [OutputType(typeof(SyslogMessage))]
    public sealed class ReceivePhoneSyslogCommand : ProvisioningCmdlet
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        [Parameter(Position = 0)]
        [ValidateRange(0, 65535)]
        public int Port { get; set; } = SyslogRequest.DefaultPort;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Address { get; set; } = SyslogRequest.DefaultAddress;

        /// <summary>Seconds to listen in all; 0 (the default) listens until -Count or Ctrl+C.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int Timeout { get; set; }

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Count { get; set; }

        protected override void EndProcessingCore()
        {
            try
            {
                var request = new SyslogRequest(new IPEndPoint(ServeRequest.ParseAddress(Address), Port))
                {
                    Count = SyslogRequest.CountFrom(Bound(nameof(Count)) ? Count : (int?)null),
                    Duration = Timeout == 0 ? (TimeSpan?)null : TimeSpan.FromSeconds(Timeout),
                };
                request.Run(bound => WriteVerbose($"Listening for syslog on {bound}."), WriteObject, _stop.Token);
            }
            catch (ProvisioningException ex)
            {
                ThrowProvisioningError(ex);
            }
        }

        protected override void StopProcessing() => _stop.Cancel();
    }
}
