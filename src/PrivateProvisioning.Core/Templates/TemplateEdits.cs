using System;
using System.Collections.Generic;
using System.Linq;
using PrivateProvisioning.Core.Formats;

namespace PrivateProvisioning.Core.Templates
{
    /// <summary>
    /// Parses the text forms both front ends use to edit templates: settings as NAME=VALUE and vendor
    /// parameters as FORMAT:NAME=VALUE (removal: NAME and FORMAT:NAME).
    /// </summary>
    public static class TemplateEdits
    {
        public static ProfileFormat ParseFormat(string text)
        {
            if (Enum.TryParse<ProfileFormat>(text?.Trim(), true, out var format) && Enum.IsDefined(typeof(ProfileFormat), format) && !int.TryParse(text, out _))
                return format;
            throw new ProvisioningException(ErrorIds.UnknownProfileFormat, ErrorKind.InvalidArgument,
                $"'{text}' is not a profile format; use one of {string.Join(", ", Enum.GetNames(typeof(ProfileFormat)))}.", text);
        }

        /// <summary>"Pin=MANDATORY" → (Pin, MANDATORY).</summary>
        public static KeyValuePair<string, string?> ParseSetting(string text)
        {
            int eq = text.IndexOf('=');
            if (eq <= 0)
                throw new ProvisioningException(ErrorIds.InvalidSettingAssignment, ErrorKind.InvalidArgument,
                    $"'{text}' is not NAME=VALUE (for example Pin=MANDATORY).", text);
            return new KeyValuePair<string, string?>(text.Substring(0, eq).Trim(), text.Substring(eq + 1));
        }

        /// <summary>"CiscoSpa:Resync_Periodic=3600" → (CiscoSpa, Resync_Periodic, 3600); without '=' the value is null.</summary>
        public static KeyValuePair<ProfileFormat, KeyValuePair<string, string?>> ParseParameter(string text, bool requireValue)
        {
            int colon = text.IndexOf(':');
            int eq = text.IndexOf('=');
            if (colon <= 0 || (eq >= 0 && eq < colon) || (requireValue && eq < 0) || (!requireValue && eq >= 0))
                throw new ProvisioningException(ErrorIds.InvalidParameterAssignment, ErrorKind.InvalidArgument,
                    requireValue ? $"'{text}' is not FORMAT:NAME=VALUE (for example CiscoSpa:Resync_Periodic=3600)."
                                 : $"'{text}' is not FORMAT:NAME (for example CiscoSpa:Resync_Periodic).", text);
            var format = ParseFormat(text.Substring(0, colon));
            var name = eq < 0 ? text.Substring(colon + 1) : text.Substring(colon + 1, eq - colon - 1);
            var value = eq < 0 ? null : text.Substring(eq + 1);
            return new KeyValuePair<ProfileFormat, KeyValuePair<string, string?>>(format, new KeyValuePair<string, string?>(name, value));
        }

        /// <summary>Groups parsed FORMAT:NAME=VALUE items by format, keeping their order.</summary>
        public static List<KeyValuePair<ProfileFormat, IEnumerable<KeyValuePair<string, string?>>>> GroupByFormat(
            IEnumerable<KeyValuePair<ProfileFormat, KeyValuePair<string, string?>>> items) =>
            items.GroupBy(i => i.Key).Select(g => new KeyValuePair<ProfileFormat, IEnumerable<KeyValuePair<string, string?>>>(g.Key, g.Select(x => x.Value).ToList())).ToList();
    }

    /// <summary>A group and the template assigned to it (Get-ProvisioningGroup, pprov group list).</summary>
    public sealed class ProvisioningGroup
    {
        public ProvisioningGroup(string name, string template, string? store)
        {
            Name = name;
            Template = template;
            Store = store;
        }

        public string Name { get; }
        public string Template { get; }
        /// <summary>The store folder holding the assignment.</summary>
        public string? Store { get; }
    }
}
