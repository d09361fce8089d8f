using System;
using System.Collections.Generic;
using System.Globalization;

namespace PrivateProvisioning.Core.Rules
{
    /// <summary>A comparison operator of a rule condition; the symbol and the word forms mean the same.</summary>
    public enum ComparisonOperator
    {
        /// <summary><c>=</c> or <c>eq</c>.</summary>
        Equal,
        /// <summary><c>!=</c>, <c>ne</c>, or the legacy single <c>!</c>.</summary>
        NotEqual,
        /// <summary><c>&lt;</c> or <c>lt</c> (integers and versions only).</summary>
        LessThan,
        /// <summary><c>&lt;=</c> or <c>le</c> (integers and versions only).</summary>
        LessOrEqual,
        /// <summary><c>&gt;</c> or <c>gt</c> (integers and versions only).</summary>
        GreaterThan,
        /// <summary><c>&gt;=</c> or <c>ge</c> (integers and versions only).</summary>
        GreaterOrEqual,
    }

    /// <summary>One side of a comparison, as written: quoted operands compare as strings.</summary>
    public sealed class RuleOperand
    {
        internal RuleOperand(string text, bool isQuoted, int position)
        {
            Text = text;
            IsQuoted = isQuoted;
            Position = position;
        }

        /// <summary>The operand before macro expansion, without its quotes.</summary>
        public string Text { get; }
        public bool IsQuoted { get; }
        /// <summary>1-based character position in the rule (or the bare condition).</summary>
        public int Position { get; }

        public override string ToString() => IsQuoted ? "\"" + Text + "\"" : Text;
    }

    /// <summary>
    /// <c>left op right</c>. A comparison written without a left operand (legacy <c>! 1.0.33</c>) compares
    /// <c>$SWVER</c>; <see cref="Left"/> then reads <c>$SWVER</c> and <see cref="LeftImplied"/> is true.
    /// </summary>
    public sealed class RuleComparison
    {
        internal RuleComparison(RuleOperand left, bool leftImplied, ComparisonOperator op, RuleOperand right, int position)
        {
            Left = left;
            LeftImplied = leftImplied;
            Operator = op;
            Right = right;
            Position = position;
        }

        public RuleOperand Left { get; }
        public bool LeftImplied { get; }
        public ComparisonOperator Operator { get; }
        public RuleOperand Right { get; }
        /// <summary>1-based character position of the comparison's first token.</summary>
        public int Position { get; }

