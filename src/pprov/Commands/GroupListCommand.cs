using System.CommandLine;
using PrivateProvisioning.Core.Templates;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>pprov group list (Get-ProvisioningGroup).</summary>
    public sealed class GroupListCommand : ICliSubcommand
    {
        public string Parent => TemplateCli.GroupParent;
        public string ParentDescription => TemplateCli.GroupDescription;

        public Command Build()
        {
            var store = TemplateCli.Store();
            var json = TemplateCli.Json();
            var command = new Command("list", "List group → template assignments.");
            command.Options.Add(store);
            command.Options.Add(json);
            command.SetAction(parse => CliErrors.Guard(new CliOutput(parse.GetValue(json)), cli =>
            {
                var templates = TemplateStore.Open(parse.GetValue(store));
                foreach (var kv in templates.Groups)
                    cli.Result(new ProvisioningGroup(kv.Key, kv.Value, templates.Folder), $"{kv.Key,-24} {kv.Value}");
                return ExitCodes.Success;
            }));
            return command;
        }
    }
}
