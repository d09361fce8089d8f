using System;
using System.Collections.Generic;
using System.Linq;
using PrivateProvisioning.Core.Formats;

namespace PrivateProvisioning.Core.Templates
{
    /// <summary>
    /// A named, reusable configuration (a PrivateWave "provisioning profile"): typed client settings plus
    /// free vendor parameters per format. A template holds only the values it sets; the rest comes from
    /// its BasedOn chain and, under everything, the `default` template. Immutable: changes make a copy.
    /// </summary>
    public sealed class ProfileTemplate
    {
        public const string DefaultName = "default";
        internal const int MaxNameLength = 64;
        private const int MaxParameterNameLength = 128;
        private const int MaxParameterValueLength = 8192;

        private ProfileTemplate(string name, string description, string? basedOn,
            IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<ProfileFormat, IReadOnlyDictionary<string, string>> parameters,
            string? path, bool isShipped, string? store = null)
        {
            Name = name;
            Description = description;
            BasedOn = basedOn;
            Settings = settings;
            StoredParameters = parameters;
            var literal = new List<string>();
            foreach (var format in parameters)
                foreach (var kv in format.Value)
                    if (SecretReference.IsLiteralSecretParameter(kv.Key, kv.Value)) literal.Add(format.Key + ":" + kv.Key);
            LiteralSecrets = literal;
            Parameters = literal.Count == 0 ? parameters : parameters.ToDictionary(f => f.Key, f => (IReadOnlyDictionary<string, string>)f.Value.ToDictionary(
                kv => kv.Key, kv => SecretReference.IsLiteralSecretParameter(kv.Key, kv.Value) ? SecretReference.Mask : kv.Value, StringComparer.Ordinal));
            Path = path;
            IsShipped = isShipped;
            Store = store;
        }

        public string Name { get; }
        public string Description { get; }
        /// <summary>The template this one inherits from, or null (then only `default` is below it).</summary>
        public string? BasedOn { get; }
        /// <summary>The PrivateWave client settings this template sets, canonical text, in field-list order.</summary>
        public IReadOnlyDictionary<string, string> Settings { get; }
        /// <summary>
        /// Free vendor parameters per format (Cisco `Resync_Periodic`, Panasonic `CFG_CYCLIC`...), in the order given, as
        /// they may be shown: a secret-named parameter holds a reference (env:VARIABLE, file:PATH, $COLUMN); a literal
        /// secret left in a store file written before that rule reads as <see cref="SecretReference.Mask"/>.
        /// </summary>
        public IReadOnlyDictionary<ProfileFormat, IReadOnlyDictionary<string, string>> Parameters { get; }

        /// <summary>The vendor parameters as stored, literal secrets of old store files included: for the store and generation only.</summary>
        internal IReadOnlyDictionary<ProfileFormat, IReadOnlyDictionary<string, string>> StoredParameters { get; }

        /// <summary>
        /// Secret-named vendor parameters (FORMAT:NAME) holding the secret itself instead of a reference: only a store file
        /// written before references were required can have them. They still generate; every run warns.
        /// </summary>
        public IReadOnlyList<string> LiteralSecrets { get; }
        /// <summary>The template's file in the store; null for the shipped `default`.</summary>
        public string? Path { get; }
        /// <summary>True for the `default` that ships inside the module (no store file overrides it).</summary>
        public bool IsShipped { get; }
        /// <summary>
        /// The store folder this template was read from (null without a store). It travels with the object so that
        /// Get-ProfileTemplate -Store st1 | Remove-ProfileTemplate acts on st1, not on the default store.
        /// </summary>
        public string? Store { get; }

        public int ParameterCount => StoredParameters.Values.Sum(p => p.Count);

        public override string ToString() => Name;

        /// <summary>
        /// Builds and validates a template; every problem names the template and the field. A secret-named vendor
        /// parameter (<see cref="SecretParameterNames"/>) with a literal value is refused (LiteralSecretInTemplate):
        /// secrets are given by reference (<see cref="SecretReference"/>).
        /// </summary>
        public static ProfileTemplate Create(string name, string? description, string? basedOn,
            IEnumerable<KeyValuePair<string, string?>>? settings,
            IEnumerable<KeyValuePair<ProfileFormat, IEnumerable<KeyValuePair<string, string?>>>>? parameters,
            string? path = null, bool isShipped = false) =>
            Create(name, description, basedOn, settings, parameters, path, isShipped, acceptLiteralSecrets: false);

