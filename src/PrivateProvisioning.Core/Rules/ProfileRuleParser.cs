using System;
using System.Collections.Generic;

namespace PrivateProvisioning.Core.Rules
{
    /// <summary>
    /// Reads a rule left to right (spec §2.5 grammar). Every error names the 1-based character position and
    /// quotes the rule with its --key/--pwd arguments redacted; no error quotes a secret argument's text.
    /// </summary>
    internal sealed class ProfileRuleParser
    {
        private static readonly IReadOnlyList<RuleAssignment> NoAssignments = Array.Empty<RuleAssignment>();

        private readonly string _s;
        private readonly string _redacted;
        private readonly ProfileRuleKind _kind;
        private int _i;

        public ProfileRuleParser(string text, ProfileRuleKind kind)
        {
            _s = text;
            _kind = kind;
            _redacted = RuleRedaction.Redact(text);
        }

        public ProfileRule Parse()
        {
            var alternatives = new List<RuleAlternative>();
            SkipWhiteSpace();
            if (_i >= _s.Length || _s[_i] == '#')
                return new ProfileRule(_s, _redacted, _i < _s.Length, alternatives);
            while (true)
            {
                SkipWhiteSpace();
                if (_i >= _s.Length || _s[_i] == '|')
                    throw Error(_i, alternatives.Count == 0 ? "the rule starts with '|'; write an alternative before it"
                        : $"alternative {alternatives.Count + 1} after '|' is empty");
                alternatives.Add(ParseAlternative(alternatives.Count + 1));
                if (_i >= _s.Length) break;
                if (_s[_i] == '#') break; // a comment runs to the end of the value
                if (_s[_i] == '|') { _i++; continue; }
                throw Error(_i, "unexpected text after the URL; separate alternatives with '|' (a URL cannot contain white space)");
            }
            for (int k = 0; k < alternatives.Count - 1; k++)
                if (alternatives[k].Condition == null)
                    throw Error(alternatives[k].Position - 1,
                        $"alternative {k + 1} has no condition, so the alternatives after it could never be chosen; only the last alternative may go without '( ... )?'");
            return new ProfileRule(_s, _redacted, false, alternatives);
        }

        private RuleAlternative ParseAlternative(int index)
        {
            int start = _i;
            RuleCondition? condition = null;
            IReadOnlyList<RuleAssignment> assignments = NoAssignments;
            while (_i < _s.Length && _s[_i] == '(')
            {
                int open = _i;
                int close = MatchParenthesis(open);
                int marker = close + 1;
                while (marker < _s.Length && char.IsWhiteSpace(_s[marker])) marker++;
                char kind = marker < _s.Length ? _s[marker] : '\0';
                if (kind == '?')
                {
                    if (condition != null || assignments.Count > 0)
                        throw Error(open, "an alternative has at most one condition '( ... )?', written before its assignments");
                    condition = RuleConditionParser.Parse(_s, open + 1, close, _redacted);
                }
                else if (kind == '!')
                {
                    if (assignments.Count > 0)
                        throw Error(open, "an alternative has at most one assignment group '( ... )!'");
                    assignments = ParseAssignments(open + 1, close);
                }
                else
                    throw Error(close, "a '( ... )' group must end with ')?' (a condition) or ')!' (assignments)");
                _i = marker + 1;
                SkipWhiteSpace();
            }

            var options = RuleOptions.None;
            if (_i < _s.Length && _s[_i] == '[')
            {
                int open = _i;
                if (_kind == ProfileRuleKind.Upgrade)
                    throw Error(open, "an Upgrade_Rule takes no '[ ]' options");
                int close = MatchBracket(open);
                options = ParseOptions(open + 1, close);
                options.Position = open + 1;
                _i = close + 1;
                SkipWhiteSpace();
            }

            string? url = null;
            int urlIndex = -1;
            if (_i < _s.Length && _s[_i] != '|' && _s[_i] != '#')
            {
                char c = _s[_i];
                if (c == '(') throw Error(_i, "a condition or an assignment group must come before the options and the URL");
                if (c == '[') throw Error(_i, "an alternative has one pair of '[ ]' options");
                if (c == ')') throw Error(_i, "this ')' has no matching '('");
                if (c == ']') throw Error(_i, "this ']' has no matching '['");
                if (c == '-' && _i + 1 < _s.Length && _s[_i + 1] == '-')
                    throw Error(_i, "options go inside '[ ]' before the URL, e.g. [--key \"...\"] http://...");
                urlIndex = _i;
                while (_i < _s.Length && !char.IsWhiteSpace(_s[_i]) && _s[_i] != '|') _i++;
                url = _s.Substring(urlIndex, _i - urlIndex);
                ValidateUrl(url, urlIndex);
                if (_kind == ProfileRuleKind.Upgrade && url[0] == '/')
                    throw Error(urlIndex, "an Upgrade_Rule must name its server (e.g. http://server/path); only profile rules fall back to the DHCP server");
                SkipWhiteSpace();
            }
            if (url == null && !options.IsEmpty)
                throw Error(options.Position - 1, "the options are not followed by a URL");
            if (url == null && assignments.Count == 0)
                throw Error(start, condition != null ? "the condition is not followed by a URL (or assignments)" : "the alternative has no URL");
            return new RuleAlternative(index, start + 1, condition, assignments, options, url, urlIndex + 1);
        }

