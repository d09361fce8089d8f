using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Core.Templates;
using PrivateProvisioning.Core.Templates.Generation;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>pprov generate: one configuration file per MAC address from an accounts CSV (New-ProvisioningProfile).</summary>
    public sealed class GenerateCommand : ICliCommand
    {
        public Command Build()
        {
            var accounts = new Option<string>("--accounts") { Description = "The accounts CSV (header row; MacAddress/MAC, Model, Group, Template, UserId, AuthId, Password, DisplayName, Extension, SipServer, any other column overrides a parameter).", Required = true };
            var format = new Option<string?>("--format") { Description = "Generate only this family (CiscoSpa, CiscoSep, Panasonic, PrivateWave or Linphone); rows of other families are errors unless --skip-other-formats. Default: every row in its own family (its Format column, else its Model through the model catalogue), each family's files under their own names in --out." };
            var skipOthers = new Option<bool>("--skip-other-formats") { Description = "With --format: skip rows of other families instead of reporting them as errors." };
            var output = new Option<string>("--out") { Description = "The destination folder (created when missing).", Required = true };
            var store = new Option<string?>("--store") { Description = "The template store folder (default: $PRIVATEPROVISIONING_STORE, else only the shipped default)." };
            var fileName = new Option<string?>("--file-name") { Description = "File-name rule with macros ($MA, $MAU, $MAC, columns such as $Extension); default per format ($MA.xml, Config$MAU.cfg...)." };
            var whatIf = new Option<bool>("--what-if") { Description = "Write and remove nothing; report per file created/updated/unchanged (which parameters differ) and, with --prune, what would be removed." };
            var json = new Option<bool>("--json") { Description = "One JSON object per line; the last line is the run summary {\"summary\": {...}}." };
            var parallel = new Option<int>("--max-parallel") { Description = "Files rendered and written at once (default: the number of processors)." };
            var state = new Option<string?>("--state") { Description = "Where to remember what each file was made from, so a re-run skips rows whose inputs and file are unchanged (default on Linux: $XDG_CACHE_HOME/pprov or ~/.cache/pprov, one file per destination and format, owner-only; without --format, FILE.FORMAT per family)." };
            var noState = new Option<bool>("--no-state") { Description = "Render and compare every file byte for byte; keep no state." };
            var prune = new Option<bool>("--prune") { Description = "After the run, remove the files earlier runs wrote into --out for phones no longer in the list, with their recorded signed/encrypted copies (never a file we did not write)." };
            var force = new Option<bool>("--force") { Description = "With --prune: remove even more than the threshold share of the fleet, or with rows whose MAC address cannot be read." };
            var threshold = new Option<double?>("--prune-threshold") { Description = "With --prune: the largest percentage of the recorded phones removed without --force (default 10)." };
            var command = new Command("generate", "Generate one configuration file per phone from an accounts CSV (every family in one run), and prune retired phones.");
            foreach (var o in new Option[] { accounts, format, skipOthers, output, store, fileName, whatIf, json, parallel, state, noState, prune, force, threshold }) command.Options.Add(o);
            command.SetAction(parse =>
            {
                var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 64 * 1024) { AutoFlush = false };
                var cli = new CliOutput(parse.GetValue(json), stdout);
                try
                {
                    var options = new FleetOptions(parse.GetValue(output)!)
                    {
                        Format = parse.GetValue(format) is string f ? TemplateEdits.ParseFormat(f) : (ProfileFormat?)null,
                        SkipOtherFormats = parse.GetValue(skipOthers),
                        FileNameRule = parse.GetValue(fileName),
                        WhatIf = parse.GetValue(whatIf),
                        KeepState = !parse.GetValue(noState),
                        StateFile = parse.GetValue(state),
                        Prune = parse.GetValue(prune),
                        Force = parse.GetValue(force),
                        MaxDegreeOfParallelism = parse.GetValue(parallel),
                    };
                    if (parse.GetValue(threshold) is double percent) options.PruneThresholdPercent = percent;
                    return Run(cli, parse.GetValue(accounts)!, parse.GetValue(store), options);
                }
                catch (ProvisioningException ex)
                {
                    // The run could not start (bad arguments, store, CSV): nothing done, 2 as in GenerationSummary.ExitCode.
                    stdout.Flush();
                    cli.Failed(ex);
                    return ExitCodes.Usage;
                }
                finally { stdout.Flush(); }
            });
            return command;
        }

        /// <summary>The status padded to one width, so paths line up ("Created   ", "Unchanged ").</summary>
        private static string StatusLabel(WriteStatus status) => status switch
        {
            WriteStatus.Created => "Created   ",
            WriteStatus.Updated => "Updated   ",
            _ => "Unchanged ",
        };

        private static int Run(CliOutput cli, string accountsPath, string? storeFolder, FleetOptions options)
        {
            var store = TemplateStore.Open(storeFolder);
            var progress = new TerminalProgress(showProgress: !Console.IsErrorRedirected);
            using var run = new FleetRun(store, options, progress);
            using (cli.Batched())
            {
                foreach (var outcome in run.GenerateAccounts(accountsPath))
                {
                    if (outcome.Skipped) continue;
                    if (outcome.Error != null)
                    {
                        progress.Clear();
                        cli.Error(outcome.Error);
                        continue;
                    }
                    var r = outcome.Result!;
                    if (cli.Json) { cli.Result(r, string.Empty); continue; }
                    if (!options.WhatIf && r.ChangedParameters.Length == 0) { cli.Text(StatusLabel(r.Status), r.Path); continue; }
                    var changed = r.ChangedParameters.Length > 0 ? "  (" + string.Join(", ", r.ChangedParameters) + ")" : "";
                    cli.Text(string.Concat(options.WhatIf ? "would be " : "", StatusLabel(r.Status), r.Path, changed));
                }
            }
            progress.Clear();
            var plan = run.PlanPrune();
            if (plan.Refusal != null) cli.Error(plan.Refusal);
            foreach (var file in plan.Files)
            {
                RemovedProfileFile? removed;
                try { removed = run.Remove(file); }
                catch (ProvisioningException ex) { cli.Error(ex); continue; }
                if (removed == null) continue;
                if (cli.Json) cli.Result(removed, string.Empty);
                else cli.Text(string.Concat(options.WhatIf ? "would be " : "", "Removed   ", removed.Path, removed.NeedsForce ? "  (only with --force)" : ""));
            }
            var summary = run.Finish();
            if (cli.Json) cli.Result(new CliJsonLines.GenerationSummaryLine(summary), string.Empty);
            else cli.Text(summary.ToString());
            return summary.ExitCode;
        }
    }
}
