using System;
using System.Collections.Concurrent;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Runtime.InteropServices;
using System.Threading;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Serving;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>pprov serve: a read-only TFTP/HTTP server over a folder in the foreground, printing each request.</summary>
    public sealed class ServeCommand : ICliCommand
    {
        public Command Build()
        {
            var root = new Option<string>("--root") { Description = "The folder to serve (read-only; nothing outside it is ever served).", Required = true };
            var tftp = new Option<string?>("--tftp") { Description = "Serve TFTP on ADDR:PORT (e.g. 0.0.0.0:69, 127.0.0.1:6969; port 0 picks a free one)." };
            var http = new Option<string?>("--http") { Description = "Serve HTTP on ADDR:PORT (e.g. 0.0.0.0:80). Without --tftp and --http both run on 0.0.0.0:69 and 0.0.0.0:80." };
            var json = new Option<bool>("--json") { Description = "Print each request as one JSON object per line." };
            var duration = new Option<double?>("--duration") { Description = "Stop by itself after SECONDS (for scripts and tests); otherwise run until Ctrl+C or SIGTERM." };
            var command = new Command("serve", "Serve a folder to phones over TFTP and HTTP, read-only, printing every request (file, MAC, outcome, bytes, User-Agent).")
                { root, tftp, http, json, duration };
            command.SetAction(parse => CliErrors.Guard(new CliOutput(parse.GetValue(json)), cli =>
            {
                var tftpText = parse.GetValue(tftp);
                var httpText = parse.GetValue(http);
                var options = new ServeRequest(parse.GetValue(root)!)
                {
                    TftpEndPoint = tftpText == null ? null : ProvisioningServer.ParseEndPoint(tftpText, IPAddress.Any, RequestParameter.Tftp),
                    HttpEndPoint = httpText == null ? null : ProvisioningServer.ParseEndPoint(httpText, IPAddress.Any, RequestParameter.Http),
                }.ToOptions();
                var limit = ServeRequest.DurationFrom(parse.GetValue(duration));

                // Server threads hand records to this thread, so a slow terminal never holds up a transfer.
                var pending = new BlockingCollection<ServedRequest>(100_000);
                long dropped = 0;
                options.RequestCompleted = r => { if (!pending.TryAdd(r)) Interlocked.Increment(ref dropped); };
                using var stop = new CancellationTokenSource();
                ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; stop.Cancel(); };
                Console.CancelKeyPress += onCancel;
                using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; stop.Cancel(); });
                if (limit != null) stop.CancelAfter(limit.Value);
                try
                {
                    using var server = ProvisioningServer.Start(options);
                    var listeners = new[] { server.TftpEndPoint != null ? "tftp://" + server.TftpEndPoint : null, server.HttpEndPoint != null ? "http://" + server.HttpEndPoint : null };
                    Console.Error.WriteLine($"pprov: serving {server.Path} on {string.Join(" and ", listeners.Where(l => l != null))} (read-only); Ctrl+C stops.");
                    try
                    {
                        while (true)
                        {
                            var record = pending.Take(stop.Token);
                            cli.Result(record, Describe(record));
                        }
                    }
                    catch (OperationCanceledException) { }
                    server.Stop();
                    while (pending.TryTake(out var rest)) cli.Result(rest, Describe(rest));
                    Console.Error.WriteLine($"pprov: stopped after {server.RequestCount} request(s)" + (dropped > 0 ? $"; {dropped} record(s) not printed (output too slow)." : "."));
                }
                finally
                {
                    Console.CancelKeyPress -= onCancel;
                }
                return ExitCodes.Success;
            }));
            return command;
        }

        internal static string Describe(ServedRequest r) =>
            string.Join(" ",
                r.Time.ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
                r.Protocol.ToString().ToLowerInvariant(),
                r.ClientAddress + ":" + r.ClientPort.ToString(CultureInfo.InvariantCulture),
                r.File,
                r.MacAddress ?? "-",
                r.Outcome.ToString(),
                r.StatusCode.ToString(CultureInfo.InvariantCulture),
                r.Bytes.ToString(CultureInfo.InvariantCulture) + "B",
                r.UserAgent != null ? "\"" + r.UserAgent + "\"" : "-",
                r.Detail ?? "");
    }
}
