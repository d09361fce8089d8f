using System.CommandLine;
using PrivateProvisioning.Core.Templates;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>pprov group set GROUP TEMPLATE | --remove (Set-ProvisioningGroup).</summary>
    public sealed class GroupSetCommand : ICliSubcommand
    {
        public string Parent => TemplateCli.GroupParent;
        public string ParentDescription => TemplateCli.GroupDescription;

        public Command Build()
        {
            var group = new Argument<string>("GROUP") { Description = "The group, as written in the CSV's Group column." };
            var template = new Argument<string?>("TEMPLATE") { Description = "The template every account of the group gets by default.", Arity = ArgumentArity.ZeroOrOne };
            var remove = new Option<bool>("--remove") { Description = "Remove the group's assignment (its accounts fall back to default)." };
            var store = TemplateCli.Store();
            var whatIf = TemplateCli.WhatIf();
            var json = TemplateCli.Json();
            var command = new Command("set", "Assign a template to a group.");
            command.Arguments.Add(group);
            command.Arguments.Add(template);
            foreach (var o in new Option[] { remove, store, whatIf, json }) command.Options.Add(o);
            command.SetAction(parse => CliErrors.Guard(new CliOutput(parse.GetValue(json)), cli =>
            {
                var name = parse.GetValue(template);
                if (string.IsNullOrEmpty(name) == !parse.GetValue(remove))
                {
                    cli.Error("give either a TEMPLATE or --remove.");
                    return ExitCodes.Usage;
                }
                var templates = TemplateStore.Open(parse.GetValue(store), create: true);
                var status = templates.SetGroup(parse.GetValue(group)!, name, parse.GetValue(whatIf));
                var assigned = templates.GroupTemplate(parse.GetValue(group)!);
                cli.Result(new CliJsonLines.GroupLine(parse.GetValue(group), assigned ?? name, status), name == null
                    ? $"{(parse.GetValue(whatIf) ? "would remove" : status == Core.WriteStatus.Unchanged ? "not assigned" : "removed")}: {parse.GetValue(group)} (its accounts get default)"
                    : $"{(parse.GetValue(whatIf) ? "would be " : "")}{status}: {parse.GetValue(group)} -> {name}");
                return ExitCodes.Success;
            }));
            return command;
        }
    }
}
