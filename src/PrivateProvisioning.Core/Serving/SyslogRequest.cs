using System;
using System.Diagnostics;
using System.Net;
using System.Threading;

namespace PrivateProvisioning.Core.Serving
{
    /// <summary>
    /// Listening for phones' syslog as both front ends ask for it (Receive-PhoneSyslog, pprov syslog): where, and when
    /// to stop (after <see cref="Count"/> messages, after <see cref="Duration"/> in all, or when cancelled). The
    /// receive loop lives here once; the front ends print each message.
    /// </summary>
    public sealed class SyslogRequest
    {
        /// <summary>The syslog port (RFC 5426).</summary>
        public const int DefaultPort = 514;

        public SyslogRequest(IPEndPoint endPoint) { EndPoint = endPoint; }

        public IPEndPoint EndPoint { get; }
        /// <summary>Stop after this many messages; null listens on.</summary>
        public int? Count { get; set; }
        /// <summary>Stop after this long in all; null listens on.</summary>
        public TimeSpan? Duration { get; set; }

        /// <summary>
        /// Binds, reports the bound end point, then hands each message to <paramref name="onMessage"/> on the caller's
        /// thread until a stop condition holds. Returns how many messages arrived.
        /// </summary>
        /// <exception cref="ProvisioningException">The port cannot be bound (ServerBindFailed).</exception>
        public int Run(Action<IPEndPoint> onListening, Action<SyslogMessage> onMessage, CancellationToken cancel)
        {
            using (var listener = new SyslogListener(EndPoint))
            {
                onListening(listener.LocalEndPoint);
                var clock = Stopwatch.StartNew();
                int received = 0;
                while (!cancel.IsCancellationRequested && (Count == null || received < Count))
                {
                    var left = Duration is TimeSpan limit ? limit - clock.Elapsed : TimeSpan.FromDays(1);
                    if (left <= TimeSpan.Zero) break;
                    var message = listener.ReceiveAsync(left, cancel).GetAwaiter().GetResult();
                    if (message == null) continue;
                    received++;
                    onMessage(message);
                }
                return received;
            }
        }
    }
}
