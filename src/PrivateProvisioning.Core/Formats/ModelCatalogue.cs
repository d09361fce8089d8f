using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PrivateProvisioning.Core.Formats
{
    /// <summary>One catalogue line: a model pattern (case-insensitive, * and ?) and the format its phones use.</summary>
    public sealed class ModelCatalogueEntry
    {
        internal ModelCatalogueEntry(string pattern, ProfileFormat format, string source)
        {
            Pattern = pattern;
            Format = format;
            Source = source;
            Regex = new Regex("^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        }

        public string Pattern { get; }
        public ProfileFormat Format { get; }
        /// <summary>"shipped" or the store file the entry comes from.</summary>
        public string Source { get; }
        internal Regex Regex { get; }
    }

    /// <summary>
    /// Which family a phone model belongs to, so one run serves a mixed list: data, not code. The shipped
    /// catalogue (Resources/Models/models.json: Cisco SPA/MPP/ATA and Linksys → CiscoSpa, Cisco 79xx/78xx/88xx
    /// enterprise → CiscoSep, Panasonic KX-* → Panasonic, the softphones) comes after the template store's own
    /// models.json, whose entries are tried first (a site's own model names, or an override). First match wins.
    /// </summary>
    public sealed class ModelCatalogue
    {
        public const string StoreFileName = "models.json";
        private static readonly string[] VendorPrefixes = { "Cisco ", "Cisco-", "Linksys ", "Panasonic " };
        private static readonly Lazy<IReadOnlyList<ModelCatalogueEntry>> Shipped = new Lazy<IReadOnlyList<ModelCatalogueEntry>>(LoadShipped);

        private ModelCatalogue(IReadOnlyList<ModelCatalogueEntry> entries) { Entries = entries; }

        /// <summary>The entries in the order they are tried.</summary>
        public IReadOnlyList<ModelCatalogueEntry> Entries { get; }

        /// <summary>The shipped catalogue only.</summary>
        public static ModelCatalogue Default { get; } = new ModelCatalogue(Shipped.Value);

        /// <summary>The store's models.json (when <paramref name="storeFolder"/> has one) before the shipped catalogue.</summary>
        /// <exception cref="ProvisioningException">The store's file is unreadable or names an unknown format (naming the file and entry).</exception>
        public static ModelCatalogue Open(string? storeFolder)
        {
            if (storeFolder == null) return Default;
            var path = Path.Combine(storeFolder, StoreFileName);
            if (!File.Exists(path)) return Default;
            string text;
            try { text = File.ReadAllText(path, Encoding.UTF8); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new ProvisioningException(ErrorIds.ModelCatalogueUnreadable, ErrorKind.ReadError, $"Cannot read the model catalogue '{path}': {ex.Message}", path, ex);
            }
            return new ModelCatalogue(Parse(text, path).Concat(Shipped.Value).ToList());
        }

        /// <summary>The family of <paramref name="model"/>, or false when no entry matches.</summary>
        public bool TryGetFormat(string model, out ProfileFormat format)
        {
            var text = model.Trim();
            foreach (var candidate in Candidates(text))
                foreach (var entry in Entries)
                    if (entry.Regex.IsMatch(candidate)) { format = entry.Format; return true; }
            format = default;
            return false;
        }

        private static IEnumerable<string> Candidates(string model)
        {
            yield return model;
            foreach (var prefix in VendorPrefixes)
                if (model.Length > prefix.Length && model.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    yield return model.Substring(prefix.Length).TrimStart();
        }

        /// <summary>The families, for messages: "CiscoSpa, CiscoSep, Panasonic, PrivateWave, Linphone".</summary>
        public static string KnownFormats => string.Join(", ", Enum.GetNames(typeof(ProfileFormat)));

        private static IReadOnlyList<ModelCatalogueEntry> LoadShipped()
        {
            using var stream = typeof(ModelCatalogue).Assembly.GetManifestResourceStream("PrivateProvisioning.Core.Resources.Models.models.json")
                ?? throw new InvalidOperationException("the shipped model catalogue is missing from the assembly");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return Parse(reader.ReadToEnd(), "shipped");
        }

        internal static List<ModelCatalogueEntry> Parse(string text, string source)
        {
            var entries = new List<ModelCatalogueEntry>();
            JsonDocument document;
            try { document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
            catch (JsonException ex)
            {
                throw new ProvisioningException(ErrorIds.InvalidModelCatalogue, ErrorKind.InvalidData, $"The model catalogue '{source}' is not valid JSON: {ex.Message}", source, ex);
            }
            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("models", out var models) || models.ValueKind != JsonValueKind.Array)
                    throw new ProvisioningException(ErrorIds.InvalidModelCatalogue, ErrorKind.InvalidData,
                        $"The model catalogue '{source}' needs a \"models\" array of {{ \"model\": \"PATTERN\", \"format\": \"FORMAT\" }}.", source);
                int index = 0;
                foreach (var item in models.EnumerateArray())
                {
                    index++;
                    string where = $"The model catalogue '{source}', entry {index.ToString(CultureInfo.InvariantCulture)}";
                    if (item.ValueKind != JsonValueKind.Object
                        || !item.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String || model.GetString()!.Trim().Length == 0
                        || !item.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String)
                        throw new ProvisioningException(ErrorIds.InvalidModelCatalogue, ErrorKind.InvalidData, $"{where}: needs \"model\" (a pattern) and \"format\".", source);
                    ProfileFormat parsed;
                    try { parsed = Templates.TemplateEdits.ParseFormat(format.GetString()!); }
                    catch (ProvisioningException ex) { throw new ProvisioningException(ErrorIds.InvalidModelCatalogue, ErrorKind.InvalidData, $"{where}: {ex.Message}", source); }
                    entries.Add(new ModelCatalogueEntry(model.GetString()!.Trim(), parsed, source));
                }
            }
            return entries;
        }
    }
}
