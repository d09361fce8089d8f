using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace PrivateProvisioning.Core.Serving
{
    /// <summary>A UDP syslog receiver (RFC 5426 transport): one datagram, one message.</summary>
    public sealed class SyslogListener : IDisposable
    {
        private readonly Socket _socket;
        private readonly UdpReceiver _receiver;

        public SyslogListener(IPEndPoint endpoint)
        {
            _socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            TftpServer.IgnoreIcmpResets(_socket);
            try
            {
                _socket.Bind(endpoint);
            }
            catch (SocketException ex)
            {
                _socket.Dispose();
                throw new ProvisioningException(ErrorIds.ServerBindFailed, ErrorKind.ConnectionError,
                    $"Cannot listen for syslog on {ProvisioningServer.FormatEndPoint(endpoint)}: {ex.Message}. Choose another address or port (514 needs privileges; phones can send to any port set in Syslog_Server as host:port).", endpoint, ex);
            }
            LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
            _receiver = new UdpReceiver(_socket, new byte[65536]);
        }

        public IPEndPoint LocalEndPoint { get; }

        /// <summary>The next message, or null when <paramref name="timeout"/> passes first or <paramref name="cancel"/> is signalled.</summary>
        public async Task<SyslogMessage?> ReceiveAsync(TimeSpan timeout, CancellationToken cancel = default)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                var remaining = deadline - DateTime.UtcNow;
                if (remaining <= TimeSpan.Zero) return null;
                int n = await _receiver.ReceiveAsync(remaining, cancel).ConfigureAwait(false);
                if (n == UdpReceiver.TimedOut) return null;
                if (n == UdpReceiver.Gone)
                {
                    if (cancel.IsCancellationRequested) return null;
                    await Task.Delay(10).ConfigureAwait(false); // a stray ICMP error; keep listening without spinning
                    continue;
                }
                return SyslogParser.Parse(_receiver.Buffer, n, _receiver.From!.Address.ToString(), DateTimeOffset.Now);
            }
        }

        public void Dispose() => _socket.Dispose();
    }
}
