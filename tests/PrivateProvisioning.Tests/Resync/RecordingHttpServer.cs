using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace PrivateProvisioning.Tests.Resync
{
    public sealed record RecordedRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, string Body, bool Authorized);

    /// <summary>
    /// A phone's web server on 127.0.0.1: requires Digest (MD5, MD5-sess or SHA-256, qop=auth) or Basic, records
    /// every request, answers 200 to an authorized one. Its Digest check is written independently of Core's
    /// (and checked against curl), so it can judge our client. Stops after 60 s at the latest.
    /// </summary>
    public sealed class RecordingHttpServer : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        private readonly string _scheme, _algorithm, _user, _password;
        private readonly string _nonce = "srv" + Guid.NewGuid().ToString("N");
        private readonly Task _loop;

        public RecordingHttpServer(string scheme = "Digest", string algorithm = "MD5", string user = "admin", string password = "Adm1n-pw")
        {
            _scheme = scheme;
            _algorithm = algorithm;
            _user = user;
            _password = password;
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _loop = Task.Run(AcceptLoop);
        }

        public int Port { get; }
        public ConcurrentQueue<RecordedRequest> Requests { get; } = new ConcurrentQueue<RecordedRequest>();
        /// <summary>Replaces the whole answer with these bytes (a peer that does not speak HTTP).</summary>
        public string? RawAnswer { get; set; }
        /// <summary>Body of the 200 answer (an XML Execute response object).</summary>
        public string OkBody { get; set; } = "<CiscoIPPhoneResponse><ResponseItem Status=\"0\" Data=\"Success\" URL=\"Resync\"/></CiscoIPPhoneResponse>";

        private async Task AcceptLoop()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
                catch (Exception) { return; }
                _ = Task.Run(() => Serve(client));
            }
        }

        private async Task Serve(TcpClient client)
        {
            using (client)
            {
                try
                {
                    var stream = client.GetStream();
                    stream.ReadTimeout = 5000;
                    var head = new StringBuilder();
                    var one = new byte[1];
                    while (!head.ToString().EndsWith("\r\n\r\n"))
                    {
                        if (await stream.ReadAsync(one, 0, 1) == 0) return;
                        head.Append((char)one[0]);
                    }
                    var lines = head.ToString().Split("\r\n");
                    var requestLine = lines[0].Split(' ');
                    var headers = lines.Skip(1).Where(l => l.Contains(':'))
                        .ToDictionary(l => l.Substring(0, l.IndexOf(':')).Trim(), l => l.Substring(l.IndexOf(':') + 1).Trim(), StringComparer.OrdinalIgnoreCase);
                    var body = new byte[headers.TryGetValue("Content-Length", out var cl) ? int.Parse(cl) : 0];
                    int got = 0;
                    while (got < body.Length) got += await stream.ReadAsync(body, got, body.Length - got);
                    bool authorized = headers.TryGetValue("Authorization", out var auth) && Verify(auth, requestLine[0], requestLine[1]);
                    Requests.Enqueue(new RecordedRequest(requestLine[0], requestLine[1], headers, Encoding.UTF8.GetString(body), authorized));

                    string answer;
                    if (RawAnswer != null) answer = RawAnswer;
                    else if (!authorized)
                    {
                        var challenge = _scheme == "Basic" ? "Basic realm=\"phone\""
                            : $"Digest realm=\"phone@127.0.0.1\", qop=\"auth\", algorithm={_algorithm}, nonce=\"{_nonce}\", opaque=\"0paque\"";
                        answer = $"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: {challenge}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                    }
                    else
                    {
                        answer = $"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {Encoding.UTF8.GetByteCount(OkBody)}\r\nConnection: close\r\n\r\n{OkBody}";
                    }
                    var bytes = Encoding.UTF8.GetBytes(answer);
                    await stream.WriteAsync(bytes, 0, bytes.Length);
                }
                catch (IOException) { }
            }
        }

        // RFC 7616 §3.4.1, written out again here on purpose (not Core's code).
        private bool Verify(string authorization, string method, string target)
        {
            if (_scheme == "Basic")
                return authorization == "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(_user + ":" + _password));
            if (!authorization.StartsWith("Digest ")) return false;
            var p = Regex.Matches(authorization, @"(\w+)=(?:""([^""]*)""|([^,\s]+))")
                .ToDictionary(m => m.Groups[1].Value.ToLowerInvariant(), m => m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Value);
            if (!p.TryGetValue("username", out var user) || user != _user || p.GetValueOrDefault("nonce") != _nonce) return false;
            if (p.GetValueOrDefault("uri") != target) return false;
            if (p.GetValueOrDefault("opaque") != "0paque" || p.GetValueOrDefault("qop") != "auth") return false;
            Func<string, string> h = _algorithm.StartsWith("SHA-256")
                ? s => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(s))).ToLowerInvariant()
                : s => Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(s))).ToLowerInvariant();
            var ha1 = h($"{_user}:phone@127.0.0.1:{_password}");
            if (_algorithm.EndsWith("-sess")) ha1 = h($"{ha1}:{_nonce}:{p["cnonce"]}");
            var ha2 = h($"{method}:{p["uri"]}");
            var expected = h($"{ha1}:{_nonce}:{p["nc"]}:{p["cnonce"]}:auth:{ha2}");
            return expected == p.GetValueOrDefault("response");
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            try { _loop.Wait(2000); } catch (AggregateException) { }
        }
    }
}
