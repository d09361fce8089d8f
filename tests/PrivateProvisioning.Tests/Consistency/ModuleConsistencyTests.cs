using System.IO;
using System.Linq;
using System.Xml.Linq;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Consistency
{
    /// <summary>The built module agrees with its manifest, its docs and its format file.</summary>
    public class ModuleConsistencyTests
    {
        private static readonly string ModuleDll = Path.Combine(TestPaths.ModuleFolder, "PrivateProvisioning.dll");
        private static readonly System.Lazy<System.Collections.Generic.IReadOnlyList<CmdletInfo>> Cmdlets =
            new(() => ModuleMetadata.ReadCmdlets(ModuleDll, TestPaths.PowerShellReference));

        [Fact]
        public void Every_cmdlet_is_exported_and_every_export_is_a_cmdlet()
        {
            var source = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "PrivateProvisioning.psd1"));
            var built = File.ReadAllText(Path.Combine(TestPaths.ModuleFolder, "PrivateProvisioning.psd1"));
            Assert.Empty(ModuleConsistency.ExportProblems(Cmdlets.Value, ModuleMetadata.ExportedCmdlets(source)));
            Assert.Empty(ModuleConsistency.ExportProblems(Cmdlets.Value, ModuleMetadata.ExportedCmdlets(built)));
        }

        [Fact]
        public void Every_verb_is_approved() => Assert.Empty(ModuleConsistency.VerbProblems(Cmdlets.Value));

        [Fact]
        public void Every_cmdlet_that_writes_declares_its_output_type() => Assert.Empty(ModuleConsistency.OutputTypeProblems(Cmdlets.Value));

        [Fact]
        public void Every_cmdlet_has_a_help_page_documenting_each_parameter() =>
            Assert.Empty(ModuleConsistency.DocsProblems(Cmdlets.Value, TestPaths.Docs));

        [Fact]
        public void The_module_page_lists_every_cmdlet()
        {
            var page = File.ReadAllText(Path.Combine(TestPaths.Docs, "PrivateProvisioning.md"));
            foreach (var cmdlet in Cmdlets.Value)
                Assert.True(page.Contains($"### [{cmdlet.Name}]({cmdlet.Name}.md)"), $"docs/en-US/PrivateProvisioning.md does not list {cmdlet.Name}");
        }

        [Fact]
        public void Every_output_type_has_a_view_in_the_format_file()
        {
            var format = File.ReadAllText(Path.Combine(TestPaths.ModuleFolder, "PrivateProvisioning.Format.ps1xml"));
            XDocument.Parse(format); // must be well-formed XML
            Assert.Empty(ModuleConsistency.FormatProblems(Cmdlets.Value, format));
        }

        [Fact]
        public void Manifest_version_is_the_one_in_Directory_Build_props()
        {
            var props = ModuleMetadata.PropsVersion(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "Directory.Build.props")));
            var built = ModuleMetadata.ManifestVersion(File.ReadAllText(Path.Combine(TestPaths.ModuleFolder, "PrivateProvisioning.psd1")));
            var source = ModuleMetadata.ManifestVersion(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "PrivateProvisioning.psd1")));
            Assert.Matches(@"^\d+\.\d+\.\d+$", props);
            Assert.Equal(props, built);
            Assert.Equal("{{ModuleVersion}}", source);
        }

        [Fact]
        public void The_module_folder_holds_what_Import_Module_needs()
        {
            foreach (var file in new[] { "PrivateProvisioning.psd1", "PrivateProvisioning.dll", "PrivateProvisioning.Loader.dll",
                         "PrivateProvisioning.Format.ps1xml", "en-US/PrivateProvisioning.dll-Help.xml", "en-US/about_PrivateProvisioning.help.txt",
                         "dependencies/PrivateProvisioning.Core.dll", "dependencies/BouncyCastle.Cryptography.dll",
                         "dependencies/net10.0/PrivateProvisioning.Core.dll", "dependencies/net10.0/BouncyCastle.Cryptography.dll" })
                Assert.True(File.Exists(Path.Combine(TestPaths.ModuleFolder, file)), $"{file} is missing from the module folder");
            Assert.False(File.Exists(Path.Combine(TestPaths.ModuleFolder, "System.Management.Automation.dll")), "the PowerShell reference assembly must not ship");
            Assert.False(File.Exists(Path.Combine(TestPaths.ModuleFolder, "BouncyCastle.Cryptography.dll")), "third-party assemblies belong under dependencies/");
            // Core beside the cmdlets would be found without the loader and land outside the module's load context.
            Assert.False(File.Exists(Path.Combine(TestPaths.ModuleFolder, "PrivateProvisioning.Core.dll")), "PrivateProvisioning.Core belongs under dependencies/");
        }

        [Fact]
        public void The_help_file_has_synopsis_parameters_and_examples_for_every_cmdlet()
        {
            var maml = XDocument.Load(Path.Combine(TestPaths.ModuleFolder, "en-US", "PrivateProvisioning.dll-Help.xml"));
            XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
            XNamespace mamlNs = "http://schemas.microsoft.com/maml/2004/10";
            foreach (var cmdlet in Cmdlets.Value)
            {
                var entry = maml.Descendants(command + "command")
                    .SingleOrDefault(c => (string?)c.Element(command + "details")?.Element(command + "name") == cmdlet.Name);
                Assert.True(entry != null, $"{cmdlet.Name} is not in the MAML help");
                Assert.False(string.IsNullOrWhiteSpace(entry!.Element(command + "details")!.Element(mamlNs + "description")?.Value), $"{cmdlet.Name}: no synopsis in MAML");
                Assert.NotEmpty(entry.Element(command + "examples")!.Elements(command + "example"));
                var names = entry.Element(command + "parameters")!.Elements(command + "parameter").Select(p => (string)p.Element(mamlNs + "name")!).ToList();
                foreach (var parameter in cmdlet.Parameters)
                    Assert.Contains(parameter, names);
            }
        }
    }

    /// <summary>The consistency rules themselves fail when they should (tests of the tests).</summary>
    public class ModuleConsistencyRuleTests
    {
        private static readonly CmdletInfo Sample = new("Get", "Sample", "Sample.GetSampleCommand", new[] { "Name", "Path" }, new[] { "PrivateProvisioning.Core.SampleResult" }, false);

        [Fact]
        public void A_cmdlet_missing_from_the_manifest_is_reported()
        {
            var problems = ModuleConsistency.ExportProblems(new[] { Sample }, new[] { "Get-Other" }).ToList();
            Assert.Contains(problems, p => p.Contains("Get-Sample is a cmdlet but is missing from CmdletsToExport"));
            Assert.Contains(problems, p => p.Contains("Get-Other is in CmdletsToExport"));
        }

        [Fact]
        public void An_unapproved_verb_is_reported() =>
            Assert.Single(ModuleConsistency.VerbProblems(new[] { Sample with { Verb = "Generate" } }));

        [Fact]
        public void A_writing_cmdlet_without_OutputType_is_reported()
        {
            Assert.Single(ModuleConsistency.OutputTypeProblems(new[] { Sample with { OutputTypes = new string[0] } }));
            Assert.Empty(ModuleConsistency.OutputTypeProblems(new[] { Sample with { Verb = "Remove", OutputTypes = new string[0] } }));
        }

        [Fact]
        public void A_missing_page_or_an_undocumented_parameter_is_reported()
        {
            using var docs = new TempDirectory();
            Assert.Contains(ModuleConsistency.DocsProblems(new[] { Sample }, docs.Path), p => p.Contains("has no help page"));

            File.WriteAllText(docs.File("Get-Sample.md"), "# Get-Sample\n\n## SYNOPSIS\nGets a sample.\n\n## EXAMPLES\n\n### Example 1\n```powershell\nGet-Sample\n```\n\n## PARAMETERS\n\n### -Name\nThe name.\n\n```yaml\nType: String\n```\n");
            var problems = ModuleConsistency.DocsProblems(new[] { Sample }, docs.Path).ToList();
            Assert.Equal(new[] { "Get-Sample: parameter -Path is not documented in docs/en-US/Get-Sample.md" }, problems);
        }

        [Fact]
        public void An_output_type_without_a_view_is_reported() =>
            Assert.Single(ModuleConsistency.FormatProblems(new[] { Sample }, "<Configuration><ViewDefinitions/></Configuration>"));
    }
}

namespace PrivateProvisioning.Tests.Consistency
{
    /// <summary>pprov's own conventions: usage errors exit 2 with a short message, never a stack trace.</summary>
    public class PprovConventionTests
    {
        [Fact]
        public void An_unknown_option_is_a_usage_error_without_a_stack_trace()
        {
            var result = ProcessRunner.Pprov("expand", "/$MA.cfg", "--no-such-option");
            Assert.Equal(2, result.ExitCode);
            Assert.StartsWith("pprov: ", result.StdErr);
            Assert.DoesNotContain("   at ", result.StdErr);
        }

        [Fact]
        public void A_missing_input_file_is_a_clear_error_without_a_stack_trace()
        {
            using var dir = new TempDirectory();
            var result = ProcessRunner.Pprov("protect", dir.File("missing.xml"), "--gzip", "--out", dir.Path);
            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("missing.xml", result.StdErr);
            Assert.DoesNotContain("   at ", result.StdErr);
        }
    }
}