        /// <summary>
        /// Expands both operands and compares them: quoted → strings (eq/ne); both integers → integers; both
        /// versions of one format → versions; otherwise eq/ne fall back to strings and the ordering operators fail.
        /// </summary>
        internal bool Evaluate(MacroContext context, string redactedRule, ref List<string>? missing)
        {
            var left = ExpandOperand(Left, context, redactedRule, ref missing);
            var right = ExpandOperand(Right, context, redactedRule, ref missing);
            bool ordering = Operator != ComparisonOperator.Equal && Operator != ComparisonOperator.NotEqual;
            int order;
            if (Left.IsQuoted || Right.IsQuoted)
                order = string.CompareOrdinal(left, right);
            else if (long.TryParse(left, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
                     && long.TryParse(right, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var r))
                order = l.CompareTo(r);
            else if (FirmwareVersion.TryParse(left, out var lv) && FirmwareVersion.TryParse(right, out var rv))
            {
                if (lv!.Format != rv!.Format)
                    throw RuleErrors.Evaluation(redactedRule, Position - 1,
                        $"'{left}' is a{(lv.Format == FirmwareVersionFormat.Mpp ? "n MPP" : " SPA")} version and '{right}' a{(rv.Format == FirmwareVersionFormat.Mpp ? "n MPP" : " SPA")} version; a version compares only with one written the same way");
                order = lv.CompareTo(rv);
            }
            else if (!ordering)
                order = string.CompareOrdinal(left, right);
            else
                throw RuleErrors.Evaluation(redactedRule, Position - 1,
                    $"{Describe(Left, left)} and {Describe(Right, right)} are not both integers or versions, so '{Symbol(Operator)}' cannot order them{MissingHint(missing)}");
            switch (Operator)
            {
                case ComparisonOperator.Equal: return order == 0;
                case ComparisonOperator.NotEqual: return order != 0;
                case ComparisonOperator.LessThan: return order < 0;
                case ComparisonOperator.LessOrEqual: return order <= 0;
                case ComparisonOperator.GreaterThan: return order > 0;
                default: return order >= 0;
            }
        }

        private static string ExpandOperand(RuleOperand operand, MacroContext context, string redactedRule, ref List<string>? missing)
        {
            try
            {
                return MacroExpander.ExpandCore(operand.Text, context, allowSecretGpp: false, ref missing);
            }
            catch (MacroSyntaxException ex)
            {
                throw RuleErrors.Syntax(redactedRule, operand.Position - 1 + (operand.IsQuoted ? 1 : 0) + ex.Index, ex.What);
            }
        }

        private static string Describe(RuleOperand operand, string expanded) =>
            operand.Text == expanded ? $"'{expanded}'" : $"'{expanded}' (from {operand.Text})";

        private static string MissingHint(List<string>? missing) =>
            missing == null || missing.Count == 0 ? string.Empty : $" (no value was given for ${string.Join(", $", missing)})";

        internal static string Symbol(ComparisonOperator op)
        {
            switch (op)
            {
                case ComparisonOperator.Equal: return "eq";
                case ComparisonOperator.NotEqual: return "ne";
                case ComparisonOperator.LessThan: return "lt";
                case ComparisonOperator.LessOrEqual: return "le";
                case ComparisonOperator.GreaterThan: return "gt";
                default: return "ge";
            }
        }

        public override string ToString() => $"{(LeftImplied ? string.Empty : Left + " ")}{Symbol(Operator)} {Right}";
    }

    /// <summary>
    /// A condition: comparisons joined by <c>and</c>, all of which must hold (spec §2.3). In a profile or
    /// upgrade rule it is written <c>( ... )?</c>; <see cref="Parse"/> reads the bare form of Resync_Trigger_n.
    /// </summary>
    public sealed class RuleCondition
    {
        private readonly string _redactedSource;

        internal RuleCondition(string text, IReadOnlyList<RuleComparison> comparisons, int position, string redactedSource)
        {
            Text = text;
            Comparisons = comparisons;
            Position = position;
            _redactedSource = redactedSource;
        }

        /// <summary>The condition as written, without the surrounding <c>( )?</c>.</summary>
        public string Text { get; }
        public IReadOnlyList<RuleComparison> Comparisons { get; }
        /// <summary>1-based character position of the condition's text in its rule.</summary>
        public int Position { get; }

        /// <summary>Parses a bare condition such as the Resync_Trigger_1 value <c>$UPGTMR gt 300 and $PRVTMR ge 600</c>.</summary>
        /// <exception cref="ProvisioningException">InvalidProfileRule, naming the 1-based character position.</exception>
        public static RuleCondition Parse(string text)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            var redacted = RuleRedaction.Redact(text);
            return RuleConditionParser.Parse(text, 0, text.Length, redacted);
        }

        /// <summary>True when every comparison holds.</summary>
        /// <exception cref="ProvisioningException">ProfileRuleNotEvaluable when operands cannot be compared (e.g. an ordering of strings).</exception>
        public bool Evaluate(MacroContext context)
        {
            List<string>? missing = null;
            return Evaluate(context, ref missing);
        }

        internal bool Evaluate(MacroContext context, ref List<string>? missing)
        {
            if (context == null) throw new ArgumentNullException(nameof(context));
            foreach (var comparison in Comparisons)
                if (!comparison.Evaluate(context, _redactedSource, ref missing)) return false;
            return true;
        }

        public override string ToString() => Text;
    }

    /// <summary>Tokenizes and parses the text between a condition's parentheses (or a bare trigger condition).</summary>
    internal static class RuleConditionParser
    {
        private enum TokenKind { Operand, QuotedOperand, Operator, And }