        /// <param name="acceptLiteralSecrets">True only for what is already stored (an old store file, the unchanged part of an edited template).</param>
        internal static ProfileTemplate Create(string name, string? description, string? basedOn,
            IEnumerable<KeyValuePair<string, string?>>? settings,
            IEnumerable<KeyValuePair<ProfileFormat, IEnumerable<KeyValuePair<string, string?>>>>? parameters,
            string? path, bool isShipped, bool acceptLiteralSecrets)
        {
            ValidateName(name, "template name");
            var where = $"Template '{name}'";
            if (basedOn != null)
            {
                if (basedOn.Length == 0) basedOn = null;
                else
                {
                    ValidateName(basedOn, $"{where}: BasedOn");
                    if (string.Equals(basedOn, name, StringComparison.OrdinalIgnoreCase))
                        throw new ProvisioningException(ErrorIds.TemplateBasedOnItself, ErrorKind.InvalidArgument, $"{where} cannot be based on itself.", name);
                }
            }
            var desc = description ?? string.Empty;
            if (desc.Any(c => char.IsControl(c) && c != '\n' && c != '\r' && c != '\t') || desc.Length > 1024)
                throw new ProvisioningException(ErrorIds.InvalidTemplateDescription, ErrorKind.InvalidArgument,
                    $"{where}: the description must be at most 1024 characters without control characters.", name);

            var normalized = new List<KeyValuePair<string, string>>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var kv in settings ?? Enumerable.Empty<KeyValuePair<string, string?>>())
            {
                var definition = ClientSettingSchema.Get(kv.Key, where);
                if (!seen.Add(definition.Name))
                    throw new ProvisioningException(ErrorIds.DuplicateClientSetting, ErrorKind.InvalidArgument, $"{where}: setting {definition.Name} is given twice.", name);
                normalized.Add(new KeyValuePair<string, string>(definition.Name, ClientSettingSchema.Normalize(definition, kv.Value, where)));
            }
            var orderedSettings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var kv in normalized.OrderBy(kv => ClientSettingSchema.IndexOf(kv.Key)))
                orderedSettings.Add(kv.Key, kv.Value);

