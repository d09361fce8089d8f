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
        /// <summary>Every IPv4 interface: phones send from the network, not from this host.</summary>
        public const string DefaultAddress = "0.0.0.0";

        /// <summary>A message count as the user gives it: null (listen on) or at least 1, else InvalidCount.</summary>
        public static int? CountFrom(int? count) => count is int n && n < 1
            ? throw new ProvisioningException(ErrorIds.InvalidCount, ErrorKind.InvalidArgument, $"The count {n} must be at least 1.", n).About(RequestParameter.Count)
            : count;

        /// <summary>A time limit in seconds as the user gives it: null (listen on) or above 0, else InvalidTimeout.</summary>
        public static TimeSpan? DurationFrom(double? seconds) => seconds is double s
            ? s > 0 && s < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(s)
                : throw new ProvisioningException(ErrorIds.InvalidTimeout, ErrorKind.InvalidArgument, $"The time limit {s} must be a positive number of seconds.", s).About(RequestParameter.Timeout)
            : (TimeSpan?)null;

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
