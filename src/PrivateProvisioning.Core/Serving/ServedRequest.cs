using System;

namespace PrivateProvisioning.Core.Serving
{
    /// <summary>The protocol a request came in on.</summary>
    public enum ServingProtocol
    {
        Tftp,
        Http,
    }

    /// <summary>How a request to the provisioning server ended.</summary>
    public enum RequestOutcome
    {
        /// <summary>The whole file was sent (and, for TFTP, acknowledged).</summary>
        Served,
        /// <summary>HTTP conditional request: the phone's copy is current (304).</summary>
        NotModified,
        /// <summary>No such file under the root (TFTP error 1, HTTP 404).</summary>
        NotFound,
        /// <summary>The name would leave the root (.., absolute, NUL, symbolic link out); never served.</summary>
        Refused,
        /// <summary>A write (TFTP WRQ) or a method other than GET/HEAD: the server is read-only.</summary>
        WriteRefused,
        /// <summary>The request was malformed (bad TFTP packet, bad HTTP request line, unsupported mode).</summary>
        BadRequest,
        /// <summary>The client stopped answering; retransmissions were exhausted.</summary>
        TimedOut,
        /// <summary>The client ended the transfer (TFTP ERROR, closed connection).</summary>
        ClientAborted,
        /// <summary>The server could not read the file or hit another I/O error.</summary>
        Failed,
    }

    /// <summary>One request the provisioning server answered: what a troubleshooting admin looks at first.</summary>
    public sealed class ServedRequest
    {
        public ServedRequest(DateTimeOffset time, string clientAddress, int clientPort, ServingProtocol protocol, string file,
            string? macAddress, long bytes, RequestOutcome outcome, int statusCode, string? userAgent, string? detail, TimeSpan duration)
        {
            Time = time;
            ClientAddress = clientAddress;
            ClientPort = clientPort;
            Protocol = protocol;
            File = file;
            MacAddress = macAddress;
            Bytes = bytes;
            Outcome = outcome;
            StatusCode = statusCode;
            UserAgent = userAgent;
            Detail = detail;
            Duration = duration;
        }

        /// <summary>When the request arrived.</summary>
        public DateTimeOffset Time { get; }
        public string ClientAddress { get; }
        public int ClientPort { get; }
        public ServingProtocol Protocol { get; }
        /// <summary>The name as the client asked for it (HTTP: the decoded path with its query).</summary>
        public string File { get; }
        /// <summary>The MAC address recognised in the name ($MA, $MAU, SEP&lt;MAC&gt;, Config&lt;MAC&gt;, spa&lt;mac&gt;) or else in the HTTP User-Agent, upper-case hex, or null.</summary>
        public string? MacAddress { get; }
        /// <summary>File bytes sent (body only; 0 for HEAD, 304 and errors).</summary>
        public long Bytes { get; }
        public RequestOutcome Outcome { get; }
        /// <summary>HTTP status code, or the TFTP error code sent (0 when a TFTP transfer succeeded).</summary>
        public int StatusCode { get; }
        /// <summary>The HTTP User-Agent (phones put their model and MAC there); null for TFTP.</summary>
        public string? UserAgent { get; }
        /// <summary>Why a request was refused or failed, or the negotiated TFTP options.</summary>
        public string? Detail { get; }
        public TimeSpan Duration { get; }
    }
}
