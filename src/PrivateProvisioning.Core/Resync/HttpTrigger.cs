using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;
using System.Xml.Linq;

namespace PrivateProvisioning.Core.Resync
{
    /// <summary>
    /// The phone's web server as a trigger: GET /admin/resync?url (spec §5.1) or a POST of an XML Execute
    /// object to /CGI/Execute (§5.3). A small HTTP/1.1 client of our own, one connection per request
    /// (Connection: close), so every failure maps to a definite outcome; Basic or Digest as the 401 asks.
    /// </summary>
    internal static class HttpTrigger
    {
        private const int MaxResponse = 64 * 1024;
        private static readonly string UserAgent = "PrivateProvisioning/" + typeof(HttpTrigger).Assembly.GetName().Version!.ToString(3);

        public static async Task<(int StatusCode, string Reason)> SendAsync(ResyncTarget target, ResyncOptions options, CancellationToken cancel)
        {
            bool tls = options.Transport == ResyncTransport.Tls;
            var address = await PeerConnection.ResolveAsync(target.IPAddress, cancel).ConfigureAwait(false);
            int port = target.Port != 0 ? target.Port : tls ? 443 : 80;
            var remote = new IPEndPoint(address, port);
            string peer = (tls ? "https://" : "http://") + PeerConnection.Format(remote);
            string host = PeerConnection.FormatHost(address) + (port == (tls ? 443 : 80) ? "" : ":" + port.ToString(CultureInfo.InvariantCulture));

            string method, path;
            byte[]? body = null;
            if (options.Method == ResyncMethod.HttpResync)
            {
                method = "GET";
                path = "/admin/resync" + (options.ProfileUrl != null ? "?" + ResyncRequestRules.EscapeForQuery(options.ProfileUrl) : "");
            }
            else
            {
                method = "POST";
                path = "/CGI/Execute";
                body = Encoding.ASCII.GetBytes("XML=" + Uri.EscapeDataString(ExecuteObject(target.Model, options.ProfileUrl)));
            }

            var response = await ExchangeAsync(remote, target.IPAddress, tls, options, Request(method, path, host, body, null), peer, cancel).ConfigureAwait(false);
            if (response.StatusCode == 401 || response.StatusCode == 407)
            {
                if (options.UserName == null || options.Password == null)
                    throw new ResyncFailure(ResyncOutcome.AuthFailed, $"{peer} asks for credentials ({response.StatusCode} {response.Reason}); give the phone's admin user and password.", response.StatusCode);
                var challenge = DigestAuthentication.PickStrongest(DigestAuthentication.ParseChallenges(
                    response.Headers(response.StatusCode == 407 ? "Proxy-Authenticate" : "WWW-Authenticate")));
                if (challenge == null)
                    throw new ResyncFailure(ResyncOutcome.AuthFailed, $"{peer} asks for an authentication scheme we do not support (Basic and Digest MD5/MD5-sess/SHA-256 are).", response.StatusCode);
                var authorization = DigestAuthentication.Authorize(challenge, method, path, options.UserName, options.Password, body: body);
                response = await ExchangeAsync(remote, target.IPAddress, tls, options, Request(method, path, host, body,
                    (response.StatusCode == 407 ? "Proxy-Authorization: " : "Authorization: ") + authorization), peer, cancel).ConfigureAwait(false);
                if (response.StatusCode == 401 || response.StatusCode == 407)
                    throw new ResyncFailure(ResyncOutcome.AuthFailed, $"{peer} refused the credentials of user '{options.UserName}' ({challenge.Scheme}{(challenge.Realm != null ? ", realm '" + challenge.Realm + "'" : "")}): {response.StatusCode} {response.Reason}.", response.StatusCode);
            }
            if (response.StatusCode >= 200 && response.StatusCode < 300 && options.Method == ResyncMethod.XmlExecute)
            {
                var error = CiscoError(response.Body);
                if (error != null) throw new ResyncFailure(ResyncOutcome.Rejected, $"{peer} answered {error}.", response.StatusCode);
            }
            return (response.StatusCode, response.Reason);
        }

