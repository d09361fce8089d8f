using System.Management.Automation;

namespace PrivateProvisioning.Templates
{
    /// <summary>What ShouldProcess will do for a cmdlet of Medium impact, known before the first item.</summary>
    internal static class ConfirmationProbe
    {
        /// <summary>
        /// Whether ShouldProcess could do anything but say yes silently: -WhatIf, -Confirm, a $ConfirmPreference at or
        /// below Medium, or -Verbose (its "Performing the operation" lines). When it cannot, files are written as
        /// `pprov generate` writes them, in parallel within each batch, without asking per file.
        /// </summary>
        public static bool AsksEachItem(PSCmdlet cmdlet)
        {
            if (Switch(cmdlet, "WhatIf", "WhatIfPreference") || Switch(cmdlet, "Confirm", null) || Switch(cmdlet, "Verbose", null)) return true;
            if (!cmdlet.MyInvocation.BoundParameters.ContainsKey("Verbose") && cmdlet.GetVariableValue("VerbosePreference") is ActionPreference verbose && verbose != ActionPreference.SilentlyContinue) return true;
            return !(cmdlet.GetVariableValue("ConfirmPreference") is ConfirmImpact preference) || preference <= ConfirmImpact.Medium;
        }

        /// <summary>A switch given on the command line, else its preference variable.</summary>
        public static bool Switch(PSCmdlet cmdlet, string name, string? preference)
        {
            if (cmdlet.MyInvocation.BoundParameters.TryGetValue(name, out var value)) return ((SwitchParameter)value).IsPresent;
            return preference != null && LanguagePrimitives.IsTrue(cmdlet.GetVariableValue(preference));
        }
    }
}
