using System;
using System.CommandLine;
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
            var listen = new Option<string>("--listen") { Description = "ADDR:PORT to receive UDP syslog on (e.g. 0.0.0.0:514, 127.0.0.1:5514).", DefaultValueFactory = _ => SyslogRequest.DefaultAddress + ":" + SyslogRequest.DefaultPort };
            var json = new Option<bool>("--json") { Description = "Print each message as one JSON object per line." };
            var count = new Option<int?>("--count") { Description = "Stop after N messages; with --timeout, exit 1 if fewer arrived." };
            var timeout = new Option<double?>("--timeout") { Description = "Stop after SECONDS in all." };
            var command = new Command("syslog", "Listen for syslog from phones (RFC 5424, RFC 3164 or bare) and print each message with its MAC and kind (ResyncRequest, ResyncSuccess, ResyncFailure, Upgrade...).")
                { listen, json, count, timeout };
            command.SetAction(parse => CliErrors.Guard(new CliOutput(parse.GetValue(json)), cli =>
            {
                var endpoint = ProvisioningServer.ParseEndPoint(parse.GetValue(listen)!, IPAddress.Any, RequestParameter.Address);
                var wanted = SyslogRequest.CountFrom(parse.GetValue(count));
                var limit = SyslogRequest.DurationFrom(parse.GetValue(timeout));
                using var stop = new CancellationTokenSource();
                ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; stop.Cancel(); };
                Console.CancelKeyPress += onCancel;
                using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; stop.Cancel(); });
                try
                {
                    var request = new SyslogRequest(endpoint) { Count = wanted, Duration = limit };
                    int received = request.Run(bound => Console.Error.WriteLine($"pprov: listening for syslog on udp://{ProvisioningServer.FormatEndPoint(bound)}; Ctrl+C stops."),
                        message => cli.Result(message, Describe(message)), stop.Token);
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
