using System;
using System.Collections.Generic;
using System.Security;

namespace PrivateProvisioning.Core.Rules
{
    /// <summary>
    /// A parsed Cisco/Linksys profile rule (Profile_Rule*, Upgrade_Rule, Report_Rule; spec §2):
    /// <c>[ (condition)? ] [ (assignments)! ] [ [options] url ]</c> alternatives separated by <c>|</c>, or a
    /// <c>#</c> comment. Parse once with <see cref="Parse(string)"/>, then <see cref="Evaluate(MacroContext)"/> it for each
    /// phone. Immutable and safe to share between threads.
    /// </summary>
    /// <example>
    /// <code>
    /// var rule = ProfileRule.Parse("($PRVTMR ge 600)? http://p.tel.com/has-reg.cfg | [--post a] http://p.tel.com/lost-reg?");
    /// var result = rule.Evaluate(new MacroContext(MacAddress.Parse("000E08012345"), variables: vars));
    /// // result.Url, result.AlternativeIndex, result.Post ...
    /// </code>
    /// </example>
    public sealed class ProfileRule
    {
        private readonly string _text;

        internal ProfileRule(string text, string redactedText, bool isComment, IReadOnlyList<RuleAlternative> alternatives)
        {
            _text = text;
            RedactedText = redactedText;
            IsComment = isComment;
            Alternatives = alternatives;
        }

        /// <summary>The rule with --key and --pwd arguments replaced by ***: safe to print.</summary>
        public string RedactedText { get; }

        /// <summary>The value starts with '#': the phone ignores the whole rule.</summary>
        public bool IsComment { get; }

        /// <summary>Empty or a comment: nothing to evaluate.</summary>
        public bool IsEmpty => Alternatives.Count == 0;

        public IReadOnlyList<RuleAlternative> Alternatives { get; }

        /// <summary>Parses a rule.</summary>
        /// <exception cref="ProvisioningException">
        /// InvalidProfileRule: an unclosed <c>$(</c>, an unbalanced bracket, parenthesis or quote, a bad operator,
        /// an unknown option, a missing URL... The message names the rule (secrets redacted) and the 1-based
        /// character position.
        /// </exception>
        public static ProfileRule Parse(string text) => Parse(text, ProfileRuleKind.Profile);

        /// <summary>
        /// Parses a rule of the given kind: an <see cref="ProfileRuleKind.Upgrade"/> rule also refuses options and
        /// URLs without a server.
        /// </summary>
        /// <exception cref="ProvisioningException">InvalidProfileRule, naming the 1-based character position.</exception>
        public static ProfileRule Parse(string text, ProfileRuleKind kind)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            return new ProfileRuleParser(text, kind).Parse();
        }

        /// <summary>Evaluates the rule for one phone; see <see cref="Evaluate(MacroContext, string)"/>.</summary>
        public ExpandedProfileRule Evaluate(MacroContext context) => Evaluate(context, null);

        /// <summary>
        /// Evaluates the rule the way the phone does (spec §2.5): the first alternative whose condition holds (or
        /// that has none) is chosen; its assignments are expanded in order and applied to the context; then its
        /// URL and options are expanded against the assigned values. No alternative qualifying skips the rule
        /// (<see cref="ExpandedProfileRule.AlternativeIndex"/> 0).
        /// </summary>
        /// <param name="context">The phone's identity and variables; not changed (assignments apply to a copy).</param>
        /// <param name="defaultServer">The server a URL without one uses (the phone's DHCP option 66), or null.</param>
        /// <exception cref="ProvisioningException">
        /// ProfileRuleNotEvaluable: a comparison cannot be made (e.g. <c>lt</c> on values that are not numbers or
        /// versions), or the URL is not valid after expansion. Names the rule and the character position.
        /// </exception>
        public ExpandedProfileRule Evaluate(MacroContext context, string? defaultServer)
        {
            if (context == null) throw new ArgumentNullException(nameof(context));
            List<string>? missing = null;
            var assigned = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var mac = context.MacAddress?.Colon;
            RuleAlternative? chosen = null;
            foreach (var alternative in Alternatives)
                if (alternative.Condition == null || alternative.Condition.Evaluate(context, ref missing))
                {
                    chosen = alternative;
                    break;
                }
            if (chosen == null)
                return new ExpandedProfileRule(RedactedText, 0, null, assigned, null, null, null, null, null, null, null, null,
                    null, null, false, false, false, mac, Done(missing));

            var current = context;
            foreach (var assignment in chosen.Assignments)
            {
                var value = Expand(assignment.ValueTemplate, assignment.ValueIndex, current, false, null, ref missing);
                assigned[assignment.ParameterName] = value;
                var pairs = new List<KeyValuePair<string, string>> { new KeyValuePair<string, string>(assignment.ParameterName, value) };
                var macro = MacroNames.MacroForParameter(assignment.Name);
                if (macro != null) pairs.Add(new KeyValuePair<string, string>(macro, value));
                current = current.With(pairs);
            }

            string? url = null, host = null, path = null;
            ProfileRuleScheme? scheme = null;
            int? port = null;
            if (chosen.UrlTemplate != null)
            {
                var expanded = Expand(chosen.UrlTemplate, chosen.UrlPosition - 1, current, false, null, ref missing);
                if (!RuleUrl.TryParse(expanded, out var parsed, out var index, out var error))
                    throw RuleErrors.Evaluation(RedactedText, chosen.UrlPosition - 1 + (expanded == chosen.UrlTemplate ? index : 0),
                        $"after macro expansion the URL is '{expanded}': {error}");
                url = parsed.Format(defaultServer);
                scheme = parsed.Scheme;
                host = parsed.Host ?? defaultServer;
                port = parsed.Port;
                path = parsed.Path;
            }

            var options = chosen.Options;
            var key = options.KeyTemplate == null ? null
                : ToSecure(Expand(options.KeyTemplate, options.KeyPosition - 1, current, true, "--key", ref missing));
            var password = options.PasswordTemplate == null ? null
                : ToSecure(Expand(options.PasswordTemplate, options.PasswordPosition - 1, current, true, "--pwd", ref missing));
            var userName = options.UserNameTemplate == null ? null
                : Expand(options.UserNameTemplate, options.UserNamePosition - 1, current, true, null, ref missing);
            return new ExpandedProfileRule(RedactedText, chosen.Index, chosen.Condition?.Text, assigned, url, scheme, host, port, path,
                key, userName, password, options.Post, options.Alias, options.Srv, options.Delta, options.Status, mac, Done(missing));
        }

        /// <summary>The rule with secrets redacted.</summary>
        public override string ToString() => RedactedText;

        private string Expand(string template, int offset, MacroContext context, bool allowSecretGpp, string? secretOption, ref List<string>? missing)
        {
            try
            {
                return MacroExpander.ExpandCore(template, context, allowSecretGpp, ref missing);
            }
            catch (MacroSyntaxException ex)
            {
                // The parser validated every template, so this is a safety net; a secret's text is never quoted.
                throw RuleErrors.Syntax(RedactedText, offset + ex.Index, secretOption == null ? ex.What : $"a malformed '$(' macro in the {secretOption} argument");
            }
        }

        private static IReadOnlyList<string> Done(List<string>? missing) => (IReadOnlyList<string>?)missing ?? Array.Empty<string>();

        private static SecureString ToSecure(string value)
        {
            var secure = new SecureString();
            foreach (var c in value) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        internal string Text => _text;
    }
}
