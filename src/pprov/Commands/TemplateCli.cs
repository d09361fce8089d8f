using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using System.Text;
using PrivateProvisioning.Core.Templates;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>Options and printing shared by the pprov template/group subcommands.</summary>
    internal static class TemplateCli
    {
        public const string TemplateParent = "template";
        public const string TemplateDescription = "List, show, create, change and remove profile templates in the store.";
        public const string GroupParent = "group";
        public const string GroupDescription = "Assign templates to groups of accounts.";

        public static Option<string?> Store() => new Option<string?>("--store") { Description = "The template store folder (default: $PRIVATEPROVISIONING_STORE)." };
        public static Option<bool> Json() => new Option<bool>("--json") { Description = "One JSON object per line." };
        public static Option<bool> WhatIf() => new Option<bool>("--what-if") { Description = "Report what would change; write nothing." };
        public static Option<string[]> Set() => new Option<string[]>("--set") { Description = "A client setting NAME=VALUE (repeatable), e.g. --set Pin=MANDATORY.", AllowMultipleArgumentsPerToken = false };
        public static Option<string[]> Param() => new Option<string[]>("--param") { Description = "A vendor parameter FORMAT:NAME=VALUE (repeatable), e.g. --param CiscoSpa:Resync_Periodic=3600." };
        public static Option<string?> Description() => new Option<string?>("--description") { Description = "What the template is for." };
        public static Option<string?> BasedOn() => new Option<string?>("--based-on") { Description = "The template this one inherits from (\"\" clears it)." };

        public static string Describe(ProfileTemplate t)
        {
            var sb = new StringBuilder();
            sb.Append("Name: ").Append(t.Name).Append('\n');
            if (t.Description.Length > 0) sb.Append("Description: ").Append(t.Description).Append('\n');
            if (t.BasedOn != null) sb.Append("BasedOn: ").Append(t.BasedOn).Append('\n');
            sb.Append("File: ").Append(t.Path ?? "(shipped with PrivateProvisioning)").Append('\n');
            AppendSettings(sb, "Settings", t.Settings);
            foreach (var format in t.Parameters)
                AppendSettings(sb, format.Key + " parameters", format.Value);
            return sb.ToString().TrimEnd('\n');
        }

        public static void AppendSettings(StringBuilder sb, string title, IEnumerable<KeyValuePair<string, string>> items)
        {
            var list = items.ToList();
            sb.Append(title).Append(':').Append(list.Count == 0 ? " (none)\n" : "\n");
            int width = list.Count == 0 ? 0 : list.Max(kv => kv.Key.Length);
            foreach (var kv in list) sb.Append("  ").Append(kv.Key.PadRight(width)).Append(" = ").Append(kv.Value).Append('\n');
        }
    }
}
