using System;
using System.Text;

namespace PrivateProvisioning.Core.Rules
{
    /// <summary>
    /// Hides the arguments of <c>--key</c>, <c>--pwd</c> (and <c>--hex-key</c>) in a rule's text, so the rule can be quoted in
    /// messages, error records and result objects. Works on any text, even one that does not parse (an error
    /// message about a broken rule must not leak its key either).
    /// </summary>
    public static class RuleRedaction
    {
        /// <summary>What a hidden argument is replaced with. Fixed, so the secret's length does not show.</summary>
        public const string Mask = "***";

        private static readonly string[] SecretOptions = { "--key", "--pwd", "--hex-key" };

        /// <summary>The rule with every --key, --pwd and --hex-key argument replaced by <see cref="Mask"/>.</summary>
        public static string Redact(string? rule)
        {
            if (string.IsNullOrEmpty(rule) || rule!.IndexOf("--", StringComparison.Ordinal) < 0) return rule ?? string.Empty;
            StringBuilder? sb = null;
            int copied = 0;
            int i = 0;
            while ((i = rule.IndexOf("--", i, StringComparison.Ordinal)) >= 0)
            {
                int nameEnd = i + 2;
                while (nameEnd < rule.Length && char.IsLetter(rule[nameEnd])) nameEnd++;
                // --hex-key: the letters stop at "--hex", which must not let "-key S3cret" slip past the scan.
                if (nameEnd - i == 5 && string.Compare(rule, i, "--hex-key", 0, 9, StringComparison.OrdinalIgnoreCase) == 0
                    && (i + 9 == rule.Length || !char.IsLetter(rule[i + 9]))) nameEnd = i + 9;
                var name = rule.Substring(i, nameEnd - i);
                if (Array.IndexOf(SecretOptions, name.ToLowerInvariant()) < 0)
                {
                    i = nameEnd;
                    continue;
                }
                var (start, end) = ArgumentSpan(rule, nameEnd);
                if (end > start)
                {
                    sb ??= new StringBuilder(rule.Length);
                    sb.Append(rule, copied, start - copied).Append(Mask);
                    copied = end;
                }
                i = Math.Max(end, nameEnd);
            }
            if (sb == null) return rule;
            sb.Append(rule, copied, rule.Length - copied);
            return sb.ToString();
        }

        /// <summary>
        /// The span an option's argument occupies, starting the search at <paramref name="from"/> (just after the
        /// option name): a double-quoted string (to its closing quote, or the end when unclosed), else a run up
        /// to white space or ']'. Mirrors how <see cref="ProfileRule"/> reads arguments.
        /// </summary>
        internal static (int Start, int End) ArgumentSpan(string text, int from)
        {
            int start = from;
            while (start < text.Length && char.IsWhiteSpace(text[start])) start++;
            if (start >= text.Length) return (start, start);
            if (text[start] == '"')
            {
                int close = text.IndexOf('"', start + 1);
                return (start, close < 0 ? text.Length : close + 1);
            }
            int end = start;
            while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] != ']') end++;
            return (start, end);
        }
    }
}
