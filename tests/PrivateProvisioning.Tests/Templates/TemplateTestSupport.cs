using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Core.Templates;

namespace PrivateProvisioning.Tests.Templates
{
    /// <summary>A writer that shows exactly what the generator handed it: one NAME=VALUE line per input, in layer order.</summary>
    internal sealed class EchoWriter : IProfileFormatWriter
    {
        public ProfileFormat Format => ProfileFormat.PrivateWave;
        public string DefaultFileNameRule => "$MAU.txt";

        public byte[] Render(ProfileDocument document)
        {
            var a = document.Account;
            var sb = new StringBuilder();
            sb.Append("template=").Append(document.TemplateName).Append('\n');
            foreach (var kv in document.ClientSettings) sb.Append("setting:").Append(kv.Key).Append('=').Append(kv.Value).Append('\n');
            foreach (var kv in document.TemplateParameters) sb.Append("param:").Append(kv.Key).Append('=').Append(kv.Value).Append('\n');
            sb.Append("user=").Append(a.UserId).Append('\n');
            foreach (var kv in a.ExtraColumns) sb.Append("column:").Append(kv.Key).Append('=').Append(kv.Value).Append('\n');
            return Encoding.UTF8.GetBytes(sb.ToString());
        }

        public static Dictionary<string, string> Parse(string path) =>
            File.ReadAllLines(path).Select(l => l.Split(new[] { '=' }, 2)).ToDictionary(p => p[0], p => p[1]);
    }

    internal static class Stores
    {
        public static ProfileTemplate Template(string name, string? basedOn = null, (string, string)[]? settings = null,
            ProfileFormat format = ProfileFormat.CiscoSpa, (string, string)[]? parameters = null, string? description = null) =>
            ProfileTemplate.Create(name, description, basedOn,
                (settings ?? new (string, string)[0]).Select(s => new KeyValuePair<string, string?>(s.Item1, s.Item2)),
                parameters == null ? null : new[] { new KeyValuePair<ProfileFormat, IEnumerable<KeyValuePair<string, string?>>>(format,
                    parameters.Select(p => new KeyValuePair<string, string?>(p.Item1, p.Item2)).ToList()) });
    }
}
