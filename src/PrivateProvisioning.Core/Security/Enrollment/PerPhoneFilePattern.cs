using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace PrivateProvisioning.Core.Security.Enrollment
{
    /// <summary>
    /// A file-name pattern that marks a served file as one phone's (or one user's): a wildcard pattern
    /// (* and ?) with exactly one identity token, $MA or $MAU for the MAC address (12 hex digits, any case)
    /// or $USER for a user name. Without '/' it matches the file name in any folder; with '/' it matches
    /// the path from the served root. Matching ignores case, so a case-insensitive file system (IIS) cannot
    /// serve a per-phone file under a name the pattern misses. Files no pattern matches are shared.
    /// </summary>
    public sealed class PerPhoneFilePattern
    {
        /// <summary>Any file whose name holds 12 hex digits: $MA.xml, spa$MA.xml, SEP$MA.cnf.xml, CP-8851-3PCC$MA.cfg...</summary>
        public static readonly IReadOnlyList<string> DefaultMacAddressPatterns = new[] { "*$MA*" };

        /// <summary>
        /// The PrivateWave per-user files we write: the client certificate &lt;username&gt; with the extensions the
        /// profile's "client certificate extension" allows. Per-user profiles under other names need their own patterns.
        /// </summary>
        public static readonly IReadOnlyList<string> DefaultUserNamePatterns = new[] { "$USER.pem", "$USER.crt", "$USER.der", "$USER.p12" };

        private const string MacToken = "([0-9A-Fa-f]{12})";
        private const string UserToken = "([^/|]+)";

        public PerPhoneFilePattern(string pattern, ClientIdentityKind kind)
        {
            Pattern = pattern ?? throw new ArgumentNullException(nameof(pattern));
            Kind = kind;
            Regex = Translate(pattern, kind);
            // The same expression .NET would run, to answer IsPerPhone/GetIdentity in tests and previews.
            _regex = new Regex(Regex, RegexOptions.IgnoreCase | RegexOptions.ECMAScript);
        }

        private readonly Regex _regex;

        public string Pattern { get; }
        public ClientIdentityKind Kind { get; }
        /// <summary>The expression over the decoded request path ("/dir/file"), with the identity as group 1.</summary>
        public string Regex { get; }

        /// <summary>The identity a request path belongs to under this pattern, or null when the pattern does not match.</summary>
        public string? GetIdentity(string requestPath)
        {
            var m = _regex.Match(requestPath ?? "");
            return m.Success ? m.Groups[1].Value : null;
        }

        public static IReadOnlyList<PerPhoneFilePattern> Parse(IEnumerable<string>? patterns, ClientIdentityKind kind)
        {
            var list = (patterns ?? Enumerable.Empty<string>()).Where(p => p != null).ToList();
            if (list.Count == 0)
                list = (kind == ClientIdentityKind.MacAddress ? DefaultMacAddressPatterns : DefaultUserNamePatterns).ToList();
            return list.Select(p => new PerPhoneFilePattern(p, kind)).ToList();
        }

        public override string ToString() => Pattern;

        private static string Translate(string pattern, ClientIdentityKind kind)
        {
            if (pattern.Trim().Length == 0) throw Invalid(pattern, "it is empty");
            var body = pattern;
            bool rooted = body.IndexOf('/') >= 0;
            if (rooted) body = body.TrimStart('/');
            var sb = new StringBuilder(rooted ? "^/" : "(?:^|/)");
            int tokens = 0;
            for (int i = 0; i < body.Length; i++)
            {
                char c = body[i];
                if (c == '$')
                {
                    string? token = body.Substring(i).StartsWith("$MAU", StringComparison.Ordinal) ? "$MAU"
                        : body.Substring(i).StartsWith("$MA", StringComparison.Ordinal) ? "$MA"
                        : body.Substring(i).StartsWith("$USER", StringComparison.Ordinal) ? "$USER" : null;
                    if (token == null) throw Invalid(pattern, $"character {i + 1}: only $MA, $MAU and $USER may follow '$'");
                    bool mac = token != "$USER";
                    if (mac != (kind == ClientIdentityKind.MacAddress))
                        throw Invalid(pattern, $"{token} names a {(mac ? "MAC address" : "user name")}, but the identity is a {(kind == ClientIdentityKind.MacAddress ? "MAC address ($MA)" : "user name ($USER)")}");
                    sb.Append(mac ? MacToken : UserToken);
                    tokens++;
                    i += token.Length - 1;
                }
                else if (c == '*') sb.Append("[^/]*");
                else if (c == '?') sb.Append("[^/]");
                else if (c == '/')
                {
                    if (i > 0 && body[i - 1] == '/') throw Invalid(pattern, "it has an empty folder name (//)");
                    sb.Append('/');
                }
                else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '~' || c == '@' || c == ',' || c == '=' || c == '!' || c == '&')
                    sb.Append(c);
                else if (c == '.' || c == '+')
                    sb.Append('\\').Append(c);
                else
                    throw Invalid(pattern, $"character {i + 1} ('{(c < 0x20 ? "\\x" + ((int)c).ToString("x2") : c.ToString())}') is not allowed; use letters, digits, . _ - ~ @ + , = ! &, the wildcards * ? and /");
            }
            if (tokens != 1) throw Invalid(pattern, tokens == 0
                ? (kind == ClientIdentityKind.MacAddress ? "it has no $MA: say where the MAC address is in the file name" : "it has no $USER: say where the user name is in the file name")
                : "it names the identity more than once");
            if (body.EndsWith("/", StringComparison.Ordinal)) throw Invalid(pattern, "it ends with '/'; name files, not folders");
            sb.Append('$');
            return sb.ToString();
        }

        private static ProvisioningException Invalid(string pattern, string why) =>
            new ProvisioningException(ErrorIds.InvalidWebServerSetting, ErrorKind.InvalidArgument, $"The PerPhoneFile pattern '{pattern}' is refused: {why}.", pattern);
    }
}