        /// <summary>&lt;CP-8841-3PCCExecute&gt; when the model is known (spec §5.3), else the generic CiscoIPPhoneExecute.</summary>
        public static string ExecuteObject(string? model, string? profileUrl)
        {
            string root = "CiscoIPPhoneExecute";
            if (model != null)
            {
                var digits = new StringBuilder();
                foreach (var c in model)
                {
                    if (char.IsDigit(c)) digits.Append(c);
                    else if (digits.Length > 0) break;
                }
                if (digits.Length == 4) root = "CP-" + digits + "-3PCCExecute";
            }
            var doc = new XElement(root, new XElement("ExecuteItem", new XAttribute("URL", "Resync:" + (profileUrl ?? ""))));
            return doc.ToString(SaveOptions.DisableFormatting);
        }

        private static byte[] Request(string method, string path, string host, byte[]? body, string? authorizationLine)
        {
            var sb = new StringBuilder(256);
            sb.Append(method).Append(' ').Append(path).Append(" HTTP/1.1\r\n");
            sb.Append("Host: ").Append(host).Append("\r\n");
            sb.Append("User-Agent: ").Append(UserAgent).Append("\r\n");
            sb.Append("Accept: */*\r\n");
            sb.Append("Connection: close\r\n");
            if (authorizationLine != null) sb.Append(authorizationLine).Append("\r\n");
            if (body != null)
            {
                sb.Append("Content-Type: application/x-www-form-urlencoded\r\n");
                sb.Append("Content-Length: ").Append(body.Length).Append("\r\n");
            }
            sb.Append("\r\n");
            var head = Encoding.ASCII.GetBytes(sb.ToString());
            if (body == null) return head;
            var all = new byte[head.Length + body.Length];
            Buffer.BlockCopy(head, 0, all, 0, head.Length);
            Buffer.BlockCopy(body, 0, all, head.Length, body.Length);
            return all;
        }

        private static async Task<HttpAnswer> ExchangeAsync(IPEndPoint remote, string hostName, bool tls, ResyncOptions options, byte[] request, string peer, CancellationToken cancel)
        {
            using (var socket = await PeerConnection.ConnectTcpAsync(remote, cancel).ConfigureAwait(false))
            using (cancel.Register(socket.Dispose))
            {
                Stream stream = new NetworkStream(socket, ownsSocket: false);
                if (tls) stream = await PeerConnection.WrapTlsAsync(stream, hostName, options.CertificateSha256, cancel).ConfigureAwait(false);
                using (stream)
                {
                    try
                    {
                        await stream.WriteAsync(request, 0, request.Length).ConfigureAwait(false);
                        return await ReadAnswerAsync(stream, peer).ConfigureAwait(false);
                    }
                    catch (Exception ex) when ((ex is IOException || ex is SocketException) && !cancel.IsCancellationRequested)
                    {
                        throw new ResyncFailure(ResyncOutcome.Unreachable, $"{peer} dropped the connection: {PeerConnection.Describe(ex.InnerException ?? ex)}.");
                    }
                }
            }
        }

