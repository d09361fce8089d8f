using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace PrivateProvisioning.Tests.Consistency
{
    public sealed record CmdletInfo(string Verb, string Noun, string TypeName, IReadOnlyList<string> Parameters, IReadOnlyList<string> OutputTypes, bool SupportsShouldProcess)
    {
        public string Name => Verb + "-" + Noun;
    }

    /// <summary>
    /// The module's cmdlets read from the built assembly's metadata (MetadataLoadContext), so no PowerShell
    /// engine is needed: names, parameters and [OutputType] exactly as PowerShell would see them.
    /// </summary>
    public static class ModuleMetadata
    {
        public static IReadOnlyList<CmdletInfo> ReadCmdlets(string moduleAssembly, string powerShellReference)
        {
            var runtimeDir = RuntimeEnvironment.GetRuntimeDirectory();
            var paths = Directory.GetFiles(runtimeDir, "*.dll")
                .Concat(Directory.GetFiles(Path.GetDirectoryName(moduleAssembly)!, "*.dll"))
                .Concat(Directory.Exists(Path.Combine(Path.GetDirectoryName(moduleAssembly)!, "dependencies"))
                    ? Directory.GetFiles(Path.Combine(Path.GetDirectoryName(moduleAssembly)!, "dependencies"), "*.dll") : Array.Empty<string>())
                .Append(powerShellReference)
                .GroupBy(p => Path.GetFileName(p), StringComparer.OrdinalIgnoreCase)
                .Select(g => g.Last());
            using var context = new MetadataLoadContext(new PathAssemblyResolver(paths));
            var assembly = context.LoadFromAssemblyPath(moduleAssembly);
            var result = new List<CmdletInfo>();
            foreach (var type in assembly.GetTypes())
            {
                var cmdlet = type.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == "System.Management.Automation.CmdletAttribute");
                if (cmdlet == null) continue;
                var verb = (string)cmdlet.ConstructorArguments[0].Value!;
                var noun = (string)cmdlet.ConstructorArguments[1].Value!;
                var shouldProcess = cmdlet.NamedArguments.Any(n => n.MemberName == "SupportsShouldProcess" && (bool)n.TypedValue.Value!);
                var parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.GetCustomAttributesData().Any(a => a.AttributeType.FullName == "System.Management.Automation.ParameterAttribute"))
                    .Select(p => p.Name).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
                var outputs = type.GetCustomAttributesData()
                    .Where(a => a.AttributeType.FullName == "System.Management.Automation.OutputTypeAttribute")
                    .SelectMany(a => a.ConstructorArguments.SelectMany(Flatten))
                    .ToList();
                result.Add(new CmdletInfo(verb, noun, type.FullName!, parameters, outputs, shouldProcess));
            }
            return result.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        }

        private static IEnumerable<string> Flatten(CustomAttributeTypedArgument arg)
        {
            if (arg.Value is IReadOnlyCollection<CustomAttributeTypedArgument> many)
                return many.SelectMany(Flatten);
            if (arg.Value is Type t) return new[] { t.FullName! };
            return new[] { arg.Value?.ToString() ?? "" };
        }

        /// <summary>The names listed in CmdletsToExport of a manifest.</summary>
        public static IReadOnlyList<string> ExportedCmdlets(string manifestText)
        {
            var match = Regex.Match(manifestText, @"CmdletsToExport\s*=\s*@\((?<list>[^)]*)\)", RegexOptions.Singleline);
            if (!match.Success) return Array.Empty<string>();
            return Regex.Matches(match.Groups["list"].Value, "'([^']+)'").Select(m => m.Groups[1].Value).ToList();
        }

        public static string? ManifestVersion(string manifestText)
        {
            var match = Regex.Match(manifestText, @"ModuleVersion\s*=\s*'(?<v>[^']*)'");
            return match.Success ? match.Groups["v"].Value : null;
        }

        public static string PropsVersion(string propsText) =>
            Regex.Match(propsText, "<ModuleVersion>(?<v>[^<]+)</ModuleVersion>").Groups["v"].Value;
    }
}
