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

        /// <summary>
        /// The phone's address. Rows bind it by property name (IPAddress, IP or Host column); it takes no piped object
        /// by value, so a row without such a column is refused by name instead of becoming its own text.
        /// </summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("IP", "Host")]
        [ValidateNotNullOrEmpty]
        public string? IPAddress { get; set; }

        /// <summary>A piped address as plain text ('192.0.2.5', 'phone7:5060'), or the row itself (for the error that names it).</summary>
        [Parameter(ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(0, 65535)]
        public int Port { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("MAC")]
        public string? MacAddress { get; set; }

        /// <summary>
        /// The phone family, which picks the default NOTIFY event: a profile format's name. Text rather than the enum so that
        /// a bad CSV value ('Ciscoo') is an error naming the row; an enum would be silently left unbound from a pipeline row.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Format")]
        [ArgumentCompleter(typeof(EnumNameCompleter<ProfileFormat>))]
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

        protected override void BeginProcessingCore()
        {
            try { ResyncRunner.Validate(Options()); }
            catch (ProvisioningException ex) { ThrowProvisioningError(ex); }
        }

        protected override void ProcessRecordCore()
        {
            _row++;
            var address = IPAddress ?? (InputObject?.BaseObject as string);
            ResyncTarget target;
            try
            {
                if (address == null) throw MissingAddress();
                target = new ResyncTarget(address, Port, MacAddress, Vendor, Model);
            }
            catch (ProvisioningException ex)
            {
                // The row as a copy with secret columns masked (a Password column rides along on resync CSVs).
                WriteProvisioningError(ex, InputObject != null ? RowCells.Masked(InputObject, null) : IPAddress);
                return;
            }
            string action = Method == ResyncMethod.SipNotify
                ? $"Send SIP NOTIFY (Event: {ResyncRequestRules.EventHeader(Event, target.Vendor, Options().Reboot)})"
                : Method == ResyncMethod.HttpResync ? $"Request /admin/resync?{ProfileUrl}" : $"Post XML Execute Resync:{ProfileUrl}";
            if (ShouldProcess(target.ToString(), action)) _targets.Add(target);
        }

        private int _row;

        private ProvisioningException MissingAddress()
        {
            if (InputObject == null)
                return new ProvisioningException("MissingIPAddress", ErrorKind.InvalidArgument, "Give the phone's address with -IPAddress, or pipe rows with an IPAddress column.");
            var columns = string.Join(", ", InputObject.Properties.Select(p => p.Name));
            return new ProvisioningException("IPAddressColumnMissing", ErrorKind.InvalidArgument,
                $"Input {_row} has no IPAddress column (or IP, Host), so there is no phone to trigger; its columns are: {(columns.Length == 0 ? "(none)" : columns)}.", InputObject);
        }

        protected override void EndProcessingCore()
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
