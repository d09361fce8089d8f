using System.CommandLine;
using System.Linq;
using PrivateProvisioning.Core.Templates;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>pprov template set NAME: changes a template (Set-ProfileTemplate).</summary>
    public sealed class TemplateSetCommand : ICliSubcommand
    {
        public string Parent => TemplateCli.TemplateParent;
        public string ParentDescription => TemplateCli.TemplateDescription;

        public Command Build()
        {
            var name = new Argument<string>("NAME") { Description = "The template to change." };
            var description = TemplateCli.Description();
            var basedOn = TemplateCli.BasedOn();
            var set = TemplateCli.Set();
            var param = TemplateCli.Param();
            var unset = new Option<string[]>("--unset") { Description = "Remove a client setting from this template (it falls back to the base), repeatable." };
            var unsetParam = new Option<string[]>("--unset-param") { Description = "Remove a vendor parameter FORMAT:NAME, repeatable." };
            var store = TemplateCli.Store();
            var whatIf = TemplateCli.WhatIf();
            var json = TemplateCli.Json();
            var command = new Command("set", "Change a template's description, base, settings or vendor parameters.");
            command.Arguments.Add(name);
            foreach (var o in new Option[] { description, basedOn, set, param, unset, unsetParam, store, whatIf, json }) command.Options.Add(o);
            command.SetAction(parse => CliErrors.Guard(new CliOutput(parse.GetValue(json)), cli =>
            {
                var templates = TemplateStore.Open(parse.GetValue(store));
                var current = templates.Get(parse.GetValue(name)!);
                var changed = current.With(parse.GetValue(description), parse.GetValue(basedOn),
                    (parse.GetValue(set) ?? new string[0]).Select(TemplateEdits.ParseSetting),
                    TemplateEdits.GroupByFormat((parse.GetValue(param) ?? new string[0]).Select(p => TemplateEdits.ParseParameter(p, true))),
                    parse.GetValue(unset),
                    (parse.GetValue(unsetParam) ?? new string[0]).Select(p => TemplateEdits.ParseParameter(p, false)).Select(p => new System.Collections.Generic.KeyValuePair<Core.Formats.ProfileFormat, string>(p.Key, p.Value.Key)));
                var saved = templates.Update(changed, parse.GetValue(whatIf));
                cli.Result(saved, (parse.GetValue(whatIf) ? "would update " : "updated ") + saved.Path);
                return ExitCodes.Success;
            }));
            return command;
        }
    }
}
