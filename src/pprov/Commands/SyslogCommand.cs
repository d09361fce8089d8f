using System;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Threading;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Serving;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>pprov syslog: receive syslog from phones and print each message, recognising resync and upgrade reports.</summary>
    public sealed class SyslogCommand : ICliCommand
    {
        public Command Build()
        {
            var listen = new Option<string>("--listen") { Description = "ADDR:PORT to receive UDP syslog on (e.g. 0.0.0.0:514, 127.0.0.1:5514).", DefaultValueFactory = _ => "0.0.0.0:514" };
            var json = new Option<bool>("--json") { Description = "Print each message as one JSON object per line." };
            var count = new Option<int?>("--count") { Description = "Stop after N messages; with --timeout, exit 1 if fewer arrived." };
            var timeout = new Option<double?>("--timeout") { Description = "Stop after SECONDS in all." };
            var command = new Command("syslog", "Listen for syslog from phones (RFC 5424, RFC 3164 or bare) and print each message with its MAC and kind (ResyncRequest, ResyncSuccess, ResyncFailure, Upgrade...).")
                { listen, json, count, timeout };
            command.SetAction(parse => CliErrors.Guard(new CliOutput(parse.GetValue(json)), cli =>
            {
                var endpoint = ProvisioningServer.ParseEndPoint(parse.GetValue(listen)!, IPAddress.Any, "--listen address");
                var wanted = parse.GetValue(count);
                var seconds = parse.GetValue(timeout);
                if (wanted is int w && w < 1) throw new ProvisioningException(ErrorIds.InvalidCount, ErrorKind.InvalidArgument, "--count must be at least 1.");
                if (seconds is double s && (s <= 0 || double.IsNaN(s))) throw new ProvisioningException(ErrorIds.InvalidTimeout, ErrorKind.InvalidArgument, "--timeout must be a positive number of seconds.");
                using var stop = new CancellationTokenSource();
                ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; stop.Cancel(); };
                Console.CancelKeyPress += onCancel;
                using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; stop.Cancel(); });
                try
                {
                    using var listener = new SyslogListener(endpoint);
                    Console.Error.WriteLine($"pprov: listening for syslog on udp://{ProvisioningServer.FormatEndPoint(listener.LocalEndPoint)}; Ctrl+C stops.");
                    var clock = Stopwatch.StartNew();
                    int received = 0;
                    while (!stop.IsCancellationRequested && (wanted == null || received < wanted))
                    {
                        var left = seconds is double limit ? TimeSpan.FromSeconds(limit) - clock.Elapsed : TimeSpan.FromDays(1);
                        if (left <= TimeSpan.Zero) break;
                        var message = listener.ReceiveAsync(left, stop.Token).GetAwaiter().GetResult();
                        if (message == null) continue;
                        received++;
                        cli.Result(message, Describe(message));
                    }
                    if (wanted is int n && received < n)
                    {
                        cli.Error($"{received} of {n} syslog message(s) arrived before the time was up.");
                        return ExitCodes.ItemFailed;
                    }
                    return ExitCodes.Success;
                }
                finally
                {
                    Console.CancelKeyPress -= onCancel;
                }
            }));
            return command;
        }

        private static string Describe(SyslogMessage m) =>
            string.Join(" ",
                m.Time.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
                m.Host,
                m.MacAddress ?? "-",
                m.Severity.ToString().ToLowerInvariant(),
                m.Kind.ToString(),
                m.Message);
    }
}
