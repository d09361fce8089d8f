using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using PrivateProvisioning.Core.Formats;

namespace PrivateProvisioning.Core.Templates
{
    /// <summary>
    /// The values one account gets after precedence: `default` (and its BasedOn chain), overridden by the
    /// group's template chain, overridden by the account's template chain. CSV columns, the top layer,
    /// are applied by the generator per row.
    /// </summary>
    public sealed class ResolvedTemplate
    {
        private readonly IReadOnlyDictionary<ProfileFormat, IReadOnlyList<KeyValuePair<string, string>>> _parameters;
        private readonly ConcurrentDictionary<ProfileFormat, IReadOnlyList<KeyValuePair<string, string>>> _shownParameters =
            new ConcurrentDictionary<ProfileFormat, IReadOnlyList<KeyValuePair<string, string>>>();
        private readonly ConcurrentDictionary<ProfileFormat, Lazy<IReadOnlyList<KeyValuePair<string, string>>>> _parametersWithSecrets =
            new ConcurrentDictionary<ProfileFormat, Lazy<IReadOnlyList<KeyValuePair<string, string>>>>();
        private readonly Lazy<IReadOnlyList<KeyValuePair<string, string>>> _withSecrets;
        private readonly string? _storeFolder;

        internal ResolvedTemplate(string name, IReadOnlyList<string> layers, IReadOnlyList<KeyValuePair<string, string>> settings,
            IReadOnlyDictionary<ProfileFormat, IReadOnlyList<KeyValuePair<string, string>>> parameters, string? storeFolder)
        {
            Name = name;
            Layers = layers;
            ClientSettings = settings;
            _parameters = parameters;
            _storeFolder = storeFolder;
            _withSecrets = new Lazy<IReadOnlyList<KeyValuePair<string, string>>>(() => ResolveSecrets(name, settings, storeFolder));
        }

        /// <summary>The template the account resolved to (its own, else its group's, else `default`).</summary>
        public string Name { get; }
        /// <summary>The templates merged, lowest precedence first ("default", "office", "office-tls").</summary>
        public IReadOnlyList<string> Layers { get; }
        /// <summary>Every client setting, canonical text, field-list order; secrets as their env:/file: reference.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> ClientSettings { get; }
        /// <summary>The account's group when it has no template assigned and the account names none (a typo, usually): the account got `default`.</summary>
        public string? UnassignedGroup { get; internal set; }

        /// <summary>
        /// The format's vendor parameters as they may be shown: references (env:, file:, a macro) as written, a literal
        /// secret left in an old store file masked.
        /// </summary>
        public IReadOnlyList<KeyValuePair<string, string>> ParametersFor(ProfileFormat format) =>
            _shownParameters.GetOrAdd(format, f =>
            {
                var list = StoredParametersFor(f);
                if (!list.Any(kv => SecretReference.IsLiteralSecretParameter(kv.Key, kv.Value))) return list;
                return list.Select(kv => SecretReference.IsLiteralSecretParameter(kv.Key, kv.Value)
                    ? new KeyValuePair<string, string>(kv.Key, SecretReference.Mask) : kv).ToList();
            });

        /// <summary>
        /// The format's vendor parameters as a file gets them: a secret-named parameter's env:/file: reference replaced by
        /// the secret (escaped for macro expansion, so a '$' in it stays a '$'); read once, then cached. Throws
        /// SecretEnvironmentEmpty / SecretFileUnreadable, naming the template and the parameter.
        /// </summary>
        internal IReadOnlyList<KeyValuePair<string, string>> ParametersWithSecrets(ProfileFormat format) =>
            // Looked up first: GetOrAdd's lambda would allocate its closure on every row.
            _parametersWithSecrets.TryGetValue(format, out var cached) ? cached.Value : AddParametersWithSecrets(format);