        private static async Task<HttpAnswer> ReadAnswerAsync(Stream stream, string peer)
        {
            var buffer = new byte[MaxResponse];
            int count = 0, headEnd = -1;
            while (headEnd < 0)
            {
                if (count == buffer.Length) throw new ResyncFailure(ResyncOutcome.ProtocolError, $"{peer} sent 64 KiB without the end of an HTTP header.");
                int n = await stream.ReadAsync(buffer, count, buffer.Length - count).ConfigureAwait(false);
                if (n == 0)
                {
                    if (count == 0) throw new ResyncFailure(ResyncOutcome.ProtocolError, $"{peer} closed the connection without an HTTP answer.");
                    break;
                }
                count += n;
                if (count >= 5 && !StartsWith(buffer, "HTTP/"))
                    throw NotHttp(buffer, count, peer);
                headEnd = ByteSearch.IndexOf(buffer, count, "\r\n\r\n");
            }
            if (headEnd < 0) throw NotHttp(buffer, count, peer);
            var lines = Encoding.ASCII.GetString(buffer, 0, headEnd).Split(new[] { "\r\n" }, StringSplitOptions.None);
            var status = lines[0].Split(new[] { ' ' }, 3);
            if (status.Length < 2 || !int.TryParse(status[1], NumberStyles.None, CultureInfo.InvariantCulture, out int code) || code < 100 || code > 599)
                throw NotHttp(buffer, count, peer);
            var headers = new HeaderList();
            for (int i = 1; i < lines.Length; i++)
            {
                int colon = lines[i].IndexOf(':');
                if (colon > 0) headers.Add(lines[i].Substring(0, colon).Trim(), lines[i].Substring(colon + 1).Trim());
            }
            var answer = new HttpAnswer(code, status.Length > 2 ? status[2] : "", headers);

            // The body only matters for XML Execute's answer object; read what Content-Length says (or to close), capped.
            int bodyStart = headEnd + 4;
            int wanted = int.TryParse(answer.Header("Content-Length"), NumberStyles.None, CultureInfo.InvariantCulture, out int cl) ? cl : int.MaxValue;
            bool chunked = (answer.Header("Transfer-Encoding") ?? "").IndexOf("chunked", StringComparison.OrdinalIgnoreCase) >= 0;
            while (count - bodyStart < wanted && count < buffer.Length && !(chunked && ByteSearch.IndexOf(buffer, count, "\r\n0\r\n") >= 0))
            {
                int n = await stream.ReadAsync(buffer, count, buffer.Length - count).ConfigureAwait(false);
                if (n == 0) break;
                count += n;
            }
            answer.Body = Encoding.UTF8.GetString(buffer, bodyStart, Math.Max(0, Math.Min(count - bodyStart, wanted)));
            return answer;
        }

        private static string? CiscoError(string body)
        {
            int start = body.IndexOf('<');
            if (start < 0) return null;
            try
            {
                var root = XElement.Parse(body.Substring(start));
                if (root.Name.LocalName == "CiscoIPPhoneError")
                    return $"CiscoIPPhoneError Number=\"{(string?)root.Attribute("Number")}\"";
                foreach (var item in root.Elements("ResponseItem"))
                {
                    var s = (string?)item.Attribute("Status");
                    if (s != null && s != "0") return $"ResponseItem Status=\"{s}\" Data=\"{(string?)item.Attribute("Data")}\"";
                }
            }
            catch (XmlException) { }
            return null;
        }

        private static ResyncFailure NotHttp(byte[] buffer, int count, string peer)
        {
            var text = Encoding.UTF8.GetString(buffer, 0, Math.Min(count, 80));
            int nl = text.IndexOf('\n');
            if (nl >= 0) text = text.Substring(0, nl).TrimEnd('\r');
            return new ResyncFailure(ResyncOutcome.ProtocolError, $"{peer} answered with something that is not HTTP: '{ResyncRequestRules.Printable(text)}'.");
        }

        private static bool StartsWith(byte[] buffer, string prefix)
        {
            for (int i = 0; i < prefix.Length; i++) if (buffer[i] != prefix[i]) return false;
            return true;
        }


        private sealed class HttpAnswer
        {
            private readonly HeaderList _headers;
            public HttpAnswer(int statusCode, string reason, HeaderList headers)
            {
                StatusCode = statusCode;
                Reason = reason;
                _headers = headers;
            }
            public int StatusCode { get; }
            public string Reason { get; }
            public string Body { get; set; } = "";
            public string? Header(string name) => _headers.First(name);
            public IEnumerable<string> Headers(string name) => _headers.All(name);
        }
    }
}
