using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.IO;
using System.Text;

namespace PrivateProvisioning.Core.Security.Enrollment
{
    public enum WebServerKind
    {
        Nginx,
        Apache,
        /// <summary>IIS: a web.config for the served folder (the certificate binding is IIS's own, see the docs).</summary>
        Iis,
    }

    /// <summary>Which client certificates open which files.</summary>
    public enum WebServerAuthorization
    {
        /// <summary>Any certificate from the client CA opens every file (every phone can read every profile).</summary>
        AnyClientCertificate,
        /// <summary>A certificate opens the per-phone files of its own identity and the shared files only.</summary>
        PerPhone,
    }

    /// <summary>What to serve and with which certificates. Paths are made absolute.</summary>
    public sealed class WebServerConfigurationOptions
    {
        /// <summary>HTTPS port when the user does not say.</summary>
        public const int DefaultPort = 443;
        /// <summary>Longest client chain accepted when the user does not say (phone certificate, issuing CA).</summary>
        public const int DefaultVerifyDepth = 2;
        /// <summary>Who may fetch: any client certificate the CA issued, unless each phone is held to its own files.</summary>
        public const WebServerAuthorization DefaultAuthorization = WebServerAuthorization.AnyClientCertificate;

        public WebServerConfigurationOptions(string root, string? certificate, string? certificateKey, string clientCA,
            string serverName, int port = 443, string? listenAddress = null, int verifyDepth = 2,
            WebServerAuthorization authorization = DefaultAuthorization, ClientIdentityRule? identity = null,
            IEnumerable<string>? perPhoneFiles = null, string? clientCrl = null)
        {
            Root = Absolute(root, "Root");
            Certificate = string.IsNullOrEmpty(certificate) ? null : Absolute(certificate!, "Certificate");
            CertificateKey = string.IsNullOrEmpty(certificateKey) ? null : Absolute(certificateKey!, "CertificateKey");
            ClientCA = Absolute(clientCA, "ClientCA");
            ClientCrl = string.IsNullOrEmpty(clientCrl) ? null : Absolute(clientCrl!, "ClientCrl");
            ServerName = CheckServerName(serverName);
            if (port < 1 || port > 65535) throw Invalid("Port", port.ToString(CultureInfo.InvariantCulture), "a port is 1 to 65535");
            Port = port;
            if (listenAddress != null && !System.Net.IPAddress.TryParse(listenAddress, out _))
                throw Invalid("ListenAddress", listenAddress, "it is not an IP address");
            ListenAddress = listenAddress;
            if (verifyDepth < 1 || verifyDepth > 10) throw Invalid("VerifyDepth", verifyDepth.ToString(CultureInfo.InvariantCulture), "use 1 to 10");
            VerifyDepth = verifyDepth;
            Authorization = authorization;
            var files = perPhoneFiles?.ToList();
            if (authorization != WebServerAuthorization.PerPhone && (identity != null || (files != null && files.Count > 0)))
                throw Invalid("Authorization", authorization.ToString(), "an identity rule or per-phone file patterns only apply with PerPhone authorization");
            if (authorization == WebServerAuthorization.PerPhone)
            {
                Identity = identity ?? ClientIdentityRule.Default(ClientIdentityKind.MacAddress);
                PerPhoneFiles = PerPhoneFilePattern.Parse(files, Identity.Kind);
            }
            else PerPhoneFiles = Array.Empty<PerPhoneFilePattern>();
        }

        /// <summary>The output folder to serve.</summary>
        public string Root { get; }
        /// <summary>The server certificate (PEM; may carry intermediates after it). nginx and Apache only: IIS binds it itself.</summary>
        public string? Certificate { get; }
        public string? CertificateKey { get; }
        /// <summary>The CA whose client certificates are accepted.</summary>
        public string ClientCA { get; }
        /// <summary>A CRL from the client CA (PEM); revoked phones are refused during the handshake.</summary>
        public string? ClientCrl { get; }
        public string ServerName { get; }
        public int Port { get; }
        public string? ListenAddress { get; }
        public int VerifyDepth { get; }
        public WebServerAuthorization Authorization { get; }
        /// <summary>How the identity is read from a client certificate (PerPhone only).</summary>
        public ClientIdentityRule? Identity { get; }
        /// <summary>Which files are per-phone (PerPhone only); every other file is shared.</summary>
        public IReadOnlyList<PerPhoneFilePattern> PerPhoneFiles { get; }

