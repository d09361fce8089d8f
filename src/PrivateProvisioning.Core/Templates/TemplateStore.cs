using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace PrivateProvisioning.Core.Templates
{
    /// <summary>What still refers to a template (so removing it would break generation).</summary>
    public sealed class TemplateUsage
    {
        internal TemplateUsage(IReadOnlyList<string> groups, IReadOnlyList<string> templates)
        {
            Groups = groups;
            Templates = templates;
        }

        public IReadOnlyList<string> Groups { get; }
        /// <summary>Templates whose BasedOn names it.</summary>
        public IReadOnlyList<string> Templates { get; }
        public bool InUse => Groups.Count > 0 || Templates.Count > 0;
    }

    /// <summary>
    /// The template store: a folder the admin keeps in git, holding `templates/&lt;name&gt;.json` (one
    /// readable file per template) and `groups.json` (group → template). Without a folder only the shipped
    /// `default` exists. A store file named `default.json` overrides the shipped default. Every write is
    /// atomic (temp file + rename), and unchanged files are not rewritten.
    /// </summary>
    public sealed class TemplateStore
    {
        public const string EnvironmentVariable = "PRIVATEPROVISIONING_STORE";
        public const string TemplatesFolderName = "templates";
        public const string GroupsFileName = "groups.json";

        private readonly Dictionary<string, ProfileTemplate> _templates = new Dictionary<string, ProfileTemplate>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, string> _groups;

        private TemplateStore(string? folder, Dictionary<string, string> groups)
        {
            Folder = folder;
            _groups = groups;
        }

        /// <summary>The store folder, or null when only the shipped default is available.</summary>
        public string? Folder { get; }

        /// <summary>Every template, `default` first, then by name.</summary>
        public IReadOnlyList<ProfileTemplate> Templates =>
            _templates.Values.OrderBy(t => !string.Equals(t.Name, ProfileTemplate.DefaultName, StringComparison.OrdinalIgnoreCase))
                .ThenBy(t => t.Name, StringComparer.OrdinalIgnoreCase).ToList();

        /// <summary>Group → template assignments, by group name.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Groups =>
            _groups.OrderBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase).ToList();

        /// <summary>The folder from -Store/--store, else $env:PRIVATEPROVISIONING_STORE, else null.</summary>
        public static string? ResolveFolder(string? folder)
        {
            if (!string.IsNullOrEmpty(folder)) return Path.GetFullPath(folder);
            var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
            return string.IsNullOrEmpty(fromEnvironment) ? null : Path.GetFullPath(fromEnvironment);
        }

        /// <summary>Opens a store. A missing folder is an error unless <paramref name="create"/> (then it is created on the first write).</summary>
        /// <exception cref="ProvisioningException">The folder is missing, or a store file is unreadable or invalid (naming the file and field).</exception>
        public static TemplateStore Open(string? folder, bool create = false)
        {
            var resolved = ResolveFolder(folder);
            var groups = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (resolved != null)
            {
                if (!Directory.Exists(resolved) && !create)
                    throw new ProvisioningException(ErrorIds.StoreNotFound, ErrorKind.ObjectNotFound,
                        $"The template store '{resolved}' does not exist; creating a template in it creates it.", resolved).About(RequestParameter.Store);
                var groupsPath = Path.Combine(resolved, GroupsFileName);
                if (File.Exists(groupsPath)) groups = TemplateJson.ReadGroups(ReadFile(groupsPath), groupsPath);
            }
            var store = new TemplateStore(resolved, groups);
            store._templates[ProfileTemplate.DefaultName] = ShippedDefault.Template.InStore(resolved);
            var dir = resolved == null ? null : Path.Combine(resolved, TemplatesFolderName);
            if (dir != null && Directory.Exists(dir))
            {
                var fromFiles = new Dictionary<string, ProfileTemplate>(StringComparer.OrdinalIgnoreCase);
                foreach (var file in Directory.GetFiles(dir, "*.json").OrderBy(f => f, StringComparer.Ordinal))
                {
                    var template = TemplateJson.Read(ReadFile(file), file);
                    var stem = Path.GetFileNameWithoutExtension(file);
                    if (!string.Equals(stem, template.Name, StringComparison.Ordinal))
                        throw new ProvisioningException(ErrorIds.TemplateFileNameMismatch, ErrorKind.InvalidData,
                            $"The store file '{file}' holds template '{template.Name}'; rename the file to '{template.Name}.json' or fix its name.", file);
                    if (fromFiles.ContainsKey(template.Name))
                        throw new ProvisioningException(ErrorIds.DuplicateTemplate, ErrorKind.InvalidData,
                            $"The store '{resolved}' has two files for template '{template.Name}' (names differ only by case).", file);
                    fromFiles[template.Name] = template;
                }
                foreach (var kv in fromFiles) store._templates[kv.Key] = kv.Value.InStore(resolved);
            }
            return store;
        }

        /// <summary>
        /// One warning per template of the store that still holds a literal secret (a file written before secrets
        /// were taken by reference only): generation runs give them at the start, so a nightly run keeps working and
        /// says so in its log.
        /// </summary>
        public IReadOnlyList<string> LiteralSecretWarnings() =>
            Templates.Where(t => t.LiteralSecrets.Count > 0).Select(LiteralSecretWarning).ToList();

        /// <summary>The warning for one template with literal secrets: names the template, its file and the parameters, never a value.</summary>
        public static string LiteralSecretWarning(ProfileTemplate template)
        {
            var first = template.LiteralSecrets[0];
            return $"Template '{template.Name}' ({template.Path ?? "shipped"}) holds the secret itself in {string.Join(", ", template.LiteralSecrets)}; " +
                   "it is still used as it is, but a template takes secrets by reference only. " +
                   $"Replace it with {SecretReference.HowToGive}, e.g. set the template's parameter {first} to env:VARIABLE, " +
                   "and remove the secret from the file's history.";
        }

        public ProfileTemplate? Find(string name) => _templates.TryGetValue(name, out var t) ? t : null;

        public ProfileTemplate Get(string name) =>
            Find(name) ?? throw NotFound(name);

        /// <summary>Templates whose names match any of the patterns (*, ?, [abc]; case-insensitive). No pattern: all.</summary>
        public IReadOnlyList<ProfileTemplate> Match(IEnumerable<string>? patterns)
        {
            var list = patterns?.Where(p => !string.IsNullOrEmpty(p)).ToList();
            if (list == null || list.Count == 0) return Templates;
            var regexes = list.Select(WildcardToRegex).ToList();
            return Templates.Where(t => regexes.Any(r => r.IsMatch(t.Name))).ToList();
        }

        public static bool HasWildcard(string pattern) => pattern.IndexOfAny(new[] { '*', '?', '[' }) >= 0;

        /// <summary>The template assigned to a group, or null.</summary>
        public string? GroupTemplate(string group) => _groups.TryGetValue(group, out var t) ? t : null;

        public TemplateUsage Usage(string name) => new TemplateUsage(
            _groups.Where(kv => string.Equals(kv.Value, name, StringComparison.OrdinalIgnoreCase)).Select(kv => kv.Key).OrderBy(g => g, StringComparer.OrdinalIgnoreCase).ToList(),
            _templates.Values.Where(t => string.Equals(t.BasedOn, name, StringComparison.OrdinalIgnoreCase)).Select(t => t.Name).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToList());

        /// <summary>Adds a new template; refuses an existing name (case-insensitive) or an unknown BasedOn.</summary>
        public ProfileTemplate Add(ProfileTemplate template, bool whatIf = false)
        {
            var existing = Find(template.Name);
            if (existing != null && !(existing.IsShipped && string.Equals(template.Name, ProfileTemplate.DefaultName, StringComparison.OrdinalIgnoreCase)))
                throw new ProvisioningException(ErrorIds.TemplateExists, ErrorKind.ResourceExists,
                    $"Template '{existing.Name}' already exists; change it instead of creating it again.", template.Name);
            return Save(template, whatIf);
        }

        /// <summary>Replaces an existing template (the `default` too: the store's copy then overrides the shipped one).</summary>
        public ProfileTemplate Update(ProfileTemplate template, bool whatIf = false)
        {
            Get(template.Name);
            return Save(template, whatIf);
        }

        /// <summary>
        /// Removes a template. Refuses `default`, and a template still used by a group or as another
        /// template's BasedOn unless <paramref name="force"/>: then those groups fall back to `default`
        /// and those templates lose their BasedOn. Returns what was detached.
        /// </summary>
        public TemplateUsage Remove(string name, bool force, bool whatIf = false)
        {
            var template = Get(name);
            if (string.Equals(template.Name, ProfileTemplate.DefaultName, StringComparison.OrdinalIgnoreCase))
                throw new ProvisioningException(ErrorIds.DefaultTemplateRequired, ErrorKind.InvalidOperation,
                    "The 'default' template cannot be removed: every account falls back to it. Change it instead.", name);
            var usage = Usage(template.Name);
            if (usage.InUse && !force)
            {
                var parts = new List<string>();
                if (usage.Groups.Count > 0) parts.Add("group(s) " + string.Join(", ", usage.Groups));
                if (usage.Templates.Count > 0) parts.Add("template(s) based on it: " + string.Join(", ", usage.Templates));
                throw new ProvisioningException(ErrorIds.TemplateInUse, ErrorKind.InvalidOperation,
                    $"Template '{template.Name}' is still used by {string.Join("; ", parts)}. Reassign them first, or remove it anyway.", name).About(RequestParameter.Force);
            }
            if (whatIf) return usage;
            RequireFolder();
            foreach (var dependent in usage.Templates)
                Save(Get(dependent).With(basedOn: ""), false);
            if (usage.Groups.Count > 0)
            {
                foreach (var g in usage.Groups) _groups.Remove(g);
                WriteGroups();
            }
            if (template.Path != null && File.Exists(template.Path))
            {
                try { File.Delete(template.Path); }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    throw new ProvisioningException(ErrorIds.FileWriteFailed, ErrorKind.WriteError, $"Cannot delete '{template.Path}': {ex.Message}", template.Path, ex);
                }
            }
            _templates.Remove(template.Name);
            if (string.Equals(template.Name, ProfileTemplate.DefaultName, StringComparison.OrdinalIgnoreCase))
                _templates[ProfileTemplate.DefaultName] = ShippedDefault.Template.InStore(Folder);
            return usage;
        }

        /// <summary>Assigns <paramref name="template"/> to <paramref name="group"/>; null removes the assignment (the group falls back to `default`).</summary>
        public WriteStatus SetGroup(string group, string? template, bool whatIf = false)
        {
            TemplateJson.ValidateGroupName(group);
            string? canonical = null;
            if (!string.IsNullOrEmpty(template)) canonical = Get(template!).Name;
            var had = _groups.TryGetValue(group, out var current);
            if (canonical == null ? !had : (had && current == canonical)) return WriteStatus.Unchanged;
            if (whatIf) return had ? WriteStatus.Updated : WriteStatus.Created;
            RequireFolder();
            if (canonical == null) _groups.Remove(group);
            else _groups[group] = canonical;
            WriteGroups();
            return had ? WriteStatus.Updated : WriteStatus.Created;
        }

        private ProfileTemplate Save(ProfileTemplate template, bool whatIf)
        {
            var folder = RequireFolder();
            if (template.BasedOn != null)
            {
                var baseTemplate = Find(template.BasedOn) ?? throw new ProvisioningException(ErrorIds.BaseTemplateNotFound, ErrorKind.ObjectNotFound,
                    $"Template '{template.Name}' is based on '{template.BasedOn}', which is not in the store.", template.BasedOn);
                // Refuse a write that would close a BasedOn cycle.
                var chain = new List<string> { template.Name };
                for (var t = baseTemplate; t != null; t = t.BasedOn == null ? null : Find(t.BasedOn))
                {
                    chain.Add(t.Name);
                    if (string.Equals(t.Name, template.Name, StringComparison.OrdinalIgnoreCase))
                        throw TemplateResolver.Cycle(chain);
                    if (chain.Count > 256) break;
                }
            }
            var path = Path.Combine(folder, TemplatesFolderName, template.Name + ".json");
            var stored = template.WithLocation(path, false).InStore(Folder);
            if (whatIf) return stored;
            AtomicFile.Write(path, TemplateJson.Write(stored));
            // Keep the on-disk spelling of the name unique: a case-only rename leaves no stale file behind.
            var previous = Find(template.Name);
            if (previous?.Path != null && previous.Path != path && File.Exists(previous.Path)) File.Delete(previous.Path);
            _templates[template.Name] = stored;
            return stored;
        }

        private void WriteGroups() =>
            AtomicFile.Write(Path.Combine(RequireFolder(), GroupsFileName), TemplateJson.WriteGroups(_groups));

        private string RequireFolder() => Folder ?? throw new ProvisioningException(ErrorIds.StoreRequired, ErrorKind.InvalidArgument,
            $"No template store is selected: set ${EnvironmentVariable}, or give the store folder. Without one only the shipped 'default' exists, read-only.")
            .About(RequestParameter.Store);

        internal static ProvisioningException NotFound(string name) =>
            new ProvisioningException(ErrorIds.TemplateNotFound, ErrorKind.ObjectNotFound,
                $"Template '{name}' is not in the store (listing the store's templates shows their names).", name);

        private static byte[] ReadFile(string path)
        {
            try { return File.ReadAllBytes(path); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new ProvisioningException(ErrorIds.StoreFileUnreadable, ErrorKind.ReadError, $"Cannot read the store file '{path}': {ex.Message}", path, ex);
            }
        }

        private static Regex WildcardToRegex(string pattern)
        {
            var sb = new System.Text.StringBuilder("^");
            for (int i = 0; i < pattern.Length; i++)
            {
                char c = pattern[i];
                if (c == '*') sb.Append(".*");
                else if (c == '?') sb.Append('.');
                else if (c == '[')
                {
                    int close = pattern.IndexOf(']', i + 1);
                    if (close < 0) { sb.Append(@"\["); continue; }
                    sb.Append('[').Append(pattern.Substring(i + 1, close - i - 1).Replace(@"\", @"\\")).Append(']');
                    i = close;
                }
                else sb.Append(Regex.Escape(c.ToString()));
            }
            return new Regex(sb.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        }
    }

    /// <summary>The `default` template that ships inside the module (embedded resource), with the seed defaults.</summary>
    public static class ShippedDefault
    {
        private static readonly Lazy<ProfileTemplate> Lazy = new Lazy<ProfileTemplate>(Load);

        public static ProfileTemplate Template => Lazy.Value;

        private static ProfileTemplate Load()
        {
            const string resource = "PrivateProvisioning.Core.Resources.Templates.default.json";
            using var stream = typeof(ShippedDefault).Assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException("embedded resource " + resource + " is missing");
            using var ms = new MemoryStream();
            stream.CopyTo(ms);
            return TemplateJson.Read(ms.ToArray(), "(shipped default)").WithLocation(null, true);
        }
    }
}
