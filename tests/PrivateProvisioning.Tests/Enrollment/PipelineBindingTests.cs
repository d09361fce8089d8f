using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using PrivateProvisioning.Core.Security.Enrollment;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Enrollment
{
    /// <summary>
    /// The pipelines of the issue bind by property name: read from the built module's metadata (no PowerShell
    /// here), which parameters of the next cmdlet an object's properties meet, and that they fit one parameter set.
    /// </summary>
    public class PipelineBindingTests
    {
        private sealed record PipelineParameter(string Name, string[] Aliases, string Set);

        private static readonly Lazy<Dictionary<string, List<PipelineParameter>>> Cmdlets = new(ReadByPropertyNameParameters);

        private static Dictionary<string, List<PipelineParameter>> ReadByPropertyNameParameters()
        {
            var module = Path.Combine(TestPaths.ModuleFolder, "PrivateProvisioning.dll");
            var paths = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
                .Concat(Directory.GetFiles(TestPaths.ModuleFolder, "*.dll"))
                .Concat(Directory.GetFiles(Path.Combine(TestPaths.ModuleFolder, "dependencies"), "*.dll"))
                .Append(TestPaths.PowerShellReference)
                .GroupBy(p => Path.GetFileName(p), StringComparer.OrdinalIgnoreCase).Select(g => g.Last());
            using var context = new MetadataLoadContext(new PathAssemblyResolver(paths));
            var result = new Dictionary<string, List<PipelineParameter>>();
            foreach (var type in context.LoadFromAssemblyPath(module).GetTypes())
            {
                var cmdlet = type.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.Name == "CmdletAttribute");
                if (cmdlet == null) continue;
                var name = cmdlet.ConstructorArguments[0].Value + "-" + cmdlet.ConstructorArguments[1].Value;
                var list = new List<PipelineParameter>();
                foreach (var property in type.GetProperties())
                {
                    var aliases = property.GetCustomAttributesData().Where(a => a.AttributeType.Name == "AliasAttribute")
                        .SelectMany(a => ((IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(v => (string)v.Value!)).ToArray();
                    foreach (var parameter in property.GetCustomAttributesData().Where(a => a.AttributeType.Name == "ParameterAttribute"))
                    {
                        if (!parameter.NamedArguments.Any(n => n.MemberName == "ValueFromPipelineByPropertyName" && (bool)n.TypedValue.Value!)) continue;
                        var set = parameter.NamedArguments.FirstOrDefault(n => n.MemberName == "ParameterSetName").TypedValue.Value as string ?? "(All)";
                        list.Add(new PipelineParameter(property.Name, aliases, set));
                    }
                }
                result[name] = list;
            }
            return result;
        }

        /// <summary>The parameters an object with these property names binds by name, checked to fit one parameter set.</summary>
        private static string[] Binds(string cmdlet, IEnumerable<string> propertyNames)
        {
            var names = new HashSet<string>(propertyNames, StringComparer.OrdinalIgnoreCase);
            var bound = Cmdlets.Value[cmdlet].Where(p => names.Contains(p.Name) || p.Aliases.Any(names.Contains)).ToList();
            var sets = bound.Select(p => p.Set).Where(s => s != "(All)").Distinct().ToList();
            Assert.True(sets.Count <= 1, $"{cmdlet}: properties {string.Join(", ", bound.Select(b => b.Name))} bind in several parameter sets ({string.Join(", ", sets)})");
            return bound.Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        }

        private static IEnumerable<string> PropertiesOf(Type type) => type.GetProperties().Select(p => p.Name);

        [Fact]
        public void Unprotect_output_binds_Request_and_UserName_of_Approve()
        {
            Assert.Equal(new[] { "Request", "UserName" }, Binds("Approve-CertificateRequest", PropertiesOf(typeof(DecryptedCertificateRequest))));
        }

        [Fact]
        public void Get_ChildItem_output_binds_LiteralPath_through_PSPath()
        {
            var fileInfo = PropertiesOf(typeof(FileInfo)).Append("PSPath").Append("PSParentPath").Append("PSChildName");
            foreach (var cmdlet in new[] { "Unprotect-CertificateRequest", "Approve-CertificateRequest", "Get-CertificatePin", "Export-ProvisioningCertificate" })
                Assert.Equal(new[] { "LiteralPath" }, Binds(cmdlet, fileInfo));
        }

        [Fact]
        public void New_request_and_issued_certificate_results_bind_Path_only()
        {
            // KeyPath of a new request must never reach Approve's -KeyPath (the CA key).
            Assert.Equal(new[] { "Path" }, Binds("Approve-CertificateRequest", PropertiesOf(typeof(CertificateRequestFile))));
            Assert.Equal(new[] { "Path" }, Binds("Get-CertificatePin", PropertiesOf(typeof(IssuedCertificate))));
            Assert.Equal(new[] { "Path" }, Binds("Export-ProvisioningCertificate", PropertiesOf(typeof(IssuedCertificate))));
        }
    }
}
