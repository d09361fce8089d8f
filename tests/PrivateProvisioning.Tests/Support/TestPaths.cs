using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace PrivateProvisioning.Tests.Support
{
    /// <summary>Where the repository, the built module folder and the shared spec vectors are.</summary>
    public static class TestPaths
    {
        private static string Metadata(string key) =>
            typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

        public static string RepoRoot => Path.GetFullPath(Metadata("RepoRoot"));
        public static string ModuleFolder => Path.GetFullPath(Metadata("ModuleFolder"));
        public static string PowerShellReference => Path.GetFullPath(Metadata("PowerShellReference"));
        public static string Docs => Path.Combine(RepoRoot, "docs", "en-US");
        public static string Examples => Path.Combine(RepoRoot, "examples");

        /// <summary>../shared/vectors beside the clone (CI puts shared/ there), or a copy under tests/vectors.</summary>
        public static string Vectors
        {
            get
            {
                var beside = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "vectors"));
                if (Directory.Exists(beside)) return beside;
                return Path.Combine(RepoRoot, "tests", "vectors");
            }
        }

        /// <summary>pprov.dll, copied next to the tests by the project reference.</summary>
        public static string PprovDll => Path.Combine(AppContext.BaseDirectory, "pprov.dll");

        /// <summary>
        /// The pprov executable named by $PPROV_UNDER_TEST, or null for `dotnet pprov.dll`. build.ps1 -Task Test runs the
        /// tests that start pprov a second time against the published native (AOT) pprov this way, so a break that only
        /// the native build has (trimmed code, a type missing from the JSON context) fails the suite.
        /// </summary>
        public static string? PprovUnderTest
        {
            get
            {
                var path = Environment.GetEnvironmentVariable("PPROV_UNDER_TEST");
                if (string.IsNullOrEmpty(path)) return null;
                if (!File.Exists(path)) throw new FileNotFoundException($"PPROV_UNDER_TEST names {path}, which does not exist.", path);
                return Path.GetFullPath(path);
            }
        }

        /// <summary>A start of pprov with these arguments: the executable under test, else `dotnet pprov.dll`.</summary>
        public static System.Diagnostics.ProcessStartInfo PprovStartInfo(System.Collections.Generic.IEnumerable<string> args)
        {
            var native = PprovUnderTest;
            var psi = new System.Diagnostics.ProcessStartInfo(native ?? "dotnet");
            if (native == null) psi.ArgumentList.Add(PprovDll);
            foreach (var a in args) psi.ArgumentList.Add(a);
            return psi;
        }
    }

    /// <summary>A fresh folder under the system temp directory, deleted when disposed.</summary>
    public sealed class TempDirectory : IDisposable
    {
        public TempDirectory()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pprov-test-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string File(string relative) => System.IO.Path.Combine(Path, relative);

        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
