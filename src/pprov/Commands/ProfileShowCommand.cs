using System;
using System.CommandLine;
using System.IO;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Core.Templates;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>pprov profile show FILE...: what a profile file sets, one parameter per line (Get-ProfileParameter).</summary>
    public sealed class ProfileShowCommand : ICliSubcommand
    {
        public string Parent => "profile";
        public string ParentDescription => "Read and compare profile files (troubleshooting).";

        public Command Build()
        {
            var files = new Argument<string[]>("FILE") { Description = "Profile files to read.", Arity = ArgumentArity.OneOrMore };
            var format = new Option<string>("--format") { Description = "CiscoSpa, CiscoSep, Panasonic, PrivateWave or Linphone (default: detected)." };
            var alias = new Option<string>("--alias") { Description = "A Cisco alias map to apply to a customer XML ('/src/path = /flat-profile/Name ;...')." };
            var secrets = new Option<bool>("--show-secrets") { Description = "Print the values of passwords and keys too." };
            var json = new Option<bool>("--json") { Description = "One JSON object per parameter." };
            var command = new Command("show", "Print the parameters a profile file sets (secrets hidden unless --show-secrets).");
            command.Arguments.Add(files);
            command.Options.Add(format);
            command.Options.Add(alias);
            command.Options.Add(secrets);
            command.Options.Add(json);
            command.SetAction(parse =>
            {
                var output = new CliOutput(parse.GetValue(json));
                return CliErrors.Guard(output, () =>
                {
                    var chosen = ProfileCliHelpers.ParseFormat(parse.GetValue(format));
                    var paths = parse.GetValue(files) ?? Array.Empty<string>();
                    int exit = ExitCodes.Success;
                    foreach (var path in paths)
                    {
                        bool read = CliErrors.TryItem(output, () =>
                        {
                            var content = ProfileCliHelpers.ReadFile(path);
                            var parameters = ProfileFileReader.Read(content, path, chosen, parse.GetValue(alias), parse.GetValue(secrets), new ProfileStderrLog(output));
                            if (!output.Json && paths.Length > 1) output.Text($"# {path}");
                            foreach (var p in parameters)
                                output.Result(p, $"{p.Name} = {(p.IsSecret && p.Value == null ? "(secret)" : p.Value)}");
                        });
                        if (!read) exit = CliErrors.ItemFailed;
                    }
                    return exit;
                });
            });
            return command;
        }
    }

    internal static class ProfileCliHelpers
    {
        /// <summary>The --format value through Core's one format parser (null: detect); its error is about the format parameter (pprov spells it).</summary>
        public static ProfileFormat? ParseFormat(string? text)
        {
            if (string.IsNullOrEmpty(text)) return null;
            try { return TemplateEdits.ParseFormat(text!); }
            catch (ProvisioningException ex) { throw new ProvisioningException(ex.ErrorId, ex.Kind, ex.Message, ex.Target, ex).About(RequestParameter.Format); }
        }

        public static byte[] ReadFile(string path)
        {
            try { return File.ReadAllBytes(path); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                var id = ex is FileNotFoundException || ex is DirectoryNotFoundException ? ErrorIds.ProfileFileNotFound : ErrorIds.ProfileFileUnreadable;
                throw new ProvisioningException(id, ErrorKind.ReadError, $"{path}: {ex.Message}", path, ex);
            }
        }
    }

    internal sealed class ProfileStderrLog : IOperationLog
    {
        private readonly CliOutput _output;
        public ProfileStderrLog(CliOutput output) { _output = output; }
        public void Verbose(string message) { }
        public void Warning(string message) => _output.Warning(message);
        public void Progress(string activity, long done, long? total) { }
    }
}
