using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using PlatyMaml;

namespace PrivateProvisioning.Tests.Consistency
{
    /// <summary>
    /// The rules that keep code, manifest, docs and format file in step. Each returns the problems it
    /// finds as sentences, so a failing test says exactly what to fix; the tests of the tests feed them
    /// broken inputs to prove they can fail.
    /// </summary>
    public static class ModuleConsistency
    {
        /// <summary>Get-Verb on Windows PowerShell 5.1: the verbs both editions approve.</summary>
        public static readonly HashSet<string> ApprovedVerbs = new(StringComparer.Ordinal)
        {
            "Add", "Clear", "Close", "Copy", "Enter", "Exit", "Find", "Format", "Get", "Hide", "Join", "Lock", "Move", "New",
            "Open", "Optimize", "Pop", "Push", "Redo", "Remove", "Rename", "Reset", "Resize", "Search", "Select", "Set", "Show",
            "Skip", "Split", "Step", "Switch", "Undo", "Unlock", "Watch", "Backup", "Checkpoint", "Compare", "Compress",
            "Convert", "ConvertFrom", "ConvertTo", "Dismount", "Edit", "Expand", "Export", "Group", "Import", "Initialize",
            "Limit", "Merge", "Mount", "Out", "Publish", "Restore", "Save", "Sync", "Unpublish", "Update", "Approve",
            "Assert", "Complete", "Confirm", "Deny", "Disable", "Enable", "Install", "Invoke", "Register", "Request",
            "Restart", "Resume", "Start", "Stop", "Submit", "Suspend", "Uninstall", "Unregister", "Wait", "Debug",
            "Measure", "Ping", "Repair", "Resolve", "Test", "Trace", "Connect", "Disconnect", "Read", "Receive", "Send",
            "Write", "Block", "Grant", "Protect", "Revoke", "Unblock", "Unprotect", "Use",
        };

        /// <summary>Verbs whose cmdlets write nothing unless asked (-PassThru), so [OutputType] is optional.</summary>
        private static readonly HashSet<string> SilentVerbs = new(StringComparer.Ordinal) { "Remove", "Stop", "Clear", "Unregister" };

        public static IEnumerable<string> ExportProblems(IReadOnlyList<CmdletInfo> cmdlets, IReadOnlyList<string> exported)
        {
            var names = cmdlets.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var name in names.Where(n => !exported.Contains(n, StringComparer.Ordinal)))
                yield return $"{name} is a cmdlet but is missing from CmdletsToExport in PrivateProvisioning.psd1";
            foreach (var name in exported.Where(n => !names.Contains(n)))
                yield return $"{name} is in CmdletsToExport but no class in the module has [Cmdlet] with that name";
        }

        public static IEnumerable<string> VerbProblems(IReadOnlyList<CmdletInfo> cmdlets) =>
            cmdlets.Where(c => !ApprovedVerbs.Contains(c.Verb)).Select(c => $"{c.Name}: '{c.Verb}' is not an approved verb (Get-Verb)");

        public static IEnumerable<string> OutputTypeProblems(IReadOnlyList<CmdletInfo> cmdlets) =>
            cmdlets.Where(c => c.OutputTypes.Count == 0 && (!SilentVerbs.Contains(c.Verb) || c.Parameters.Contains("PassThru")))
                   .Select(c => $"{c.Name} writes objects but has no [OutputType]");

        public static IEnumerable<string> DocsProblems(IReadOnlyList<CmdletInfo> cmdlets, string docsFolder)
        {
            foreach (var cmdlet in cmdlets)
            {
                var page = Path.Combine(docsFolder, cmdlet.Name + ".md");
                if (!File.Exists(page))
                {
                    yield return $"{cmdlet.Name} has no help page docs/en-US/{cmdlet.Name}.md";
                    continue;
                }
                CmdletHelp help;
                string? parseError = null;
                try { help = PlatyMarkdown.Parse(File.ReadAllText(page), page); }
                catch (InvalidDataException ex) { help = new CmdletHelp(); parseError = ex.Message; }
                if (parseError != null) { yield return parseError; continue; }
                if (!string.Equals(help.Name, cmdlet.Name, StringComparison.Ordinal))
                    yield return $"docs/en-US/{cmdlet.Name}.md is titled '{help.Name}'";
                if (string.IsNullOrWhiteSpace(help.Synopsis) || help.Synopsis.StartsWith("{{", StringComparison.Ordinal))
                    yield return $"{cmdlet.Name}: the help page has no SYNOPSIS";
                if (help.Examples.Count == 0 || help.Examples.Any(e => string.IsNullOrWhiteSpace(e.Code)))
                    yield return $"{cmdlet.Name}: the help page needs at least one example, each with code";
                var documented = help.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
                foreach (var parameter in cmdlet.Parameters.Where(p => !documented.Contains(p)))
                    yield return $"{cmdlet.Name}: parameter -{parameter} is not documented in docs/en-US/{cmdlet.Name}.md";
                foreach (var extra in help.Parameters.Select(p => p.Name)
                             .Where(p => !p.Equals("CommonParameters", StringComparison.OrdinalIgnoreCase) && !cmdlet.Parameters.Contains(p, StringComparer.OrdinalIgnoreCase)))
                    yield return $"{cmdlet.Name}: the help page documents -{extra}, which the cmdlet does not have";
                foreach (var p in help.Parameters.Where(p => !p.Name.Equals("CommonParameters", StringComparison.OrdinalIgnoreCase) && p.Description.All(string.IsNullOrWhiteSpace)))
                    yield return $"{cmdlet.Name}: parameter -{p.Name} has no description";
            }
        }

        public static IEnumerable<string> FormatProblems(IReadOnlyList<CmdletInfo> cmdlets, string formatFileText)
        {
            foreach (var type in cmdlets.SelectMany(c => c.OutputTypes).Distinct()
                         .Where(t => t.StartsWith("PrivateProvisioning", StringComparison.Ordinal)))
                if (!formatFileText.Contains("<TypeName>" + type + "</TypeName>", StringComparison.Ordinal))
                    yield return $"{type} is an output type but PrivateProvisioning.Format.ps1xml has no view for it";
        }
    }
}
