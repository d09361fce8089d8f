using System;
using System.CommandLine;
using System.IO;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;

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
                if (!ProfileCliHelpers.TryParseFormat(parse.GetValue(format), output, out var chosen)) return ExitCodes.Usage;
                var paths = parse.GetValue(files) ?? Array.Empty<string>();
                int exit = ExitCodes.Success;
                foreach (var path in paths)
                {
                    try
                    {
                        var content = ProfileCliHelpers.ReadFile(path);
                        var parameters = ProfileFileReader.Read(content, path, chosen, parse.GetValue(alias), parse.GetValue(secrets), new ProfileStderrLog(output));
                        if (!output.Json && paths.Length > 1) output.Text($"# {path}");
                        foreach (var p in parameters)
                            output.Result(p, $"{p.Name} = {(p.IsSecret && p.Value == null ? "(secret)" : p.Value)}");
                    }
                    catch (ProvisioningException ex)
                    {
                        output.Error(ex.Message);
                        exit = ExitCodes.ItemFailed;
                    }
                }
                return exit;
            });
            return command;
        }
    }

    /// <summary>pprov profile diff OLD NEW: which parameters differ, values of secrets never printed.</summary>
    public sealed class ProfileDiffCommand : ICliSubcommand
    {
        public string Parent => "profile";
        public string ParentDescription => "Read and compare profile files (troubleshooting).";

        public Command Build()
        {
            var oldFile = new Argument<string>("OLD") { Description = "The profile as it was (or as expected)." };
            var newFile = new Argument<string>("NEW") { Description = "The profile as it is (or as fetched)." };
            var format = new Option<string>("--format") { Description = "Format of both files (default: detected from OLD)." };
            var json = new Option<bool>("--json") { Description = "One JSON object per differing parameter." };
            var command = new Command("diff", "List the parameters that were added, removed or changed between two profile files. Exit code 1 when they differ.");
            command.Arguments.Add(oldFile);
            command.Arguments.Add(newFile);
            command.Options.Add(format);
            command.Options.Add(json);
            command.SetAction(parse =>
            {
                var output = new CliOutput(parse.GetValue(json));
                if (!ProfileCliHelpers.TryParseFormat(parse.GetValue(format), output, out var chosen)) return ExitCodes.Usage;
                try
                {
                    var oldPath = parse.GetValue(oldFile)!;
                    var newPath = parse.GetValue(newFile)!;
                    var oldContent = ProfileCliHelpers.ReadFile(oldPath);
                    var newContent = ProfileCliHelpers.ReadFile(newPath);
                    var actual = chosen ?? ProfileFileReader.Detect(oldContent, oldPath);
                    var reader = ProfileFormats.GetReader(actual);
                    var diff = ProfileDiff.Compare(reader.Parse(oldContent, oldPath), reader.Parse(newContent, newPath));
                    foreach (var change in diff.Changes) output.Result(change, change.ToString());
                    if (!output.Json) output.Text(diff.Summary());
                    return diff.HasChanges ? ExitCodes.ItemFailed : ExitCodes.Success;
                }
                catch (ProvisioningException ex)
                {
                    output.Error(ex.Message);
                    return ExitCodes.ItemFailed;
                }
            });
            return command;
        }
    }

    internal static class ProfileCliHelpers
    {
        public static bool TryParseFormat(string? text, CliOutput output, out ProfileFormat? format)
        {
            format = null;
            if (string.IsNullOrEmpty(text)) return true;
            if (Enum.TryParse<ProfileFormat>(text, ignoreCase: true, out var parsed) && Enum.IsDefined(typeof(ProfileFormat), parsed))
            {
                format = parsed;
                return true;
            }
            output.Error($"--format '{text}' is not a profile format; use one of {string.Join(", ", Enum.GetNames(typeof(ProfileFormat)))}.");
            return false;
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
