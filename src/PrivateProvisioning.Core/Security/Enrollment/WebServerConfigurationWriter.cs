using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace PrivateProvisioning.Core.Security.Enrollment
{
    public enum WebServerKind
    {
        Nginx,
        Apache,
    }

    /// <summary>What to serve and with which certificates. Paths are made absolute.</summary>
    public sealed class WebServerConfigurationOptions
    {
        public WebServerConfigurationOptions(string root, string certificate, string certificateKey, string clientCA,
            string serverName, int port = 443, string? listenAddress = null, int verifyDepth = 2)
        {
            Root = Absolute(root, "Root");
            Certificate = Absolute(certificate, "Certificate");
            CertificateKey = Absolute(certificateKey, "CertificateKey");
            ClientCA = Absolute(clientCA, "ClientCA");
            ServerName = CheckServerName(serverName);
            if (port < 1 || port > 65535) throw Invalid("Port", port.ToString(CultureInfo.InvariantCulture), "a port is 1 to 65535");
            Port = port;
            if (listenAddress != null && !System.Net.IPAddress.TryParse(listenAddress, out _))
                throw Invalid("ListenAddress", listenAddress, "it is not an IP address");
            ListenAddress = listenAddress;
            if (verifyDepth < 1 || verifyDepth > 10) throw Invalid("VerifyDepth", verifyDepth.ToString(CultureInfo.InvariantCulture), "use 1 to 10");
            VerifyDepth = verifyDepth;
        }

        /// <summary>The output folder to serve.</summary>
        public string Root { get; }
        /// <summary>The server certificate (PEM; may carry intermediates after it).</summary>
        public string Certificate { get; }
        public string CertificateKey { get; }
        /// <summary>The CA whose client certificates are accepted.</summary>
        public string ClientCA { get; }
        public string ServerName { get; }
        public int Port { get; }
        public string? ListenAddress { get; }
        public int VerifyDepth { get; }

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
            new ProvisioningException("InvalidWebServerSetting", ErrorKind.InvalidArgument, $"The {field} '{value}' is refused: {why}.", field);
    }

    /// <summary>A rendered configuration snippet, and where it was written (if it was).</summary>
    public sealed class WebServerConfiguration
    {
        internal WebServerConfiguration(WebServerKind server, string? path, string text, WriteStatus? status)
        {
            Server = server; Path = path; Text = text; Status = status;
        }

        public WebServerKind Server { get; }
        public string? Path { get; }
        public string Text { get; }
        public WriteStatus? Status { get; }
    }

    /// <summary>
    /// Writes the TLS server block that serves an output folder only to clients holding a certificate
    /// from our CA (mutual TLS). Production serving belongs on such servers; this writes their config.
    /// </summary>
    public static class WebServerConfigurationWriter
    {
        public static WebServerConfiguration Write(WebServerKind server, WebServerConfigurationOptions options, string? path = null, bool whatIf = false)
        {
            var text = Render(server, options);
            if (path == null) return new WebServerConfiguration(server, null, text, null);
            var full = Path.GetFullPath(path);
            var status = AtomicFile.Write(full, Encoding.UTF8.GetBytes(text), whatIf: whatIf);
            return new WebServerConfiguration(server, full, text, status);
        }

        public static string Render(WebServerKind server, WebServerConfigurationOptions o)
        {
            switch (server)
            {
                case WebServerKind.Nginx: return RenderNginx(o);
                case WebServerKind.Apache: return RenderApache(o);
                default: throw new ProvisioningException("UnsupportedWebServer", ErrorKind.InvalidArgument, $"Unknown web server {server}.");
            }
        }

        private static string RenderNginx(WebServerConfigurationOptions o)
        {
            var listen = o.ListenAddress == null ? o.Port.ToString(CultureInfo.InvariantCulture)
                : (o.ListenAddress.Contains(":") ? "[" + o.ListenAddress + "]" : o.ListenAddress) + ":" + o.Port.ToString(CultureInfo.InvariantCulture);
            var sb = new StringBuilder();
            sb.Append("# Generated by PrivateProvisioning: serves ").Append(o.Root).Append(" over HTTPS, only to clients\n");
            sb.Append("# holding a certificate issued by ").Append(o.ClientCA).Append(". Include it inside http { }.\n");
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
            sb.Append("    ssl_verify_depth ").Append(o.VerifyDepth.ToString(CultureInfo.InvariantCulture)).Append(";\n\n");
            sb.Append("    root \"").Append(o.Root).Append("\";\n");
            sb.Append("    autoindex off;\n");
            sb.Append("    location / {\n");
            sb.Append("        try_files $uri =404;\n");
            sb.Append("    }\n");
            sb.Append("}\n");
            return sb.ToString();
        }

        private static string RenderApache(WebServerConfigurationOptions o)
        {
            var port = o.Port.ToString(CultureInfo.InvariantCulture);
            var address = o.ListenAddress == null ? "*" : (o.ListenAddress.Contains(":") ? "[" + o.ListenAddress + "]" : o.ListenAddress);
            var sb = new StringBuilder();
            sb.Append("# Generated by PrivateProvisioning: serves ").Append(o.Root).Append(" over HTTPS, only to clients\n");
            sb.Append("# holding a certificate issued by ").Append(o.ClientCA).Append(". Needs mod_ssl and 'Listen ").Append(port).Append("'.\n");
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
            sb.Append("    SSLVerifyDepth ").Append(o.VerifyDepth.ToString(CultureInfo.InvariantCulture)).Append("\n\n");
            sb.Append("    <Directory \"").Append(o.Root).Append("\">\n");
            sb.Append("        Options -Indexes\n");
            sb.Append("        AllowOverride None\n");
            sb.Append("        Require all granted\n");
            sb.Append("    </Directory>\n");
            sb.Append("</VirtualHost>\n");
            return sb.ToString();
        }
    }
}
