using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace PrivateProvisioning.Loader
{
    /// <summary>
    /// PowerShell 7: the default load context hands PrivateProvisioning.Core to the module's own load context.
    /// Only this class touches AssemblyLoadContext, so Windows PowerShell never compiles it.
    /// </summary>
    internal static class CoreResolver
    {
        internal const string CoreAssembly = "PrivateProvisioning.Core";
        private static ModuleLoadContext? _context;
        private static readonly List<string> Accelerated = new List<string>();

        public static void Install(string dependencyFolder)
        {
            if (_context == null)
            {
                var net10 = Path.Combine(dependencyFolder, "net10.0");
                var folder = Environment.Version.Major >= 10 && File.Exists(Path.Combine(net10, CoreAssembly + ".dll")) ? net10 : dependencyFolder;
                _context = new ModuleLoadContext(folder);
            }
            AssemblyLoadContext.Default.Resolving += ResolveCore;
            ExposeCoreTypes();
        }

        public static void Uninstall()
        {
            AssemblyLoadContext.Default.Resolving -= ResolveCore;
            var accelerators = TypeAccelerators();
            var remove = accelerators?.GetMethod("Remove", new[] { typeof(string) });
            if (remove != null)
                foreach (var name in Accelerated) remove.Invoke(null, new object[] { name });
            Accelerated.Clear();
        }

        /// <summary>
        /// PowerShell resolves a type name ([PrivateProvisioning.Core.Security.ItlEntry]) only among the assemblies of the
        /// default load context, so Core's public types are registered as type accelerators under their full names
        /// (the way about_Classes exports types); they are removed again with the module.
        /// </summary>
        private static void ExposeCoreTypes()
        {
            var accelerators = TypeAccelerators();
            var add = accelerators?.GetMethod("Add", new[] { typeof(string), typeof(Type) });
            var known = accelerators?.GetProperty("Get")?.GetValue(null) as IDictionary<string, Type>;
            if (add == null || known == null) return; // a PowerShell without them: the cmdlets work, type literals do not
            foreach (var type in _context!.LoadFromAssemblyName(new AssemblyName(CoreAssembly)).GetExportedTypes())
            {
                if (type.FullName == null || known.ContainsKey(type.FullName)) continue;
                add.Invoke(null, new object[] { type.FullName, type });
                Accelerated.Add(type.FullName);
            }
        }

        private static Type? TypeAccelerators() =>
            typeof(System.Management.Automation.PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");

        private static Assembly? ResolveCore(AssemblyLoadContext defaultContext, AssemblyName name) =>
            string.Equals(name.Name, CoreAssembly, StringComparison.Ordinal) ? _context!.LoadFromAssemblyName(name) : null;
    }

    /// <summary>
    /// The module's own load context over one folder: PrivateProvisioning.Core and BouncyCastle always load from it
    /// (whatever is already in the session); any other assembly in the folder loads from it unless .NET itself ships
    /// that assembly (System.Text.Json, System.Memory... of the netstandard2.0 build), which comes from the runtime.
    /// </summary>
    internal sealed class ModuleLoadContext : AssemblyLoadContext
    {
        private static readonly HashSet<string> AlwaysOurs = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            CoreResolver.CoreAssembly, "BouncyCastle.Cryptography",
        };

        private readonly string _folder;
        private readonly HashSet<string> _platform;

        public ModuleLoadContext(string folder)
        {
            _folder = folder;
            _platform = PlatformAssemblies();
        }

        public string Folder => _folder;

        protected override Assembly? Load(AssemblyName name)
        {
            if (name.Name == null) return null;
            var candidate = Path.Combine(_folder, name.Name + ".dll");
            if (!File.Exists(candidate)) return null;
            if (!AlwaysOurs.Contains(name.Name) && _platform.Contains(name.Name)) return null;
            return LoadFromAssemblyPath(candidate);
        }

        /// <summary>The simple names of the assemblies the runtime and the host ship (the trusted platform assemblies).</summary>
        private static HashSet<string> PlatformAssemblies()
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)
                foreach (var path in list.Split(Path.PathSeparator))
                    if (path.Length > 0) names.Add(Path.GetFileNameWithoutExtension(path));
            return names;
        }
    }
}
