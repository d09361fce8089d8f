using System.CommandLine;
using PrivateProvisioning.Core.Security.Enrollment;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>pprov webconf: an nginx or Apache server block serving a folder to holders of our client certificates.</summary>
    public sealed class WebconfCommand : ICliCommand
    {
        public Command Build()
        {
            var server = new Option<WebServerKind>("--server") { Description = "nginx or apache.", Required = true };
            var root = new Option<string>("--root") { Description = "The output folder to serve.", Required = true };
            var cert = new Option<string>("--cert") { Description = "The server certificate (PEM).", Required = true };
            var key = new Option<string>("--key") { Description = "The server's private key (PEM).", Required = true };
            var clientCa = new Option<string>("--client-ca") { Description = "The CA whose client certificates are accepted.", Required = true };
            var serverName = new Option<string>("--server-name") { Description = "The host name clients connect to.", Required = true };
            var port = new Option<int>("--port") { Description = "TCP port (default 443; PrivateWave downloads use 9443).", DefaultValueFactory = _ => 443 };
            var listen = new Option<string?>("--listen") { Description = "Listen on this IP address only." };
            var depth = new Option<int>("--verify-depth") { Description = "Longest client chain accepted (default 2).", DefaultValueFactory = _ => 2 };
            var output = new Option<string?>("--out") { Description = "Write the snippet to this file instead of printing it." };
            var json = new Option<bool>("--json") { Description = "Print the result as one JSON object." };
            var command = new Command("webconf", "Write an nginx or Apache TLS configuration with client-certificate verification against our CA.")
            {
                server, root, cert, key, clientCa, serverName, port, listen, depth, output, json,
            };
            command.SetAction(parse =>
            {
                var cli = new CliOutput(parse.GetValue(json));
                return EnrollmentCli.Run(cli, () =>
                {
                    var options = new WebServerConfigurationOptions(parse.GetValue(root)!, parse.GetValue(cert)!, parse.GetValue(key)!,
                        parse.GetValue(clientCa)!, parse.GetValue(serverName)!, parse.GetValue(port), parse.GetValue(listen), parse.GetValue(depth));
                    var result = WebServerConfigurationWriter.Write(parse.GetValue(server), options, parse.GetValue(output));
                    if (cli.Json) cli.Result(result, "");
                    else if (result.Path == null) System.Console.Out.Write(result.Text);
                    else cli.Text($"{result.Status!.Value.ToString().ToLowerInvariant()} {result.Path} ({result.Server})");
                });
            });
            return command;
        }
    }
}
