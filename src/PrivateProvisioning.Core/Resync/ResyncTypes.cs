using System;

namespace PrivateProvisioning.Core.Resync
{
    /// <summary>How a phone is told to fetch its profile.</summary>
    public enum ResyncMethod
    {
        /// <summary>GET http://phone/admin/resync?url (Cisco SPA/MPP, Linksys direct-action URL).</summary>
        HttpResync,
        /// <summary>POST of a Cisco XML Execute object with ExecuteItem URL="Resync:url" to /CGI/Execute (MPP).</summary>
        XmlExecute,
        /// <summary>An out-of-dialog SIP NOTIFY (Event: check-sync, resync, reboot_now...).</summary>
        SipNotify,
    }

    /// <summary>What the phone did with the request.</summary>
    public enum ResyncOutcome
    {
        /// <summary>The phone answered 2xx.</summary>
        Accepted,
        /// <summary>The phone answered with another final status (4xx/5xx/6xx, or an XML error object).</summary>
        Rejected,
        /// <summary>The phone asked for credentials and refused the ones given (or none were given).</summary>
        AuthFailed,
        /// <summary>No final answer within the timeout.</summary>
        Timeout,
        /// <summary>The host name did not resolve, the port was closed (ICMP unreachable, connection refused) or TLS failed.</summary>
        Unreachable,
        /// <summary>Something answered, but not in the protocol expected (not SIP, not HTTP).</summary>
        ProtocolError,
    }

    /// <summary>The transport of a SIP NOTIFY; for the HTTP methods, Tls means HTTPS.</summary>
    public enum ResyncTransport
    {
        Udp,
        Tcp,
        Tls,
    }

    /// <summary>One phone to trigger. Property names match the cmdlet's parameters so results pipe back in.</summary>
    public sealed class ResyncTarget
    {
        public ResyncTarget(string ipAddress, int port = 0, string? macAddress = null, string? vendor = null, string? model = null)
        {
            if (string.IsNullOrWhiteSpace(ipAddress))
                throw new ProvisioningException(ErrorIds.MissingIPAddress, ErrorKind.InvalidArgument,
                    "The phone's IP address (or host name) is empty.", ipAddress);
            if (port < 0 || port > 65535)
                throw new ProvisioningException(ErrorIds.InvalidPort, ErrorKind.InvalidArgument,
                    $"Port {port} for '{ipAddress}' is out of range; use 1-65535 (or 0 for the method's default).", ipAddress);
            var (host, portInAddress) = SplitHostPort(ipAddress.Trim());
            if (portInAddress != 0 && port != 0 && port != portInAddress)
                throw new ProvisioningException(ErrorIds.ConflictingPort, ErrorKind.InvalidArgument,
                    $"'{ipAddress}' names port {portInAddress} but port {port} was also given.", ipAddress);
            IPAddress = host;
            Port = port != 0 ? port : portInAddress;
            MacAddress = string.IsNullOrWhiteSpace(macAddress) ? null : Core.MacAddress.Parse(macAddress).Upper;
            Vendor = string.IsNullOrWhiteSpace(vendor) ? null : ResyncRequestRules.CanonicalVendor(vendor!, ipAddress);
            Model = string.IsNullOrWhiteSpace(model) ? null : model!.Trim();
        }

        // "192.0.2.5:5080" and "[2001:db8::5]:5080" carry a port; a bare IPv6 literal does not.
        private static (string Host, int Port) SplitHostPort(string text)
        {
            int colon = text.LastIndexOf(':');
            bool bracketed = text.StartsWith("[", StringComparison.Ordinal);
            if (colon < 0 || (!bracketed && text.IndexOf(':') != colon)) return (text, 0);
            if (bracketed && text.IndexOf("]:", StringComparison.Ordinal) != colon - 1)
                return (text.Trim('[', ']'), 0);
            var portText = text.Substring(colon + 1);
            if (!int.TryParse(portText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port) || port < 1 || port > 65535)
                throw new ProvisioningException(ErrorIds.InvalidPort, ErrorKind.InvalidArgument,
                    $"The port '{portText}' in '{text}' is not a number from 1 to 65535.", text);
            return (text.Substring(0, colon).Trim('[', ']'), port);
        }