        private static string Absolute(string path, string field)
        {
            if (string.IsNullOrWhiteSpace(path)) throw Invalid(field, path, "it is required");
            var full = Path.GetFullPath(path).Replace('\\', '/');
            // Both servers take these values inside double quotes; nginx also expands '$' in root.
            foreach (var c in full)
                if (c == '"' || c == '$' || c < 0x20)
                    throw Invalid(field, path, $"the character '{(c < 0x20 ? "\\x" + ((int)c).ToString("x2") : c.ToString())}' cannot be written safely in a web server configuration");
            return full;
        }

        private static string CheckServerName(string name)
        {
            if (name == "_") return name;
            if (string.IsNullOrEmpty(name) || name.Length > 253) throw Invalid("ServerName", name, "it is required (a host name, or _ for nginx's catch-all)");
            foreach (var c in name)
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '*'))
                    throw Invalid("ServerName", name, $"'{c}' is not allowed in a host name");
            return name;
        }

        internal static ProvisioningException Invalid(string field, string? value, string why) =>
            new ProvisioningException(ErrorIds.InvalidWebServerSetting, ErrorKind.InvalidArgument, $"The {field} '{value}' is refused: {why}.", field);
    }

    /// <summary>A rendered configuration snippet, and where it was written (if it was).</summary>
    public sealed class WebServerConfiguration
    {
        internal WebServerConfiguration(WebServerKind server, WebServerAuthorization authorization, string? path, string text, WriteStatus? status)
        {
            Server = server; Authorization = authorization; Path = path; Text = text; Status = status;
        }

        public WebServerKind Server { get; }
        public WebServerAuthorization Authorization { get; }
        public string? Path { get; }
        public string Text { get; }
        public WriteStatus? Status { get; }
    }

    /// <summary>
    /// Writes the TLS configuration that serves an output folder only to clients holding a certificate from
    /// our CA (mutual TLS), and with PerPhone authorization lets each certificate open only its own
    /// per-phone files besides the shared ones. The servers compare identities the same way: the request's
    /// file name gives one identity (first per-phone pattern that matches), the certificate's subject the
    /// other (the identity rule), and a backreference over "certificate|file" decides.
    /// </summary>
    public static class WebServerConfigurationWriter
    {
        /// <summary>What both front ends say when a configuration lets every phone read every file.</summary>
        public const string NoPerPhoneAuthorizationWarning =
            "This configuration lets any certificate from the client CA download every file, so one phone (or one stolen phone certificate) " +
            "can read every other phone's profile and SIP password. Use PerPhone authorization for production (see docs/production-serving.md).";

        // The comparison both sides of which are identities without '|': equal iff the string is X|X.
        private const string SameIdentity = "^([^|]+)\\|\\1$";

        /// <summary>
        /// What every configuration refuses: a URL path segment starting with '.' (a hidden file or folder). Atomic writes
        /// put their temporary file beside the target as .NAME.xxxx.tmp, and a run killed at the wrong moment leaves one in
        /// the served folder until the next run sweeps it; pprov serve refuses such names itself, and so must nginx,
        /// Apache and IIS. In a URL path every segment follows a '/', so "/." finds them all.
        /// </summary>
        internal const string HiddenSegmentSequence = "/.";

        public static WebServerConfiguration Write(WebServerKind server, WebServerConfigurationOptions options, string? path = null, bool whatIf = false, IOperationLog? log = null)
        {
            var text = Render(server, options);
            if (options.Authorization != WebServerAuthorization.PerPhone) (log ?? NullOperationLog.Instance).Warning(NoPerPhoneAuthorizationWarning);
            if (path == null) return new WebServerConfiguration(server, options.Authorization, null, text, null);
            var full = Path.GetFullPath(path);
            var status = AtomicFile.Write(full, Encoding.UTF8.GetBytes(text), whatIf: whatIf);
            return new WebServerConfiguration(server, options.Authorization, full, text, status);
        }

        public static string Render(WebServerKind server, WebServerConfigurationOptions o)
        {
            switch (server)
            {
                case WebServerKind.Nginx: return RenderNginx(o);
                case WebServerKind.Apache: return RenderApache(o);
                case WebServerKind.Iis: return IisWebConfigWriter.Render(o);
                default: throw new ProvisioningException(ErrorIds.UnsupportedWebServer, ErrorKind.InvalidArgument, $"Unknown web server {server}.");
            }
        }

        private static void RequireServerCertificate(WebServerKind server, WebServerConfigurationOptions o)
        {
            if (o.Certificate == null) throw WebServerConfigurationOptions.Invalid("Certificate", "", $"{server} needs the server certificate (PEM)");
            if (o.CertificateKey == null) throw WebServerConfigurationOptions.Invalid("CertificateKey", "", $"{server} needs the server certificate's private key (PEM)");
        }

        private static string N(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

        private static string GroupsConcatenation(ClientIdentityRule rule, char sigil)
        {
            var sb = new StringBuilder();
            for (int i = 1; i <= rule.GroupCount; i++) sb.Append(sigil).Append(i.ToString(CultureInfo.InvariantCulture));
            return sb.ToString();
        }

        private static string RenderNginx(WebServerConfigurationOptions o)
        {
            RequireServerCertificate(WebServerKind.Nginx, o);
            var port = o.Port.ToString(CultureInfo.InvariantCulture);
            var listen = o.ListenAddress == null ? port
                : (o.ListenAddress.Contains(":") ? "[" + o.ListenAddress + "]" : o.ListenAddress) + ":" + port;
            var v = "$pprov" + port + "_";
            var sb = new StringBuilder();
            sb.Append("# Generated by PrivateProvisioning: serves ").Append(o.Root).Append(" over HTTPS, only to clients\n");
            sb.Append("# holding a certificate issued by ").Append(o.ClientCA).Append(". Include it inside http { }.\n");
            if (o.Authorization == WebServerAuthorization.PerPhone)
            {
                var rule = o.Identity!;
                var ci = rule.IgnoreCase ? "~*" : "~";
                sb.Append("# Per-phone authorization: a certificate opens the per-phone files of its own ").Append(rule.Kind == ClientIdentityKind.MacAddress ? "MAC address" : "user name").Append(" and the shared files.\n");
                sb.Append("# Per-phone files: ").Append(string.Join(" ", o.PerPhoneFiles.Select(p => p.Pattern))).Append("; every other file is shared.\n\n");
                sb.Append("# The subject attribute ").Append(rule.Attribute).Append(" (the first in certificate order), from the RFC 2253 subject.\n");
                sb.Append("map $ssl_client_s_dn ").Append(v).Append("attr {\n    default \"\";\n    ");
                sb.Append(N("~^(?:(?:[^,+\\\\]|\\\\.)*[,+])*" + rule.NginxAttributeName + "=(?<" + v.Substring(1) + "value>(?:[^,+\\\\]|\\\\.)*)(?:[,+]|$)"));
                sb.Append(' ').Append(v).Append("value;\n}\n");
                sb.Append("# The certificate's identity: the concatenation of the rule's groups.\n");
                sb.Append("map ").Append(v).Append("attr ").Append(v).Append("client {\n    default \"\";\n    ");
                sb.Append(N(ci + rule.Pattern)).Append(' ').Append(N(GroupsConcatenation(rule, '$'))).Append(";\n}\n");
                sb.Append("# The requested file's identity: the first per-phone pattern that matches; empty for a shared file.\n");
                sb.Append("map $uri ").Append(v).Append("file {\n    default \"\";\n");
                foreach (var p in o.PerPhoneFiles)
                    sb.Append("    ").Append(N("~*" + p.Regex)).Append(" $1;  # ").Append(p.Pattern).Append('\n');
                sb.Append("}\n");
                sb.Append("map \"").Append(v).Append("file|").Append(v).Append("client\" ").Append(v).Append("denied {\n");
                sb.Append("    \"~^\\\\|\" 0;  # a shared file\n");
                sb.Append("    ").Append(N(ci + SameIdentity)).Append(" 0;  # the certificate's own file\n");
                sb.Append("    default 1;\n}\n\n");
            }
            sb.Append("server {\n");
            sb.Append("    listen ").Append(listen).Append(" ssl;\n");
            sb.Append("    server_name ").Append(o.ServerName).Append(";\n\n");
            sb.Append("    ssl_certificate     \"").Append(o.Certificate).Append("\";\n");
            sb.Append("    ssl_certificate_key \"").Append(o.CertificateKey).Append("\";\n");
            sb.Append("    # Old Cisco SPA firmware speaks only TLS 1.0/1.1: add them here if such phones must connect.\n");
            sb.Append("    ssl_protocols       TLSv1.2 TLSv1.3;\n\n");
            sb.Append("    # Mutual TLS: a request without a certificate from this CA gets 400, before any file is read.\n");
            sb.Append("    ssl_client_certificate \"").Append(o.ClientCA).Append("\";\n");
            sb.Append("    ssl_verify_client on;\n");
            sb.Append("    ssl_verify_depth ").Append(o.VerifyDepth.ToString(CultureInfo.InvariantCulture)).Append(";\n");
            if (o.ClientCrl != null)
                sb.Append("    # Revoked client certificates are refused (400). Replace the file and reload nginx when the CRL is renewed.\n    ssl_crl \"").Append(o.ClientCrl).Append("\";\n");
            sb.Append('\n');
            sb.Append("    root \"").Append(o.Root).Append("\";\n");
            sb.Append("    autoindex off;\n");
            sb.Append("    # Hidden files and folders (a path segment starting with '.': the temporary .NAME.xxxx.tmp an interrupted\n");
            sb.Append("    # run leaves, .git) are never served. A regex location wins over \"location /\".\n");
            sb.Append("    location ~ /\\. {\n");
            sb.Append("        return 404;\n");
            sb.Append("    }\n");
            sb.Append("    location / {\n");
            if (o.Authorization == WebServerAuthorization.PerPhone)
                sb.Append("        if (").Append(v).Append("denied) {\n            return 403;\n        }\n");
            sb.Append("        try_files $uri =404;\n");
            sb.Append("    }\n");
            sb.Append("}\n");
            return sb.ToString();
        }

        private static string A(string s) => "\"" + s + "\"";

        private static string RenderApache(WebServerConfigurationOptions o)
        {
            RequireServerCertificate(WebServerKind.Apache, o);
            var port = o.Port.ToString(CultureInfo.InvariantCulture);
            var address = o.ListenAddress == null ? "*" : (o.ListenAddress.Contains(":") ? "[" + o.ListenAddress + "]" : o.ListenAddress);
            var sb = new StringBuilder();
            sb.Append("# Generated by PrivateProvisioning: serves ").Append(o.Root).Append(" over HTTPS, only to clients\n");
            sb.Append("# holding a certificate issued by ").Append(o.ClientCA).Append(". Needs mod_ssl");
            if (o.Authorization == WebServerAuthorization.PerPhone) sb.Append(", mod_rewrite");
            sb.Append(" and 'Listen ").Append(port).Append("'.\n");
            sb.Append("<VirtualHost ").Append(address).Append(':').Append(port).Append(">\n");
            sb.Append("    ServerName ").Append(o.ServerName).Append('\n');
            sb.Append("    DocumentRoot \"").Append(o.Root).Append("\"\n\n");
            sb.Append("    SSLEngine on\n");
            sb.Append("    SSLCertificateFile \"").Append(o.Certificate).Append("\"\n");
            sb.Append("    SSLCertificateKeyFile \"").Append(o.CertificateKey).Append("\"\n");
            sb.Append("    # Old Cisco SPA firmware speaks only TLS 1.0/1.1: add +TLSv1 +TLSv1.1 if such phones must connect.\n");
            sb.Append("    SSLProtocol -all +TLSv1.2 +TLSv1.3\n\n");
            sb.Append("    # Mutual TLS: only clients with a certificate from this CA complete the handshake.\n");
            sb.Append("    SSLCACertificateFile \"").Append(o.ClientCA).Append("\"\n");
            sb.Append("    SSLVerifyClient require\n");
            sb.Append("    SSLVerifyDepth ").Append(o.VerifyDepth.ToString(CultureInfo.InvariantCulture)).Append('\n');
            if (o.ClientCrl != null)
            {
                sb.Append("    # Revoked client certificates are refused. Replace the file and reload Apache when the CRL is renewed.\n");
                sb.Append("    SSLCARevocationFile \"").Append(o.ClientCrl).Append("\"\n");
                sb.Append("    SSLCARevocationCheck chain\n");
            }
            sb.Append('\n');
            if (o.Authorization == WebServerAuthorization.PerPhone)
            {
                var rule = o.Identity!;
                var nc = rule.IgnoreCase ? " [NC]" : "";
                sb.Append("    # Per-phone authorization: a certificate opens the per-phone files of its own ").Append(rule.Kind == ClientIdentityKind.MacAddress ? "MAC address" : "user name").Append(" and the shared files.\n");
                sb.Append("    # For each per-phone pattern: the certificate's identity (").Append(rule.ApacheVariable).Append(" =~ the rule; the concatenation of its groups)\n");
                sb.Append("    # must equal the file's (the pattern's group); the first pattern that matches decides, anything else is 403.\n");
                sb.Append("    RewriteEngine On\n");
                foreach (var p in o.PerPhoneFiles)
                {
                    sb.Append("    # ").Append(p.Pattern).Append('\n');
                    sb.Append("    RewriteCond %{SSL:").Append(rule.ApacheVariable).Append("} ").Append(A(rule.Pattern)).Append(nc).Append('\n');
                    sb.Append("    RewriteCond ").Append(A(GroupsConcatenation(rule, '%') + "|$1")).Append(' ').Append(A(SameIdentity)).Append(nc).Append('\n');
                    sb.Append("    RewriteRule ").Append(A(p.Regex)).Append(" - [NC,L]\n");
                    sb.Append("    RewriteRule ").Append(A(p.Regex)).Append(" - [NC,F]\n");
                }
                sb.Append('\n');
            }
            sb.Append("    # Hidden files and folders (a path segment starting with '.': the temporary .NAME.xxxx.tmp an interrupted\n");
            sb.Append("    # run leaves, .git) are never served.\n");
            sb.Append("    <LocationMatch \"/\\.\">\n");
            sb.Append("        Require all denied\n");
            sb.Append("    </LocationMatch>\n");
            sb.Append("    <Directory \"").Append(o.Root).Append("\">\n");
            // No MultiViews: "/spa001122aabbcc" must not be negotiated into a per-phone file a pattern names with its extension.
            sb.Append("        Options -Indexes -MultiViews\n");
            sb.Append("        AllowOverride None\n");
            sb.Append("        Require all granted\n");
            sb.Append("        <FilesMatch \"^\\.\">\n");
            sb.Append("            Require all denied\n");
            sb.Append("        </FilesMatch>\n");
            sb.Append("    </Directory>\n");
            sb.Append("</VirtualHost>\n");
            return sb.ToString();
        }
    }
}
