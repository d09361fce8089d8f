using System.Collections.Generic;
using PrivateProvisioning.Core;

namespace PrivateProvisioning.Internal
{
    /// <summary>
    /// The module's spelling of the request parameters Core's errors speak of (<see cref="ProvisioningException.Parameters"/>):
    /// Core says "give the key", the module adds "(-Key)" in the ErrorRecord's details, as pprov's CliSpelling adds
    /// "(--key-file / --key-env)". <see cref="RequestParameter"/>'s names are the cmdlets' parameter names, so most map to
    /// themselves; the exceptions are written here (RequestParameterSpellingTests checks that every other name is a
    /// parameter of some cmdlet).
    /// </summary>
    internal static class ModuleSpelling
    {
        private static readonly Dictionary<string, string> Exceptions = new Dictionary<string, string>
        {
            // The module takes CSV rows from the pipeline (Import-Csv), never a CSV path.
            [RequestParameter.CsvPath] = "rows piped from Import-Csv",
        };

        /// <summary>How the module names <paramref name="parameter"/> in a message.</summary>
        public static string Switch(string parameter) => Exceptions.TryGetValue(parameter, out var spelled) ? spelled : "-" + parameter;

        /// <summary>Core's message with the module's parameter names: "... replace it explicitly (-Force)."</summary>
        public static string Message(ProvisioningException ex) => ex.MessageWith(Switch);
    }
}