        private void ValidateUrl(string url, int at)
        {
            int depth = 0;
            for (int k = 0; k < url.Length; k++)
            {
                if (url[k] == '(') depth++;
                else if (url[k] == ')' && --depth < 0) throw Error(at + k, "this ')' has no matching '('");
                else if (url[k] == ']') throw Error(at + k, "this ']' has no matching '['");
            }
            ValidateMacros(url, at, null);
            if (url.IndexOf('$') < 0)
            {
                if (!RuleUrl.TryParse(url, out _, out var index, out var error))
                    throw Error(at + index, error!);
            }
            else
            {
                // Macros may supply the server or the path; check what is literal now and the rest after expansion.
                int sep = url.IndexOf("://", StringComparison.Ordinal);
                if (sep > 0 && url.IndexOf('$', 0, sep) < 0 && !RuleUrl.TryParse(url.Substring(0, sep) + ":///", out _, out _, out var error) && error!.Contains("scheme"))
                    throw Error(at, error);
            }
        }

        private List<RuleAssignment> ParseAssignments(int start, int end)
        {
            var list = new List<RuleAssignment>();
            int j = start;
            while (true)
            {
                while (j < end && char.IsWhiteSpace(_s[j])) j++;
                if (j >= end) break;
                int nameStart = j;
                while (j < end && MacroExpander.IsIdentifierCharacter(_s[j])) j++;
                if (j == nameStart)
                    throw Error(j, "expected a parameter name (such as User_ID_1_, or a GPP letter a..p) in the assignments");
                var name = _s.Substring(nameStart, j - nameStart);
                while (j < end && char.IsWhiteSpace(_s[j])) j++;
                if (j >= end || _s[j] != '=')
                    throw Error(j, $"expected '=' after '{name}'");
                j++;
                while (j < end && char.IsWhiteSpace(_s[j])) j++;
                if (j >= end || _s[j] != '"')
                    throw Error(j, $"the value of '{name}' must be in double quotes, e.g. {name} = \"value\" ;");
                int close = _s.IndexOf('"', j + 1, end - j - 1);
                if (close < 0) throw Error(j, $"the quoted value of '{name}' is not closed by '\"'");
                var value = _s.Substring(j + 1, close - j - 1);
                ValidateMacros(value, j + 1, null);
                list.Add(new RuleAssignment(name, value, nameStart + 1, j + 1));
                j = close + 1;
                while (j < end && char.IsWhiteSpace(_s[j])) j++;
                if (j < end && _s[j] == ';') j++;
                else if (j < end) throw Error(j, $"expected ';' after the value of '{name}'");
            }
            if (list.Count == 0) throw Error(start - 1, "the assignment group '( )!' is empty");
            return list;
        }

