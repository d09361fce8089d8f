using System;
using System.Collections.Generic;

namespace PrivateProvisioning.Core.Rules
{
    /// <summary>
    /// The values a phone would substitute for macros: its identity (MAC, serial, product) plus any
    /// variables the caller knows (GPP_A..GPP_P as A..P or GPP_A, SWVER, IP, UID1, CSV columns...).
    /// Variable names are matched case-insensitively.
    /// </summary>
    public sealed class MacroContext
    {
        private readonly Dictionary<string, string> _variables;

        public MacroContext(MacAddress? macAddress = null, string? serialNumber = null, string? productName = null,
            IEnumerable<KeyValuePair<string, string>>? variables = null)
        {
            MacAddress = macAddress;
            SerialNumber = serialNumber;
            ProductName = productName;
            _variables = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (variables != null)
                foreach (var kv in variables)
                    _variables[kv.Key] = kv.Value ?? string.Empty;
        }

        public MacAddress? MacAddress { get; }
        public string? SerialNumber { get; }
        public string? ProductName { get; }
        public IReadOnlyDictionary<string, string> Variables => _variables;

        /// <summary>A copy with more variables (later ones win), used for request-scoped macros such as $SCHEME.</summary>
        public MacroContext With(IEnumerable<KeyValuePair<string, string>> more)
        {
            var merged = new List<KeyValuePair<string, string>>(_variables);
            merged.AddRange(more);
            return new MacroContext(MacAddress, SerialNumber, ProductName, merged);
        }

        /// <summary>
        /// Product series number derived from the product name the way the firmware prints it:
        /// SPA2102 → 2102, SPA502G → 502G, CP-8851-3PCC → 8851-3PCC, ATA191 → 191.
        /// </summary>
        public static string? SeriesFromProductName(string? productName)
        {
            if (string.IsNullOrEmpty(productName)) return productName;
            var p = productName!;
            foreach (var prefix in new[] { "CP-", "SPA", "ATA", "PAP" })
                if (p.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    return p.Substring(prefix.Length).TrimStart('-');
            return p;
        }

        /// <summary>Looks a macro name up: identity first, then variables (also under its GPP_ name).</summary>
        public bool TryGetValue(string name, out string value)
        {
            // The firmware's names are upper case: $b or $ma are not macros to a phone, so they are not
            // looked up (a CSV column "B" must not make $b expand). Other names (CSV columns) ignore case.
            if (!IsUpperCase(name) && MacroNames.IsDocumented(name.ToUpperInvariant()))
            {
                value = string.Empty;
                return false;
            }
            if (_variables.TryGetValue(name, out value!)) return true;
            switch (name)
            {
                case "MA": return From(MacAddress?.Lower, out value);
                case "MAU": return From(MacAddress?.Upper, out value);
                case "MAC": return From(MacAddress?.Colon, out value);
                case "SN": return From(SerialNumber, out value);
                case "PN": return From(ProductName, out value);
                case "PSN": return From(SeriesFromProductName(ProductName), out value);
                case "METH": return TryGetValue("SCHEME", out value);
            }
            if ((MacroNames.IsGpp(name) || MacroNames.IsSecretGpp(name)) && _variables.TryGetValue("GPP_" + name, out value!)) return true;
            // $UID1 is line 1's User ID: accept the Cisco parameter name as well.
            if (name.StartsWith("UID", StringComparison.Ordinal) && name.Length > 3 && _variables.TryGetValue("User_ID_" + name.Substring(3) + "_", out value!)) return true;
            if (name.StartsWith("DISPLAYNAME", StringComparison.Ordinal) && name.Length > 11 && _variables.TryGetValue("Display_Name_" + name.Substring(11) + "_", out value!)) return true;
            if (name.StartsWith("AUTHID", StringComparison.Ordinal) && name.Length > 6 && _variables.TryGetValue("Auth_ID_" + name.Substring(6) + "_", out value!)) return true;
            value = string.Empty;
            return false;
        }

        private static bool IsUpperCase(string name)
        {
            foreach (var c in name)
                if (c >= 'a' && c <= 'z') return false;
            return true;
        }

        private static bool From(string? s, out string value)
        {
            value = s ?? string.Empty;
            return s != null;
        }
    }
}
