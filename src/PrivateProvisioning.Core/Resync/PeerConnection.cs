using System;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;

namespace PrivateProvisioning.Core.Resync
{
    /// <summary>Ends one phone's attempt with a definite outcome; caught by the runner and turned into a result.</summary>
    internal sealed class ResyncFailure : Exception
    {
        public ResyncFailure(ResyncOutcome outcome, string reason, int statusCode = 0) : base(reason)
        {
            Outcome = outcome;
            StatusCode = statusCode;
        }

        public ResyncOutcome Outcome { get; }
        public int StatusCode { get; }
    }

    /// <summary>Name resolution, TCP connect and TLS for the phone end of HTTP and SIP, with failures mapped to outcomes.</summary>
    internal static class PeerConnection
    {
        public static async Task<IPAddress> ResolveAsync(string host, CancellationToken cancel)
        {
            if (IPAddress.TryParse(host.Trim('[', ']'), out var literal)) return literal;
            try
            {
                var lookup = Dns.GetHostAddressesAsync(host);
                var finished = await Task.WhenAny(lookup, Task.Delay(Timeout.Infinite, cancel)).ConfigureAwait(false);
                if (finished != lookup) throw new OperationCanceledException(cancel);
                var addresses = await lookup.ConfigureAwait(false);
                foreach (var a in addresses)
                    if (a.AddressFamily == AddressFamily.InterNetwork) return a;
                if (addresses.Length > 0) return addresses[0];
            }
            catch (SocketException) { }
            catch (ArgumentException) { }
            throw new ResyncFailure(ResyncOutcome.Unreachable, $"The host name '{host}' does not resolve.");
        }

        public static async Task<Socket> ConnectTcpAsync(IPEndPoint remote, CancellationToken cancel)
        {
            var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using (cancel.Register(() => socket.Dispose()))
            {
                try
                {
                    await socket.ConnectAsync(remote).ConfigureAwait(false);
                    return socket;
                }
                catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException)
                {
                    socket.Dispose();
                    cancel.ThrowIfCancellationRequested();
                    throw new ResyncFailure(ResyncOutcome.Unreachable, $"Cannot connect to {Format(remote)}: {Describe(ex)}.");
                }
            }
        }

        /// <summary>Wraps the connection in TLS, accepting the phone's self-signed certificate unless a SHA-256 pin is given.</summary>
        public static async Task<Stream> WrapTlsAsync(Stream inner, string host, string? pinnedSha256, CancellationToken cancel)
        {
            string? pin = pinnedSha256?.Replace(":", "").Replace(" ", "").ToUpperInvariant();
            string? seen = null;
            var ssl = new SslStream(inner, false, (sender, certificate, chain, errors) =>
            {
                if (certificate == null) return false;
                using (var sha = SHA256.Create())
                    seen = BitConverter.ToString(sha.ComputeHash(certificate.GetRawCertData())).Replace("-", "");
                return pin == null || string.Equals(pin, seen, StringComparison.Ordinal);
            });
            using (cancel.Register(() => ssl.Dispose()))
            {
                try
                {
                    // None lets the OS pick (TLS 1.2/1.3), also on .NET Framework, where Tls13 does not exist.
                    await ssl.AuthenticateAsClientAsync(host, null, SslProtocols.None, false).ConfigureAwait(false);
                    return ssl;
                }
                catch (Exception ex) when (ex is AuthenticationException || ex is IOException || ex is ObjectDisposedException || ex is SocketException)
                {
                    ssl.Dispose();
                    cancel.ThrowIfCancellationRequested();
                    if (pin != null && seen != null && seen != pin)
                        throw new ResyncFailure(ResyncOutcome.Unreachable, $"The TLS certificate of {host} has SHA-256 {seen}, not the pinned {pin}.");
                    throw new ResyncFailure(ResyncOutcome.Unreachable, $"TLS with {host} failed: {ex.Message}");
                }
            }
        }

        public static string Format(IPEndPoint endPoint) =>
            endPoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]:{endPoint.Port}" : $"{endPoint.Address}:{endPoint.Port}";

        public static string FormatHost(IPAddress address) =>
            address.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + address + "]" : address.ToString();

        public static string Describe(Exception ex)
        {
            if (ex is SocketException se)
            {
                switch (se.SocketErrorCode)
                {
                    case SocketError.ConnectionRefused: return "connection refused (nothing listens on that port)";
                    case SocketError.HostUnreachable: return "host unreachable";
                    case SocketError.NetworkUnreachable: return "network unreachable";
                    case SocketError.TimedOut: return "timed out";
                    case SocketError.ConnectionReset: return "connection reset by the phone";
                }
                return se.Message;
            }
            return ex.Message;
        }
    }
}
