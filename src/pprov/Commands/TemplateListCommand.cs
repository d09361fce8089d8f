using System.CommandLine;
using PrivateProvisioning.Core.Templates;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>pprov template list [PATTERN...]: the store's templates (wildcards allowed).</summary>
    public sealed class TemplateListCommand : ICliSubcommand
    {
        public string Parent => TemplateCli.TemplateParent;
        public string ParentDescription => TemplateCli.TemplateDescription;

        public Command Build()
        {
            var patterns = new Argument<string[]>("PATTERN") { Description = "Names or wildcards (office*, ?-tls); default: all.", Arity = ArgumentArity.ZeroOrMore };
            var store = TemplateCli.Store();
            var json = TemplateCli.Json();
            var command = new Command("list", "List the templates in the store.");
            command.Arguments.Add(patterns);
            command.Options.Add(store);
            command.Options.Add(json);
            command.SetAction(parse => CliErrors.Guard(new CliOutput(parse.GetValue(json)), cli =>
            {
                var found = TemplateStore.Open(parse.GetValue(store)).Match(parse.GetValue(patterns));
                foreach (var t in found)
                    cli.Result(t, $"{t.Name,-24} {(t.BasedOn ?? "-"),-16} {t.Settings.Count,3} settings {t.ParameterCount,3} parameters  {t.Description}");
                return ExitCodes.Success;
            }));
            return command;
        }
    }
}
