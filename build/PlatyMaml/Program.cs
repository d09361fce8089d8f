using System.Text;
using System.Xml;

namespace PlatyMaml
{
    /// <summary>
    /// Usage: PlatyMaml &lt;docs/en-US&gt; &lt;output en-US folder&gt;. Writes PrivateProvisioning.dll-Help.xml from every
    /// Verb-Noun.md page and about_*.help.txt from every about_*.md page. Fails on a page it cannot read.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length != 2)
            {
                Console.Error.WriteLine("usage: PlatyMaml <markdown folder> <output folder>");
                return 2;
            }
            var source = args[0];
            var target = args[1];
            Directory.CreateDirectory(target);
            var pages = new List<CmdletHelp>();
            foreach (var file in Directory.GetFiles(source, "*.md").OrderBy(f => f, StringComparer.Ordinal))
            {
                var name = Path.GetFileNameWithoutExtension(file);
                var text = File.ReadAllText(file);
                if (name.StartsWith("about_", StringComparison.OrdinalIgnoreCase))
                {
                    WriteIfChanged(Path.Combine(target, name + ".help.txt"), AboutText(text));
                    continue;
                }
                if (!name.Contains('-')) continue; // module page, not a cmdlet
                try { pages.Add(PlatyMarkdown.Parse(text, file)); }
                catch (InvalidDataException ex)
                {
                    Console.Error.WriteLine($"PlatyMaml: {ex.Message}");
                    return 1;
                }
            }
            var doc = MamlWriter.Write(pages);
            var sb = new StringBuilder();
            using (var writer = XmlWriter.Create(new StringWriter(sb), new XmlWriterSettings { Indent = true, OmitXmlDeclaration = false }))
                doc.Save(writer);
            WriteIfChanged(Path.Combine(target, "PrivateProvisioning.dll-Help.xml"), sb.ToString().Replace("utf-16", "utf-8"));
            return 0;
        }

        /// <summary>about_ topics are plain text for Get-Help: drop the front matter and the markdown heading marks.</summary>
        private static string AboutText(string markdown)
        {
            var lines = markdown.Replace("\r\n", "\n").Split('\n').ToList();
            if (lines.Count > 0 && lines[0].Trim() == "---")
            {
                var end = lines.FindIndex(1, l => l.Trim() == "---");
                if (end > 0) lines.RemoveRange(0, end + 1);
            }
            return string.Join(Environment.NewLine, lines.Select(l => l.StartsWith('#') ? l.TrimStart('#').Trim().ToUpperInvariant() : l)).Trim() + Environment.NewLine;
        }

        private static void WriteIfChanged(string path, string content)
        {
            if (File.Exists(path) && File.ReadAllText(path) == content) return;
            File.WriteAllText(path, content, new UTF8Encoding(false));
        }
    }
}
