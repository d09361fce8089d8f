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
                var overrides = ParseVariables(parse.GetValue(variables), output);
                if (overrides == null) return ExitCodes.Usage;
                try { AddSecrets(parse.GetValue(secretEnv), overrides); }
                catch (ProvisioningException ex)
                {
                    output.Error(ex.Message);
                    return ExitCodes.Usage;
                }
                ProfileRule parsed;
                try { parsed = ProfileRule.Parse(parse.GetValue(rule) ?? string.Empty); }
                catch (ProvisioningException ex)
                {
                    output.Error(ex.Message);
                    return ExitCodes.ItemFailed;
                }
                var csv = parse.GetValue(fromCsv);
                var tftpServer = parse.GetValue(server);
                if (csv == null)
                {
                    var macText = parse.GetValue(mac);
                    try { if (macText != null) MacAddress.Parse(macText, "--mac"); }
                    catch (ProvisioningException ex)
                    {
                        output.Error(ex.Message);
                        return ExitCodes.Usage;
                    }
                    var context = PhoneColumns.ToContext(Array.Empty<KeyValuePair<string, string>>(), overrides, macText, parse.GetValue(serial), parse.GetValue(product));
                    return Expand(parsed, context, tftpServer, null, output) ? ExitCodes.Success : ExitCodes.ItemFailed;
                }
                if (parse.GetValue(mac) != null || parse.GetValue(serial) != null || parse.GetValue(product) != null)
                {
                    output.Error("--mac, --serial and --product describe one phone; with --from-csv they come from the CSV columns.");
                    return ExitCodes.Usage;
                }
                IReadOnlyList<CsvRow> rows;
                try { rows = CsvRows.ReadFile(csv); }
                catch (ProvisioningException ex)
                {
                    output.Error(ex.Message);
                    return ExitCodes.ItemFailed;
                }
                bool allGood = true;
                foreach (var row in rows)
                {
                    var where = $"{csv} row {row.RowNumber} (line {row.LineNumber})";
                    if (row.Problem != null)
                    {
                        output.Error($"{where}: {row.Problem}.");
                        allGood = false;
                        continue;
                    }
                    try
                    {
                        allGood &= Expand(parsed, PhoneColumns.ToContext(row.Columns, overrides), tftpServer, row.RowNumber, output, where);
                    }
                    catch (ProvisioningException ex)
                    {
                        output.Error($"{where}: {ex.Message}");
                        allGood = false;
                    }
                }
                return allGood ? ExitCodes.Success : ExitCodes.ItemFailed;
            });
            return command;
        }

        private static bool Expand(ProfileRule rule, MacroContext context, string? tftpServer, int? row, CliOutput output, string? where = null)
        {
            ExpandedProfileRule result;
            try { result = rule.Evaluate(context, tftpServer); }
            catch (ProvisioningException ex)
            {
                output.Error((where == null ? string.Empty : where + ": ") + ex.Message);
                return false;
            }
            var prefix = where == null ? string.Empty : where + ": ";
            foreach (var name in result.Missing)
                output.Warning(MacroNames.IsSecretGpp(name)
                    ? $"{prefix}${name} has no value and expanded to empty; give it with --secret-env {name}=VARIABLE."
                    : $"{prefix}${name} has no value and expanded to empty; give it with --var {name}=...");
            if (result.AlternativeIndex == 0)
                output.Warning($"{prefix}no alternative's condition holds: the phone skips this rule.");
            output.Result(ExpandJson.From(result, row), result.Url ?? string.Empty);
            return true;
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

        /// <summary>NAME=VALUE pairs; null (after an error) when one has no '=' or no name.</summary>
        private static List<KeyValuePair<string, string>>? ParseVariables(string[]? values, CliOutput output)
        {
            var pairs = new List<KeyValuePair<string, string>>();
            foreach (var v in values ?? Array.Empty<string>())
            {
                int eq = v.IndexOf('=');
                if (eq <= 0)
                {
                    output.Error($"--var '{v}' is not NAME=VALUE (e.g. --var B=site7).");
                    return null;
                }
                pairs.Add(new KeyValuePair<string, string>(v.Substring(0, eq).Trim(), v.Substring(eq + 1)));
            }
            return pairs;
        }
    }

    /// <summary>The --json shape of an expansion: the key and password appear only as true/false.</summary>
    internal sealed class ExpandJson
    {
        public int? Row { get; set; }
        public string? MacAddress { get; set; }
        public string? Url { get; set; }
        public string? Scheme { get; set; }
        public string? Host { get; set; }
        public int? Port { get; set; }
        public string? Path { get; set; }
        public bool Key { get; set; }
        public string? UserName { get; set; }
        public bool Password { get; set; }
        public string? Post { get; set; }
        public string? Alias { get; set; }
        public bool Srv { get; set; }
        public bool Delta { get; set; }
        public bool Status { get; set; }
        public int Alternative { get; set; }
        public string? Condition { get; set; }
        public IReadOnlyDictionary<string, string>? Assignments { get; set; }
        public IReadOnlyList<string>? Missing { get; set; }
        public string Rule { get; set; } = string.Empty;

        public static ExpandJson From(ExpandedProfileRule r, int? row) => new ExpandJson
        {
            Row = row,
            MacAddress = r.MacAddress,
            Url = r.Url,
            Scheme = r.Scheme?.ToString().ToLowerInvariant(),
            Host = r.Host,
            Port = r.Port,
            Path = r.Path,
            Key = r.HasKey,
            UserName = r.UserName,
            Password = r.HasPassword,
            Post = r.Post,
            Alias = r.Alias,
            Srv = r.Srv,
            Delta = r.Delta,
            Status = r.Status,
            Alternative = r.AlternativeIndex,
            Condition = r.Condition,
            Assignments = r.Assignments,
            Missing = r.Missing,
            Rule = r.Rule,
        };
    }
}
