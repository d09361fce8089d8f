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
            var format = new Option<string>("--format") { Description = "CiscoSpa, CiscoSep, Panasonic, PrivateWave or Linphone.", Required = true };
            var output = new Option<string>("--out") { Description = "The destination folder (created when missing).", Required = true };
            var store = new Option<string?>("--store") { Description = "The template store folder (default: $PRIVATEPROVISIONING_STORE, else only the shipped default)." };
            var fileName = new Option<string?>("--file-name") { Description = "File-name rule with macros ($MA, $MAU, $MAC, columns such as $Extension); default per format ($MA.xml, Config$MAU.cfg...)." };
            var whatIf = new Option<bool>("--what-if") { Description = "Write nothing; report per file created/updated/unchanged and which parameters differ." };
            var json = new Option<bool>("--json") { Description = "One JSON object per line." };
            var parallel = new Option<int>("--max-parallel") { Description = "Files rendered and written at once (default: the number of processors)." };
            var state = new Option<string?>("--state") { Description = "Where to remember what each file was made from, so a re-run skips rows whose inputs and file are unchanged (default on Linux: $XDG_CACHE_HOME/pprov or ~/.cache/pprov, one file per destination and format, owner-only)." };
            var noState = new Option<bool>("--no-state") { Description = "Render and compare every file byte for byte; keep no state." };
            var command = new Command("generate", "Generate one configuration file per phone from an accounts CSV.");
            foreach (var o in new Option[] { accounts, format, output, store, fileName, whatIf, json, parallel, state, noState }) command.Options.Add(o);
            command.SetAction(parse => TemplateCli.Guarded(() =>
            {
                var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 64 * 1024) { AutoFlush = false };
                var cli = new CliOutput(parse.GetValue(json), stdout);
                try
                {
                    var chosenFormat = TemplateEdits.ParseFormat(parse.GetValue(format)!);
                    var destination = parse.GetValue(output)!;
                    var stateFile = parse.GetValue(noState) ? null : parse.GetValue(state) ?? GenerationOptions.DefaultStateFile(destination, chosenFormat);
                    return Run(cli, parse.GetValue(accounts)!, chosenFormat, destination,
                        parse.GetValue(store), parse.GetValue(fileName), parse.GetValue(whatIf), parse.GetValue(parallel), stateFile);
                }
                finally { stdout.Flush(); }
            }));
            return command;
        }

        /// <summary>The status padded to one width, so paths line up ("Created   ", "Unchanged ").</summary>
        private static string StatusLabel(WriteStatus status) => status switch
        {
            WriteStatus.Created => "Created   ",
            WriteStatus.Updated => "Updated   ",
            _ => "Unchanged ",
        };

        private static int Run(CliOutput cli, string accountsPath, ProfileFormat format, string destination, string? storeFolder,
            string? fileNameRule, bool whatIf, int maxParallel, string? stateFile)
        {
            var store = TemplateStore.Open(storeFolder);
            var writer = ProfileFormats.GetWriter(format);
            IProfileFormatReader? reader = null;
            if (whatIf)
            {
                try { reader = ProfileFormats.GetReader(format); }
                catch (ProvisioningException) { /* no reader for this format: -WhatIf still reports statuses */ }
            }
            var options = new GenerationOptions(format, destination) { FileNameRule = fileNameRule, WhatIf = whatIf, StateFile = stateFile };
            if (maxParallel > 0) options.MaxDegreeOfParallelism = maxParallel;
            var generator = new ProfileGenerator(new TemplateResolver(store), writer, reader, options);
            int created = 0, updated = 0, unchanged = 0, failed = 0, skipped = 0;
            using (var csv = CsvReader.Open(accountsPath))
            {
                var rows = csv.ReadAll().Select(r => AccountRow.FromCsv(csv.Header, r));
                foreach (var outcome in generator.Generate(rows, Console.IsErrorRedirected ? null : new TerminalProgress()))
                {
                    if (outcome.Skipped) { skipped++; continue; }
                    if (outcome.Error != null)
                    {
                        failed++;
                        if (!Console.IsErrorRedirected) Console.Error.Write("\r\u001b[K"); // clear the progress line
                        cli.Error(outcome.Error.Message);
                        continue;
                    }
                    var r = outcome.Result!;
                    switch (r.Status)
                    {
                        case WriteStatus.Created: created++; break;
                        case WriteStatus.Updated: updated++; break;
                        default: unchanged++; break;
                    }
                    if (cli.Json) { cli.Result(r, string.Empty); continue; }
                    var changed = r.ChangedParameters.Length > 0 ? "  (" + string.Join(", ", r.ChangedParameters) + ")" : "";
                    cli.Text(string.Concat(whatIf ? "would be " : "", StatusLabel(r.Status), r.Path, changed));
                }
            }
            if (!Console.IsErrorRedirected) Console.Error.Write("\r\u001b[K");
            if (!cli.Json)
                cli.Text($"{(whatIf ? "what-if: " : "")}{created} created, {updated} updated, {unchanged} unchanged, {failed} failed{(skipped > 0 ? $", {skipped} rows for other formats" : "")}");
            return failed == 0 ? ExitCodes.Success : ExitCodes.ItemFailed;
        }
    }

    /// <summary>A one-line counter on an interactive stderr (never when stderr is redirected, as in cron).</summary>
    internal sealed class TerminalProgress : IOperationLog
    {
        private long _lastShown = -1;
        public void Verbose(string message) { }
        public void Warning(string message) => Console.Error.WriteLine("pprov: warning: " + Core.TerminalText.Escape(message));
        public void Progress(string activity, long done, long? total)
        {
            if (done - _lastShown < 10_000 && _lastShown >= 0) return;
            _lastShown = done;
            Console.Error.Write($"\r{activity}: {done} rows");
        }
    }
}
