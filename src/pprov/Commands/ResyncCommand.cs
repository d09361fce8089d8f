using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using System.Threading;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Resync;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>pprov resync: make phones fetch their profile (HTTP resync URL, XML Execute, SIP NOTIFY).</summary>
    public sealed class ResyncCommand : ICliCommand
    {
        public Command Build()
        {
            var ip = new Option<string[]>("--ip") { Description = "Phone IP address or host name (repeat for several phones).", AllowMultipleArgumentsPerToken = false };
            var port = new Option<int>("--port") { Description = "Port (default 5060 SIP, 5061 SIP/TLS, 80 HTTP, 443 HTTPS)." };
            var method = new Option<string>("--method") { Description = "http (GET /admin/resync?URL), xml (POST to /CGI/Execute) or sip (NOTIFY).", Required = true };
            method.AcceptOnlyFromAmong("http", "xml", "sip");
            var url = new Option<string>("--url") { Description = "Profile URL the phone should fetch (http and xml methods)." };
            var evt = new Option<string>("--event") { Description = "NOTIFY event: check-sync, resync, reboot_now, restart_now, report (default: by vendor; Panasonic check-sync, Cisco resync)." };
            var reboot = new Option<bool>("--reboot") { Description = "Ask the phone to reboot: check-sync;reboot=true, or reboot_now instead of resync." };
            var vendor = new Option<string>("--vendor") { Description = "Phone family for the default event (Panasonic, CiscoSpa, Cisco...)." };
            var model = new Option<string>("--model") { Description = "Phone model (e.g. 8841), naming the XML Execute root element." };
            var mac = new Option<string>("--mac") { Description = "MAC address of the phone (reported with the result)." };
            var user = new Option<string>("--user") { Description = "Line User ID (sip) or admin user (http, xml) answering a 401/407." };
            var passwordEnv = new Option<string>("--password-env") { Description = "Environment variable holding the password." };
            var passwordFile = new Option<string>("--password-file") { Description = "File holding the password." };
            var transport = new Option<string>("--transport") { Description = "udp (default for sip), tcp, or tls (sip over TLS; https for http/xml)." };
            transport.AcceptOnlyFromAmong("udp", "tcp", "tls");
            var certPin = new Option<string>("--cert-sha256") { Description = "With tls: accept only a phone certificate with this SHA-256 fingerprint." };
            var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for each phone (default 10).", DefaultValueFactory = _ => ResyncRequest.DefaultTimeoutSeconds };
            var csv = new Option<string>("--from-csv") { Description = "CSV with an IPAddress column (and optional Port, MacAddress, Vendor, Model)." };
            var parallel = new Option<int>("--parallel") { Description = "Phones in flight at once (default 32).", DefaultValueFactory = _ => ResyncRequest.DefaultThrottleLimit };
            var delay = new Option<int>("--delay") { Description = "Milliseconds between starting two phones (default 0)." };
            var json = new Option<bool>("--json") { Description = "One JSON object per phone and line." };

            var command = new Command("resync", "Make phones fetch their profile now: HTTP resync URL, Cisco XML Execute, or SIP NOTIFY with digest authentication.")
            {
                ip, port, method, url, evt, reboot, vendor, model, mac, user, passwordEnv, passwordFile, transport, certPin, timeout, csv, parallel, delay, json,
            };
            command.SetAction(parse =>
            {
                var output = new CliOutput(parse.GetValue(json));
                return CliErrors.Guard(output, () =>
                {
                    var targets = ResyncRequest.CollectTargets(parse.GetValue(ip), parse.GetValue(port), parse.GetValue(mac), parse.GetValue(vendor),
                        parse.GetValue(model), parse.GetValue(csv), out var rowErrors);
                    foreach (var error in rowErrors) output.Error(error.Error);
                    var request = new ResyncRequest(ParseMethod(parse.GetValue(method)))
                    {
                        ProfileUrl = parse.GetValue(url), Event = parse.GetValue(evt), UserName = parse.GetValue(user), CertificateSha256 = parse.GetValue(certPin),
                        Reboot = parse.GetValue(reboot) ? true : (bool?)null, Transport = ParseTransport(parse.GetValue(transport)),
                        TimeoutSeconds = parse.GetValue(timeout), ThrottleLimit = parse.GetValue(parallel), DelayMilliseconds = parse.GetValue(delay),
                    };
                    request.Password = SecretInput.Read(parse.GetValue(passwordFile), parse.GetValue(passwordEnv), "password");
                    try { return Run(targets, request, output) && rowErrors.Count == 0 ? ExitCodes.Success : CliErrors.ItemFailed; }
                    finally { if (request.Password != null) Array.Clear(request.Password, 0, request.Password.Length); }
                });
            });
            return command;
        }

        private static ResyncMethod ParseMethod(string? text) => text switch { "http" => ResyncMethod.HttpResync, "xml" => ResyncMethod.XmlExecute, _ => ResyncMethod.SipNotify };

        private static ResyncTransport? ParseTransport(string? text) =>
            text switch { "udp" => ResyncTransport.Udp, "tcp" => ResyncTransport.Tcp, "tls" => ResyncTransport.Tls, _ => (ResyncTransport?)null };

        private static bool Run(IReadOnlyList<ResyncTarget> targets, ResyncRequest request, CliOutput output)
        {
            using var stop = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (sender, e) => { e.Cancel = true; stop.Cancel(); };
            Console.CancelKeyPress += onCancel;
            try
            {
                int accepted = 0, done = 0;
                // Results are printed from the pool thread that finished the phone (the output is batched and
                // locked), not handed to this thread one by one: a hand-off per phone woke this thread 10,000 times.
                using (output.Batched())
                request.RunAsync(targets, r =>
                {
                    Interlocked.Increment(ref done);
                    if (r.Outcome == ResyncOutcome.Accepted) Interlocked.Increment(ref accepted);
                    output.Result(new CliJsonLines.ResyncLine(r.IPAddress, r.Port, r.MacAddress, r.Vendor, r.Method, r.Outcome,
                        r.StatusCode, r.Reason, (long)r.Elapsed.TotalMilliseconds), $"{r.Target,-28} {r.Method,-10} {r.Outcome,-12} {(r.StatusCode != 0 ? r.StatusCode.ToString(CultureInfo.InvariantCulture) : "-"),3} {r.Reason} ({r.Elapsed.TotalMilliseconds:0} ms)");
                }, stop.Token).GetAwaiter().GetResult();
                if (stop.IsCancellationRequested)
                    output.Error($"stopped: {done} of {targets.Count} phones answered before the interrupt; the rest were not triggered or were aborted.");
                return accepted == targets.Count;
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        }
    }
}
