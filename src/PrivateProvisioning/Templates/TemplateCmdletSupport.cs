using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Core.Templates;

namespace PrivateProvisioning.Templates
{
    /// <summary>What the template cmdlets share: opening the store from -Store and turning hashtables into Core's pairs.</summary>
    internal static class TemplateCmdletSupport
    {
        /// <summary>-Store resolved against the current PowerShell location; null falls back to $env:PRIVATEPROVISIONING_STORE.</summary>
        public static TemplateStore OpenStore(PSCmdlet cmdlet, string? store, bool create = false) =>
            TemplateStore.Open(string.IsNullOrEmpty(store) ? null : cmdlet.GetUnresolvedProviderPathFromPSPath(store), create);

        /// <summary>@{ Pin = 'MANDATORY'; PinCacheTimeout = 300 } → pairs; a $null value means "remove".</summary>
        public static List<KeyValuePair<string, string?>> Settings(IDictionary? table)
        {
            var list = new List<KeyValuePair<string, string?>>();
            if (table == null) return list;
            foreach (DictionaryEntry e in table)
                list.Add(new KeyValuePair<string, string?>(LanguagePrimitives.ConvertTo<string>(e.Key), Text(e.Value)));
            return list;
        }

        /// <summary>@{ CiscoSpa = @{ Resync_Periodic = 3600 }; Panasonic = @{ CFG_CYCLIC = 'Y' } } → per-format pairs.</summary>
        public static List<KeyValuePair<ProfileFormat, IEnumerable<KeyValuePair<string, string?>>>> Parameters(IDictionary? table)
        {
            var list = new List<KeyValuePair<ProfileFormat, IEnumerable<KeyValuePair<string, string?>>>>();
            if (table == null) return list;
            foreach (DictionaryEntry e in table)
            {
                var format = TemplateEdits.ParseFormat(LanguagePrimitives.ConvertTo<string>(e.Key));
                var inner = (e.Value is PSObject pso ? pso.BaseObject : e.Value) as IDictionary
                    ?? throw new ProvisioningException(ErrorIds.InvalidParameterTable, ErrorKind.InvalidArgument,
                        $"-Parameter: the value for {format} must be a hashtable of NAME = VALUE, e.g. @{{ {format} = @{{ Resync_Periodic = 3600 }} }}.");
                list.Add(new KeyValuePair<ProfileFormat, IEnumerable<KeyValuePair<string, string?>>>(format, Settings(inner)));
            }
            return list;
        }

        private static string? Text(object? value)
        {
            if (value is PSObject pso) value = pso.BaseObject;
            return value == null ? null : LanguagePrimitives.ConvertTo<string>(value);
        }
    }
}
