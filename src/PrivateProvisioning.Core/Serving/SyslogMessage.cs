using System;

namespace PrivateProvisioning.Core.Serving
{
    /// <summary>Syslog severities (RFC 5424 §6.2.1).</summary>
    public enum SyslogSeverity
    {
        Emergency = 0, Alert = 1, Critical = 2, Error = 3, Warning = 4, Notice = 5, Informational = 6, Debug = 7,
    }

    /// <summary>Syslog facilities (RFC 5424 §6.2.1).</summary>
    public enum SyslogFacility
    {
        Kernel = 0, User = 1, Mail = 2, Daemon = 3, Auth = 4, Syslog = 5, Printer = 6, News = 7, Uucp = 8, Cron = 9,
        AuthPriv = 10, Ftp = 11, Ntp = 12, Audit = 13, Alert = 14, Clock = 15,
        Local0 = 16, Local1 = 17, Local2 = 18, Local3 = 19, Local4 = 20, Local5 = 21, Local6 = 22, Local7 = 23,
    }

    /// <summary>Which syslog dialect a datagram was in.</summary>
    public enum SyslogFormat
    {
        /// <summary>RFC 5424: &lt;PRI&gt;1 TIMESTAMP HOST APP PROCID MSGID SD MSG.</summary>
        Rfc5424,
        /// <summary>RFC 3164 (BSD): &lt;PRI&gt;Mmm dd hh:mm:ss HOST TAG: MSG.</summary>
        Rfc3164,
        /// <summary>A priority and free text (what many phones send), or no priority at all.</summary>
        Bare,
    }

    /// <summary>What a phone's message reports (the Log_*_Msg texts of the Cisco spec §6.3).</summary>
    public enum SyslogMessageKind
    {
        Other,
        ResyncRequest,
        ResyncSuccess,
        ResyncFailure,
        UpgradeRequest,
        UpgradeSuccess,
        UpgradeFailure,
    }

    /// <summary>One syslog message received from a phone.</summary>
    public sealed class SyslogMessage
    {
        public SyslogMessage(DateTimeOffset time, DateTimeOffset receivedTime, string host, string sourceAddress, string? macAddress,
            SyslogSeverity severity, SyslogFacility facility, string? appName, string message, SyslogMessageKind kind,
            string? product, string? url, string? error, SyslogFormat format)
        {
            Time = time;
            ReceivedTime = receivedTime;
            Host = host;
            SourceAddress = sourceAddress;
            MacAddress = macAddress;
            Severity = severity;
            Facility = facility;
            AppName = appName;
            Message = message;
            Kind = kind;
            Product = product;
            Url = url;
            Error = error;
            Format = format;
        }

        /// <summary>The message's own timestamp, or the time it was received when it carries none.</summary>
        public DateTimeOffset Time { get; }
        public DateTimeOffset ReceivedTime { get; }
        /// <summary>The host name in the message, or the sender's address when there is none.</summary>
        public string Host { get; }
        /// <summary>The IP address the datagram came from.</summary>
        public string SourceAddress { get; }
        /// <summary>The MAC address in the message (upper-case hex), or null.</summary>
        public string? MacAddress { get; }
        public SyslogSeverity Severity { get; }
        public SyslogFacility Facility { get; }
        /// <summary>RFC 5424 APP-NAME or the RFC 3164 tag, when present.</summary>
        public string? AppName { get; }
        public string Message { get; }
        public SyslogMessageKind Kind { get; }
        /// <summary>The product name ($PN) before the MAC in a resync/upgrade message.</summary>
        public string? Product { get; }
        /// <summary>The URL a resync or upgrade message names ($SCHEME://$SERVIP:$PORT$PATH).</summary>
        public string? Url { get; }
        /// <summary>The $ERR text of a failure (or of a success message that carries one).</summary>
        public string? Error { get; }
        public SyslogFormat Format { get; }
    }
}