        private RuleOptions ParseOptions(int start, int end)
        {
            var options = new RuleOptions();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            int j = start;
            while (true)
            {
                while (j < end && char.IsWhiteSpace(_s[j])) j++;
                if (j >= end) break;
                if (j + 1 >= end || _s[j] != '-' || _s[j + 1] != '-')
                    throw Error(j, "expected an option such as --key here; quote an argument that contains white space");
                int nameEnd = j + 2;
                while (nameEnd < end && char.IsLetter(_s[nameEnd])) nameEnd++;
                var name = _s.Substring(j + 2, nameEnd - j - 2).ToLowerInvariant();
                bool takesArgument;
                switch (name)
                {
                    case "key": case "uid": case "pwd": case "post": case "alias": takesArgument = true; break;
                    case "srv": case "delta": case "status": takesArgument = false; break;
                    default:
                        throw Error(j, $"'--{name}' is not a rule option; use --key, --uid, --pwd, --post, --alias, --srv, --delta or --status");
                }
                if (!seen.Add(name)) throw Error(j, $"--{name} is given twice");
                if (!takesArgument)
                {
                    if (name == "srv") options.Srv = true;
                    else if (name == "delta") options.Delta = true;
                    else options.Status = true;
                    if (nameEnd < end && !char.IsWhiteSpace(_s[nameEnd]))
                        throw Error(nameEnd, $"--{name} takes no argument");
                    j = nameEnd;
                    continue;
                }
                var (argStart, argEnd) = RuleRedaction.ArgumentSpan(_s, nameEnd);
                if (argStart >= end || (argStart + 1 < end && _s[argStart] == '-' && _s[argStart + 1] == '-'))
                    throw Error(j, $"--{name} needs an argument");
                argEnd = Math.Min(argEnd, end);
                if (argEnd < end && !char.IsWhiteSpace(_s[argEnd]))
                    throw Error(argEnd, $"expected white space after the argument of --{name}");
                bool quoted = _s[argStart] == '"';
                int valueStart = quoted ? argStart + 1 : argStart;
                var value = _s.Substring(valueStart, (quoted ? argEnd - 1 : argEnd) - valueStart);
                switch (name)
                {
                    case "key":
                        ValidateMacros(value, valueStart, "--key");
                        options.KeyTemplate = value;
                        options.KeyPosition = valueStart + 1;
                        break;
                    case "pwd":
                        ValidateMacros(value, valueStart, "--pwd");
                        options.PasswordTemplate = value;
                        options.PasswordPosition = valueStart + 1;
                        break;
                    case "uid":
                        ValidateMacros(value, valueStart, null);
                        options.UserNameTemplate = value;
                        options.UserNamePosition = valueStart + 1;
                        break;
                    default:
                        if (value.Length != 1 || char.ToLowerInvariant(value[0]) < 'a' || char.ToLowerInvariant(value[0]) > 'p')
                            throw Error(argStart, $"--{name} takes one GPP letter from a to p (GPP_A..GPP_P), not '{value}'");
                        if (name == "post") options.Post = value.ToLowerInvariant();
                        else options.Alias = value.ToLowerInvariant();
                        break;
                }
                j = argEnd;
            }
            if (seen.Count == 0) throw Error(start - 1, "the options '[ ]' are empty");
            return options;
        }

        private void ValidateMacros(string text, int at, string? secretOption)
        {
            try { MacroExpander.Validate(text); }
            catch (MacroSyntaxException ex)
            {
                throw Error(at + ex.Index, secretOption == null ? ex.What : $"a malformed '$(' macro in the {secretOption} argument");
            }
        }

        /// <summary>The ')' closing the '(' at <paramref name="open"/>; nested pairs (versions like 2.0.6(b), $(A)) and quotes are skipped.</summary>
        private int MatchParenthesis(int open)
        {
            int depth = 0;
            for (int j = open; j < _s.Length; j++)
            {
                char c = _s[j];
                if (c == '"')
                {
                    int close = _s.IndexOf('"', j + 1);
                    if (close < 0) throw Error(j, "this quoted string is not closed by '\"'");
                    j = close;
                }
                else if (c == '(') depth++;
                else if (c == ')' && --depth == 0) return j;
            }
            throw Error(open, "this '(' is not closed by ')'");
        }

        private int MatchBracket(int open)
        {
            for (int j = open + 1; j < _s.Length; j++)
            {
                char c = _s[j];
                if (c == '"')
                {
                    int close = _s.IndexOf('"', j + 1);
                    if (close < 0) throw Error(j, "this quoted argument is not closed by '\"'");
                    j = close;
                }
                else if (c == ']') return j;
                else if (c == '[') throw Error(j, "'[' inside the options; an alternative has one pair of '[ ]'");
            }
            throw Error(open, "this '[' is not closed by ']'");
        }

        private void SkipWhiteSpace()
        {
            while (_i < _s.Length && char.IsWhiteSpace(_s[_i])) _i++;
        }

        private ProvisioningException Error(int index, string what) => RuleErrors.Syntax(_redacted, index, what);
    }
}
