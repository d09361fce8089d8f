using System;
using System.Collections.Generic;
using System.Threading;

namespace PrivateProvisioning.Core.Resync
{
    /// <summary>
    /// One resync run as both front ends ask for it: the cmdlet (Invoke-PhoneResync) and pprov resync map their
    /// parameters onto it, and it owns the defaults (timeout, throttle, the vendor's event, the port of each
    /// method), the cross-parameter rules (transport against method, a password needs a user name, a piped row
    /// needs an address) and the one entry point that runs it. Errors carry ids from <see cref="ErrorIds"/>.
    /// The password bytes belong to the caller, who wipes them after the run.
    /// </summary>
    public sealed class ResyncRequest
    {
        /// <summary>Seconds to wait for each phone when none are given.</summary>
        public const double DefaultTimeoutSeconds = 10;
        /// <summary>Phones in flight at once when no limit is given.</summary>
        public const int DefaultThrottleLimit = 32;

        public ResyncRequest(ResyncMethod method) { Method = method; }

        public ResyncMethod Method { get; }
        /// <summary>The profile rule the phone should fetch (HTTP resync, XML Execute); null lets the phone use its own.</summary>
        public string? ProfileUrl { get; set; }
        /// <summary>The NOTIFY event; null picks the vendor's (Panasonic check-sync, Cisco SPA/MPP resync).</summary>
        public string? Event { get; set; }
        /// <summary>Null when the user did not say (the event is sent as is); true or false when they did.</summary>
        public bool? Reboot { get; set; }
        public string? UserName { get; set; }
        public byte[]? Password { get; set; }
        /// <summary>Null: UDP for SIP, plain HTTP for the HTTP methods.</summary>
        public ResyncTransport? Transport { get; set; }
        public string? CertificateSha256 { get; set; }
        public double TimeoutSeconds { get; set; } = DefaultTimeoutSeconds;
        public int ThrottleLimit { get; set; } = DefaultThrottleLimit;
        public int DelayMilliseconds { get; set; }

        /// <summary>The run's settings, checked: throws the first broken rule (InvalidArgument) before any phone is contacted.</summary>
        public ResyncOptions Validate()
        {
            var options = new ResyncOptions
            {
                Method = Method,
                ProfileUrl = ProfileUrl,
                Event = Event,
                Reboot = Reboot,
                UserName = UserName,
                Password = Password,
                Transport = Transport,
                CertificateSha256 = CertificateSha256,
                // Out-of-range values reach ResyncRunner.Validate, which names them; clamped only so TimeSpan can hold them.
                Timeout = double.IsNaN(TimeoutSeconds) ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Max(-1e6, Math.Min(1e6, TimeoutSeconds))),
                ThrottleLimit = ThrottleLimit,
                DelayMilliseconds = DelayMilliseconds,
            };
            ResyncRunner.Validate(options);
            return options;
        }

        /// <summary>Triggers every target (validating first) and yields results as they complete, on the caller's thread.</summary>
        public IEnumerable<ResyncResult> Run(IReadOnlyList<ResyncTarget> targets, CancellationToken cancel) =>
            ResyncRunner.Run(targets, Validate(), cancel);

        /// <summary>Triggers every target (validating first, synchronously) and calls <paramref name="onResult"/> from the thread that finished each phone.</summary>
        public System.Threading.Tasks.Task RunAsync(IReadOnlyList<ResyncTarget> targets, Action<ResyncResult> onResult, CancellationToken cancel) =>
            ResyncRunner.RunAsync(targets, Validate(), onResult, cancel);

        /// <summary>What the phone will be asked, in words: the ShouldProcess action and the verbose text.</summary>
        public string DescribeAction(ResyncTarget target) => Method switch
        {
            ResyncMethod.SipNotify => $"Send SIP NOTIFY (Event: {ResyncRequestRules.EventHeader(Event, target.Vendor, Reboot)})",
            ResyncMethod.HttpResync => $"Request /admin/resync?{ProfileUrl}",
            _ => $"Post XML Execute Resync:{ProfileUrl}",
        };

        /// <summary>
        /// The phones named directly (each address with the shared port, MAC, vendor and model) and those of a CSV file.
        /// A bad CSV row is returned in <paramref name="rowErrors"/> and the others go on; when nothing names a phone
        /// at all, NoTargets, about the address and the CSV file (each front end spells them).
        /// </summary>
        public static List<ResyncTarget> CollectTargets(IEnumerable<string>? addresses, int port, string? macAddress, string? vendor, string? model,
            string? csvPath, out IReadOnlyList<ResyncCsvError> rowErrors)
        {
            var targets = new List<ResyncTarget>();
            foreach (var address in addresses ?? Array.Empty<string>())
                targets.Add(new ResyncTarget(address, port, macAddress, vendor, model));
            rowErrors = Array.Empty<ResyncCsvError>();
            if (csvPath != null) targets.AddRange(ResyncTargetCsv.Read(csvPath, out rowErrors));
            if (targets.Count == 0 && rowErrors.Count == 0)
                throw new ProvisioningException(ErrorIds.NoTargets, ErrorKind.InvalidArgument, "Name the phones: their addresses, or a CSV file of them.")
                    .About(RequestParameter.IPAddress, RequestParameter.CsvPath);
            return targets;
        }

        /// <summary>
        /// A piped input without an address: with no input at all, MissingIPAddress about the address parameter
        /// (each front end spells it); a row, IPAddressColumnMissing naming its columns, so a row is never taken as a host name.
        /// </summary>
        public static ProvisioningException MissingAddress(int inputNumber, IReadOnlyCollection<string>? rowColumns, object? row)
        {
            if (rowColumns == null)
                return new ProvisioningException(ErrorIds.MissingIPAddress, ErrorKind.InvalidArgument,
                    "Give the phone's address, or input rows with an IPAddress column.").About(RequestParameter.IPAddress);
            var columns = string.Join(", ", rowColumns);
            return new ProvisioningException(ErrorIds.IPAddressColumnMissing, ErrorKind.InvalidArgument,
                $"Input {inputNumber} has no IPAddress column (or IP, Host), so there is no phone to trigger; its columns are: {(columns.Length == 0 ? "(none)" : columns)}.", row);
        }
    }
}
