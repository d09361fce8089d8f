using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace PlatyMaml
{
    /// <summary>One cmdlet help page as platyPS (schema 2.0.0) writes it.</summary>
    public sealed class CmdletHelp
    {
        public string Name { get; set; } = "";
        public string Synopsis { get; set; } = "";
        public List<string> Description { get; } = new();
        public List<(string SetName, string Text)> Syntax { get; } = new();
        public List<HelpExample> Examples { get; } = new();
        public List<HelpParameter> Parameters { get; } = new();
        public List<string> Inputs { get; } = new();
        public List<string> Outputs { get; } = new();
        public List<string> Notes { get; } = new();
        public List<string> RelatedLinks { get; } = new();
    }

    public sealed class HelpExample
    {
        public string Title { get; set; } = "";
        public string Code { get; set; } = "";
        public List<string> Remarks { get; } = new();
    }

    public sealed class HelpParameter
    {
        public string Name { get; set; } = "";
        public List<string> Description { get; } = new();
        public Dictionary<string, string> Fields { get; } = new(StringComparer.OrdinalIgnoreCase);
        public string Field(string key, string fallback = "") => Fields.TryGetValue(key, out var v) && v.Length > 0 ? v : fallback;
    }

    /// <summary>Reads platyPS markdown: "## SECTION" headings, "### item" sub-headings, fenced code and yaml blocks.</summary>
    public static class PlatyMarkdown
    {
        public static CmdletHelp Parse(string markdown, string sourceName = "")
        {
            var lines = markdown.Replace("\r\n", "\n").Split('\n');
            int i = 0;
            if (lines.Length > 0 && lines[0].Trim() == "---")
            {
                i = 1;
                while (i < lines.Length && lines[i].Trim() != "---") i++;
                i++;
            }
            var help = new CmdletHelp();
            string section = "";
            HelpExample? example = null;
            HelpParameter? parameter = null;
            string? syntaxSet = null;
            for (; i < lines.Length; i++)
            {
                var line = lines[i];
                if (line.StartsWith("# ", StringComparison.Ordinal) && help.Name.Length == 0)
                {
                    help.Name = line.Substring(2).Trim();
                    continue;
                }
                if (line.StartsWith("## ", StringComparison.Ordinal))
                {
                    section = line.Substring(3).Trim().ToUpperInvariant();
                    example = null; parameter = null; syntaxSet = null;
                    continue;
                }
                if (line.StartsWith("### ", StringComparison.Ordinal))
                {
                    var title = line.Substring(4).Trim();
                    switch (section)
                    {
                        case "EXAMPLES": example = new HelpExample { Title = title }; help.Examples.Add(example); break;
                        case "PARAMETERS":
                            parameter = title.StartsWith("-", StringComparison.Ordinal) ? new HelpParameter { Name = title.Substring(1) } : null;
                            if (parameter != null) help.Parameters.Add(parameter);
                            break;
                        case "SYNTAX": syntaxSet = title; break;
                        case "INPUTS": help.Inputs.Add(title); break;
                        case "OUTPUTS": help.Outputs.Add(title); break;
                    }
                    continue;
                }
                if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
                {
                    var fence = line.Trim().Substring(3).Trim().ToLowerInvariant();
                    var block = new StringBuilder();
                    i++;
                    while (i < lines.Length && !lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
                    {
                        block.AppendLine(lines[i]);
                        i++;
                    }
                    var text = block.ToString().TrimEnd();
                    if (section == "SYNTAX") help.Syntax.Add((syntaxSet ?? "__AllParameterSets", text));
                    else if (section == "EXAMPLES" && example != null) example.Code = example.Code.Length == 0 ? text : example.Code + "\n" + text;
                    else if (section == "PARAMETERS" && parameter != null && fence == "yaml") ReadYaml(text, parameter);
                    continue;
                }
                var trimmed = line.Trim();
                switch (section)
                {
                    case "SYNOPSIS": if (trimmed.Length > 0) help.Synopsis = (help.Synopsis + " " + trimmed).Trim(); break;
                    case "DESCRIPTION": AddParagraphLine(help.Description, line); break;
                    case "EXAMPLES": if (example != null) AddParagraphLine(example.Remarks, line); break;
                    case "PARAMETERS": if (parameter != null) AddParagraphLine(parameter.Description, line); break;
                    case "INPUTS": case "OUTPUTS": break;
                    case "NOTES": AddParagraphLine(help.Notes, line); break;
                    case "RELATED LINKS": if (trimmed.Length > 0) help.RelatedLinks.Add(trimmed); break;
                }
            }
            if (help.Name.Length == 0) throw new InvalidDataException($"{sourceName}: no '# Cmdlet-Name' heading");
            return help;
        }

        private static void ReadYaml(string yaml, HelpParameter parameter)
        {
            foreach (var raw in yaml.Split('\n'))
            {
                int colon = raw.IndexOf(':');
                if (colon <= 0) continue;
                parameter.Fields[raw.Substring(0, colon).Trim()] = raw.Substring(colon + 1).Trim();
            }
        }

        /// <summary>Blank lines separate paragraphs; other lines join the current one.</summary>
        private static void AddParagraphLine(List<string> paragraphs, string line)
        {
            var t = line.Trim();
            if (t.Length == 0)
            {
                if (paragraphs.Count > 0 && paragraphs[^1].Length > 0) paragraphs.Add("");
                return;
            }
            if (paragraphs.Count == 0 || paragraphs[^1].Length == 0)
            {
                if (paragraphs.Count > 0) paragraphs.RemoveAt(paragraphs.Count - 1);
                paragraphs.Add(t);
            }
            else paragraphs[^1] = paragraphs[^1] + " " + t;
        }

        public static IEnumerable<string> Paragraphs(IEnumerable<string> items) => items.Where(p => p.Length > 0);
    }
}
