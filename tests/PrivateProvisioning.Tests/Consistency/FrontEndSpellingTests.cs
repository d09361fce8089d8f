using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using PrivateProvisioning.Cli;
using PrivateProvisioning.Core;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Consistency
{
    /// <summary>
    /// Issue 12: Core's messages speak of a parameter by its meaning (<see cref="RequestParameter"/>) and each front end adds
    /// its own spelling of the switch. Core's source holds no front end's switch, cmdlet or pprov command in a string literal,
    /// and both front ends can spell every request parameter with a switch they have.
    /// </summary>
    public class FrontEndSpellingTests
    {
        private static readonly string ModuleDll = Path.Combine(TestPaths.ModuleFolder, "PrivateProvisioning.dll");
        private static readonly Lazy<IReadOnlyList<CmdletInfo>> Cmdlets = new(() => ModuleMetadata.ReadCmdlets(ModuleDll, TestPaths.PowerShellReference));

        // Spellings in Core's literals that are not a front end's: the profile-rule language's options (spec §2.2, what
        // phones read), Apache's directive options Core writes, and Import-PfxCertificate's switch (not ours).
        private static readonly HashSet<string> NotOurSwitches = new HashSet<string>(StringComparer.Ordinal)
        {
            "--key", "--uid", "--pwd", "--post", "--alias", "--srv", "--delta", "--status", "--hex-key",
            "-Indexes", "-MultiViews",
            "-Exportable",
        };

        private static readonly Regex Literal = new Regex(@"\$?@?""(?:[^""\\\n]|\\.|"""")*""", RegexOptions.Compiled);
        private static readonly Regex Switch = new Regex(@"(?<![\w-])(--[a-z][a-z0-9-]+|-[A-Z][a-zA-Z]+)", RegexOptions.Compiled);

        /// <summary>What a line's string literals name of a front end: a switch, one of the module's cmdlets, or "pprov VERB".</summary>
        internal static IEnumerable<string> FrontEndNames(string line, IEnumerable<string> cmdletNames, IEnumerable<string> pprovVerbs)
        {
            if (line.TrimStart().StartsWith("//", StringComparison.Ordinal)) yield break;
            foreach (Match literal in Literal.Matches(line))
            {
                var text = literal.Value;
                foreach (Match s in Switch.Matches(text))
                    if (!NotOurSwitches.Contains(s.Value)) yield return s.Value;
                foreach (var cmdlet in cmdletNames)
                    if (text.IndexOf(cmdlet, StringComparison.OrdinalIgnoreCase) >= 0) yield return cmdlet;
                foreach (var verb in pprovVerbs)
                    if (Regex.IsMatch(text, @"\bpprov " + Regex.Escape(verb) + @"\b")) yield return "pprov " + verb;
            }
        }

        [Fact]
        public void The_scan_finds_a_switch_a_cmdlet_and_a_pprov_command_and_lets_the_rule_language_pass()
        {
            var cmdlets = new[] { "Set-ProfileTemplate" };
            var verbs = new[] { "template" };
            Assert.Equal(new[] { "-Force", "--force" }, FrontEndNames("    throw X(\"Reassign them first, or use -Force / --force.\");", cmdlets, verbs));
            Assert.Equal(new[] { "Set-ProfileTemplate" }, FrontEndNames("  $\"fix it with Set-ProfileTemplate.\"", cmdlets, verbs));
            Assert.Equal(new[] { "pprov template" }, FrontEndNames("  \"see 'pprov template list'\"", cmdlets, verbs));
            Assert.Empty(FrontEndNames("  \"use --key, --uid or --pwd in the rule; 00-0e-08-ab-cd-ef\"", cmdlets, verbs));
            Assert.Empty(FrontEndNames("  // a comment may say -Force / --force", cmdlets, verbs));
        }

        [Fact]
        public void No_string_literal_in_Core_names_a_front_end_switch_cmdlet_or_pprov_command()
        {
            var cmdlets = Cmdlets.Value.Select(c => c.Name).ToList();
            var verbs = Program.BuildRootCommand().Subcommands.Select(c => c.Name).ToList();
            Assert.Contains("Protect-ProfileFile", cmdlets);
            Assert.Contains("protect", verbs);
            var core = Path.Combine(TestPaths.RepoRoot, "src", "PrivateProvisioning.Core");
            var found = new List<string>();
            var files = Directory.GetFiles(core, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar) && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
                .ToList();
            Assert.True(files.Count > 100, $"only {files.Count} files under {core}");
            foreach (var file in files)
            {
                var lines = File.ReadAllLines(file);
                for (int i = 0; i < lines.Length; i++)
                    foreach (var name in FrontEndNames(lines[i], cmdlets, verbs))
                        found.Add($"{Path.GetRelativePath(TestPaths.RepoRoot, file)}:{i + 1}: {name}");
            }
            Assert.True(found.Count == 0, "Core names a front end's switch or command; name the parameter with ProvisioningException.About(RequestParameter.X) instead:\n" + string.Join("\n", found));
        }

        private static IEnumerable<string> RequestParameters() =>
            typeof(RequestParameter).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);

        [Fact]
        public void Every_request_parameter_is_spelled_by_pprov_with_options_it_has()
        {
            var options = new HashSet<string>(StringComparer.Ordinal);
            void Walk(Command command)
            {
                foreach (var option in command.Options)
                {
                    options.Add(option.Name);
                    foreach (var alias in option.Aliases) options.Add(alias);
                }
                foreach (var sub in command.Subcommands) Walk(sub);
            }
            Walk(Program.BuildRootCommand());
            var wrong = new List<string>();
            foreach (var parameter in RequestParameters())
                foreach (var spelled in CliSpelling.Switch(parameter).Split(new[] { " / " }, StringSplitOptions.None))
                    if (!options.Contains(spelled)) wrong.Add($"{parameter} -> {spelled}");
            Assert.True(wrong.Count == 0, "CliSpelling names options pprov does not have:\n" + string.Join("\n", wrong));
        }

        [Fact]
        public void Every_request_parameter_is_a_parameter_of_some_cmdlet_or_one_of_the_module_spellings_exceptions()
        {
            var parameters = new HashSet<string>(Cmdlets.Value.SelectMany(c => c.Parameters), StringComparer.Ordinal);
            // src/PrivateProvisioning/Internal/ModuleSpelling.cs: the module takes CSV rows from the pipeline.
            var spelledOtherwise = new[] { RequestParameter.CsvPath };
            var missing = RequestParameters().Where(p => !parameters.Contains(p) && !spelledOtherwise.Contains(p)).ToList();
            Assert.True(missing.Count == 0, "No cmdlet has a parameter named " + string.Join(", ", missing));
        }
    }
}
