using System.Collections.Generic;
using System.Security;

namespace PrivateProvisioning.Core.Rules
{
    /// <summary>
    /// What a phone would do with a profile rule: the alternative it chose, the parameters it assigned and the
    /// URL it would fetch, with the options. When no alternative qualifies the rule is skipped:
    /// <see cref="AlternativeIndex"/> is 0 and <see cref="Url"/> null. The key and password are SecureString
    /// and are never printed; <see cref="Rule"/> shows their arguments as ***.
    /// </summary>
    public sealed class ExpandedProfileRule
    {
        internal ExpandedProfileRule(string rule, int alternativeIndex, string? condition, IReadOnlyDictionary<string, string> assignments,
            string? url, ProfileRuleScheme? scheme, string? host, int? port, string? path, SecureString? key, string? userName,
            SecureString? password, string? post, string? alias, bool srv, bool delta, bool status, string? macAddress, IReadOnlyList<string> missing)
        {
            Rule = rule;
            AlternativeIndex = alternativeIndex;
            Condition = condition;
            Assignments = assignments;
            Url = url;
            Scheme = scheme;
            Host = host;
            Port = port;
            Path = path;
            Key = key;
            UserName = userName;
            Password = password;
            Post = post;
            Alias = alias;
            Srv = srv;
            Delta = delta;
            Status = status;
            MacAddress = macAddress;
            Missing = missing;
        }

        /// <summary>The rule as given, with --key and --pwd arguments shown as ***.</summary>
        public string Rule { get; }
        /// <summary>The URL after macro expansion; null when the rule is skipped or the chosen alternative only assigns.</summary>
        public string? Url { get; }
        public ProfileRuleScheme? Scheme { get; }
        /// <summary>The server; null when the URL names none (the phone then uses DHCP option 66).</summary>
        public string? Host { get; }
        /// <summary>The port, the scheme's default (69, 80, 443) when the URL names none.</summary>
        public int? Port { get; }
        /// <summary>The absolute file path, with any query string.</summary>
        public string? Path { get; }
        /// <summary>The --key argument after expansion ($SA..$SD allowed), read-only; null without --key.</summary>
        public SecureString? Key { get; }
        public bool HasKey => Key != null;
        /// <summary>The --uid argument after expansion.</summary>
        public string? UserName { get; }
        /// <summary>The --pwd argument after expansion, read-only; null without --pwd.</summary>
        public SecureString? Password { get; }
        public bool HasPassword => Password != null;
        /// <summary>--post: the GPP letter whose contents are the POST body.</summary>
        public string? Post { get; }
        /// <summary>--alias: the GPP letter holding the alias map.</summary>
        public string? Alias { get; }
        public bool Srv { get; }
        public bool Delta { get; }
        public bool Status { get; }
        /// <summary>1-based index of the chosen alternative; 0 when none qualified and the phone skips the rule.</summary>
        public int AlternativeIndex { get; }
        /// <summary>The condition that held for the chosen alternative, as written; null when it had none.</summary>
        public string? Condition { get; }
        /// <summary>The parameters the chosen alternative assigned, by canonical name (GPP_C for c), values expanded.</summary>
        public IReadOnlyDictionary<string, string> Assignments { get; }
        /// <summary>The phone's MAC address in the colon form (00:0e:08:ab:cd:ef), if one was given.</summary>
        public string? MacAddress { get; }
        /// <summary>Documented macros the rule used that had no value (they expanded to empty, as an unset GPP does).</summary>
        public IReadOnlyList<string> Missing { get; }

        /// <summary>The URL, or an empty string for a skipped rule; never the key.</summary>
        public override string ToString() => Url ?? string.Empty;
    }
}
