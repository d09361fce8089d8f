using System.Xml;
using System.Xml.Linq;

namespace PlatyMaml
{
    /// <summary>Writes MAML (the format Get-Help reads) from parsed platyPS pages.</summary>
    public static class MamlWriter
    {
        private static readonly XNamespace Msh = "http://msh";
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        public static XDocument Write(IEnumerable<CmdletHelp> pages)
        {
            var root = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
                new XAttribute(XNamespace.Xmlns + "maml", Maml.NamespaceName),
                new XAttribute(XNamespace.Xmlns + "command", Command.NamespaceName),
                new XAttribute(XNamespace.Xmlns + "dev", Dev.NamespaceName));
            foreach (var page in pages) root.Add(WriteCommand(page));
            return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
        }

        private static XElement Paras(IEnumerable<string> paragraphs) =>
            new XElement(Maml + "description", PlatyMarkdown.Paragraphs(paragraphs).Select(p => new XElement(Maml + "para", p)));

        private static XElement WriteCommand(CmdletHelp help)
        {
            var dash = help.Name.IndexOf('-');
            var verb = dash > 0 ? help.Name[..dash] : help.Name;
            var noun = dash > 0 ? help.Name[(dash + 1)..] : "";
            var parameters = help.Parameters.Where(p => !p.Name.Equals("CommonParameters", StringComparison.OrdinalIgnoreCase)).ToList();
            // platyPS pages show -WhatIf/-Confirm in SYNTAX but give them no ### section: Get-Help builds SYNTAX from the
            // parameters, so without these two it printed no [-WhatIf] [-Confirm] for the ShouldProcess cmdlets.
            foreach (var risk in new[] { ("WhatIf", "Shows what would happen if the cmdlet runs. The cmdlet is not run."),
                                         ("Confirm", "Prompts you for confirmation before running the cmdlet.") })
                if (help.Syntax.Any(s => s.Text.Contains("[-" + risk.Item1 + "]")) && !parameters.Any(p => p.Name.Equals(risk.Item1, StringComparison.OrdinalIgnoreCase)))
                    parameters.Add(RiskParameter(risk.Item1, risk.Item2));

            var syntax = new XElement(Command + "syntax");
            var sets = help.Syntax.Count > 0 ? help.Syntax.Select(s => s.SetName).ToList() : new List<string> { "__AllParameterSets" };
            foreach (var set in sets)
            {
                var setName = set.Replace("(Default)", "").Trim();
                var item = new XElement(Command + "syntaxItem", new XElement(Maml + "name", help.Name));
                foreach (var p in parameters.Where(p => InSet(p, setName)))
                    item.Add(WriteParameter(p, setName));
                syntax.Add(item);
            }

            return new XElement(Command + "command",
                new XElement(Command + "details",
                    new XElement(Command + "name", help.Name),
                    new XElement(Command + "verb", verb),
                    new XElement(Command + "noun", noun),
                    Paras(new[] { help.Synopsis })),
                Paras(help.Description),
                syntax,
                new XElement(Command + "parameters", parameters.Select(p => WriteParameter(p, null))),
                new XElement(Command + "inputTypes", help.Inputs.Select(t =>
                    new XElement(Command + "inputType", new XElement(Dev + "type", new XElement(Maml + "name", t))))),
                new XElement(Command + "returnValues", help.Outputs.Select(t =>
                    new XElement(Command + "returnValue", new XElement(Dev + "type", new XElement(Maml + "name", t))))),
                new XElement(Maml + "alertSet", new XElement(Maml + "alert",
                    PlatyMarkdown.Paragraphs(help.Notes).Select(p => new XElement(Maml + "para", p)))),
                new XElement(Command + "examples", help.Examples.Select((e, n) =>
                    new XElement(Command + "example",
                        new XElement(Maml + "title", $"-------------------------- {e.Title} --------------------------"),
                        new XElement(Dev + "code", e.Code),
                        new XElement(Dev + "remarks", PlatyMarkdown.Paragraphs(e.Remarks).Select(p => new XElement(Maml + "para", p)))))),
                new XElement(Command + "relatedLinks", help.RelatedLinks.Select(l =>
                    new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", LinkText(l)), new XElement(Maml + "uri", LinkUri(l))))));
        }

        private static HelpParameter RiskParameter(string name, string description)
        {
            var p = new HelpParameter { Name = name };
            p.Description.Add(description);
            p.Fields["Type"] = "SwitchParameter";
            p.Fields["Parameter Sets"] = "(All)";
            p.Fields["Aliases"] = name == "WhatIf" ? "wi" : "cf";
            p.Fields["Required"] = "False";
            p.Fields["Position"] = "Named";
            p.Fields["Default value"] = "False";
            p.Fields["Accept pipeline input"] = "False";
            p.Fields["Accept wildcard characters"] = "False";
            return p;
        }

        private static bool InSet(HelpParameter p, string set)
        {
            var sets = p.Field("Parameter Sets", "(All)");
            if (sets == "(All)" || set == "__AllParameterSets") return true;
            return sets.Split(',').Select(s => s.Trim()).Contains(set, StringComparer.OrdinalIgnoreCase);
        }

        private static XElement WriteParameter(HelpParameter p, string? set)
        {
            var type = p.Field("Type", "Object");
            var pipeline = p.Field("Accept pipeline input", "False");
            var isSwitch = type.Equals("SwitchParameter", StringComparison.OrdinalIgnoreCase);
            var position = p.Field("Position", "Named");
            var element = new XElement(Command + "parameter",
                new XAttribute("required", p.Field("Required", "False").StartsWith("True", StringComparison.OrdinalIgnoreCase) ? "true" : "false"),
                new XAttribute("variableLength", "true"),
                new XAttribute("globbing", p.Field("Accept wildcard characters", "False").StartsWith("True", StringComparison.OrdinalIgnoreCase) ? "true" : "false"),
                new XAttribute("pipelineInput", pipeline),
                new XAttribute("position", position.Equals("Named", StringComparison.OrdinalIgnoreCase) ? "named" : position),
                new XAttribute("aliases", p.Field("Aliases", "none")),
                new XElement(Maml + "name", p.Name),
                Paras(p.Description));
            var accepted = p.Field("Accepted values");
            if (accepted.Length > 0)
                element.Add(new XElement(Command + "parameterValueGroup", accepted.Split(',').Select(v =>
                    new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute(Command + "variableLength", "false"), v.Trim()))));
            if (!isSwitch)
                element.Add(new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", "false"), type));
            element.Add(new XElement(Dev + "type", new XElement(Maml + "name", type)));
            element.Add(new XElement(Dev + "defaultValue", p.Field("Default value", isSwitch ? "False" : "None")));
            return element;
        }

        private static string LinkText(string markdownLink) =>
            markdownLink.StartsWith("[") && markdownLink.Contains("](") ? markdownLink[1..markdownLink.IndexOf("](")] : markdownLink;

        private static string LinkUri(string markdownLink)
        {
            var open = markdownLink.IndexOf("](");
            if (open < 0) return "";
            var uri = markdownLink[(open + 2)..].TrimEnd(')');
            return uri.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? uri : "";
        }
    }
}
