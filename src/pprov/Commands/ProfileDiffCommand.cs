using System.CommandLine;
using PrivateProvisioning.Core.Formats;

namespace PrivateProvisioning.Cli.Commands
{
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
                return CliErrors.Guard(output, () =>
                {
                    var chosen = ProfileCliHelpers.ParseFormat(parse.GetValue(format));
                    int exit = ExitCodes.Success;
                    // The two files are the items: one that cannot be read or parsed is a failed item (1), whatever its kind.
                    bool compared = CliErrors.TryItem(output, () =>
                    {
                        var oldPath = parse.GetValue(oldFile)!;
                        var newPath = parse.GetValue(newFile)!;
                        var oldContent = ProfileCliHelpers.ReadFile(oldPath);
                        var newContent = ProfileCliHelpers.ReadFile(newPath);
                        var reader = ProfileFormats.GetReader(chosen ?? ProfileFileReader.Detect(oldContent, oldPath));
                        var diff = ProfileDiff.Compare(reader.Parse(oldContent, oldPath), reader.Parse(newContent, newPath));
                        foreach (var change in diff.Changes) output.Result(change, change.ToString());
                        if (!output.Json) output.Text(diff.Summary());
                        if (diff.HasChanges) exit = ExitCodes.ItemFailed;
                    });
                    return compared ? exit : CliErrors.ItemFailed;
                });
            });
            return command;
        }
    }
}
