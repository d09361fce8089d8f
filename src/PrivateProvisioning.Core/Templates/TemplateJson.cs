using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using PrivateProvisioning.Core.Formats;

namespace PrivateProvisioning.Core.Templates
{
    /// <summary>
    /// The store's file formats: one readable JSON file per template and one groups file. Output is
    /// byte-stable (fixed property order, two-space indent, LF, trailing newline) so a store kept in git
    /// shows only real changes. Input accepts comments and trailing commas (files are edited by hand).
    /// </summary>
    internal static class TemplateJson
    {
        private static readonly JsonDocumentOptions ReadOptions = new JsonDocumentOptions
        {
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
        };

        private static readonly JsonWriterOptions WriteOptions = new JsonWriterOptions
        {
            Indented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        public static byte[] Write(ProfileTemplate template)
        {
            return WriteDocument(w =>
            {
                w.WriteString("name", template.Name);
                if (template.Description.Length > 0) w.WriteString("description", template.Description);
                if (template.BasedOn != null) w.WriteString("basedOn", template.BasedOn);
                w.WriteStartObject("settings");
                foreach (var kv in template.Settings)
                {
                    ClientSettingSchema.TryGet(kv.Key, out var d);
                    if (d.Kind == ClientSettingKind.Boolean) w.WriteBoolean(kv.Key, kv.Value == "true");
                    else if (d.Kind == ClientSettingKind.Integer) w.WriteNumber(kv.Key, long.Parse(kv.Value, System.Globalization.CultureInfo.InvariantCulture));
                    else w.WriteString(kv.Key, kv.Value);
                }
                w.WriteEndObject();
                w.WriteStartObject("parameters");
                foreach (var format in template.StoredParameters)
                {
                    w.WriteStartObject(format.Key.ToString());
                    foreach (var kv in format.Value) w.WriteString(kv.Key, kv.Value);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            });
        }

        public static ProfileTemplate Read(byte[] content, string path)
        {
            using var doc = Parse(content, path);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Bad(path, "the file must hold one JSON object");
            string? name = null, description = null, basedOn = null;
            var settings = new List<KeyValuePair<string, string?>>();
            var parameters = new List<KeyValuePair<ProfileFormat, IEnumerable<KeyValuePair<string, string?>>>>();
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "name": name = StringOf(property, path); break;
                    case "description": description = StringOf(property, path); break;
                    case "basedOn": basedOn = property.Value.ValueKind == JsonValueKind.Null ? null : StringOf(property, path); break;
                    case "settings":
                        foreach (var s in ObjectOf(property, path).EnumerateObject())
                            settings.Add(new KeyValuePair<string, string?>(s.Name, ScalarOf(s, path)));
                        break;
                    case "parameters":
                        foreach (var f in ObjectOf(property, path).EnumerateObject())
                        {
                            if (!Enum.TryParse<ProfileFormat>(f.Name, true, out var format) || !Enum.IsDefined(typeof(ProfileFormat), format))
                                throw Bad(path, $"'parameters' has '{f.Name}', which is not a format ({string.Join(", ", Enum.GetNames(typeof(ProfileFormat)))})");
                            var list = ObjectOf(f, path).EnumerateObject().Select(p => new KeyValuePair<string, string?>(p.Name, ScalarOf(p, path))).ToList();
                            parameters.Add(new KeyValuePair<ProfileFormat, IEnumerable<KeyValuePair<string, string?>>>(format, list));
                        }
                        break;
                    default:
                        throw Bad(path, $"unknown property '{property.Name}' (expected name, description, basedOn, settings, parameters)");
                }
            }
            if (name == null) throw Bad(path, "the property 'name' is missing");
            try
            {
                return ProfileTemplate.Create(name, description, basedOn, settings, parameters, path, isShipped: false, acceptLiteralSecrets: true);
            }
            catch (ProvisioningException ex)
            {
                throw new ProvisioningException(ex.ErrorId, ErrorKind.InvalidData, $"In '{path}': {ex.Message}", path, ex);
            }
        }

        public static byte[] WriteGroups(IEnumerable<KeyValuePair<string, string>> groups) =>
            WriteDocument(w =>
            {
                w.WriteStartObject("groups");
                foreach (var kv in groups.OrderBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase).ThenBy(kv => kv.Key, StringComparer.Ordinal))
                    w.WriteString(kv.Key, kv.Value);
                w.WriteEndObject();
            });

        public static Dictionary<string, string> ReadGroups(byte[] content, string path)
        {
            using var doc = Parse(content, path);
            var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Bad(path, "the file must hold one JSON object");
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (property.Name != "groups") throw Bad(path, $"unknown property '{property.Name}' (expected groups)");
                foreach (var g in ObjectOf(property, path).EnumerateObject())
                {
                    var template = StringOf(g, path);
                    ValidateGroupName(g.Name);
                    ProfileTemplate.ValidateName(template, $"template of group '{g.Name}'");
                    if (result.ContainsKey(g.Name)) throw Bad(path, $"group '{g.Name}' is listed twice");
                    result[g.Name] = template;
                }
            }
            return result;
        }

        /// <summary>Group names come from a CSV column: any printable text up to 128 characters.</summary>
        public static void ValidateGroupName(string? group)
        {
            if (string.IsNullOrWhiteSpace(group) || group!.Length > 128 || group.Any(char.IsControl) || group.Trim() != group)
                throw new ProvisioningException(ErrorIds.InvalidGroupName, ErrorKind.InvalidArgument,
                    $"The group name '{group}' is not valid: use 1 to 128 printable characters without leading or trailing spaces.", group);
        }

        private static byte[] WriteDocument(Action<Utf8JsonWriter> body)
        {
            using var ms = new MemoryStream();
            using (var w = new Utf8JsonWriter(ms, WriteOptions))
            {
                w.WriteStartObject();
                body(w);
                w.WriteEndObject();
            }
            // Utf8JsonWriter indents with Environment.NewLine; the store uses LF everywhere so git diffs stay clean.
            var text = Encoding.UTF8.GetString(ms.ToArray()).Replace("\r\n", "\n") + "\n";
            return new UTF8Encoding(false).GetBytes(text);
        }

        private static JsonDocument Parse(byte[] content, string path)
        {
            try
            {
                int start = content.Length >= 3 && content[0] == 0xEF && content[1] == 0xBB && content[2] == 0xBF ? 3 : 0;
                return JsonDocument.Parse(new ReadOnlyMemory<byte>(content, start, content.Length - start), ReadOptions);
            }
            catch (JsonException ex)
            {
                throw Bad(path, $"it is not valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1})");
            }
        }

        private static string StringOf(JsonProperty p, string path) =>
            p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw Bad(path, $"'{p.Name}' must be a string");

        private static JsonElement ObjectOf(JsonProperty p, string path) =>
            p.Value.ValueKind == JsonValueKind.Object ? p.Value : throw Bad(path, $"'{p.Name}' must be an object");

        private static string? ScalarOf(JsonProperty p, string path)
        {
            switch (p.Value.ValueKind)
            {
                case JsonValueKind.String: return p.Value.GetString();
                case JsonValueKind.Number: return p.Value.GetRawText();
                case JsonValueKind.True: return "true";
                case JsonValueKind.False: return "false";
                default: throw Bad(path, $"'{p.Name}' must be a string, number or boolean");
            }
        }

        private static ProvisioningException Bad(string path, string why) =>
            new ProvisioningException(ErrorIds.InvalidTemplateFile, ErrorKind.InvalidData, $"The store file '{path}' is refused: {why}.", path);
    }
}
