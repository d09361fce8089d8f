using System;
using System.Collections.Generic;

namespace PrivateProvisioning.Core.Rules
{
    /// <summary>
    /// Turns a row of named values (a CSV row, the properties of a piped object) into a MacroContext: the
    /// MacAddress/MAC, SerialNumber/SN and ProductName/PN/Model columns give the phone's identity, every other
    /// column becomes a variable (a column <c>B</c> feeds <c>$B</c>), and the overrides (-Variable, --var) win.
    /// </summary>
    public static class PhoneColumns
    {
        public static readonly IReadOnlyList<string> MacAddressNames = new[] { "MacAddress", "MAC" };
        public static readonly IReadOnlyList<string> SerialNumberNames = new[] { "SerialNumber", "SN" };
        public static readonly IReadOnlyList<string> ProductNameNames = new[] { "ProductName", "PN", "Model" };
        /// <summary>Columns that hold the rule itself, not a variable.</summary>
        public static readonly IReadOnlyList<string> RuleNames = new[] { "Rule" };

        /// <summary>True for a column that is identity or the rule, which do not become variables.</summary>
        public static bool IsReserved(string column) =>
            Contains(MacAddressNames, column) || Contains(SerialNumberNames, column) || Contains(ProductNameNames, column) || Contains(RuleNames, column);

        /// <summary>Builds the context for one row.</summary>
        /// <param name="macAddress">An explicit MAC that wins over the row's column; empty means none.</param>
        /// <exception cref="ProvisioningException">InvalidMacAddress when the MAC column holds something else.</exception>
        public static MacroContext ToContext(IEnumerable<KeyValuePair<string, string>> columns,
            IEnumerable<KeyValuePair<string, string>>? overrides = null, string? macAddress = null, string? serialNumber = null, string? productName = null)
        {
            string? macText = macAddress, serial = serialNumber, product = productName;
            var variables = new List<KeyValuePair<string, string>>();
            foreach (var column in columns)
            {
                if (Contains(MacAddressNames, column.Key)) macText ??= column.Value;
                else if (Contains(SerialNumberNames, column.Key)) serial ??= column.Value;
                else if (Contains(ProductNameNames, column.Key)) product ??= column.Value;
                else if (!Contains(RuleNames, column.Key)) variables.Add(column);
            }
            if (overrides != null) variables.AddRange(overrides);
            MacAddress? mac = string.IsNullOrWhiteSpace(macText) ? (MacAddress?)null : MacAddress.Parse(macText);
            return new MacroContext(mac, Blank(serial), Blank(product), variables);
        }

        private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s!.Trim();

        private static bool Contains(IReadOnlyList<string> names, string name)
        {
            foreach (var n in names)
                if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) return true;
            return false;
        }
    }
}