        private IReadOnlyList<KeyValuePair<string, string>> AddParametersWithSecrets(ProfileFormat format) =>
            _parametersWithSecrets.GetOrAdd(format, f => new Lazy<IReadOnlyList<KeyValuePair<string, string>>>(() =>
            {
                var list = StoredParametersFor(f);
                List<KeyValuePair<string, string>>? result = null;
                for (int i = 0; i < list.Count; i++)
                {
                    var kv = list[i];
                    if (!SecretParameterNames.IsSecretName(kv.Key) || !SecretReference.IsEnvironmentOrFile(kv.Value))
                    {
                        result?.Add(kv);
                        continue;
                    }
                    if (result == null) { result = new List<KeyValuePair<string, string>>(list.Count); for (int j = 0; j < i; j++) result.Add(list[j]); }
                    var secret = SecretReference.Read(kv.Value, Name, $"{f} parameter {kv.Key}", kv.Key, _storeFolder);
                    result.Add(new KeyValuePair<string, string>(kv.Key, Rules.MacroExpander.Escape(secret)));
                }
                return (IReadOnlyList<KeyValuePair<string, string>>?)result ?? list;
            })).Value;

        private IReadOnlyList<KeyValuePair<string, string>> StoredParametersFor(ProfileFormat format) =>
            _parameters.TryGetValue(format, out var list) ? list : Array.Empty<KeyValuePair<string, string>>();

        /// <summary>Client settings with secret references replaced by the secret (read once, then cached).</summary>
        public IReadOnlyList<KeyValuePair<string, string>> ClientSettingsWithSecrets => _withSecrets.Value;

        /// <summary>Client settings with secrets left empty, for formats that do not carry them.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> ClientSettingsWithoutSecrets =>
            ClientSettings.Select(kv => IsSecret(kv.Key) ? new KeyValuePair<string, string>(kv.Key, string.Empty) : kv).ToList();

        private IReadOnlyList<KeyValuePair<string, string>>? _withoutSecrets;

        /// <summary><see cref="ClientSettingsWithoutSecrets"/>, made once: every row of a format without secrets gets the same list (read-only).</summary>
        internal IReadOnlyList<KeyValuePair<string, string>> SharedClientSettingsWithoutSecrets => _withoutSecrets ??= ClientSettingsWithoutSecrets.ToArray();

        internal static bool IsSecret(string key) =>
            ClientSettingSchema.TryGet(key, out var d) && d.Kind == ClientSettingKind.SecretReference;

        private static IReadOnlyList<KeyValuePair<string, string>> ResolveSecrets(string template, IReadOnlyList<KeyValuePair<string, string>> settings, string? storeFolder)
        {
            var result = new List<KeyValuePair<string, string>>(settings.Count);
            foreach (var kv in settings)
            {
                if (!IsSecret(kv.Key) || kv.Value.Length == 0) { result.Add(kv); continue; }
                result.Add(new KeyValuePair<string, string>(kv.Key, SecretReference.Read(kv.Value, template, "setting " + kv.Key, kv.Key, storeFolder)));
            }
            return result;
        }
    }

    /// <summary>
    /// Resolves templates by precedence and BasedOn chains, with cycle detection. Thread-safe; each
    /// (account template, group) pair is resolved once per run, which keeps a million-row run cheap.
    /// </summary>
    public sealed class TemplateResolver
    {
        private readonly TemplateStore _store;
        private readonly ConcurrentDictionary<string, ResolvedTemplate> _cache = new ConcurrentDictionary<string, ResolvedTemplate>(StringComparer.OrdinalIgnoreCase);

        private ResolvedTemplate? _plain;

        public TemplateResolver(TemplateStore store) { _store = store; }

        public TemplateStore Store => _store;

        /// <summary>Resolves an account's values. Throws TemplateNotFound (account's template), GroupTemplateNotFound or TemplateCycle.</summary>
        public ResolvedTemplate Resolve(string? accountTemplate, string? group)
        {
            if (string.IsNullOrEmpty(accountTemplate) && string.IsNullOrEmpty(group))
                return _plain ??= Build(null, null); // the common row: no template, no group
            var key = (accountTemplate ?? string.Empty) + "\u0001" + (group ?? string.Empty);
            if (_cache.TryGetValue(key, out var cached)) return cached;
            var resolved = Build(accountTemplate, group);
            return _cache.GetOrAdd(key, resolved);
        }

