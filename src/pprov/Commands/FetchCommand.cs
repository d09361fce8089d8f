using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Core.Rules;
using PrivateProvisioning.Core.Security;
using PrivateProvisioning.Core.Serving;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>pprov fetch: what a phone would receive from a profile rule, parameter by parameter (or the differences from an expected file).</summary>
    public sealed class FetchCommand : ICliCommand
    {
        public Command Build()
        {
            var rule = new Argument<string>("RULE") { Description = "The profile rule, e.g. '[--key $SA] http://prov.example.com/$MA.cfg' (quote it for the shell)." };
            var mac = new Option<string>("--mac") { Description = "The phone's MAC address.", Required = true };
            var vars = new Option<string[]>("--var") { Description = "A macro variable NAME=VALUE (GPP_A=..., SA=..., or an alias map for --alias); repeatable.", AllowMultipleArgumentsPerToken = false };
            var keyEnv = new Option<string?>("--key-env") { Description = "Environment variable holding the AES passphrase or RFC 8188 key (overrides the rule's --key)." };
            var keyFile = new Option<string?>("--key-file") { Description = "File holding the AES passphrase or RFC 8188 key." };
            var product = new Option<string?>("--product") { Description = "The phone's $PN (CP-8841-3PCC, SPA942, KX-HDV230); also picks the User-Agent." };
            var serial = new Option<string?>("--serial") { Description = "The phone's $SN." };
            var server = new Option<string?>("--server") { Description = "Server for a rule without one (the phone's DHCP option 66)." };
            var userAgent = new Option<string?>("--user-agent") { Description = "User-Agent to send instead of the product's default." };
            var clientCert = new Option<string?>("--client-cert") { Description = "The phone's client certificate with its private key (HTTPS): PEM holding both, or the key beside it as NAME.key; DER; PFX without a password." };
            var ca = new Option<string?>("--ca") { Description = "PEM file of the CA the server certificate must chain to (HTTPS)." };
            var expected = new Option<string?>("--expected") { Description = "A local profile to compare with: prints the differences, exit 1 when there are any." };
            var showSecrets = new Option<bool>("--show-secrets") { Description = "Print passwords and keys instead of ********." };
            var json = new Option<bool>("--json") { Description = "One JSON object per parameter (or difference)." };
            var command = new Command("fetch", "Fetch a profile exactly as the phone would: evaluate the rule, download with its User-Agent, peel the protection, read the format, apply --alias.")
                { rule, mac, vars, keyEnv, keyFile, product, serial, server, userAgent, clientCert, ca, expected, showSecrets, json };
            command.SetAction(parse => CliErrors.Guard(new CliOutput(parse.GetValue(json)), cli =>
            {
                var request = new ProfileFetchRequest(parse.GetValue(rule)!, MacAddress.Parse(parse.GetValue(mac), RequestParameter.MacAddress))
                {
                    Variables = ParseVariables(parse.GetValue(vars)),
                    ProductName = parse.GetValue(product),
                    SerialNumber = parse.GetValue(serial),
                    DefaultServer = parse.GetValue(server),
                    ExpectedPath = parse.GetValue(expected),
                    ShowSecrets = parse.GetValue(showSecrets),
                    Download = new ProfileDownloadOptions
                    {
                        UserAgent = parse.GetValue(userAgent),
                        ClientCertificate = parse.GetValue(clientCert) is { } client ? CertificateSource.FromFile(client).LoadForTls(ProfileFetcher.ClientCertificatePurpose) : null,
                        TrustedCertificate = parse.GetValue(ca) is { } trusted ? CertificateSource.FromFile(trusted).LoadForTls() : null,
                    },
                };
                var key = SecretInput.Read(parse.GetValue(keyFile), parse.GetValue(keyEnv));
                try
                {
                    request.Key = key;
                    var fetched = ProfileFetcher.Fetch(request);
                    if (fetched.Differences != null)
                    {
                        foreach (var d in fetched.Differences)
                            cli.Result(d, d.Change == ParameterChangeKind.Added ? $"+ {d.Name} = {d.Received}"
                                : d.Change == ParameterChangeKind.Removed ? $"- {d.Name} = {d.Expected}"
                                : $"~ {d.Name} = {d.Received} (expected {d.Expected})");
                        if (!cli.Json) Console.Error.WriteLine($"pprov: {fetched.Differences.Count} difference(s) between {fetched.Url} and {request.ExpectedPath}.");
                        return fetched.Differences.Count == 0 ? ExitCodes.Success : ExitCodes.ItemFailed;
                    }
                    foreach (var p in fetched.Parameters) cli.Result(p, $"{p.Name} = {p.Value}");
                    if (!cli.Json) Console.Error.WriteLine($"pprov: {fetched.Url}: {fetched.Format}, protection {fetched.Protection}, {fetched.Parameters.Count} parameter(s).");
                    return ExitCodes.Success;
                }
                finally
                {
                    if (key != null) Array.Clear(key, 0, key.Length);
                }
            }));
            return command;
        }

        private static List<KeyValuePair<string, string>> ParseVariables(string[]? items) =>
            (items ?? Array.Empty<string>()).Select(item => ProfileRuleExpansionRequest.ParseVariable(item)).ToList();
    }
}
