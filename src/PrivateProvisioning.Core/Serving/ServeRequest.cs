using System;
using System.Net;

namespace PrivateProvisioning.Core.Serving
{
    /// <summary>
    /// One read-only server as both front ends ask for it (Start-ProvisioningServer, pprov serve). It owns the defaults:
    /// a protocol asked for without its own end point listens on <see cref="Address"/> and its port (69, 80), and when
    /// neither protocol is asked for both run, which is what a bench set-up usually wants.
    /// </summary>
    public sealed class ServeRequest
    {
        public const int DefaultTftpPort = 69;
        public const int DefaultHttpPort = 80;
        public const int DefaultLogCapacity = 10000;
        /// <summary>
        /// Where a server started inside an admin's session (Start-ProvisioningServer) listens unless told: this host only;
        /// serving real phones is asked for with the interface facing them. pprov serve names its end points whole.
        /// </summary>
        public const string DefaultSessionAddress = "127.0.0.1";
        /// <summary>The longest a run with a time limit may last: one year.</summary>
        public const double MaxDurationSeconds = 31_536_000;

        /// <summary>A serving time limit in seconds as the user gives it: null (serve until stopped), or above 0 and at most a year, else InvalidDuration.</summary>
        public static TimeSpan? DurationFrom(double? seconds) => seconds is double s
            ? s > 0 && s <= MaxDurationSeconds ? TimeSpan.FromSeconds(s)
                : throw new ProvisioningException(ErrorIds.InvalidDuration, ErrorKind.InvalidArgument, $"The serving time of {s} is not a number of seconds between 0 and one year.", s)
            : (TimeSpan?)null;

        public ServeRequest(string path) { Path = path; }

        /// <summary>The folder served (read-only).</summary>
        public string Path { get; }
        public IPAddress Address { get; set; } = IPAddress.Any;
        public int TftpPort { get; set; } = DefaultTftpPort;
        public int HttpPort { get; set; } = DefaultHttpPort;
        /// <summary>TFTP asked for, on <see cref="Address"/>:<see cref="TftpPort"/> unless <see cref="TftpEndPoint"/> is given.</summary>
        public bool Tftp { get; set; }
        public bool Http { get; set; }
        public IPEndPoint? TftpEndPoint { get; set; }
        public IPEndPoint? HttpEndPoint { get; set; }
        public int LogCapacity { get; set; } = DefaultLogCapacity;

        /// <summary>An IP address to listen on, or InvalidEndPoint.</summary>
        public static IPAddress ParseAddress(string text)
        {
            if (IPAddress.TryParse(text, out var address)) return address;
            throw new ProvisioningException(ErrorIds.InvalidEndPoint, ErrorKind.InvalidArgument, $"The address '{text}' is not an IP address (use 0.0.0.0 for every interface).", text);
        }

        /// <summary>The server's settings with the defaults applied.</summary>
        public ProvisioningServerOptions ToOptions()
        {
            bool neither = !Tftp && !Http && TftpEndPoint == null && HttpEndPoint == null;
            return new ProvisioningServerOptions(Path)
            {
                LogCapacity = LogCapacity,
                TftpEndPoint = TftpEndPoint ?? (Tftp || neither ? new IPEndPoint(Address, TftpPort) : null),
                HttpEndPoint = HttpEndPoint ?? (Http || neither ? new IPEndPoint(Address, HttpPort) : null),
            };
        }
    }
}
