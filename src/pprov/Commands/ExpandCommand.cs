using System;
using System.Collections.Generic;
using System.CommandLine;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Rules;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>
    /// pprov expand RULE --mac MAC [--serial SN] [--product PN] [--var NAME=VALUE]... [--json]
    /// pprov expand RULE --from-csv FILE [--var NAME=VALUE]... [--json]
    /// Prints the URL the phone would fetch (one line per phone), or one JSON object per phone.
    /// </summary>
    public sealed class ExpandCommand : ICliCommand
    {
        public Command Build()
        {
            var rule = new Argument<string>("RULE") { Description = "The profile rule, e.g. 'tftp://prov/$B/$MA.cfg' (quote it: it holds $ and |)." };
            var mac = new Option<string>("--mac") { HelpName = "MAC", Description = "The phone's MAC address (00:0E:08:AB:CD:EF, 00-0e-08-ab-cd-ef, 000e.08ab.cdef or 000E08ABCDEF)." };
            var serial = new Option<string>("--serial") { HelpName = "SN", Description = "The serial number ($SN)." };
            var product = new Option<string>("--product") { HelpName = "PN", Description = "The product name ($PN; $PSN is derived from it), e.g. SPA2102 or CP-8851-3PCC." };
            var variables = new Option<string[]>("--var") { HelpName = "NAME=VALUE", Description = "A variable NAME=VALUE (GPP letters A..P, SWVER, IP, UID1, ...); repeat for more. Wins over CSV columns." };
            var json = new Option<bool>("--json") { Description = "Print one JSON object per phone instead of the URL." };
            var fromCsv = new Option<string>("--from-csv") { HelpName = "FILE", Description = "Expand once per row of this CSV file: MacAddress/MAC, SerialNumber/SN, ProductName/PN/Model columns give the identity, every other column is a variable." };
            var secretEnv = new Option<string[]>("--secret-env") { HelpName = "NAME=VARIABLE", Description = "A secret GPP ($SA..$SD, used in --key/--uid/--pwd) read from an environment variable, e.g. --secret-env SA=PROV_KEY; repeat for more." };
            var server = new Option<string>("--tftp-server") { HelpName = "HOST", Description = "The server a rule without one uses (the phone's DHCP option 66)." };
            var command = new Command("expand", "Expand a Cisco/Linksys profile rule: the URL, options and alternative a phone would use.")
            {
                rule, mac, serial, product, variables, secretEnv, json, fromCsv, server,
            };
            command.SetAction(parse =>
            {
                var output = new CliOutput(parse.GetValue(json));
                return CliErrors.Guard(output, () =>
                {
                    var request = new ProfileRuleExpansionRequest(parse.GetValue(rule) ?? string.Empty)
                    {
                        MacAddress = parse.GetValue(mac), SerialNumber = parse.GetValue(serial), ProductName = parse.GetValue(product),
                        CsvPath = parse.GetValue(fromCsv), DefaultServer = parse.GetValue(server),
                    };
                    foreach (var v in parse.GetValue(variables) ?? Array.Empty<string>())
                        request.Variables.Add(ProfileRuleExpansionRequest.ParseVariable(v, "B=site7"));
                    AddSecrets(parse.GetValue(secretEnv), request.Variables);
                    bool allGood = true;
                    foreach (var outcome in request.Run())
                    {
                        if (outcome.Error != null) { output.Error(outcome.Error, outcome.Where); allGood = false; }
                        else Print(outcome, output);
                    }
                    return allGood ? ExitCodes.Success : CliErrors.ItemFailed;
                });
            });
            return command;
        }

        private static void Print(RuleExpansionOutcome outcome, CliOutput output)
        {
            var result = outcome.Result!;
            var prefix = outcome.Where == null ? string.Empty : outcome.Where + ": ";
            foreach (var name in result.Missing)
                output.Warning(MacroNames.IsSecretGpp(name)
                    ? $"{prefix}${name} has no value and expanded to empty; give it with --secret-env {name}=VARIABLE."
                    : $"{prefix}${name} has no value and expanded to empty; give it with --var {name}=...");
            if (result.AlternativeIndex == 0)
                output.Warning($"{prefix}no alternative's condition holds: the phone skips this rule.");
            output.Result(ExpandJson.From(result, outcome.Row), result.Url ?? string.Empty);
        }

        /// <summary>Secret GPPs from the environment, so they never appear on the command line.</summary>
        private static void AddSecrets(string[]? values, List<KeyValuePair<string, string>> variables)
        {
            foreach (var v in values ?? Array.Empty<string>())
            {
                int eq = v.IndexOf('=');
                var name = eq > 0 ? v.Substring(0, eq).Trim().ToUpperInvariant() : string.Empty;
                if (!MacroNames.IsSecretGpp(name) || eq == v.Length - 1)
                    throw new ProvisioningException(ErrorIds.InvalidSecretVariable, ErrorKind.InvalidArgument,
                        $"--secret-env '{v}' is not NAME=VARIABLE with NAME one of SA, SB, SC, SD (e.g. --secret-env SA=PROV_KEY).");
                var bytes = SecretInput.Read(null, v.Substring(eq + 1), "$" + name)!;
                try { variables.Add(new KeyValuePair<string, string>(name, System.Text.Encoding.UTF8.GetString(bytes))); }
                finally { Array.Clear(bytes, 0, bytes.Length); }
            }
        }
    }
}
