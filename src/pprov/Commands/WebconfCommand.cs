using System.CommandLine;
using PrivateProvisioning.Core.Security.Enrollment;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>
    /// pprov webconf: an nginx or Apache server block, or an IIS web.config, serving a folder to holders of our
    /// client certificates; with --per-phone each certificate opens only its own per-phone files and the shared ones.
    /// </summary>
    public sealed class WebconfCommand : ICliCommand
    {
        public Command Build()
        {
            var server = new Option<WebServerKind>("--server") { Description = "nginx, apache or iis (a web.config).", Required = true };
            var root = new Option<string>("--root") { Description = "The output folder to serve.", Required = true };
            var cert = new Option<string?>("--cert") { Description = "The server certificate (PEM; nginx and apache)." };
            var key = new Option<string?>("--key") { Description = "The server's private key (PEM; nginx and apache)." };
            var clientCa = new Option<string>("--client-ca") { Description = "The CA whose client certificates are accepted.", Required = true };
            var crl = new Option<string?>("--crl") { Description = "A CRL from the client CA (PEM): revoked certificates are refused." };
            var serverName = new Option<string>("--server-name") { Description = "The host name clients connect to.", Required = true };
            var port = new Option<int>("--port") { Description = "TCP port (default 443; PrivateWave downloads use 9443).", DefaultValueFactory = _ => WebServerConfigurationOptions.DefaultPort };
            var listen = new Option<string?>("--listen") { Description = "Listen on this IP address only." };
            var depth = new Option<int>("--verify-depth") { Description = "Longest client chain accepted (default 2).", DefaultValueFactory = _ => WebServerConfigurationOptions.DefaultVerifyDepth };
            var perPhone = new Option<bool>("--per-phone") { Description = "Each certificate opens only its own per-phone files and the shared ones." };
            var identity = new Option<ClientIdentityKind?>("--identity") { Description = "What a certificate names: macaddress (default) or username." };
            var identityAttribute = new Option<string?>("--identity-attribute") { Description = "The subject attribute holding the identity (CN, OU, O, L, ST, emailAddress; default CN)." };
            var identityPattern = new Option<string?>("--identity-pattern") { Description = "A regular expression over that attribute; the identity is the concatenation of its groups." };
            var perPhoneFile = new Option<string[]>("--per-phone-file") { Description = "A per-phone file-name pattern with $MA or $USER (repeatable; default *$MA* or $USER.*)." };
            var output = new Option<string?>("--out") { Description = "Write the snippet to this file instead of printing it." };
            var json = new Option<bool>("--json") { Description = "Print the result as one JSON object." };
            var command = new Command("webconf", "Write an nginx, Apache or IIS configuration with client-certificate verification against our CA, optionally per phone.")
            {
                server, root, cert, key, clientCa, crl, serverName, port, listen, depth, perPhone, identity, identityAttribute, identityPattern, perPhoneFile, output, json,
            };
            command.SetAction(parse =>
            {
                var cli = new CliOutput(parse.GetValue(json));
                return EnrollmentCli.Run(cli, () =>
                {
                    var options = new WebServerConfigurationOptions(parse.GetValue(root)!, parse.GetValue(cert), parse.GetValue(key),
                        parse.GetValue(clientCa)!, parse.GetValue(serverName)!, parse.GetValue(port), parse.GetValue(listen), parse.GetValue(depth),
                        parse.GetValue(perPhone) ? WebServerAuthorization.PerPhone : WebServerConfigurationOptions.DefaultAuthorization,
                        ClientIdentityRule.FromOptions(parse.GetValue(identity), parse.GetValue(identityAttribute), parse.GetValue(identityPattern)),
                        parse.GetValue(perPhoneFile), parse.GetValue(crl));
                    var result = WebServerConfigurationWriter.Write(parse.GetValue(server), options, parse.GetValue(output), log: new ProfileStderrLog(cli));
                    if (cli.Json) cli.Result(result, "");
                    else if (result.Path == null) System.Console.Out.Write(result.Text);
                    else cli.Text($"{result.Status!.Value.ToString().ToLowerInvariant()} {result.Path} ({result.Server})");
                });
            });
            return command;
        }
    }
}
