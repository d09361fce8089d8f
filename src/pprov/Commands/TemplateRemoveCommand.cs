using System.CommandLine;
using PrivateProvisioning.Core.Templates;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>pprov template remove NAME [--force] (Remove-ProfileTemplate).</summary>
    public sealed class TemplateRemoveCommand : ICliSubcommand
    {
        public string Parent => TemplateCli.TemplateParent;
        public string ParentDescription => TemplateCli.TemplateDescription;

        public Command Build()
        {
            var name = new Argument<string>("NAME") { Description = "The template to remove." };
            var force = new Option<bool>("--force") { Description = "Remove it even when groups use it (they fall back to default) or templates are based on it (they lose their BasedOn)." };
            var store = TemplateCli.Store();
            var whatIf = TemplateCli.WhatIf();
            var command = new Command("remove", "Remove a template from the store (never 'default').");
            command.Arguments.Add(name);
            foreach (var o in new Option[] { force, store, whatIf }) command.Options.Add(o);
            command.SetAction(parse => CliErrors.Guard(new CliOutput(false), cli =>
            {
                var templates = TemplateStore.Open(parse.GetValue(store));
                var template = templates.Get(parse.GetValue(name)!);
                var detached = templates.Remove(template.Name, parse.GetValue(force), parse.GetValue(whatIf));
                foreach (var g in detached.Groups) cli.Warning($"group '{g}' now falls back to 'default'");
                foreach (var t in detached.Templates) cli.Warning($"template '{t}' is no longer based on '{template.Name}'");
                cli.Text((parse.GetValue(whatIf) ? "would remove " : "removed ") + template.Path);
                return ExitCodes.Success;
            }));
            return command;
        }
    }
}
