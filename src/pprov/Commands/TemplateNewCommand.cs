using System.CommandLine;
using System.Linq;
using PrivateProvisioning.Core.Templates;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>pprov template new NAME: creates a template file in the store (New-ProfileTemplate).</summary>
    public sealed class TemplateNewCommand : ICliSubcommand
    {
        public string Parent => TemplateCli.TemplateParent;
        public string ParentDescription => TemplateCli.TemplateDescription;

        public Command Build()
        {
            var name = new Argument<string>("NAME") { Description = "The new template's name (letters, digits, '.', '-', '_')." };
            var description = TemplateCli.Description();
            var basedOn = TemplateCli.BasedOn();
            var set = TemplateCli.Set();
            var param = TemplateCli.Param();
            var store = TemplateCli.Store();
            var whatIf = TemplateCli.WhatIf();
            var json = TemplateCli.Json();
            var command = new Command("new", "Create a template in the store.");
            command.Arguments.Add(name);
            foreach (var o in new Option[] { description, basedOn, set, param, store, whatIf, json }) command.Options.Add(o);
            command.SetAction(parse => CliErrors.Guard(new CliOutput(parse.GetValue(json)), cli =>
            {
                var templates = TemplateStore.Open(parse.GetValue(store), create: true);
                var template = ProfileTemplate.Create(parse.GetValue(name)!, parse.GetValue(description), parse.GetValue(basedOn),
                    (parse.GetValue(set) ?? new string[0]).Select(TemplateEdits.ParseSetting),
                    TemplateEdits.GroupByFormat((parse.GetValue(param) ?? new string[0]).Select(p => TemplateEdits.ParseParameter(p, true))));
                var saved = templates.Add(template, parse.GetValue(whatIf));
                cli.Result(saved, (parse.GetValue(whatIf) ? "would create " : "created ") + saved.Path);
                return ExitCodes.Success;
            }));
            return command;
        }
    }
}
