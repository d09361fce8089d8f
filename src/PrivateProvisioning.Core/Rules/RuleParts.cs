using System.Collections.Generic;

namespace PrivateProvisioning.Core.Rules
{
    /// <summary>The schemes a rule URL may name (spec §2.1); a URL without one is TFTP.</summary>
    public enum ProfileRuleScheme
    {
        Tftp,
        Http,
        Https,
    }

    /// <summary>Which parameter a rule is the value of; the stricter kinds enforce their documented limits (spec §2.6, §2.7).</summary>
    public enum ProfileRuleKind
    {
        /// <summary>Profile_Rule..Profile_Rule_D (and anything else: every option is accepted).</summary>
        Profile,
        /// <summary>Upgrade_Rule: no options, and every URL must name its server.</summary>
        Upgrade,
        /// <summary>Report_Rule: the options, including --delta and --status.</summary>
        Report,
    }

    /// <summary><c>Name = "value" ;</c> inside a <c>( ... )!</c> group: sets a parameter before the fetch.</summary>
    public sealed class RuleAssignment
    {
        internal RuleAssignment(string name, string valueTemplate, int position, int valueIndex)
        {
            ValueIndex = valueIndex;
            Name = name;
            ValueTemplate = valueTemplate;
            Position = position;
        }

        /// <summary>The parameter as written: a profile parameter (<c>User_ID_1_</c>) or a GPP letter (<c>c</c> for GPP_C).</summary>
        public string Name { get; }
        /// <summary>The value before macro expansion, without its quotes.</summary>
        public string ValueTemplate { get; }
        /// <summary>1-based character position of the name in the rule.</summary>
        public int Position { get; }

        /// <summary>0-based index of the value's first character in the rule.</summary>
        internal int ValueIndex { get; }

        /// <summary>The parameter's canonical name: GPP letters become <c>GPP_A</c>..<c>GPP_P</c>.</summary>
        public string ParameterName =>
            Name.Length == 1 && MacroNames.IsGpp(Name.ToUpperInvariant()) ? "GPP_" + Name.ToUpperInvariant() : Name;

        public override string ToString() => $"{Name} = \"{ValueTemplate}\" ;";
    }

    /// <summary>
    /// The bracketed options before a URL (spec §2.2). Secret arguments (--key, --pwd) are not exposed as
    /// text: only whether they are present; the evaluated result carries them as SecureString.
    /// </summary>
    public sealed class RuleOptions
    {
        internal static readonly RuleOptions None = new RuleOptions();

        internal string? KeyTemplate { get; set; }
        internal int KeyPosition { get; set; }
        internal string? PasswordTemplate { get; set; }
        internal int PasswordPosition { get; set; }
        internal int UserNamePosition { get; set; }

        /// <summary>--key: the AES-256-CBC passphrase (or SPC key) for the fetched file.</summary>
        public bool HasKey => KeyTemplate != null;
        /// <summary>--uid, before macro expansion.</summary>
        public string? UserNameTemplate { get; internal set; }
        /// <summary>--pwd is present.</summary>
        public bool HasPassword => PasswordTemplate != null;
        /// <summary>--post x: POST the contents of GPP_x (lower-case letter a..p).</summary>
        public string? Post { get; internal set; }
        /// <summary>--alias x: remap element paths with the alias map in GPP_x (lower-case letter a..p).</summary>
        public string? Alias { get; internal set; }
        /// <summary>--srv: resolve the host through DNS SRV.</summary>
        public bool Srv { get; internal set; }
        /// <summary>--delta: a report rule reports only changed parameters.</summary>
        public bool Delta { get; internal set; }
        /// <summary>--status: a report rule reports status data.</summary>
        public bool Status { get; internal set; }
        /// <summary>1-based position of the '[' (0 when the alternative has no options).</summary>
        public int Position { get; internal set; }

        public bool IsEmpty => Position == 0;
    }

    /// <summary>One <c>|</c>-separated alternative: <c>[ (condition)? ] [ (assignments)! ] [ [options] url ]</c>.</summary>
    public sealed class RuleAlternative
    {
        internal RuleAlternative(int index, int position, RuleCondition? condition, IReadOnlyList<RuleAssignment> assignments,
            RuleOptions options, string? urlTemplate, int urlPosition)
        {
            Index = index;
            Position = position;
            Condition = condition;
            Assignments = assignments;
            Options = options;
            UrlTemplate = urlTemplate;
            UrlPosition = urlPosition;
        }

        /// <summary>1-based index among the rule's alternatives.</summary>
        public int Index { get; }
        /// <summary>1-based character position where the alternative starts.</summary>
        public int Position { get; }
        /// <summary>Null when the alternative always qualifies (only the last one may lack a condition).</summary>
        public RuleCondition? Condition { get; }
        public IReadOnlyList<RuleAssignment> Assignments { get; }
        public RuleOptions Options { get; }
        /// <summary>The URL before macro expansion; null for an alternative that only assigns.</summary>
        public string? UrlTemplate { get; }
        /// <summary>1-based character position of the URL (0 when there is none).</summary>
        public int UrlPosition { get; }
    }
}
