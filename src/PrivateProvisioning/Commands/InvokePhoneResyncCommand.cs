using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Resync;
using PrivateProvisioning.Internal;

namespace PrivateProvisioning.Commands
{
    /// <summary>
    /// Makes phones fetch their profile now: HTTP resync URL, Cisco XML Execute or SIP NOTIFY (with digest).
    /// Piped phones are collected and triggered together in EndProcessing, -ThrottleLimit at a time; results
    /// are written from the pipeline thread as they arrive, and Ctrl+C aborts the phones in flight.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "PhoneResync", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ResyncResult))]
    public sealed class InvokePhoneResyncCommand : ProvisioningCmdlet, IDisposable
    {
        private readonly List<ResyncTarget> _targets = new List<ResyncTarget>();
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("IP", "Host")]
        [ValidateNotNullOrEmpty]
        public string IPAddress { get; set; } = "";

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(0, 65535)]
        public int Port { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("MAC")]
        public string? MacAddress { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Format")]
        public string? Vendor { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Model { get; set; }

        [Parameter(Mandatory = true)]
        public ResyncMethod Method { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ProfileUrl { get; set; }

        [Parameter]
        [ValidateSet("check-sync", "resync", "reboot_now", "restart_now", "report", "prt-gen")]
        public string? Event { get; set; }

        [Parameter]
        public SwitchParameter Reboot { get; set; }

        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        [Parameter]
        public ResyncTransport Transport { get; set; }

        [Parameter]
        [ValidatePattern("^([0-9A-Fa-f]{2}:?){32}$")]
        public string? CertificateSha256 { get; set; }

        [Parameter]
        [ValidateRange(0.1, 3600)]
        public double TimeoutSeconds { get; set; } = 10;

        [Parameter]
        [ValidateRange(1, 10000)]
        public int ThrottleLimit { get; set; } = 32;

        [Parameter]
        [ValidateRange(0, 600000)]
        public int DelayMilliseconds { get; set; }

        private ResyncOptions Options()
        {
            return new ResyncOptions
            {
                Method = Method,
                ProfileUrl = ProfileUrl,
                Event = Event,
                Reboot = MyInvocation.BoundParameters.ContainsKey(nameof(Reboot)) ? Reboot.IsPresent : (bool?)null,
                UserName = Credential?.UserName,
                Transport = MyInvocation.BoundParameters.ContainsKey(nameof(Transport)) ? Transport : (ResyncTransport?)null,
                CertificateSha256 = CertificateSha256,
                Timeout = TimeSpan.FromSeconds(TimeoutSeconds),
                ThrottleLimit = ThrottleLimit,
                DelayMilliseconds = DelayMilliseconds,
            };
        }

        protected override void BeginProcessing()
        {
            try { ResyncRunner.Validate(Options()); }
            catch (ProvisioningException ex) { ThrowProvisioningError(ex); }
        }

        protected override void ProcessRecord()
        {
            ResyncTarget target;
            try { target = new ResyncTarget(IPAddress, Port, MacAddress, Vendor, Model); }
            catch (ProvisioningException ex)
            {
                WriteProvisioningError(ex, IPAddress);
                return;
            }
            string action = Method == ResyncMethod.SipNotify
                ? $"Send SIP NOTIFY (Event: {ResyncRequestRules.EventHeader(Event, target.Vendor, Options().Reboot)})"
                : Method == ResyncMethod.HttpResync ? $"Request /admin/resync?{ProfileUrl}" : $"Post XML Execute Resync:{ProfileUrl}";
            if (ShouldProcess(target.ToString(), action)) _targets.Add(target);
        }

        protected override void EndProcessing()
        {
            if (_targets.Count == 0) return;
            var options = Options();
            options.Password = Credential != null ? SecureStrings.ToUtf8Bytes(Credential.Password) : null;
            try
            {
                int done = 0;
                foreach (var result in ResyncRunner.Run(_targets, options, _stop.Token))
                {
                    WriteVerbose($"{result.Target}: {result.Outcome} {result.Reason}");
                    WriteObject(result);
                    if (_targets.Count > 1) Log.Progress("Triggering phone resync", ++done, _targets.Count);
                }
            }
            catch (ProvisioningException ex)
            {
                ThrowProvisioningError(ex);
            }
            finally
            {
                if (options.Password != null) Array.Clear(options.Password, 0, options.Password.Length);
            }
        }

        protected override void StopProcessing() => _stop.Cancel();

        public void Dispose() => _stop.Dispose();
    }
}
