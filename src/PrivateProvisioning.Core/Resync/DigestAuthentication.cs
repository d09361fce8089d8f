using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PrivateProvisioning.Core.Resync
{
    /// <summary>One challenge from a WWW-Authenticate or Proxy-Authenticate header (HTTP and SIP share the syntax).</summary>
    public sealed class AuthChallenge
    {
        internal AuthChallenge(string scheme, IReadOnlyDictionary<string, string> parameters)
        {
            Scheme = scheme;
            Parameters = parameters;
        }

        /// <summary>"Digest" or "Basic" (as sent).</summary>
        public string Scheme { get; }
        public IReadOnlyDictionary<string, string> Parameters { get; }
        public bool IsDigest => string.Equals(Scheme, "Digest", StringComparison.OrdinalIgnoreCase);
        public bool IsBasic => string.Equals(Scheme, "Basic", StringComparison.OrdinalIgnoreCase);
        public string? Realm => Get("realm");
        public string? Nonce => Get("nonce");
        public string? Opaque => Get("opaque");
        /// <summary>The algorithm token; RFC 2617 says MD5 when absent.</summary>
        public string Algorithm => Get("algorithm") ?? "MD5";
        public string? Qop => Get("qop");

        public string? Get(string name) => Parameters.TryGetValue(name, out var v) ? v : null;

        /// <summary>True when this is a challenge we can answer.</summary>
        public bool IsSupported => IsBasic || (IsDigest && Nonce != null && DigestAuthentication.IsSupportedAlgorithm(Algorithm));
    }

    /// <summary>
    /// HTTP/SIP Digest (RFC 2617, RFC 7616, RFC 3261 §22) and Basic, shared by the HTTP triggers and the SIP
    /// NOTIFY sender. Supports MD5, MD5-sess, SHA-256, SHA-256-sess, qop=auth and auth-int, and the old no-qop form.
    /// </summary>
    public static class DigestAuthentication
    {
        /// <summary>Parses every challenge in the header values (one header may carry several, comma separated).</summary>
        public static IReadOnlyList<AuthChallenge> ParseChallenges(IEnumerable<string> headerValues)
        {
            var list = new List<AuthChallenge>();
            foreach (var value in headerValues)
                ParseInto(value, list);
            return list;
        }

        /// <summary>The challenge we answer: the strongest supported Digest, else Basic, else null.</summary>
        public static AuthChallenge? PickStrongest(IReadOnlyList<AuthChallenge> challenges)
        {
            AuthChallenge? best = null;
            int bestRank = -1;
            foreach (var c in challenges)
            {
                if (!c.IsSupported) continue;
                int rank = c.IsBasic ? 0 : c.Algorithm.StartsWith("SHA-256", StringComparison.OrdinalIgnoreCase) ? 2 : 1;
                if (rank > bestRank) { best = c; bestRank = rank; }
            }
            return best;
        }

        public static bool IsSupportedAlgorithm(string algorithm)
        {
            switch (algorithm.ToUpperInvariant())
            {
                case "MD5": case "MD5-SESS": case "SHA-256": case "SHA-256-SESS": return true;
                default: return false;
            }
        }

        /// <summary>
        /// The Authorization header value answering <paramref name="challenge"/> for one request.
        /// <paramref name="body"/> is only used for qop=auth-int (SIP NOTIFY and our GETs have none).
        /// </summary>
        public static string Authorize(AuthChallenge challenge, string method, string uri, string userName, byte[] password,
            int nonceCount = 1, string? clientNonce = null, byte[]? body = null)
        {
            if (challenge.IsBasic) return Basic(userName, password);
            if (!challenge.IsDigest || challenge.Nonce == null)
                throw new ProvisioningException(ErrorIds.UnsupportedChallenge, ErrorKind.NotImplemented,
                    $"The peer asks for '{challenge.Scheme}' authentication, which is not supported (Digest and Basic are).");
            var algorithm = challenge.Algorithm;
            if (!IsSupportedAlgorithm(algorithm))
                throw new ProvisioningException(ErrorIds.UnsupportedDigestAlgorithm, ErrorKind.NotImplemented,
                    $"The peer asks for Digest algorithm '{algorithm}'; MD5, MD5-sess, SHA-256 and SHA-256-sess are supported.");

            string? qop = ChooseQop(challenge.Qop);
            string realm = challenge.Realm ?? "";
            string nonce = challenge.Nonce;
            string nc = nonceCount.ToString("x8", CultureInfo.InvariantCulture);
            clientNonce ??= NewClientNonce();
            string response = ComputeResponse(algorithm, userName, realm, password, method, uri, nonce, qop, nc, clientNonce, body);

            var sb = new StringBuilder("Digest ");
            sb.Append("username=\"").Append(Escape(userName)).Append("\", realm=\"").Append(Escape(realm))
              .Append("\", nonce=\"").Append(Escape(nonce)).Append("\", uri=\"").Append(Escape(uri))
              .Append("\", response=\"").Append(response).Append("\", algorithm=").Append(algorithm);
            if (qop != null || algorithm.EndsWith("-sess", StringComparison.OrdinalIgnoreCase))
                sb.Append(", cnonce=\"").Append(Escape(clientNonce)).Append('"');
            if (challenge.Opaque != null) sb.Append(", opaque=\"").Append(Escape(challenge.Opaque)).Append('"');
            if (qop != null) sb.Append(", qop=").Append(qop).Append(", nc=").Append(nc);
            return sb.ToString();
        }

        /// <summary>The hex response value (RFC 7616 §3.4.1); public for known-answer tests.</summary>
        public static string ComputeResponse(string algorithm, string userName, string realm, byte[] password, string method, string uri,
            string nonce, string? qop, string nc, string clientNonce, byte[]? body = null)
        {
            bool sha256 = algorithm.StartsWith("SHA-256", StringComparison.OrdinalIgnoreCase);
            bool session = algorithm.EndsWith("-sess", StringComparison.OrdinalIgnoreCase);

            // A1 = user:realm:password, built as bytes so the password never becomes a string.
            var prefix = Encoding.UTF8.GetBytes(userName + ":" + realm + ":");
            var a1 = new byte[prefix.Length + password.Length];
            try
            {
                Buffer.BlockCopy(prefix, 0, a1, 0, prefix.Length);
                Buffer.BlockCopy(password, 0, a1, prefix.Length, password.Length);
                string ha1 = HexText.Lower(Hash(sha256, a1));
                if (session) ha1 = HexText.Lower(Hash(sha256, Encoding.UTF8.GetBytes(ha1 + ":" + nonce + ":" + clientNonce)));
                string a2 = method + ":" + uri;
                if (qop == "auth-int") a2 += ":" + HexText.Lower(Hash(sha256, body ?? new byte[0]));
                string ha2 = HexText.Lower(Hash(sha256, Encoding.UTF8.GetBytes(a2)));
                string data = qop == null ? ha1 + ":" + nonce + ":" + ha2 : ha1 + ":" + nonce + ":" + nc + ":" + clientNonce + ":" + qop + ":" + ha2;
                return HexText.Lower(Hash(sha256, Encoding.UTF8.GetBytes(data)));
            }
            finally
            {
                Array.Clear(a1, 0, a1.Length);
            }
        }

        /// <summary>"Basic base64(user:password)" without a managed copy of the password.</summary>
        public static string Basic(string userName, byte[] password)
        {
            var prefix = Encoding.UTF8.GetBytes(userName + ":");
            var raw = new byte[prefix.Length + password.Length];
            try
            {
                Buffer.BlockCopy(prefix, 0, raw, 0, prefix.Length);
                Buffer.BlockCopy(password, 0, raw, prefix.Length, password.Length);
                return "Basic " + Convert.ToBase64String(raw);
            }
            finally
            {
                Array.Clear(raw, 0, raw.Length);
            }
        }

        // One generator for the process (thread-safe): a resync storm asks for three values per phone.
        private static readonly RandomNumberGenerator Rng = RandomNumberGenerator.Create();

        internal static string NewClientNonce() => RandomHex(24);

        [ThreadStatic] private static byte[]? _random;
        [ThreadStatic] private static int _randomUsed;

        /// <summary>
        /// <paramref name="hexDigits"/> (even, at most 1,024) random lower-case hex digits from the system RNG, drawn 512 bytes at
        /// a time per thread: a call to the RNG costs a lock and a getpid in OpenSSL, once per NOTIFY in a storm. No byte
        /// is handed out twice.
        /// </summary>
        internal static string RandomHex(int hexDigits)
        {
            int count = hexDigits / 2;
            var pool = _random;
            if (pool == null) { pool = _random = new byte[512]; _randomUsed = pool.Length; }
            if (_randomUsed + count > pool.Length)
            {
                Rng.GetBytes(pool);
                _randomUsed = 0;
            }
            const string digits = "0123456789abcdef";
            var chars = new char[count * 2];
            for (int i = 0; i < count; i++)
            {
                byte b = pool[_randomUsed + i];
                chars[2 * i] = digits[b >> 4];
                chars[2 * i + 1] = digits[b & 15];
            }
            Array.Clear(pool, _randomUsed, count);
            _randomUsed += count;
            return new string(chars);
        }

        private static string? ChooseQop(string? offered)
        {
            if (offered == null) return null;
            bool authInt = false;
            foreach (var token in offered.Split(','))
            {
                var t = token.Trim();
                if (string.Equals(t, "auth", StringComparison.OrdinalIgnoreCase)) return "auth";
                if (string.Equals(t, "auth-int", StringComparison.OrdinalIgnoreCase)) authInt = true;
            }
            return authInt ? "auth-int" : null;
        }

        private static byte[] Hash(bool sha256, byte[] data)
        {
            if (sha256) { using (var h = SHA256.Create()) return h.ComputeHash(data); }
            using (var md5 = MD5.Create()) return md5.ComputeHash(data);
        }

        private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"");

        // challenge = scheme 1*SP auth-param *("," auth-param), with several challenges in one header value.
        private static void ParseInto(string value, List<AuthChallenge> list)
        {
            int i = 0;
            string? scheme = null;
            var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            while (i < value.Length)
            {
                while (i < value.Length && (value[i] == ' ' || value[i] == '\t' || value[i] == ',')) i++;
                if (i >= value.Length) break;
                int start = i;
                while (i < value.Length && value[i] != '=' && value[i] != ' ' && value[i] != '\t' && value[i] != ',') i++;
                string token = value.Substring(start, i - start);
                int j = i;
                while (j < value.Length && (value[j] == ' ' || value[j] == '\t')) j++;
                if (j < value.Length && value[j] == '=' && scheme != null)
                {
                    i = j + 1;
                    while (i < value.Length && (value[i] == ' ' || value[i] == '\t')) i++;
                    string paramValue;
                    if (i < value.Length && value[i] == '"')
                    {
                        var sb = new StringBuilder();
                        i++;
                        while (i < value.Length && value[i] != '"')
                        {
                            if (value[i] == '\\' && i + 1 < value.Length) i++;
                            sb.Append(value[i++]);
                        }
                        i++; // closing quote
                        paramValue = sb.ToString();
                    }
                    else
                    {
                        int vs = i;
                        while (i < value.Length && value[i] != ',' && value[i] != ' ' && value[i] != '\t') i++;
                        paramValue = value.Substring(vs, i - vs);
                    }
                    parameters[token] = paramValue;
                }
                else
                {
                    // A bare token starts a new challenge (Basic's token68 has no '=' pairs we need).
                    if (scheme != null) list.Add(new AuthChallenge(scheme, parameters));
                    scheme = token;
                    parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    if (j < value.Length && value[j] == '=') i = j + 1;
                }
            }
            if (scheme != null) list.Add(new AuthChallenge(scheme, parameters));
        }
    }
}
