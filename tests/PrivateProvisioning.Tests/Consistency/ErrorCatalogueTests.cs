using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using PrivateProvisioning.Core;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Consistency
{
    /// <summary>Error ids come from one catalogue, which the docs list; scripts match on them.</summary>
    public class ErrorCatalogueTests
    {
        private static readonly IReadOnlyList<FieldInfo> Ids = typeof(ErrorIds)
            .GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).ToList();

        private static IEnumerable<(string Path, string Text)> Sources() =>
            Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "src"), "*.cs", SearchOption.AllDirectories)
                .Where(p => !p.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar)
                         && !p.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
                .Select(p => (p, File.ReadAllText(p)));

        [Fact]
        public void Every_id_is_its_own_name()
        {
            Assert.True(Ids.Count > 200, $"only {Ids.Count} ids found");
            foreach (var id in Ids)
                Assert.Equal(id.Name, (string)id.GetRawConstantValue()!);
        }

        [Fact]
        public void No_error_is_raised_with_an_id_outside_the_catalogue()
        {
            var literal = new Regex(@"ProvisioningException\(\s*""");
            var offenders = Sources().Where(s => literal.IsMatch(s.Text)).Select(s => Path.GetFileName(s.Path)).ToList();
            Assert.True(offenders.Count == 0, "string literal ids in: " + string.Join(", ", offenders));
        }

        [Fact]
        public void Every_id_in_the_catalogue_is_raised_somewhere()
        {
            var text = string.Join("\n", Sources().Where(s => !s.Path.EndsWith("ErrorIds.cs")).Select(s => s.Text));
            var unused = Ids.Where(id => !Regex.IsMatch(text, @"\bErrorIds\." + id.Name + @"\b")).Select(id => id.Name).ToList();
            Assert.True(unused.Count == 0, "catalogued but never used: " + string.Join(", ", unused));
        }

        [Fact]
        public void The_docs_list_exactly_the_catalogue()
        {
            var docs = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "error-ids.md"));
            var listed = Regex.Matches(docs, @"^\| `(\w+)` \|", RegexOptions.Multiline).Cast<Match>().Select(m => m.Groups[1].Value).ToHashSet();
            var catalogued = Ids.Select(f => f.Name).ToHashSet();
            Assert.Empty(catalogued.Except(listed));
            Assert.Empty(listed.Except(catalogued));
        }
    }
}