        private readonly struct Token
        {
            public Token(TokenKind kind, string text, int index, ComparisonOperator op = default)
            {
                Kind = kind;
                Text = text;
                Index = index;
                Op = op;
            }
            public TokenKind Kind { get; }
            public string Text { get; }
            public int Index { get; }
            public ComparisonOperator Op { get; }
        }

        /// <summary>Parses <paramref name="source"/>[start, end); positions in errors and in the model are absolute.</summary>
        public static RuleCondition Parse(string source, int start, int end, string redacted)
        {
            var tokens = Tokenize(source, start, end, redacted);
            if (tokens.Count == 0)
                throw RuleErrors.Syntax(redacted, start, "the condition is empty; write comparisons such as '$PRVTMR ge 600' joined by 'and'");
            var comparisons = new List<RuleComparison>();
            int i = 0;
            while (true)
            {
                var first = tokens[i];
                RuleOperand left;
                bool implied = false;
                if (first.Kind == TokenKind.Operator)
                {
                    // Legacy form (SPA before 2.0.6): no left operand means $SWVER.
                    left = new RuleOperand("$SWVER", false, first.Index + 1);
                    implied = true;
                }
                else if (first.Kind == TokenKind.And)
                    throw RuleErrors.Syntax(redacted, first.Index, "'and' must stand between two comparisons");
                else
                {
                    left = ToOperand(first);
                    i++;
                    if (i >= tokens.Count)
                        throw RuleErrors.Syntax(redacted, first.Index, $"'{first.Text}' is not followed by a comparison operator (eq, ne, lt, le, gt, ge or =, !=, <, <=, >, >=)");
                }
                var opToken = tokens[i];
                if (opToken.Kind != TokenKind.Operator)
                    throw RuleErrors.Syntax(redacted, opToken.Index, $"'{opToken.Text}' is not a comparison operator; use eq, ne, lt, le, gt, ge or =, !=, <, <=, >, >=");
                i++;
                if (i >= tokens.Count || tokens[i].Kind == TokenKind.Operator || tokens[i].Kind == TokenKind.And)
                    throw RuleErrors.Syntax(redacted, opToken.Index, $"the operator '{opToken.Text}' has no right-hand operand");
                var right = ToOperand(tokens[i]);
                i++;
                bool ordering = opToken.Op != ComparisonOperator.Equal && opToken.Op != ComparisonOperator.NotEqual;
                if (ordering && (left.IsQuoted || right.IsQuoted))
                    throw RuleErrors.Syntax(redacted, opToken.Index,
                        $"'{opToken.Text}' orders integers and versions only; quoted operands are strings and compare with eq or ne (write the version or number without quotes)");
                comparisons.Add(new RuleComparison(left, implied, opToken.Op, right, (implied ? opToken.Index : first.Index) + 1));
                if (i >= tokens.Count) break;
                if (tokens[i].Kind != TokenKind.And)
                {
                    var what = string.Equals(tokens[i].Text, "or", StringComparison.OrdinalIgnoreCase)
                        ? "'or' is not supported: a condition holds when all its comparisons, joined by 'and', hold; use alternatives ('|') for either-or"
                        : $"expected 'and' before '{tokens[i].Text}'";
                    throw RuleErrors.Syntax(redacted, tokens[i].Index, what);
                }
                i++;
                if (i >= tokens.Count)
                    throw RuleErrors.Syntax(redacted, tokens[i - 1].Index, "'and' is not followed by a comparison");
            }
            return new RuleCondition(source.Substring(start, end - start).Trim(), comparisons, start + 1 + LeadingWhiteSpace(source, start, end), redacted);
        }

        private static int LeadingWhiteSpace(string s, int start, int end)
        {
            int n = 0;
            while (start + n < end && char.IsWhiteSpace(s[start + n])) n++;
            return n;
        }

        private static RuleOperand ToOperand(Token t) => new RuleOperand(t.Text, t.Kind == TokenKind.QuotedOperand, t.Index + 1);

