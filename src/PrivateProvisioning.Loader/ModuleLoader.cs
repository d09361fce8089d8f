using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace PrivateProvisioning.Loader
{
    /// <summary>
    /// Loaded by the manifest (NestedModules) before the cmdlets, so that PrivateProvisioning.Core and its
    /// third-party dependencies (BouncyCastle) come from the module's dependencies/ folder and never clash with
    /// another module's copies in the same session:
    /// <list type="bullet">
    /// <item>PowerShell 7: the default load context is asked only for PrivateProvisioning.Core; it is loaded into the
    /// module's own AssemblyLoadContext (<see cref="ModuleLoadContext"/>), which resolves Core's dependencies from the
    /// same folder. Another BouncyCastle already in the session stays where it is and is not used by ours.
    /// On .NET 10 or later (PowerShell 7.6+) the net10.0 build of Core is used (dependencies/net10.0), elsewhere
    /// the netstandard2.0 build.</item>
    /// <item>Windows PowerShell 5.1 (.NET Framework, one load context per AppDomain): an AssemblyResolve handler
    /// that answers only for assemblies that exist in dependencies/.</item>
    /// </list>
    /// </summary>
    public sealed class ModuleLoader : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly object Gate = new object();
        private static bool _installed;

        /// <summary>dependencies/ beside this assembly: the netstandard2.0 build of Core and its dependencies.</summary>
        internal static string DependencyFolder { get; } =
            Path.Combine(Path.GetDirectoryName(typeof(ModuleLoader).Assembly.Location) ?? ".", "dependencies");

        internal static bool IsNetFramework =>
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

        public void OnImport()
        {
            lock (Gate)
            {
                if (_installed) return;
                if (IsNetFramework) DesktopResolver.Install(DependencyFolder);
                else CoreResolver.Install(DependencyFolder);
                _installed = true;
            }
        }

        public void OnRemove(PSModuleInfo module)
        {
            lock (Gate)
            {
                if (!_installed) return;
                if (IsNetFramework) DesktopResolver.Uninstall();
                else CoreResolver.Uninstall();
                _installed = false;
            }
        }
    }

    /// <summary>Windows PowerShell 5.1: resolves from dependencies/ what the AppDomain cannot find by itself.</summary>
    internal static class DesktopResolver
    {
        private static string _folder = string.Empty;

        public static void Install(string folder)
        {
            _folder = folder;
            AppDomain.CurrentDomain.AssemblyResolve += Resolve;
        }

        public static void Uninstall() => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name);
            var candidate = Path.Combine(_folder, name.Name + ".dll");
            if (!File.Exists(candidate)) return null;
            // LoadFrom of the same path returns the assembly already loaded: each dependency loads once.
            return Assembly.LoadFrom(candidate);
        }
    }
}
