using System;
using System.Collections.Generic;

namespace PrivateProvisioning.Core.Rules
{
    /// <summary>
    /// One profile-rule expansion as both front ends ask for it (Expand-ProfileRule, pprov expand): the rule, the
    /// variables that win over a row's columns, and either one phone (MAC, serial, product, or a row's columns) or a
    /// CSV file of phones. It owns the rules: a phone's identity comes from the switches or from the CSV, not both;
    /// a bad rule fails before any phone; one bad row does not stop the others.
    /// </summary>
    public sealed class ProfileRuleExpansionRequest
    {
        public ProfileRuleExpansionRequest(string rule) { Rule = rule ?? string.Empty; }

        public string Rule { get; }
        /// <summary>Variables (GPP letters, SWVER, IP...) that win over the row's columns; secret GPPs already unwrapped by the caller.</summary>
        public List<KeyValuePair<string, string>> Variables { get; } = new List<KeyValuePair<string, string>>();
        /// <summary>One phone's columns (a piped row); its MacAddress/SerialNumber/ProductName columns give the identity.</summary>
        public IEnumerable<KeyValuePair<string, string>> Columns { get; set; } = Array.Empty<KeyValuePair<string, string>>();
        public string? MacAddress { get; set; }
        public string? SerialNumber { get; set; }
        public string? ProductName { get; set; }
        /// <summary>Expand once per row of this CSV instead of for one phone.</summary>
        public string? CsvPath { get; set; }
        /// <summary>The server a rule without one uses (the phone's DHCP option 66).</summary>
        public string? DefaultServer { get; set; }

        /// <summary>A variable NAME=VALUE as typed: InvalidVariable, about <see cref="RequestParameter.Variable"/>, when there is no '=' or no name.</summary>
        public static KeyValuePair<string, string> ParseVariable(string text, string? example = null)
        {
            int eq = text.IndexOf('=');
            if (eq <= 0)
                throw new ProvisioningException(ErrorIds.InvalidVariable, ErrorKind.InvalidArgument,
                    $"The variable '{text}' is not NAME=VALUE{(example == null ? "" : $" (e.g. {example})")}.", text).About(RequestParameter.Variable);
            return new KeyValuePair<string, string>(text.Substring(0, eq).Trim(), text.Substring(eq + 1));
        }

        /// <summary>
        /// Expands the rule for one phone (or each CSV row), in order. A rule that does not parse is one failed outcome and
        /// the end; a bad MAC given for one phone, or a phone's identity given together with a CSV, throws InvalidArgument
        /// about those parameters (<see cref="ProvisioningException.Parameters"/>), which each front end spells.
        /// </summary>
        public IEnumerable<RuleExpansionOutcome> Run()
        {
            ProfileRule? rule = null;
            ProvisioningException? unparsable = null;
            try { rule = ProfileRule.Parse(Rule); }
            catch (ProvisioningException ex) { unparsable = ex; }
            if (rule == null)
            {
                yield return new RuleExpansionOutcome(null, null, null, unparsable);
                yield break;
            }
            if (CsvPath == null)
            {
                if (MacAddress != null) Core.MacAddress.Parse(MacAddress, RequestParameter.MacAddress);
                yield return ExpandOne(rule, null, null);
                yield break;
            }
            if (MacAddress != null || SerialNumber != null || ProductName != null)
                throw new ProvisioningException(ErrorIds.PhoneIdentityWithCsv, ErrorKind.InvalidArgument,
                    "A MAC address, serial number or product name describes one phone; with a CSV file of phones they come from the CSV columns.")
                    .About(RequestParameter.MacAddress, RequestParameter.SerialNumber, RequestParameter.ProductName, RequestParameter.CsvPath);
            foreach (var row in CsvRows.ReadFile(CsvPath))
            {
                var where = $"{CsvPath} row {row.RowNumber} (line {row.LineNumber})";
                yield return row.Problem != null
                    ? new RuleExpansionOutcome(row.RowNumber, where, null,
                        new ProvisioningException(row.ProblemId ?? ErrorIds.CsvMalformedRecord, ErrorKind.InvalidData, row.Problem + ".", where))
                    : ExpandOne(rule, row, where);
            }
        }

        /// <summary>One phone: the row's columns (or <see cref="Columns"/> and the identity), the variables on top, the rule evaluated.</summary>
        /// <exception cref="ProvisioningException">A column or variable the rule cannot use (a bad MAC, a condition that does not compare).</exception>
        public ExpandedProfileRule Expand(ProfileRule rule, CsvRow? row = null)
        {
            var context = row != null ? PhoneColumns.ToContext(row.Columns, Variables)
                : PhoneColumns.ToContext(Columns, Variables, MacAddress, SerialNumber, ProductName);
            return rule.Evaluate(context, DefaultServer);
        }

        private RuleExpansionOutcome ExpandOne(ProfileRule rule, CsvRow? row, string? where)
        {
            try { return new RuleExpansionOutcome(row?.RowNumber, where, Expand(rule, row), null); }
            catch (ProvisioningException ex) { return new RuleExpansionOutcome(row?.RowNumber, where, null, ex); }
        }
    }

    /// <summary>One phone's expansion: the result, or the error that names the row (<see cref="Where"/>) it came from.</summary>
    public sealed class RuleExpansionOutcome
    {
        public RuleExpansionOutcome(int? row, string? where, ExpandedProfileRule? result, ProvisioningException? error)
        {
            Row = row;
            Where = where;
            Result = result;
            Error = error;
        }

        /// <summary>The 1-based CSV data row, or null for one phone.</summary>
        public int? Row { get; }
        /// <summary>"FILE row N (line L)" for a CSV row, or null.</summary>
        public string? Where { get; }
        public ExpandedProfileRule? Result { get; }
        public ProvisioningException? Error { get; }
    }
}