        /// <summary>The BasedOn chain of a template, itself first.</summary>
        public IReadOnlyList<ProfileTemplate> Chain(string name)
        {
            var chain = new List<ProfileTemplate>();
            var names = new List<string>();
            var current = _store.Get(name);
            while (true)
            {
                if (names.Contains(current.Name, StringComparer.OrdinalIgnoreCase))
                {
                    names.Add(current.Name);
                    throw Cycle(names);
                }
                names.Add(current.Name);
                chain.Add(current);
                if (current.BasedOn == null) return chain;
                current = _store.Find(current.BasedOn) ?? throw new ProvisioningException(ErrorIds.BaseTemplateNotFound, ErrorKind.ObjectNotFound,
                    $"Template '{current.Name}' is based on '{current.BasedOn}', which is not in the store.", current.BasedOn);
            }
        }

        internal static ProvisioningException Cycle(IEnumerable<string> chain) =>
            new ProvisioningException(ErrorIds.TemplateCycle, ErrorKind.InvalidData,
                $"The BasedOn chain is a cycle: {string.Join(" -> ", chain)}. Break it by changing one template's base.", string.Join(" -> ", chain))
                .About(RequestParameter.BasedOn);

        private ResolvedTemplate Build(string? accountTemplate, string? group)
        {
            var layers = new List<ProfileTemplate>();
            void AddChain(string name)
            {
                var chain = Chain(name);
                for (int i = chain.Count - 1; i >= 0; i--) layers.Add(chain[i]);
            }
            AddChain(ProfileTemplate.DefaultName);
            string effective = ProfileTemplate.DefaultName;
            if (!string.IsNullOrEmpty(group))
            {
                var groupTemplate = _store.GroupTemplate(group!);
                if (groupTemplate != null)
                {
                    if (_store.Find(groupTemplate) == null)
                        throw new ProvisioningException(ErrorIds.GroupTemplateNotFound, ErrorKind.ObjectNotFound,
                            $"Group '{group}' is assigned template '{groupTemplate}', which is not in the store; assign the group a template that is.", group);
                    AddChain(groupTemplate);
                    effective = _store.Get(groupTemplate).Name;
                }
            }
            if (!string.IsNullOrEmpty(accountTemplate))
            {
                if (_store.Find(accountTemplate!) == null) throw TemplateStore.NotFound(accountTemplate!);
                AddChain(accountTemplate!);
                effective = _store.Get(accountTemplate!).Name;
            }

            var settings = ClientSettingSchema.All.ToDictionary(d => d.Name, d => d.DefaultValue, StringComparer.OrdinalIgnoreCase);
            var parameters = new Dictionary<ProfileFormat, List<KeyValuePair<string, string>>>();
            foreach (var layer in layers)
            {
                foreach (var kv in layer.Settings) settings[kv.Key] = kv.Value;
                foreach (var format in layer.StoredParameters)
                {
                    if (!parameters.TryGetValue(format.Key, out var list)) parameters[format.Key] = list = new List<KeyValuePair<string, string>>();
                    foreach (var kv in format.Value)
                    {
                        // A later layer replaces the value in place, so a parameter keeps the position its first definer gave it.
                        int at = list.FindIndex(p => p.Key == kv.Key);
                        if (at >= 0) list[at] = kv;
                        else list.Add(kv);
                    }
                }
            }
            var orderedSettings = ClientSettingSchema.All.Select(d => new KeyValuePair<string, string>(d.Name, settings[d.Name])).ToList();
            return new ResolvedTemplate(effective, layers.Select(l => l.Name).ToList(), orderedSettings,
                parameters.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<KeyValuePair<string, string>>)kv.Value), _store.Folder)
            {
                UnassignedGroup = !string.IsNullOrEmpty(group) && string.IsNullOrEmpty(accountTemplate) && _store.GroupTemplate(group!) == null ? group : null,
            };
        }
    }
}
