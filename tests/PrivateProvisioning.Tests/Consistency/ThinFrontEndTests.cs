using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Consistency
{
    /// <summary>
    /// Issue 12: a cmdlet and a pprov command only map their parameters onto Core's request and print what comes back.
    /// These checks read every command file (docs/development.md, "How the front ends stay thin"): a new error raised in a
    /// command, a new test of two parameters together, or a literal default is a rule that belongs in Core, and fails here
    /// until it moves there (or, if it only translates, is listed below with the reason).
    /// </summary>
    public class ThinFrontEndTests
    {
        private static readonly string[] Folders = { "src/PrivateProvisioning/Commands", "src/pprov/Commands" };

        private static IEnumerable<(string Name, string[] Lines)> CommandFiles() =>
            Folders.SelectMany(f => Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, f), "*.cs"))
                .Select(p => (Path.GetRelativePath(TestPaths.RepoRoot, p).Replace('\\', '/'), File.ReadAllLines(p)));

        // Errors a command still raises itself, and why each is not a rule between parameters: reading a file the
        // command opened, a name or path the front end looked up, or its own text syntax turned into Core's types.
        private static readonly Dictionary<string, (int Count, string Why)> OwnErrors = new Dictionary<string, (int, string)>
        {
            ["src/PrivateProvisioning/Commands/GetProfileParameterCommand.cs"] = (1, "an I/O failure reading the file it resolved"),
            ["src/PrivateProvisioning/Commands/GetProfileTemplateCommand.cs"] = (1, "a -Name without wildcards that matched no template"),
            ["src/PrivateProvisioning/Commands/GetProvisioningServerLogCommand.cs"] = (1, "a -Name that matched no server of this session"),
            ["src/PrivateProvisioning/Commands/NewProvisioningProfileCommand.cs"] = (1, "an I/O failure opening the CSV path it resolved"),
            ["src/PrivateProvisioning/Commands/ReceiveProfileFileCommand.cs"] = (1, "-Expected's file not found"),
            ["src/PrivateProvisioning/Commands/StartProvisioningServerCommand.cs"] = (2, "a PowerShell path resolving to several folders, or to none"),
            ["src/PrivateProvisioning/Commands/StopProvisioningServerCommand.cs"] = (1, "a -Name that matched no server of this session"),
            ["src/pprov/Commands/ExpandCommand.cs"] = (1, "--secret-env's NAME=VARIABLE syntax (the module takes a SecureString instead)"),
            ["src/pprov/Commands/ItlCli.cs"] = (2, "--entry's ROLE=FILE syntax and --digest's text (the module binds the enum)"),
            ["src/pprov/Commands/ProfileShowCommand.cs"] = (2, "Core's format error named for --format, and an I/O failure reading the file"),
        };

        [Fact]
        public void Every_command_file_is_under_120_lines()
        {
            var files = CommandFiles().ToList();
            Assert.True(files.Count > 50, $"only {files.Count} command files");
            var long_ = files.Where(f => f.Lines.Length >= 120).Select(f => $"{f.Name}: {f.Lines.Length} lines").ToList();
            Assert.True(long_.Count == 0, string.Join("\n", long_));
        }

        [Fact]
        public void No_command_raises_an_error_of_its_own_beyond_the_listed_translations()
        {
            var found = new List<string>();
            foreach (var (name, lines) in CommandFiles())
            {
                int count = lines.Count(l => l.Contains("new ProvisioningException(", StringComparison.Ordinal));
                int allowed = OwnErrors.TryGetValue(name, out var known) ? known.Count : 0;
                if (count != allowed) found.Add($"{name}: {count} error(s) raised in the command, {allowed} listed");
            }
            Assert.True(found.Count == 0, "A command decides an error itself; move the rule into Core's request (or list a pure translation here):\n" + string.Join("\n", found));
        }

        // An if/ternary that tests two parameters together: "A != null && B != null", "Bound(A) || B.IsPresent", two GetValue calls.
        private static readonly Regex TwoParameters = new Regex(
            @"(!= null|== null|Bound\(|IsPresent|GetValue\()[^;]*(&&|\|\|)[^;]*(!= null|== null|Bound\(|IsPresent|GetValue\()", RegexOptions.Compiled);

        // What the scan finds that only maps input (a piped object's shape, a path, reading a secret only when it is used).
        private static readonly string[] Mappings =
        {
            "src/pprov/Commands/CiscoProtectionCli.cs: the key password is read from its file or variable only when a certificate is loaded",
        };

        [Fact]
        public void No_command_tests_two_parameters_together_beyond_the_listed_mappings()
        {
            var known = new HashSet<string>(Mappings.Select(m => m.Substring(0, m.IndexOf(':'))));
            var found = new List<string>();
            foreach (var (name, lines) in CommandFiles())
                for (int i = 0; i < lines.Length; i++)
                    if (TwoParameters.IsMatch(lines[i]) && !known.Contains(name)) found.Add($"{name}:{i + 1}: {lines[i].Trim()}");
            Assert.True(found.Count == 0, "A command decides between parameters; move the rule into Core's request:\n" + string.Join("\n", found));
        }

        // A parameter's default that is a literal rather than Core's constant: "= 10;", "= \"0.0.0.0\";", "= Enum.Member;",
        // and pprov's DefaultValueFactory with a literal. Empty strings, null! and empty arrays only satisfy the compiler.
        private static readonly Regex LiteralDefault = new Regex(
            @"\{ get; set; \} = (?!null!|""""|string\.Empty|(System\.)?Array\.Empty|[A-Z]\w+\.Default\w*\b|[A-Z]\w+\.(Max|Min)\w*\b)[^;]+;|DefaultValueFactory = _ => (?![A-Z]\w+\.Default\w*\b)",
            RegexOptions.Compiled);

        // Output types declared in command files (JSON views), whose properties are not parameters.
        private static readonly string[] OutputViews = { "src/pprov/Commands/CertNewCommand.cs", "src/pprov/Commands/ExpandJson.cs", "src/pprov/Commands/ItlView.cs" };

        [Fact]
        public void Every_default_a_command_declares_is_a_Core_constant()
        {
            var found = new List<string>();
            foreach (var (name, lines) in CommandFiles())
            {
                if (OutputViews.Contains(name)) continue;
                for (int i = 0; i < lines.Length; i++)
                    if (LiteralDefault.IsMatch(lines[i])) found.Add($"{name}:{i + 1}: {lines[i].Trim()}");
            }
            Assert.True(found.Count == 0, "A command declares its own default; make it a constant of Core's request:\n" + string.Join("\n", found));
        }

        [Fact]
        public void The_scans_find_what_they_look_for()
        {
            Assert.Matches(TwoParameters, "            if (IssuerPath != null && IssuerCertificate != null)");
            Assert.Matches(TwoParameters, "                var x = parse.GetValue(a) == null && parse.GetValue(b) != null ? 1 : 2;");
            Assert.DoesNotMatch(TwoParameters, "            if (IssuerPath != null) Load();");
            Assert.Matches(LiteralDefault, "        public string Address { get; set; } = \"0.0.0.0\";");
            Assert.Matches(LiteralDefault, "        public int Years { get; set; } = 10;");
            Assert.Matches(LiteralDefault, "        public WebServerAuthorization Authorization { get; set; } = WebServerAuthorization.AnyClientCertificate;");
            Assert.Matches(LiteralDefault, "            var years = new Option<int>(\"--years\") { DefaultValueFactory = _ => 10 };");
            Assert.DoesNotMatch(LiteralDefault, "        public int Years { get; set; } = CertificateRequestOptions.DefaultYears;");
            Assert.DoesNotMatch(LiteralDefault, "        public string Name { get; set; } = null!;");
        }
    }
}
