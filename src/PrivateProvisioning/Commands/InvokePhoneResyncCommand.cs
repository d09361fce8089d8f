using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Core.Resync;
using PrivateProvisioning.Internal;
using PrivateProvisioning.Templates;

namespace PrivateProvisioning.Commands
{
    /// <summary>Makes phones fetch their profile now (Core's ResyncRequest): piped phones are triggered together in EndProcessing,
    /// results written from the pipeline thread as they arrive, and Ctrl+C aborts the phones in flight.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "PhoneResync", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ResyncResult))]
    public sealed class InvokePhoneResyncCommand : ProvisioningCmdlet, IDisposable
    {
        private readonly List<ResyncTarget> _targets = new List<ResyncTarget>();
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private int _row;

        /// <summary>The phone's address, bound from rows by property name only: a row without it is refused by name, never taken as text.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true), Alias("IP", "Host"), ValidateNotNullOrEmpty]
        public string? IPAddress { get; set; }

        /// <summary>A piped address as plain text ('192.0.2.5', 'phone7:5060'), or the row itself (for the error that names it).</summary>
        [Parameter(ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), ValidateRange(0, 65535)]
        public int Port { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("MAC")]
        public string? MacAddress { get; set; }

        /// <summary>The phone family (a profile format's name), as text so that a bad CSV value ('Ciscoo') is an error naming
        /// the row; an enum would be silently left unbound from a pipeline row.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("Format"), ArgumentCompleter(typeof(EnumNameCompleter<ProfileFormat>))]
        public string? Vendor { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Model { get; set; }
        [Parameter(Mandatory = true)]
        public ResyncMethod Method { get; set; }
        [Parameter, ValidateNotNullOrEmpty]
        public string? ProfileUrl { get; set; }
        [Parameter, ValidateSet("check-sync", "resync", "reboot_now", "restart_now", "report", "prt-gen")]
        public string? Event { get; set; }
        [Parameter]
        public SwitchParameter Reboot { get; set; }
        [Parameter, Credential]
        public PSCredential? Credential { get; set; }
        [Parameter]
        public ResyncTransport Transport { get; set; }
        [Parameter, ValidatePattern("^([0-9A-Fa-f]{2}:?){32}$")]
        public string? CertificateSha256 { get; set; }
        [Parameter, ValidateRange(0.1, 3600)]
        public double TimeoutSeconds { get; set; } = ResyncRequest.DefaultTimeoutSeconds;
        [Parameter, ValidateRange(1, 10000)]
        public int ThrottleLimit { get; set; } = ResyncRequest.DefaultThrottleLimit;
        [Parameter, ValidateRange(0, 600000)]
        public int DelayMilliseconds { get; set; }

        /// <summary>The run as Core's request; Reboot and Transport only when bound, so Core's defaults apply otherwise.</summary>
        private ResyncRequest Request() => new ResyncRequest(Method)
        {
            ProfileUrl = ProfileUrl, Event = Event, UserName = Credential?.UserName, CertificateSha256 = CertificateSha256,
            Reboot = MyInvocation.BoundParameters.ContainsKey(nameof(Reboot)) ? Reboot.IsPresent : (bool?)null,
            Transport = MyInvocation.BoundParameters.ContainsKey(nameof(Transport)) ? Transport : (ResyncTransport?)null,
            TimeoutSeconds = TimeoutSeconds, ThrottleLimit = ThrottleLimit, DelayMilliseconds = DelayMilliseconds,
        };

        protected override void BeginProcessingCore()
        {
            try { Request().Validate(); }
            catch (ProvisioningException ex) { ThrowProvisioningError(ex); }
        }

        protected override void ProcessRecordCore()
        {
            _row++;
            var address = IPAddress ?? (InputObject?.BaseObject as string);
            ResyncTarget target;
            try
            {
                target = address != null ? new ResyncTarget(address, Port, MacAddress, Vendor, Model)
                    : throw ResyncRequest.MissingAddress(_row, InputObject?.Properties.Select(p => p.Name).ToList(), InputObject);
            }
            catch (ProvisioningException ex)
            {
                // The row as a copy with secret columns masked (a Password column rides along on resync CSVs).
                WriteProvisioningError(ex, InputObject != null ? RowCells.Masked(InputObject, null) : IPAddress);
                return;
            }
            if (ShouldProcess(target.ToString(), Request().DescribeAction(target))) _targets.Add(target);
        }

        protected override void EndProcessingCore()
        {
            if (_targets.Count == 0) return;
            var request = Request();
            request.Password = Credential != null ? SecureStrings.ToUtf8Bytes(Credential.Password) : null;
            try
            {
                int done = 0;
                foreach (var result in request.Run(_targets, _stop.Token))
                {
                    WriteVerbose($"{result.Target}: {result.Outcome} {result.Reason}");
                    WriteObject(result);
                    if (_targets.Count > 1) Log.Progress("Triggering phone resync", ++done, _targets.Count);
                }
            }
            catch (ProvisioningException ex) { ThrowProvisioningError(ex); }
            finally { if (request.Password != null) Array.Clear(request.Password, 0, request.Password.Length); }
        }

        protected override void StopProcessing() => _stop.Cancel();
        public void Dispose() => _stop.Dispose();
    }
}
