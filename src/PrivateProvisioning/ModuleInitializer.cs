using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace PrivateProvisioning
{
    /// <summary>
    /// Resolves the module's third-party assemblies from its dependencies/ folder (the PSResourceGet
    /// pattern), so they load only when asked for and never shadow another module's copies.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string DependencyFolder =
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!, "dependencies");

        public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += ResolveDependency;

        public void OnRemove(PSModuleInfo module) => AppDomain.CurrentDomain.AssemblyResolve -= ResolveDependency;

        private static Assembly? ResolveDependency(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name);
            var candidate = Path.Combine(DependencyFolder, name.Name + ".dll");
            if (!File.Exists(candidate)) return null;
            // Only answer for requests that come from our own assemblies.
            var requester = args.RequestingAssembly?.GetName().Name;
            if (requester != null && !requester.StartsWith("PrivateProvisioning", StringComparison.Ordinal) && !IsOurDependency(requester))
                return null;
            return Assembly.LoadFrom(candidate);
        }

        private static bool IsOurDependency(string assemblyName) =>
            File.Exists(Path.Combine(DependencyFolder, assemblyName + ".dll"));
    }
}
