using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace PrivateProvisioning.Core.Formats
{
    /// <summary>
    /// Reads a PrivateWave client settings document back into the writer's flattened names: "Format",
    /// "Version", "Template", "Account.UserId", settings by key ("PinMaxRetries", "CsrSubject.Country"),
    /// "Parameters.&lt;name&gt;". Numbers keep their JSON text, booleans read "true"/"false".
    /// </summary>
    public sealed class PrivateWaveSettingsReader : IProfileFormatReader
    {
        public ProfileFormat Format => ProfileFormat.PrivateWave;

        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

        /// <exception cref="ProvisioningException">Not JSON (naming line and byte position), or not a settings document.</exception>
        public IReadOnlyList<KeyValuePair<string, string>> Parse(byte[] content, string sourceName)
        {
            if (content == null) throw new ArgumentNullException(nameof(content));
            var list = new List<KeyValuePair<string, string>>();
            // System.Text.Json checks UTF-8 inside strings only when a string is read (GetString throws
            // InvalidOperationException then): check the whole document first, and name where it goes wrong.
            try { StrictUtf8.GetCharCount(content); }
            catch (DecoderFallbackException ex)
            {
                int at = Math.Max(0, Math.Min(ex.Index, content.Length));
                int line = 1, column = 1;
                for (int i = 0; i < at; i++) { if (content[i] == (byte)'\n') { line++; column = 1; } else column++; }
                throw new ProvisioningException(ErrorIds.InvalidSettingsJson, ErrorKind.InvalidData,
                    $"{sourceName}: line {line}, byte {column}: not valid UTF-8 (JSON text must be UTF-8).", sourceName, ex);
            }
            try
            {
                using var json = JsonDocument.Parse(content, new JsonDocumentOptions { MaxDepth = 16 });
                var root = json.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Format", out var format)
                    || format.ValueKind != JsonValueKind.String || format.GetString() != PrivateWaveSettingsWriter.DocumentFormat)
                    throw new ProvisioningException(ErrorIds.NotPrivateWaveSettings, ErrorKind.InvalidData,
                        $"{sourceName}: not a PrivateWave settings document (expected a JSON object with \"Format\": \"{PrivateWaveSettingsWriter.DocumentFormat}\").",
                        sourceName);
                foreach (var property in root.EnumerateObject())
                {
                    var prefix = property.Name == "Settings" ? "" : property.Name + ".";
                    Flatten(property.Value, property.Value.ValueKind == JsonValueKind.Object ? prefix : property.Name, list);
                }
            }
            catch (JsonException ex)
            {
                throw new ProvisioningException(ErrorIds.InvalidSettingsJson, ErrorKind.InvalidData,
                    $"{sourceName}: line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}: not valid JSON.", sourceName, ex);
            }
            return list;
        }

        private static void Flatten(JsonElement element, string name, List<KeyValuePair<string, string>> into)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var p in element.EnumerateObject())
                        Flatten(p.Value, p.Value.ValueKind == JsonValueKind.Object ? name + p.Name + "." : name + p.Name, into);
                    break;
                case JsonValueKind.String: into.Add(new KeyValuePair<string, string>(name, element.GetString() ?? "")); break;
                case JsonValueKind.True: into.Add(new KeyValuePair<string, string>(name, "true")); break;
                case JsonValueKind.False: into.Add(new KeyValuePair<string, string>(name, "false")); break;
                case JsonValueKind.Null: into.Add(new KeyValuePair<string, string>(name, "")); break;
                default: into.Add(new KeyValuePair<string, string>(name, element.GetRawText())); break;
            }
        }
    }
}
