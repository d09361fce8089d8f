using System.CommandLine;
using System.Linq;
using System.Text;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Core.Templates;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>
    /// pprov template show NAME [--resolved]: one template, or its effective values after BasedOn and default. A literal
    /// secret left in an old store file is shown masked, with a warning.
    /// </summary>
    public sealed class TemplateShowCommand : ICliSubcommand
    {
        public string Parent => TemplateCli.TemplateParent;
        public string ParentDescription => TemplateCli.TemplateDescription;

        public Command Build()
        {
            var name = new Argument<string>("NAME") { Description = "The template." };
            var resolved = new Option<bool>("--resolved") { Description = "Show every effective value after the BasedOn chain and the default template." };
            var store = TemplateCli.Store();
            var json = TemplateCli.Json();
            var command = new Command("show", "Show a template's settings and vendor parameters.");
            command.Arguments.Add(name);
            command.Options.Add(resolved);
            command.Options.Add(store);
            command.Options.Add(json);
            command.SetAction(parse => CliErrors.Guard(new CliOutput(parse.GetValue(json)), cli =>
            {
                var templates = TemplateStore.Open(parse.GetValue(store));
                var template = templates.Get(parse.GetValue(name)!);
                foreach (var layer in new TemplateResolver(templates).Chain(template.Name))
                    if (layer.LiteralSecrets.Count > 0) cli.Warning(TemplateStore.LiteralSecretWarning(layer));
                if (!parse.GetValue(resolved))
                {
                    cli.Result(template, TemplateCli.Describe(template));
                    return ExitCodes.Success;
                }
                var effective = new TemplateResolver(templates).Resolve(template.Name, null);
                var parameters = System.Enum.GetValues<ProfileFormat>()
                    .Where(f => effective.ParametersFor(f).Count > 0)
                    .ToDictionary(f => f.ToString(), f => effective.ParametersFor(f).ToDictionary(kv => kv.Key, kv => kv.Value));
                var sb = new StringBuilder();
                sb.Append("Name: ").Append(effective.Name).Append("\nLayers: ").Append(string.Join(" < ", effective.Layers)).Append('\n');
                TemplateCli.AppendSettings(sb, "Settings", effective.ClientSettings);
                foreach (var kv in parameters) TemplateCli.AppendSettings(sb, kv.Key + " parameters", kv.Value);
                cli.Result(new CliJsonLines.ResolvedTemplateLine(effective.Name, effective.Layers,
                    effective.ClientSettings.ToDictionary(kv => kv.Key, kv => kv.Value), parameters), sb.ToString().TrimEnd('\n'));
                return ExitCodes.Success;
            }));
            return command;
        }
    }
}