            var formats = new Dictionary<ProfileFormat, IReadOnlyDictionary<string, string>>();
            foreach (var group in parameters ?? Enumerable.Empty<KeyValuePair<ProfileFormat, IEnumerable<KeyValuePair<string, string?>>>>())
            {
                var map = formats.TryGetValue(group.Key, out var existing)
                    ? new Dictionary<string, string>((Dictionary<string, string>)existing, StringComparer.Ordinal)
                    : new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var kv in group.Value)
                {
                    ValidateParameter(where, group.Key, kv.Key, kv.Value);
                    if (!acceptLiteralSecrets && SecretReference.IsLiteralSecretParameter(kv.Key, kv.Value))
                        throw SecretReference.LiteralParameterRefused(where, group.Key, kv.Key);
                    map[kv.Key] = kv.Value ?? string.Empty;
                }
                if (map.Count > 0) formats[group.Key] = map;
            }
            var orderedFormats = new Dictionary<ProfileFormat, IReadOnlyDictionary<string, string>>();
            foreach (var kv in formats.OrderBy(kv => kv.Key)) orderedFormats.Add(kv.Key, kv.Value);
            return new ProfileTemplate(name, desc, basedOn, orderedSettings, orderedFormats, path, isShipped);
        }

        /// <summary>
        /// A copy with changes: settings/parameters given are set (a null value removes the key, so it falls
        /// back to the base template), description/BasedOn replaced when not null ("" clears BasedOn).
        /// </summary>
        public ProfileTemplate With(string? description = null, string? basedOn = null,
            IEnumerable<KeyValuePair<string, string?>>? settings = null,
            IEnumerable<KeyValuePair<ProfileFormat, IEnumerable<KeyValuePair<string, string?>>>>? parameters = null,
            IEnumerable<string>? removeSettings = null, IEnumerable<KeyValuePair<ProfileFormat, string>>? removeParameters = null)
        {
            var newSettings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var kv in Settings) newSettings[kv.Key] = kv.Value;
            foreach (var kv in settings ?? Enumerable.Empty<KeyValuePair<string, string?>>())
            {
                var definition = ClientSettingSchema.Get(kv.Key, $"Template '{Name}'");
                if (kv.Value == null) newSettings.Remove(definition.Name);
                else newSettings[definition.Name] = kv.Value;
            }
            foreach (var key in removeSettings ?? Enumerable.Empty<string>())
                newSettings.Remove(ClientSettingSchema.Get(key, $"Template '{Name}'").Name);

            var newParameters = StoredParameters.ToDictionary(kv => kv.Key, kv => kv.Value.ToDictionary(p => p.Key, p => (string?)p.Value, StringComparer.Ordinal));
            foreach (var group in parameters ?? Enumerable.Empty<KeyValuePair<ProfileFormat, IEnumerable<KeyValuePair<string, string?>>>>())
            {
                if (!newParameters.TryGetValue(group.Key, out var map)) newParameters[group.Key] = map = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var kv in group.Value)
                {
                    if (kv.Value == null) map.Remove(kv.Key);
                    else if (SecretReference.IsLiteralSecretParameter(kv.Key, kv.Value))
                        throw SecretReference.LiteralParameterRefused($"Template '{Name}'", group.Key, kv.Key);
                    else map[kv.Key] = kv.Value;
                }
            }
            foreach (var kv in removeParameters ?? Enumerable.Empty<KeyValuePair<ProfileFormat, string>>())
                if (newParameters.TryGetValue(kv.Key, out var map)) map.Remove(kv.Value);

            var newBasedOn = basedOn == null ? BasedOn : (basedOn.Length == 0 ? null : basedOn);
            return Create(Name, description ?? Description, newBasedOn, newSettings,
                newParameters.Select(kv => new KeyValuePair<ProfileFormat, IEnumerable<KeyValuePair<string, string?>>>(kv.Key, kv.Value)),
                Path, isShipped: false, acceptLiteralSecrets: true).InStore(Store);
        }

        internal ProfileTemplate WithLocation(string? path, bool isShipped) =>
            new ProfileTemplate(Name, Description, BasedOn, Settings, StoredParameters, path, isShipped, Store);

        /// <summary>The same template, marked as belonging to the store folder <paramref name="store"/>.</summary>
        internal ProfileTemplate InStore(string? store) =>
            string.Equals(store, Store, StringComparison.Ordinal) ? this : new ProfileTemplate(Name, Description, BasedOn, Settings, StoredParameters, Path, IsShipped, store);

        /// <summary>Template names become file names in the store, so they are kept to a portable set.</summary>
        public static void ValidateName(string? name, string what = "template name")
        {
            bool ok = !string.IsNullOrEmpty(name) && name!.Length <= MaxNameLength && IsNameStart(name[0]);
            if (ok)
                foreach (var c in name!)
                    if (!(IsNameStart(c) || c == '.' || c == '-' || c == '_')) { ok = false; break; }
            if (!ok)
                throw new ProvisioningException(ErrorIds.InvalidTemplateName, ErrorKind.InvalidArgument,
                    $"The {what} '{name}' is not valid: use 1 to {MaxNameLength} letters, digits, '.', '-' or '_', starting with a letter or digit.", name);
        }

        private static bool IsNameStart(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

        private static void ValidateParameter(string where, ProfileFormat format, string name, string? value)
        {
            if (string.IsNullOrEmpty(name) || name.Length > MaxParameterNameLength || name.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
                throw new ProvisioningException(ErrorIds.InvalidTemplateParameter, ErrorKind.InvalidArgument,
                    $"{where}: the {format} parameter name '{name}' must be 1 to {MaxParameterNameLength} characters without spaces or control characters.", name);
            if (value != null && (value.Length > MaxParameterValueLength || value.IndexOf('\0') >= 0))
                throw new ProvisioningException(ErrorIds.InvalidTemplateParameter, ErrorKind.InvalidArgument,
                    $"{where}: the value of {format} parameter {name} must be at most {MaxParameterValueLength} characters without NUL.", name);
        }
    }
}
