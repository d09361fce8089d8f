using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Rules;
using PrivateProvisioning.Internal;
using PrivateProvisioning.Templates;

namespace PrivateProvisioning.Commands
{
    /// <summary>Expands a Cisco/Linksys profile rule for one phone per input (Core's ProfileRuleExpansionRequest). Piped rows bind
    /// MacAddress, SerialNumber, ProductName and Rule by property name; other properties are variables; -Variable wins.</summary>
    [Cmdlet(VerbsData.Expand, "ProfileRule")]
    [OutputType(typeof(ExpandedProfileRule))]
    public sealed class ExpandProfileRuleCommand : ProvisioningCmdlet
    {
        private readonly Dictionary<string, ProfileRule> _parsed = new Dictionary<string, ProfileRule>(StringComparer.Ordinal);

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true), AllowEmptyString]
        public string Rule { get; set; } = string.Empty;

        [Parameter(ValueFromPipelineByPropertyName = true), Alias("MAC")]
        public string? MacAddress { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true), Alias("SN")]
        public string? SerialNumber { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true), Alias("PN", "Model")]
        public string? ProductName { get; set; }

        [Parameter]
        public Hashtable? Variable { get; set; }

        [Parameter(ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        protected override void ProcessRecordCore()
        {
            try
            {
                var rule = Parsed(Rule);
                var request = new ProfileRuleExpansionRequest(Rule) { Columns = RowColumns(), MacAddress = MacAddress, SerialNumber = SerialNumber, ProductName = ProductName };
                request.Variables.AddRange(VariablePairs());
                var result = request.Expand(rule);
                foreach (var name in result.Missing)
                    WriteWarning($"${name} has no value for {Describe(result)}; it expanded to empty. Give it with " + (MacroNames.IsSecretGpp(name)
                        ? $"-Variable @{{ {name} = (Read-Host -AsSecureString) }}."
                        : $"-Variable @{{ {name} = '...' }} or a column named {name}."));
                if (result.AlternativeIndex == 0)
                    WriteVerbose($"No alternative of rule '{rule}' qualifies for {Describe(result)}: the phone skips the rule.");
                WriteObject(result);
            }
            catch (ProvisioningException ex)
            {
                // The row names the failing input, but as a copy with secrets masked: PowerShell 5.1's error view prints
                // the target, and the Rule column may carry [--key ...] and other columns a password.
                WriteProvisioningError(ex, InputObject != null ? RowCells.Masked(InputObject, null) : RuleRedaction.Redact(Rule));
            }
        }

        private ProfileRule Parsed(string text)
        {
            // Rows usually share one rule: parse it once.
            if (!_parsed.TryGetValue(text, out var rule))
            {
                rule = ProfileRule.Parse(text);
                if (_parsed.Count < 64) _parsed[text] = rule;
            }
            return rule;
        }

        /// <summary>-Variable as string pairs; a SecureString value (for $SA..$SD) is unwrapped here, at the edge.</summary>
        private IEnumerable<KeyValuePair<string, string>> VariablePairs()
        {
            if (Variable == null) yield break;
            foreach (DictionaryEntry entry in Variable)
            {
                var name = LanguagePrimitives.ConvertTo<string>(entry.Key);
                var value = entry.Value is PSObject ps ? ps.BaseObject : entry.Value;
                if (value is SecureString secure)
                {
                    var chars = SecureStrings.ToChars(secure);
                    try { yield return new KeyValuePair<string, string>(name, new string(chars)); }
                    finally { Array.Clear(chars, 0, chars.Length); }
                }
                else
                    yield return new KeyValuePair<string, string>(name, value == null ? string.Empty : LanguagePrimitives.ConvertTo<string>(value));
            }
        }

        /// <summary>The piped object's properties as columns; a plain string or number contributes nothing.</summary>
        private IEnumerable<KeyValuePair<string, string>> RowColumns()
        {
            if (InputObject == null || InputObject.BaseObject is string || InputObject.BaseObject.GetType().IsPrimitive) yield break;
            if (InputObject.BaseObject is IDictionary table)
            {
                foreach (var pair in ToPairs(table)) yield return pair;
                yield break;
            }
            foreach (var property in InputObject.Properties)
            {
                if (!property.IsGettable) continue;
                object? value;
                try { value = property.Value; }
                catch (GetValueException) { continue; }
                if (value is PSObject ps) value = ps.BaseObject;
                if (value == null || value is string || value is ValueType)
                    yield return new KeyValuePair<string, string>(property.Name, value == null ? string.Empty : LanguagePrimitives.ConvertTo<string>(value));
            }
        }

        private string Describe(ExpandedProfileRule result) => result.MacAddress ?? "this phone";
    }
}
