using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace PrivateProvisioning.Core.Serving
{
    /// <summary>
    /// Receives datagrams with a timeout on runtimes whose socket calls take no cancellation token
    /// (netstandard2.0): a receive still pending when the time is up is kept for the next call, so no
    /// datagram is lost between tries and no second receive is ever posted.
    /// </summary>
    internal sealed class UdpReceiver
    {
        public const int TimedOut = -1;
        public const int Gone = -2;

        private readonly Socket _socket;
        private readonly byte[] _buffer;
        private readonly EndPoint _any;
        private Task<SocketReceiveFromResult>? _pending;

        public UdpReceiver(Socket socket, byte[] buffer)
        {
            _socket = socket;
            _buffer = buffer;
            _any = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        }

        public byte[] Buffer => _buffer;

        /// <summary>The sender of the last datagram returned.</summary>
        public IPEndPoint? From { get; private set; }

        /// <summary>Bytes received, TimedOut, or Gone (socket error such as ICMP port unreachable, or stop requested).</summary>
        public async Task<int> ReceiveAsync(TimeSpan timeout, CancellationToken stop)
        {
            if (stop.IsCancellationRequested) return Gone;
            var pending = _pending ??= _socket.ReceiveFromAsync(new ArraySegment<byte>(_buffer), SocketFlags.None, _any);
            if (!pending.IsCompleted)
            {
                using (var cancelDelay = CancellationTokenSource.CreateLinkedTokenSource(stop))
                {
                    var delay = Task.Delay(timeout, cancelDelay.Token);
                    var first = await Task.WhenAny(pending, delay).ConfigureAwait(false);
                    cancelDelay.Cancel();
                    if (first != pending) return stop.IsCancellationRequested ? Gone : TimedOut;
                }
            }
            _pending = null;
            try
            {
                var result = await pending.ConfigureAwait(false);
                From = (IPEndPoint)result.RemoteEndPoint;
                return result.ReceivedBytes;
            }
            catch (SocketException) { return Gone; }
            catch (ObjectDisposedException) { return Gone; }
        }
    }
}