        /// <summary>The phone's address: an IPv4/IPv6 literal or a host name.</summary>
        public string IPAddress { get; }
        /// <summary>The port asked for; 0 means the method's default (5060, 5061 for TLS, 80, 443).</summary>
        public int Port { get; }
        /// <summary>Upper-case hex MAC address, when known.</summary>
        public string? MacAddress { get; }
        /// <summary>Phone family, a profile format's name (Panasonic, CiscoSpa, CiscoSep...), which picks the default NOTIFY event.</summary>
        public string? Vendor { get; }
        /// <summary>Phone model (e.g. 8841), which names the XML Execute root element.</summary>
        public string? Model { get; }

        public override string ToString() =>
            (IPAddress.IndexOf(':') >= 0 ? "[" + IPAddress + "]" : IPAddress) + (Port != 0 ? ":" + Port : "") + (MacAddress != null ? " (" + MacAddress + ")" : "");
    }

    /// <summary>One phone's answer. Sealed and get-only; IPAddress/Port/MacAddress repeat the target so failed results pipe back into Invoke-PhoneResync.</summary>
    public sealed class ResyncResult
    {
        public ResyncResult(ResyncTarget target, ResyncMethod method, ResyncOutcome outcome, int statusCode, string reason, TimeSpan elapsed)
        {
            Target = target;
            Method = method;
            Outcome = outcome;
            StatusCode = statusCode;
            Reason = reason;
            Elapsed = elapsed;
        }

        public ResyncTarget Target { get; }
        public string IPAddress => Target.IPAddress;
        public int Port => Target.Port;
        public string? MacAddress => Target.MacAddress;
        public string? Vendor => Target.Vendor;
        public ResyncMethod Method { get; }
        public ResyncOutcome Outcome { get; }
        /// <summary>The final SIP or HTTP status code, 0 when there was none.</summary>
        public int StatusCode { get; }
        /// <summary>The phone's reason phrase, or what went wrong in words.</summary>
        public string Reason { get; }
        public TimeSpan Elapsed { get; }
        public bool Succeeded => Outcome == ResyncOutcome.Accepted;

        public override string ToString() =>
            $"{Target} {Method} {Outcome}{(StatusCode != 0 ? " " + StatusCode : "")} {Reason} ({Elapsed.TotalMilliseconds:0} ms)";
    }

    /// <summary>
    /// The settings of one run, shared by every phone in it. The password bytes belong to the caller, who
    /// wipes them after the run; Core never turns them into a string.
    /// </summary>
    public sealed class ResyncOptions
    {
        public ResyncMethod Method { get; set; } = ResyncMethod.SipNotify;
        /// <summary>The profile rule the phone should fetch (HttpResync, XmlExecute); null lets the phone use its own rule.</summary>
        public string? ProfileUrl { get; set; }
        /// <summary>The NOTIFY event; null picks the vendor's default (Panasonic check-sync, Cisco SPA/MPP resync).</summary>
        public string? Event { get; set; }
        /// <summary>Adds ;reboot=true|false to check-sync; turns Cisco's resync into reboot_now (the phone resyncs on boot).</summary>
        public bool? Reboot { get; set; }
        /// <summary>Line User ID (SIP) or web admin user (HTTP). For SIP it is also the Request-URI user.</summary>
        public string? UserName { get; set; }
        public byte[]? Password { get; set; }
        /// <summary>Null: UDP for SIP, plain HTTP for the HTTP methods.</summary>
        public ResyncTransport? Transport { get; set; }
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
        /// <summary>How many phones are in flight at once.</summary>
        public int ThrottleLimit { get; set; } = 32;
        /// <summary>Pause between starting two phones, to spread the load on the provisioning server.</summary>
        public int DelayMilliseconds { get; set; }
        /// <summary>With TLS, accept only a phone certificate with this SHA-256 fingerprint (hex, colons allowed); else any (phones use self-signed certificates).</summary>
        public string? CertificateSha256 { get; set; }
        /// <summary>RFC 3261 T1 (500 ms); T2 is 8*T1. Tests shorten it.</summary>
        internal TimeSpan T1 { get; set; } = TimeSpan.FromMilliseconds(500);
    }
}