        private static List<Token> Tokenize(string s, int start, int end, string redacted)
        {
            var tokens = new List<Token>();
            int i = start;
            while (i < end)
            {
                char c = s[i];
                if (char.IsWhiteSpace(c)) { i++; continue; }
                if (c == '"')
                {
                    int close = s.IndexOf('"', i + 1, end - i - 1);
                    if (close < 0) throw RuleErrors.Syntax(redacted, i, "this quoted string is not closed by '\"'");
                    var text = s.Substring(i + 1, close - i - 1);
                    ValidateMacros(text, i + 1, redacted);
                    tokens.Add(new Token(TokenKind.QuotedOperand, text, i));
                    i = close + 1;
                    continue;
                }
                if (IsOperatorChar(c))
                {
                    int j = i;
                    while (j < end && IsOperatorChar(s[j])) j++;
                    var symbol = s.Substring(i, j - i);
                    if (!TrySymbol(symbol, out var op))
                        throw RuleErrors.Syntax(redacted, i, $"'{symbol}' is not a comparison operator; use =, !=, <, <=, >, >= or eq, ne, lt, le, gt, ge");
                    tokens.Add(new Token(TokenKind.Operator, symbol, i, op));
                    i = j;
                    continue;
                }
                int k = i;
                while (k < end && !char.IsWhiteSpace(s[k]) && !IsOperatorChar(s[k]) && s[k] != '"') k++;
                var word = s.Substring(i, k - i);
                if (TryWord(word, out var wordOp)) tokens.Add(new Token(TokenKind.Operator, word, i, wordOp));
                else if (string.Equals(word, "and", StringComparison.OrdinalIgnoreCase)) tokens.Add(new Token(TokenKind.And, word, i));
                else
                {
                    ValidateMacros(word, i, redacted);
                    tokens.Add(new Token(TokenKind.Operand, word, i));
                }
                i = k;
            }
            return tokens;
        }

        private static void ValidateMacros(string text, int offset, string redacted)
        {
            try { MacroExpander.Validate(text); }
            catch (MacroSyntaxException ex) { throw RuleErrors.Syntax(redacted, offset + ex.Index, ex.What); }
        }

        // '$' is not here: "$A<3" reads $A, '<', 3. A '!' right after a name is the legacy operator.
        private static bool IsOperatorChar(char c) => c == '=' || c == '!' || c == '<' || c == '>';

        private static bool TrySymbol(string symbol, out ComparisonOperator op)
        {
            switch (symbol)
            {
                case "=": op = ComparisonOperator.Equal; return true;
                case "!=": case "!": op = ComparisonOperator.NotEqual; return true;
                case "<": op = ComparisonOperator.LessThan; return true;
                case "<=": op = ComparisonOperator.LessOrEqual; return true;
                case ">": op = ComparisonOperator.GreaterThan; return true;
                case ">=": op = ComparisonOperator.GreaterOrEqual; return true;
                default: op = default; return false;
            }
        }

        private static bool TryWord(string word, out ComparisonOperator op)
        {
            switch (word.ToLowerInvariant())
            {
                case "eq": op = ComparisonOperator.Equal; return true;
                case "ne": op = ComparisonOperator.NotEqual; return true;
                case "lt": op = ComparisonOperator.LessThan; return true;
                case "le": op = ComparisonOperator.LessOrEqual; return true;
                case "gt": op = ComparisonOperator.GreaterThan; return true;
                case "ge": op = ComparisonOperator.GreaterOrEqual; return true;
                default: op = default; return false;
            }
        }
    }

    /// <summary>The two error kinds of rules: the text does not parse, or its values cannot be compared.</summary>
    internal static class RuleErrors
    {
        public static ProvisioningException Syntax(string redactedRule, int index, string what) =>
            new ProvisioningException(ErrorIds.InvalidProfileRule, ErrorKind.InvalidArgument,
                $"Rule '{redactedRule}' at position {index + 1}: {what}.", redactedRule);

        public static ProvisioningException Evaluation(string redactedRule, int index, string what) =>
            new ProvisioningException(ErrorIds.ProfileRuleNotEvaluable, ErrorKind.InvalidData,
                $"Rule '{redactedRule}' at position {index + 1}: {what}.", redactedRule);
    }
}
