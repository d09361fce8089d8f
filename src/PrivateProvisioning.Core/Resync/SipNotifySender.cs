using System;
using System.Buffers;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace PrivateProvisioning.Core.Resync
{
    /// <summary>
    /// A small RFC 3261 UAC for one out-of-dialog NOTIFY: UDP through the run's <see cref="SipUdpTransport"/> (timer E
    /// retransmissions, timer F), or TCP/TLS on a connection of its own (timer F only); answers one 401/407 with Digest and a new transaction
    /// (same Call-ID and From tag, CSeq+1, new branch).
    /// </summary>
    internal static class SipNotifySender
    {
        private static readonly string UserAgent = "PrivateProvisioning/" + typeof(SipNotifySender).Assembly.GetName().Version!.ToString(3);

        /// <param name="udp">The run's UDP transport (required for UDP).</param>
        /// <param name="phoneDeadline">When the phone's own timeout ends (a Stopwatch timestamp): the UDP transport bounds the
        /// transactions by it; TCP and TLS are bounded by <paramref name="cancel"/>.</param>
        public static async Task<(int StatusCode, string Reason)> SendAsync(ResyncTarget target, ResyncOptions options, string eventHeader, CancellationToken cancel,
            SipUdpTransport? udp, long phoneDeadline)
        {
            var transport = options.Transport ?? ResyncTransport.Udp;
            var address = await PeerConnection.ResolveAsync(target.IPAddress, cancel).ConfigureAwait(false);
            int port = target.Port != 0 ? target.Port : transport == ResyncTransport.Tls ? 5061 : 5060;
            var remote = new IPEndPoint(address, port);
            string peer = PeerConnection.Format(remote);

            if (transport == ResyncTransport.Udp)
            {
                if (udp == null) throw new ArgumentNullException(nameof(udp));
                var socket = udp.Acquire(remote);
                try
                {
                    var request = new NotifyRequest(target, options, eventHeader, transport, socket.Local, PeerConnection.FormatHost(address), port);
                    var response = await udp.TransactAsync(socket, request.Build(1, null), request.Branch, phoneDeadline, target, options.Timeout).ConfigureAwait(false);
                    if (!IsChallenge(response)) return (response.StatusCode, response.ReasonPhrase);
                    var authorization = Authorize(response, request, options, peer, out var realm);
                    response = await udp.TransactAsync(socket, request.Build(2, authorization), request.Branch, phoneDeadline, target, options.Timeout).ConfigureAwait(false);
                    return Authorized(response, options, peer, realm);
                }
                finally { udp.Release(socket); }
            }

            // Timer F: a non-INVITE transaction is abandoned after 64*T1, whatever the caller's timeout.
            var channel = await SipChannel.OpenAsync(transport, remote, target.IPAddress, options.CertificateSha256, cancel).ConfigureAwait(false);
            using (channel)
            {
                var request = new NotifyRequest(target, options, eventHeader, transport, channel.Local, PeerConnection.FormatHost(address), port);
                var response = await TransactAsync(channel, request.Build(1, null), request.Branch, options, peer, cancel).ConfigureAwait(false);
                if (!IsChallenge(response)) return (response.StatusCode, response.ReasonPhrase);
                var authorization = Authorize(response, request, options, peer, out var realm);
                response = await TransactAsync(channel, request.Build(2, authorization), request.Branch, options, peer, cancel).ConfigureAwait(false);
                return Authorized(response, options, peer, realm);
            }
        }

        private static bool IsChallenge(SipResponse response) => response.StatusCode == 401 || response.StatusCode == 407;

        /// <summary>The Authorization (or Proxy-Authorization) line answering a 401/407; gives the request a new branch for the new transaction.</summary>
        private static string Authorize(SipResponse response, NotifyRequest request, ResyncOptions options, string peer, out string? realm)
        {
            bool proxy = response.StatusCode == 407;
            if (options.UserName == null || options.Password == null)
                throw new ResyncFailure(ResyncOutcome.AuthFailed,
                    $"{peer} asks for the line credentials ({response.StatusCode} {response.ReasonPhrase}); give the line's User ID and password.", response.StatusCode);
            var challenges = DigestAuthentication.ParseChallenges(response.Headers(proxy ? "Proxy-Authenticate" : "WWW-Authenticate"));
            var challenge = DigestAuthentication.PickStrongest(challenges);
            if (challenge == null || !challenge.IsDigest)
                throw new ResyncFailure(ResyncOutcome.AuthFailed,
                    $"{peer} sent {response.StatusCode} without a Digest challenge we support (MD5, MD5-sess, SHA-256).", response.StatusCode);
            realm = challenge.Realm;
            var authorization = DigestAuthentication.Authorize(challenge, "NOTIFY", request.RequestUri, options.UserName, options.Password);
            request.NewBranch();
            return (proxy ? "Proxy-Authorization: " : "Authorization: ") + authorization;
        }

        /// <summary>The answer to the authorized retry: a second challenge means the credentials were refused.</summary>
        private static (int StatusCode, string Reason) Authorized(SipResponse response, ResyncOptions options, string peer, string? realm)
        {
            if (IsChallenge(response))
                throw new ResyncFailure(ResyncOutcome.AuthFailed,
                    $"{peer} refused the credentials of user '{options.UserName}' (realm '{realm}'): {response.StatusCode} {response.ReasonPhrase}.", response.StatusCode);
            return (response.StatusCode, response.ReasonPhrase);
        }

        private static async Task<SipResponse> TransactAsync(SipChannel channel, byte[] request, string branch, ResyncOptions options, string peer, CancellationToken cancel)
        {
            var t1 = options.T1;
            using (var timerF = CancellationTokenSource.CreateLinkedTokenSource(cancel))
            {
                timerF.CancelAfter(TimeSpan.FromTicks(t1.Ticks * 64));
                var token = timerF.Token;
                using (token.Register(channel.Dispose))
                {
                    try
                    {
                        // Over TCP and TLS the transport retransmits: no timer E, only timer F (RFC 3261 §17.1.2.2).
                        await channel.SendAsync(request).ConfigureAwait(false);
                        while (true)
                        {
                            var receive = channel.ReceiveAsync(branch, peer);
                            if (await Task.WhenAny(receive, Task.Delay(Timeout.Infinite, token)).ConfigureAwait(false) != receive)
                                token.ThrowIfCancellationRequested();
                            var response = await receive.ConfigureAwait(false);
                            if (response.StatusCode >= 200) return response;
                        }
                    }
                    catch (Exception) when (token.IsCancellationRequested)
                    {
                        // Once a timer fires, the channel is disposed under the pending receive: whatever that throws is the timeout.
                        cancel.ThrowIfCancellationRequested();
                        throw new ResyncFailure(ResyncOutcome.Timeout, $"{peer} did not answer the NOTIFY within 64*T1 ({t1.TotalSeconds * 64:0.#} s).");
                    }
                }
            }
        }

        /// <summary>The NOTIFY's fixed parts; only CSeq, branch and the authorization change on the retry.</summary>
        private sealed class NotifyRequest
        {
            private readonly string _via;
            private readonly string _from;
            private readonly string _to;
            private readonly string _callId;
            private readonly string _contact;
            private readonly string _event;

            public NotifyRequest(ResyncTarget target, ResyncOptions options, string eventHeader, ResyncTransport transport, IPEndPoint local, string remoteHost, int remotePort)
            {
                string localHost = PeerConnection.FormatHost(local.Address);
                string transportParam = transport == ResyncTransport.Udp ? "" : ";transport=" + (transport == ResyncTransport.Tcp ? "tcp" : "tls");
                string user = string.IsNullOrEmpty(options.UserName) ? "" : EscapeUser(options.UserName!) + "@";
                RequestUri = $"sip:{user}{remoteHost}:{remotePort}{transportParam}";
                _via = $"SIP/2.0/{transport.ToString().ToUpperInvariant()} {localHost}:{local.Port}";
                // Tag, Call-ID and first branch from one RNG call (each call costs a lock and a getpid in OpenSSL).
                var random = DigestAuthentication.RandomHex(40);
                _from = $"<sip:provisioning@{localHost}>;tag={random.Substring(0, 8)}";
                _to = $"<sip:{user}{remoteHost}>";
                _callId = $"{random.Substring(8, 16)}@{localHost}";
                _contact = $"<sip:provisioning@{localHost}:{local.Port}{transportParam}>";
                _event = eventHeader;
                Branch = "z9hG4bK" + random.Substring(24, 16);
            }

            public string RequestUri { get; }
            public string Branch { get; private set; } = "";

            public void NewBranch() => Branch = "z9hG4bK" + Random(16);

            [ThreadStatic] private static char[]? _text;

            /// <summary>The datagram (kept for retransmissions), encoded from one per-thread character buffer: no StringBuilder and string copy per NOTIFY.</summary>
            public byte[] Build(int cseq, string? authorizationLine)
            {
                var text = _text ??= new char[1024];
                int length = 0;
                void Append(string value)
                {
                    if (length + value.Length > text.Length) Array.Resize(ref text, Math.Max(text.Length * 2, length + value.Length));
                    value.CopyTo(0, text, length, value.Length);
                    length += value.Length;
                }
                Append("NOTIFY "); Append(RequestUri); Append(" SIP/2.0\r\n");
                Append("Via: "); Append(_via); Append(";branch="); Append(Branch); Append(";rport\r\n");
                Append("Max-Forwards: 70\r\n");
                Append("From: "); Append(_from); Append("\r\n");
                Append("To: "); Append(_to); Append("\r\n");
                Append("Call-ID: "); Append(_callId); Append("\r\n");
                Append("CSeq: "); Append(cseq.ToString(System.Globalization.CultureInfo.InvariantCulture)); Append(" NOTIFY\r\n");
                Append("Contact: "); Append(_contact); Append("\r\n");
                Append("Event: "); Append(_event); Append("\r\n");
                Append("Subscription-State: terminated\r\n");
                Append("User-Agent: "); Append(UserAgent); Append("\r\n");
                if (authorizationLine != null) { Append(authorizationLine); Append("\r\n"); }
                Append("Content-Length: 0\r\n\r\n");
                _text = text;
                var bytes = Encoding.UTF8.GetBytes(text, 0, length);
                if (authorizationLine != null) Array.Clear(text, 0, length);
                return bytes;
            }

            private static string Random(int hexDigits) => DigestAuthentication.RandomHex(hexDigits);

            // RFC 3261 user part: unreserved and a few marks pass, the rest is %-escaped.
            private static string EscapeUser(string user)
            {
                var sb = new StringBuilder();
                foreach (var b in Encoding.UTF8.GetBytes(user))
                {
                    char c = (char)b;
                    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-_.!~*'()&=+$,;?/".IndexOf(c) >= 0) sb.Append(c);
                    else sb.Append('%').Append(b.ToString("X2"));
                }
                return sb.ToString();
            }
        }
    }

    /// <summary>One TCP or TLS connection to one phone (UDP goes through the run's <see cref="SipUdpTransport"/>).</summary>
    internal sealed class SipChannel : IDisposable
    {
        private const int MaxMessage = 65535;
        private readonly Socket _socket;
        private readonly Stream _stream;
        private byte[]? _rented;
        private int _buffered;
        private volatile bool _receiving;
        private bool _disposed;

        private SipChannel(Socket socket, Stream stream)
        {
            _socket = socket;
            _stream = stream;
            Local = (IPEndPoint)socket.LocalEndPoint!;
        }

        public IPEndPoint Local { get; }

        public static async Task<SipChannel> OpenAsync(ResyncTransport transport, IPEndPoint remote, string host, string? pin, CancellationToken cancel)
        {
            var tcp = await PeerConnection.ConnectTcpAsync(remote, cancel).ConfigureAwait(false);
            Stream stream = new NetworkStream(tcp, ownsSocket: false);
            if (transport == ResyncTransport.Tls)
            {
                try { stream = await PeerConnection.WrapTlsAsync(stream, host, pin, cancel).ConfigureAwait(false); }
                catch { tcp.Dispose(); throw; }
            }
            return new SipChannel(tcp, stream);
        }

        public async Task SendAsync(byte[] message)
        {
            try { await _stream.WriteAsync(message, 0, message.Length).ConfigureAwait(false); }
            catch (SocketException ex) { throw Unreachable(ex); }
            catch (IOException ex) when (ex.InnerException is SocketException se) { throw Unreachable(se); }
        }

        /// <summary>The next response of our transaction; requests and other transactions' responses are skipped.</summary>
        public async Task<SipResponse> ReceiveAsync(string branch, string peer)
        {
            while (true)
            {
                var response = await ReadStreamMessageAsync(peer).ConfigureAwait(false);
                // RFC 3261 §17.1.3: branch and CSeq method; a 200 to another method is not the NOTIFY's answer.
                if (response != null && response.Answers(branch, "NOTIFY")) return response;
            }
        }

        private async Task<SipResponse?> ReadStreamMessageAsync(string peer)
        {
            var buffer = RentBuffer();
            while (true)
            {
                // Skip keep-alive CRLFs (RFC 5626) between messages.
                int skip = 0;
                while (skip < _buffered && (buffer[skip] == '\r' || buffer[skip] == '\n')) skip++;
                if (skip > 0) Consume(skip);

                int lineEnd = ByteSearch.IndexOf(buffer, _buffered, "\r\n");
                if (lineEnd >= 0 || _buffered >= 256)
                {
                    var first = SipResponse.Decode(buffer, 0, lineEnd >= 0 ? lineEnd : Math.Min(_buffered, 256));
                    if (SipResponse.Classify(first) == SipLineKind.NotSip) throw SipResponse.NotSip(first, peer);
                }
                int headEnd = ByteSearch.IndexOf(buffer, _buffered, "\r\n\r\n");
                if (headEnd >= 0)
                {
                    var head = SipResponse.Decode(buffer, 0, headEnd);
                    var response = SipResponse.ParseHead(head, peer);
                    int length = headEnd + 4 + (response?.ContentLength ?? 0);
                    if (length > MaxMessage) throw new ResyncFailure(ResyncOutcome.ProtocolError, $"{peer} sent a SIP message larger than 64 KiB.");
                    if (_buffered >= length)
                    {
                        Consume(length);
                        return response;
                    }
                }
                else if (_buffered == MaxMessage)
                {
                    throw new ResyncFailure(ResyncOutcome.ProtocolError, $"{peer} sent 64 KiB without the end of a SIP header.");
                }
                int n;
                _receiving = true;
                try { n = await _stream.ReadAsync(buffer, _buffered, MaxMessage - _buffered).ConfigureAwait(false); }
                catch (IOException ex) when (ex.InnerException is SocketException se) { throw Unreachable(se); }
                finally { _receiving = false; }
                if (n == 0)
                    throw new ResyncFailure(ResyncOutcome.ProtocolError, $"{peer} closed the connection without a final SIP answer.");
                _buffered += n;
            }
        }

        private byte[] RentBuffer()
        {
            if (_disposed) throw new ObjectDisposedException(nameof(SipChannel));
            return _rented ??= ArrayPool<byte>.Shared.Rent(MaxMessage);
        }

        private void Consume(int count)
        {
            var buffer = _rented!;
            Buffer.BlockCopy(buffer, count, buffer, 0, _buffered - count);
            _buffered -= count;
        }

        private ResyncFailure Unreachable(SocketException ex) =>
            new ResyncFailure(ResyncOutcome.Unreachable, $"The phone cannot be reached: {PeerConnection.Describe(ex)}.");

        /// <summary>Closes the connection (a timer does this under a pending receive: that is how timeouts end it).</summary>
        public void Dispose()
        {
            _disposed = true;
            _stream.Dispose();
            _socket.Dispose();
            // Disposed by a timer under a pending receive, the buffer may still be written into: leave it to the GC then.
            var rented = _rented;
            _rented = null;
            if (rented != null && !_receiving) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
