using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace PrivateProvisioning.Core.Security.Enrollment
{
    /// <summary>Whose files a client certificate opens: one phone's (by MAC address) or one user's (PrivateWave).</summary>
    public enum ClientIdentityKind
    {
        MacAddress,
        UserName,
    }

    /// <summary>
    /// How the identity is taken out of a client certificate's subject: one attribute (CN by default) and a
    /// regular expression over its value; the identity is the concatenation of the expression's capture
    /// groups. The same rule is written into nginx, Apache and IIS configurations, so the expression keeps
    /// to the part of the syntax the three share (PCRE and ECMAScript): groups, classes, quantifiers,
    /// alternation, ^ and $; no named groups, no look-behind.
    /// </summary>
    public sealed class ClientIdentityRule
    {
        private const string Hex = "[0-9A-Fa-f]";
        private const string Pair = "(" + Hex + "{2})";
        private const string Separator = "[-:.]?";

        /// <summary>
        /// The MAC address as 12 hex digits anywhere in the value, with or without '-', ':' or '.' between
        /// the pairs, not inside a longer hex run: fits our own certificates (CN=001122aabbcc), Cisco's
        /// SEP001122AABBCC, and a CN holding product name, MAC and serial number.
        /// </summary>
        public const string DefaultMacAddressPattern =
            "(?:^|[^0-9A-Fa-f])" + Pair + Separator + Pair + Separator + Pair + Separator + Pair + Separator + Pair + Separator + Pair + "(?:[^0-9A-Fa-f]|$)";

        /// <summary>The whole value is the user name (PrivateWave clients: CN = the user name of &lt;username&gt;.pem).</summary>
        public const string DefaultUserNamePattern = "^([^|]+)$";

        /// <summary>The attributes the three servers all expose, by the names used here.</summary>
        private static readonly Dictionary<string, SubjectAttribute> Attributes = new Dictionary<string, SubjectAttribute>(StringComparer.OrdinalIgnoreCase)
        {
            ["CN"] = new SubjectAttribute("CN", "2.5.4.3", "CN", "CN", "CN"),
            ["OU"] = new SubjectAttribute("OU", "2.5.4.11", "OU", "OU", "OU"),
            ["O"] = new SubjectAttribute("O", "2.5.4.10", "O", "O", "O"),
            ["L"] = new SubjectAttribute("L", "2.5.4.7", "L", "L", "L"),
            ["ST"] = new SubjectAttribute("ST", "2.5.4.8", "ST", "ST", "S"),
            ["emailAddress"] = new SubjectAttribute("emailAddress", "1.2.840.113549.1.9.1", "emailAddress", "Email", "E"),
        };

        private readonly Regex _regex;
        private readonly SubjectAttribute _attribute;

        /// <param name="kind">Whether the identity is a MAC address or a user name.</param>
        /// <param name="attribute">CN (default), OU, O, L, ST or emailAddress.</param>
        /// <param name="pattern">A regular expression over the attribute's value; null for the default of <paramref name="kind"/>.</param>
        public ClientIdentityRule(ClientIdentityKind kind, string? attribute = null, string? pattern = null)
        {
            Kind = kind;
            var name = string.IsNullOrEmpty(attribute) ? "CN" : attribute!;
            if (!Attributes.TryGetValue(name, out var found))
                throw Invalid("IdentityAttribute", name, "use one of " + string.Join(", ", Attributes.Keys));
            _attribute = found;
            Pattern = string.IsNullOrEmpty(pattern) ? (kind == ClientIdentityKind.MacAddress ? DefaultMacAddressPattern : DefaultUserNamePattern) : pattern!;
            _regex = Compile(Pattern, out var groups);
            GroupCount = groups;
        }

        public static ClientIdentityRule Default(ClientIdentityKind kind) => new ClientIdentityRule(kind);

        /// <summary>The rule the front ends' identity options describe, or null when none was given (the default then applies).</summary>
        public static ClientIdentityRule? FromOptions(ClientIdentityKind? kind, string? attribute, string? pattern) =>
            kind == null && string.IsNullOrEmpty(attribute) && string.IsNullOrEmpty(pattern)
                ? null
                : new ClientIdentityRule(kind ?? ClientIdentityKind.MacAddress, attribute, pattern);

        public ClientIdentityKind Kind { get; }
        /// <summary>The subject attribute the pattern reads (CN, OU, O, L, ST, emailAddress).</summary>
        public string Attribute => _attribute.Name;
        public string Pattern { get; }
        /// <summary>How many capture groups the pattern has (1 to 9); the identity is their concatenation.</summary>
        public int GroupCount { get; }
        /// <summary>MAC addresses compare without regard to case; user names exactly.</summary>
        public bool IgnoreCase => Kind == ClientIdentityKind.MacAddress;

        internal string NginxAttributeName => _attribute.Nginx;
        internal string ApacheVariable => "SSL_CLIENT_S_DN_" + _attribute.Apache;
        internal string IisAttributeName => _attribute.Iis;

        /// <summary>The identity in a certificate, or null when the rule finds none (such a certificate opens only shared files).</summary>
        public string? GetIdentity(X509Certificate2 certificate)
        {
            if (certificate == null) throw new ArgumentNullException(nameof(certificate));
            return GetIdentity(certificate.SubjectName);
        }

        /// <summary>The identity in a distinguished name as Windows prints it ("CN=SEP001122AABBCC, O=Example").</summary>
        public string? GetIdentity(string distinguishedName)
        {
            X500DistinguishedName name;
            try { name = new X500DistinguishedName(distinguishedName ?? ""); }
            catch (System.Security.Cryptography.CryptographicException ex)
            {
                throw new ProvisioningException(ErrorIds.InvalidDistinguishedName, ErrorKind.InvalidArgument,
                    $"The subject '{distinguishedName}' is not a distinguished name: {ex.Message}", distinguishedName, ex);
            }
            return GetIdentity(name);
        }

        private string? GetIdentity(X500DistinguishedName subject)
        {
            // The first value of the attribute in certificate order, as mod_ssl's SSL_CLIENT_S_DN_xx reads it.
            var x509Name = X509Name.GetInstance(Asn1Object.FromByteArray(subject.RawData));
            var values = x509Name.GetValueList(new DerObjectIdentifier(_attribute.Oid));
            if (values.Count == 0) return null;
            return Apply(values[0]);
        }

        /// <summary>The identity the pattern takes out of one attribute value, normalised (a MAC as 12 lower-case hex digits).</summary>
        public string? Apply(string attributeValue)
        {
            var match = _regex.Match(attributeValue ?? "");
            if (!match.Success) return null;
            var sb = new StringBuilder();
            for (int i = 1; i <= GroupCount; i++) sb.Append(match.Groups[i].Value);
            var identity = sb.ToString();
            if (identity.Length == 0 || identity.IndexOf('|') >= 0) return null;
            if (Kind == ClientIdentityKind.MacAddress)
            {
                if (identity.Length != 12) return null;
                foreach (var c in identity)
                    if (!Uri.IsHexDigit(c)) return null;
                return identity.ToLowerInvariant();
            }
            return identity;
        }

        public override string ToString() => $"{Kind}: {Attribute} =~ {Pattern}";

        private static Regex Compile(string pattern, out int groups)
        {
            // What the three servers' configuration files can carry unchanged.
            for (int i = 0; i < pattern.Length; i++)
            {
                var c = pattern[i];
                if (c == '"' || c == '\'' || c < 0x20 || c == 0x7F)
                    throw Invalid("IdentityPattern", pattern, $"character {i + 1} cannot be written into a web server configuration");
            }
            if (pattern.EndsWith("\\", StringComparison.Ordinal) && !pattern.EndsWith("\\\\", StringComparison.Ordinal))
                throw Invalid("IdentityPattern", pattern, "it ends with a lone backslash");
            if (pattern.Contains("(?<") || pattern.Contains("(?P<") || pattern.Contains("(?'"))
                throw Invalid("IdentityPattern", pattern, "named groups and look-behind are not understood by every server; use plain ( ) groups");
            Regex regex;
            try { regex = new Regex(pattern, RegexOptions.ECMAScript, TimeSpan.FromSeconds(1)); }
            catch (ArgumentException ex) { throw Invalid("IdentityPattern", pattern, "it is not a regular expression (" + ex.Message + ")"); }
            groups = regex.GetGroupNumbers().Length - 1;
            if (groups < 1 || groups > 9)
                throw Invalid("IdentityPattern", pattern, $"it has {groups} capture groups; the identity is the concatenation of 1 to 9 groups");
            return regex;
        }

        internal static ProvisioningException Invalid(string field, string? value, string why) =>
            new ProvisioningException(ErrorIds.InvalidWebServerSetting, ErrorKind.InvalidArgument, $"The {field} '{value}' is refused: {why}.", field);

        private sealed class SubjectAttribute
        {
            public SubjectAttribute(string name, string oid, string nginx, string apache, string iis)
            {
                Name = name; Oid = oid; Nginx = nginx; Apache = apache; Iis = iis;
            }
            public string Name { get; }
            public string Oid { get; }
            /// <summary>The RFC 2253 name in nginx's $ssl_client_s_dn.</summary>
            public string Nginx { get; }
            /// <summary>The suffix of mod_ssl's SSL_CLIENT_S_DN_xx.</summary>
            public string Apache { get; }
            /// <summary>The name in IIS's {CERT_SUBJECT}.</summary>
            public string Iis { get; }
        }
    }
}
