using System;
using System.Diagnostics;
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
        public int Port { get; set; } = 514;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Address { get; set; } = "0.0.0.0";

        /// <summary>Seconds to listen in all; 0 (the default) listens until -Count or Ctrl+C.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int Timeout { get; set; }

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Count { get; set; }

        protected override void EndProcessingCore()
        {
            if (!IPAddress.TryParse(Address, out var address))
                ThrowProvisioningError(new ProvisioningException(ErrorIds.InvalidEndPoint, ErrorKind.InvalidArgument, $"The address '{Address}' is not an IP address (use 0.0.0.0 for every interface).", Address));
            try
            {
                using (var listener = new SyslogListener(new IPEndPoint(address!, Port)))
                {
                    WriteVerbose($"Listening for syslog on {listener.LocalEndPoint}.");
                    var clock = Stopwatch.StartNew();
                    int received = 0;
                    while (!_stop.IsCancellationRequested && (Count == 0 || received < Count))
                    {
                        var left = Timeout == 0 ? TimeSpan.FromDays(1) : TimeSpan.FromSeconds(Timeout) - clock.Elapsed;
                        if (left <= TimeSpan.Zero) break;
                        var message = listener.ReceiveAsync(left, _stop.Token).GetAwaiter().GetResult();
                        if (message == null) continue;
                        received++;
                        WriteObject(message);
                    }
                }
            }
            catch (ProvisioningException ex)
            {
                ThrowProvisioningError(ex);
            }
        }

        protected override void StopProcessing() => _stop.Cancel();
    }
}
