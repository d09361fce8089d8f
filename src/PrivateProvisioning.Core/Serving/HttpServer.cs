using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace PrivateProvisioning.Core.Serving
{
    /// <summary>
    /// A small read-only HTTP/1.1 server for profiles: GET and HEAD of files under the root, with
    /// Content-Length, a strong ETag, Last-Modified, conditional requests (If-None-Match, If-Modified-Since →
    /// 304), keep-alive, 404, 405, and Content-Encoding: aes128gcm for RFC 8188 bodies (see Aes128GcmBody).
    /// Every request becomes a ServedRequest with the phone's User-Agent.
    /// </summary>
    public sealed class HttpServer : IDisposable
    {
        private const int MaxHeaderBytes = 16 * 1024;
        /// <summary>Idle keep-alive connections cost a socket each; beyond this, new ones are closed at once.</summary>
        private const int MaxConnections = 2048;
        private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(15);
        private static readonly Encoding Ascii = Encoding.ASCII;

        private readonly ServingRoot _root;
        private readonly RequestLog _log;
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly Task _acceptLoop;
        private int _connections;

        public HttpServer(ServingRoot root, IPEndPoint endpoint, RequestLog log)
        {
            _root = root;
            _log = log;
            _listener = new TcpListener(endpoint);
            try
            {
                _listener.Start(512);
            }
            catch (SocketException ex)
            {
                throw new ProvisioningException(ErrorIds.ServerBindFailed, ErrorKind.ConnectionError,
                    $"Cannot listen for HTTP on {endpoint}: {ex.Message}. Choose another address or port (ports below 1024 need privileges).", endpoint, ex);
            }
            LocalEndPoint = (IPEndPoint)_listener.LocalEndpoint;
            _acceptLoop = Task.Run(AcceptLoop);
        }

        public IPEndPoint LocalEndPoint { get; }

        private async Task AcceptLoop()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false); }
                catch (ObjectDisposedException) { return; }
                catch (SocketException) when (!_stop.IsCancellationRequested) { continue; }
                catch (SocketException) { return; }
                catch (InvalidOperationException) { return; }
                if (Interlocked.Increment(ref _connections) > MaxConnections)
                {
                    Interlocked.Decrement(ref _connections);
                    client.Dispose();
                    continue;
                }
                _ = ServeConnectionAsync(client);
            }
        }

        private async Task ServeConnectionAsync(TcpClient client)
        {
            using (client)
            using (_stop.Token.Register(() => client.Dispose()))
            {
                client.NoDelay = true;
                var remote = (IPEndPoint)client.Client.RemoteEndPoint!;
                var stream = client.GetStream();
                var reader = new HttpRequestReader(stream, MaxHeaderBytes);
                try
                {
                    while (!_stop.IsCancellationRequested)
                    {
                        var request = await reader.ReadAsync(IdleTimeout).ConfigureAwait(false);
                        if (request == null) return;
                        bool keepAlive = await RespondAsync(stream, remote, request).ConfigureAwait(false);
                        if (!keepAlive) return;
                    }
                }
                catch (Exception ex) when (ex is IOException || ex is SocketException || ex is ObjectDisposedException) { }
                catch (BadHttpRequest bad)
                {
                    var started = DateTimeOffset.Now;
                    try { await WriteSimpleAsync(stream, bad.StatusCode, bad.Message, false, false).ConfigureAwait(false); }
                    catch (Exception ex) when (ex is IOException || ex is SocketException || ex is ObjectDisposedException) { }
                    _log.Add(new ServedRequest(started, remote.Address.ToString(), remote.Port, ServingProtocol.Http, bad.Target ?? "",
                        MacAddressInName.Find(bad.Target), 0, RequestOutcome.BadRequest, bad.StatusCode, null, bad.Message, TimeSpan.Zero));
                }
                finally
                {
                    Interlocked.Decrement(ref _connections);
                }
            }
        }

        /// <summary>Answers one request; returns whether the connection stays open.</summary>
        private async Task<bool> RespondAsync(Stream stream, IPEndPoint remote, HttpRequestHead request)
        {
            var started = DateTimeOffset.Now;
            var clock = Stopwatch.StartNew();
            bool keepAlive = request.KeepAlive;
            string? userAgent = request.Header("user-agent");
            string target = ServingRoot.Printable(request.DecodedTarget);
            void Log(RequestOutcome outcome, int status, long bytes, string? detail) =>
                _log.Add(new ServedRequest(started, remote.Address.ToString(), remote.Port, ServingProtocol.Http, target,
                    // A bootstrap file (/8851-3PCC.xml) names no MAC, but the phone's User-Agent does: "(00562b043615)".
                    MacAddressInName.Find(request.DecodedTarget) ?? MacAddressInName.Find(userAgent), bytes, outcome, status, userAgent, detail, clock.Elapsed));

            bool isHead = request.Method == "HEAD";
            if (request.Method != "GET" && !isHead)
            {
                // A body we do not read would be taken for the next request: close after answering.
                bool hasBody = request.HasBody;
                await WriteSimpleAsync(stream, 405, "Method not allowed: this server only answers GET and HEAD.", keepAlive && !hasBody, false, "Allow: GET, HEAD\r\n").ConfigureAwait(false);
                Log(RequestOutcome.WriteRefused, 405, 0, $"method {request.Method} refused: the server is read-only");
                return keepAlive && !hasBody;
            }
            if (request.HasBody)
                keepAlive = false;

            string path;
            bool encrypted;
            try
            {
                (path, encrypted) = ResolveWithEncryptedVariant(request.DecodedPath);
            }
            catch (ProvisioningException ex)
            {
                bool refused = ex.ErrorId != ErrorIds.ServedFileNotFound;
                int status = refused ? 403 : 404;
                await WriteSimpleAsync(stream, status, refused ? "Forbidden." : "Not found.", keepAlive, isHead).ConfigureAwait(false);
                Log(refused ? RequestOutcome.Refused : RequestOutcome.NotFound, status, 0, ServingRoot.Printable(ex.Message));
                return keepAlive;
            }

            FileStream file;
            try
            {
                file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.Asynchronous);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                await WriteSimpleAsync(stream, 500, "The file cannot be read.", keepAlive, isHead).ConfigureAwait(false);
                Log(RequestOutcome.Failed, 500, 0, "cannot read the file: " + ex.Message);
                return keepAlive;
            }
            using (file)
            {
                long length = file.Length;
                var modified = File.GetLastWriteTimeUtc(path);
                modified = new DateTime(modified.Ticks - modified.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
                string etag = "\"" + length.ToString("x", CultureInfo.InvariantCulture) + "-" + File.GetLastWriteTimeUtc(path).Ticks.ToString("x", CultureInfo.InvariantCulture) + "\"";
                var headers = new StringBuilder();
                headers.Append("ETag: ").Append(etag).Append("\r\n");
                headers.Append("Last-Modified: ").Append(modified.ToString("r", CultureInfo.InvariantCulture)).Append("\r\n");
                if (encrypted)
                {
                    headers.Append("Content-Encoding: ").Append(Aes128GcmBody.ContentEncoding).Append("\r\n");
                    if (!Aes128GcmBody.FileHasValidHeader(path))
                    {
                        await WriteSimpleAsync(stream, 500, "The encrypted file is damaged.", keepAlive, isHead).ConfigureAwait(false);
                        Log(RequestOutcome.Failed, 500, 0, "the .aes128gcm file does not start with a valid RFC 8188 header");
                        return keepAlive;
                    }
                }
                if (IsNotModified(request, etag, modified))
                {
                    await WriteHeadAsync(stream, 304, "Not Modified", null, -1, keepAlive, headers.ToString()).ConfigureAwait(false);
                    Log(RequestOutcome.NotModified, 304, 0, encrypted ? "aes128gcm" : null);
                    return keepAlive;
                }
                await WriteHeadAsync(stream, 200, "OK", ContentTypeOf(request.DecodedPath), length, keepAlive, headers.ToString()).ConfigureAwait(false);
                long sent = 0;
                if (!isHead)
                {
                    var buffer = new byte[(int)Math.Min(64 * 1024, Math.Max(1, length))];
                    int n;
                    while ((n = await file.ReadAsync(buffer, 0, buffer.Length).ConfigureAwait(false)) > 0)
                    {
                        await stream.WriteAsync(buffer, 0, n).ConfigureAwait(false);
                        sent += n;
                    }
                }
                await stream.FlushAsync().ConfigureAwait(false);
                var detail = (isHead ? "HEAD " : "") + (encrypted ? "aes128gcm" : "");
                Log(RequestOutcome.Served, 200, sent, detail.Length == 0 ? null : detail.Trim());
                return keepAlive;
            }
        }

        /// <summary>NAME.aes128gcm wins over NAME when both exist, so a protected profile is never sent in clear by mistake.</summary>
        private (string Path, bool Encrypted) ResolveWithEncryptedVariant(string requestPath)
        {
            if (requestPath.EndsWith(Aes128GcmBody.FileSuffix, StringComparison.OrdinalIgnoreCase))
                return (_root.Resolve(requestPath), true);
            try
            {
                return (_root.Resolve(requestPath + Aes128GcmBody.FileSuffix), true);
            }
            catch (ProvisioningException ex) when (ex.ErrorId == ErrorIds.ServedFileNotFound)
            {
                return (_root.Resolve(requestPath), false);
            }
        }

        private static bool IsNotModified(HttpRequestHead request, string etag, DateTime modified)
        {
            var noneMatch = request.Header("if-none-match");
            if (noneMatch != null)
            {
                // If-None-Match takes precedence over If-Modified-Since (RFC 9110 §13.2.2); weak comparison.
                foreach (var raw in noneMatch.Split(','))
                {
                    var tag = raw.Trim();
                    if (tag == "*") return true;
                    if (tag.StartsWith("W/", StringComparison.Ordinal)) tag = tag.Substring(2);
                    if (tag == etag) return true;
                }
                return false;
            }
            var since = request.Header("if-modified-since");
            if (since != null && DateTime.TryParseExact(since.Trim(), "r", CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var sinceTime))
                return modified <= sinceTime;
            return false;
        }

        private static string ContentTypeOf(string path)
        {
            var p = path.ToLowerInvariant();
            if (p.EndsWith(".xml", StringComparison.Ordinal)) return "text/xml";
            if (p.EndsWith(".json", StringComparison.Ordinal)) return "application/json";
            if (p.EndsWith(".txt", StringComparison.Ordinal)) return "text/plain";
            return "application/octet-stream";
        }

        private static Task WriteSimpleAsync(Stream stream, int status, string message, bool keepAlive, bool isHead, string extraHeaders = "")
        {
            var body = Ascii.GetBytes(message + "\n");
            return WriteHeadAsync(stream, status, ReasonPhrase(status), "text/plain", body.Length, keepAlive, extraHeaders, isHead ? null : body);
        }

        private static async Task WriteHeadAsync(Stream stream, int status, string reason, string? contentType, long length, bool keepAlive, string extraHeaders, byte[]? body = null)
        {
            var sb = new StringBuilder(256);
            sb.Append("HTTP/1.1 ").Append(status.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(reason).Append("\r\n");
            sb.Append("Date: ").Append(DateTime.UtcNow.ToString("r", CultureInfo.InvariantCulture)).Append("\r\n");
            sb.Append("Server: PrivateProvisioning\r\n");
            if (contentType != null) sb.Append("Content-Type: ").Append(contentType).Append("\r\n");
            if (length >= 0) sb.Append("Content-Length: ").Append(length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
            sb.Append(extraHeaders);
            sb.Append(keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n");
            sb.Append("\r\n");
            var head = Ascii.GetBytes(sb.ToString());
            if (body != null)
            {
                var all = new byte[head.Length + body.Length];
                Buffer.BlockCopy(head, 0, all, 0, head.Length);
                Buffer.BlockCopy(body, 0, all, head.Length, body.Length);
                head = all;
            }
            await stream.WriteAsync(head, 0, head.Length).ConfigureAwait(false);
        }

        internal static string ReasonPhrase(int status)
        {
            switch (status)
            {
                case 200: return "OK";
                case 304: return "Not Modified";
                case 400: return "Bad Request";
                case 403: return "Forbidden";
                case 404: return "Not Found";
                case 405: return "Method Not Allowed";
                case 408: return "Request Timeout";
                case 414: return "URI Too Long";
                case 431: return "Request Header Fields Too Large";
                case 501: return "Not Implemented";
                case 505: return "HTTP Version Not Supported";
                default: return "Internal Server Error";
            }
        }

        public void Dispose()
        {
            if (_stop.IsCancellationRequested) return;
            _stop.Cancel();
            _listener.Stop();
            try { _acceptLoop.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
        }
    }
}
