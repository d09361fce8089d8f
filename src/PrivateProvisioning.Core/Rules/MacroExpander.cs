using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace PrivateProvisioning.Core.Rules
{
    /// <summary>The text after expansion, and the documented macros the context had no value for.</summary>
    public sealed class MacroExpansion
    {
        internal MacroExpansion(string text, IReadOnlyList<string> missing)
        {
            Text = text;
            Missing = missing;
        }

        public string Text { get; }

        /// <summary>Documented macro names that expanded to empty because the caller gave no value (e.g. $IP).</summary>
        public IReadOnlyList<string> Missing { get; }
    }

    /// <summary>
    /// Cisco/Linksys macro expansion (spec §1.2): $NAME, $(NAME), $(NAME:p), $(NAME:p:q), $$; one pass, no
    /// recursion; names nobody knows are left exactly as written. A bare $NAME takes the longest run of
    /// identifier characters, which is why generators write $(NAME) before letters or digits.
    /// </summary>
    public static class MacroExpander
    {
        private static readonly IReadOnlyList<string> NoneMissing = Array.Empty<string>();

        /// <summary>Expands <paramref name="text"/>.</summary>
        /// <param name="allowSecretGpp">True inside --key/--uid/--pwd arguments, the only place $SA..$SD expand.</param>
        /// <exception cref="ProvisioningException">An unclosed or malformed $( ... ), naming the character position (1-based).</exception>
        public static MacroExpansion Expand(string text, MacroContext context, bool allowSecretGpp = false)
        {
            if (text.IndexOf('$') < 0) return new MacroExpansion(text, NoneMissing);
            List<string>? missing = null;
            try
            {
                var expanded = ExpandCore(text, context, allowSecretGpp, ref missing);
                return new MacroExpansion(expanded, (IReadOnlyList<string>?)missing ?? NoneMissing);
            }
            catch (MacroSyntaxException ex)
            {
                throw Error(text, ex.Index, ex.What);
            }
        }

        /// <summary>
        /// Expansion that reports malformed macros as positions only (relative to <paramref name="text"/>), so a
        /// caller holding secrets (a rule's --key argument) can word the error without quoting them. Missing
        /// documented names are added to <paramref name="missing"/> once each.
        /// </summary>
        internal static string ExpandCore(string text, MacroContext context, bool allowSecretGpp, ref List<string>? missing)
        {
            if (text.IndexOf('$') < 0) return text;
            var sb = new StringBuilder(text.Length + 32);
            int i = 0;
            while (i < text.Length)
            {
                char c = text[i];
                if (c != '$' || i + 1 >= text.Length)
                {
                    sb.Append(c);
                    i++;
                    continue;
                }
                char next = text[i + 1];
                if (next == '$')
                {
                    sb.Append('$');
                    i += 2;
                    continue;
                }
                if (next == '(')
                {
                    var (name, start, length, close) = ParseParenthesised(text, i);
                    if (TryResolve(name, context, allowSecretGpp, ref missing, out var value))
                        sb.Append(Substring(value, start, length));
                    else
                        sb.Append(text, i, close - i + 1);
                    i = close + 1;
                    continue;
                }
                int end = i + 1;
                while (end < text.Length && IsIdentifierChar(text[end])) end++;
                if (end == i + 1)
                {
                    sb.Append('$');
                    i++;
                    continue;
                }
                var bare = text.Substring(i + 1, end - i - 1);
                if (TryResolve(bare, context, allowSecretGpp, ref missing, out var v))
                    sb.Append(v);
                else
                    sb.Append(text, i, end - i);
                i = end;
            }
            return sb.ToString();
        }

        /// <summary>Checks the $( ... ) forms of <paramref name="text"/> without expanding; throws MacroSyntaxException.</summary>
        internal static void Validate(string text)
        {
            int i = text.IndexOf('$');
            while (i >= 0 && i + 1 < text.Length)
            {
                char next = text[i + 1];
                if (next == '$') i += 2;
                else if (next == '(') i = ParseParenthesised(text, i).Close + 1;
                else i++;
                i = i < text.Length ? text.IndexOf('$', i) : -1;
            }
        }

        private static (string Name, int Start, int Length, int Close) ParseParenthesised(string text, int dollar)
        {
            int close = text.IndexOf(')', dollar + 2);
            if (close < 0)
                throw new MacroSyntaxException(dollar, "'$(' is not closed by ')'");
            var inner = text.Substring(dollar + 2, close - dollar - 2);
            var parts = inner.Split(':');
            var name = parts[0];
            if (name.Length == 0 || !IsIdentifier(name))
                throw new MacroSyntaxException(dollar, $"'$({inner})' does not start with a macro name");
            if (parts.Length > 3)
                throw new MacroSyntaxException(dollar, $"'$({inner})' has more than two ':' arguments");
            int start = 0, length = -1;
            if (parts.Length >= 2 && !TryParseIndex(parts[1], out start))
                throw new MacroSyntaxException(dollar, $"the offset '{parts[1]}' in '$({inner})' is not a whole number");
            if (parts.Length == 3 && !TryParseIndex(parts[2], out length))
                throw new MacroSyntaxException(dollar, $"the length '{parts[2]}' in '$({inner})' is not a whole number");
            return (name, start, length, close);
        }

        /// <summary>Escapes literal '$' for a macro-expanded parameter (the generator rule of spec §1.2).</summary>
        public static string Escape(string literal) => literal.Replace("$", "$$");

        private static bool TryResolve(string name, MacroContext context, bool allowSecretGpp, ref List<string>? missing, out string value)
        {
            if (MacroNames.IsSecretGpp(name) && !allowSecretGpp)
            {
                value = string.Empty;
                return false;
            }
            if (context.TryGetValue(name, out value)) return true;
            if (MacroNames.IsDocumented(name))
            {
                // The phone always has a value for these; we expand to empty (as an unset GPP does) and say so.
                missing ??= new List<string>();
                if (!missing.Contains(name)) missing.Add(name);
                value = string.Empty;
                return true;
            }
            return false;
        }

        private static string Substring(string value, int start, int length)
        {
            if (start >= value.Length) return string.Empty;
            if (length < 0 || start + length > value.Length) return value.Substring(start);
            return value.Substring(start, length);
        }

        private static bool TryParseIndex(string s, out int value) =>
            int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);

        private static bool IsIdentifierChar(char c) =>
            (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';

        private static bool IsIdentifier(string s)
        {
            foreach (var c in s)
                if (!IsIdentifierChar(c)) return false;
            return true;
        }

        internal static bool IsIdentifierCharacter(char c) => IsIdentifierChar(c);

        internal static ProvisioningException Error(string text, int index, string what) =>
            new ProvisioningException(ErrorIds.InvalidProfileRule, ErrorKind.InvalidArgument,
                $"Rule '{text}' at position {index + 1}: {what}.", text);
    }

    /// <summary>A malformed $( ... ) at <see cref="Index"/> (0-based, relative to the expanded text); never holds the text itself.</summary>
    internal sealed class MacroSyntaxException : Exception
    {
        public MacroSyntaxException(int index, string what) : base(what)
        {
            Index = index;
            What = what;
        }

        public int Index { get; }
        public string What { get; }
    }
}
