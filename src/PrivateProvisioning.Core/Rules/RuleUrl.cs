using System;
using System.Globalization;

namespace PrivateProvisioning.Core.Rules
{
    /// <summary>
    /// <c>[scheme://][server[:port]]filepath</c> (spec §2.1): no scheme means TFTP, no server means the one
    /// from DHCP option 66, no port means 69/80/443, and the path is mandatory and absolute (it may carry a query).
    /// </summary>
    internal readonly struct RuleUrl
    {
        private RuleUrl(ProfileRuleScheme scheme, bool schemeWritten, string? host, int port, bool portWritten, string path)
        {
            Scheme = scheme;
            SchemeWritten = schemeWritten;
            Host = host;
            Port = port;
            PortWritten = portWritten;
            Path = path;
        }

        public ProfileRuleScheme Scheme { get; }
        public bool SchemeWritten { get; }
        public string? Host { get; }
        public int Port { get; }
        public bool PortWritten { get; }
        public string Path { get; }

        public static int DefaultPort(ProfileRuleScheme scheme) =>
            scheme == ProfileRuleScheme.Tftp ? 69 : scheme == ProfileRuleScheme.Http ? 80 : 443;

        public static string SchemeName(ProfileRuleScheme scheme) => scheme.ToString().ToLowerInvariant();

        /// <summary>The URL as the phone would request it; a server-less URL stays a bare path unless a default server is known.</summary>
        public string Format(string? defaultServer)
        {
            var host = Host ?? defaultServer;
            if (host == null) return Path;
            return SchemeName(Scheme) + "://" + host + (PortWritten ? ":" + Port.ToString(CultureInfo.InvariantCulture) : string.Empty) + Path;
        }

        private static bool IsLetters(string text, int length)
        {
            for (int i = 0; i < length; i++)
                if (!char.IsLetter(text[i])) return false;
            return true;
        }

        /// <summary>Parses <paramref name="text"/>; on failure gives the 0-based index in it and what is wrong.</summary>
        public static bool TryParse(string text, out RuleUrl url, out int errorIndex, out string? error)
        {
            url = default;
            errorIndex = 0;
            error = null;
            var scheme = ProfileRuleScheme.Tftp;
            bool schemeWritten = false;
            int rest = 0;
            int sep = text.IndexOf("://", StringComparison.Ordinal);
            if (sep > 0 && IsLetters(text, sep))
            {
                var name = text.Substring(0, sep);
                switch (name.ToLowerInvariant())
                {
                    case "tftp": scheme = ProfileRuleScheme.Tftp; break;
                    case "http": scheme = ProfileRuleScheme.Http; break;
                    case "https": scheme = ProfileRuleScheme.Https; break;
                    default:
                        error = $"'{name}' is not a provisioning scheme; use tftp://, http:// or https:// (or none, for TFTP)";
                        return false;
                }
                schemeWritten = true;
                rest = sep + 3;
            }
            int slash = text.IndexOf('/', rest);
            if (slash < 0)
            {
                errorIndex = text.Length;
                error = "the URL has no file path; it needs an absolute path such as /$MA.cfg after the server";
                return false;
            }
            var authority = text.Substring(rest, slash - rest);
            string? host = null;
            int port = DefaultPort(scheme);
            bool portWritten = false;
            if (authority.Length > 0)
            {
                int colon = authority.LastIndexOf(':');
                bool bracketedIpv6 = authority.StartsWith("[", StringComparison.Ordinal) && authority.EndsWith("]", StringComparison.Ordinal);
                if (colon >= 0 && !bracketedIpv6)
                {
                    var portText = authority.Substring(colon + 1);
                    if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port < 1 || port > 65535)
                    {
                        errorIndex = rest + colon + 1;
                        error = $"the port '{portText}' is not a number from 1 to 65535";
                        return false;
                    }
                    portWritten = true;
                    authority = authority.Substring(0, colon);
                }
                if (authority.Length == 0)
                {
                    errorIndex = rest;
                    error = "the URL names a port but no server";
                    return false;
                }
                foreach (var c in authority)
                    if (char.IsWhiteSpace(c) || c == '?' || c == '#' || c == '@')
                    {
                        errorIndex = rest;
                        error = $"'{authority}' is not a server name or address";
                        return false;
                    }
                host = authority;
            }
            url = new RuleUrl(scheme, schemeWritten, host, port, portWritten, text.Substring(slash));
            return true;
        }
    }
}
