using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;

namespace PrivateProvisioning.Core.Rules
{
    /// <summary>
    /// The phone's default syslog texts for resyncs and upgrades (spec §6.3) and the request-scoped macros they
    /// use ($SCHEME, $SERV, $SERVIP, $PORT, $PATH, $ERR). Expand a text with
    /// <c>MacroExpander.Expand(text, ResyncLogMessages.RequestContext(phone, request))</c> to predict the line a phone logs.
    /// </summary>
    public static class ResyncLogMessages
    {
        public const string ResyncRequest = "$PN $MAC -- Requesting resync $SCHEME://$SERVIP:$PORT$PATH";
        public const string ResyncSuccess = "$PN $MAC -- Successful resync $SCHEME://$SERVIP:$PORT$PATH";
        /// <summary>The SPA100/200 ATAs append the result text to the success message.</summary>
        public const string ResyncSuccessSpa100 = ResyncSuccess + " -- $ERR";
        public const string ResyncFailure = "$PN $MAC -- Resync failed: $ERR";
        public const string UpgradeRequest = "$PN $MAC -- Requesting upgrade $SCHEME://$SERVIP:$PORT$PATH";
        public const string UpgradeSuccess = "$PN $MAC -- Successful upgrade $SCHEME://$SERVIP:$PORT$PATH -- $ERR";
        public const string UpgradeFailure = "$PN $MAC -- Upgrade failed: $ERR";

        /// <summary>SPA element name → default text.</summary>
        public static readonly IReadOnlyDictionary<string, string> SpaDefaults = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Log_Resync_Request_Msg"] = ResyncRequest,
            ["Log_Resync_Success_Msg"] = ResyncSuccess,
            ["Log_Resync_Failure_Msg"] = ResyncFailure,
            ["Log_Upgrade_Request_Msg"] = UpgradeRequest,
            ["Log_Upgrade_Success_Msg"] = UpgradeSuccess,
            ["Log_Upgrade_Failure_Msg"] = UpgradeFailure,
        };

        /// <summary>MPP element name → default text.</summary>
        public static readonly IReadOnlyDictionary<string, string> MppDefaults = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Log_Request_Msg"] = ResyncRequest,
            ["Log_Success_Msg"] = ResyncSuccess,
            ["Log_Failure_Msg"] = ResyncFailure,
            ["Log_Upgrade_Request_Msg"] = UpgradeRequest,
            ["Log_Upgrade_Success_Msg"] = UpgradeSuccess,
            ["Log_Upgrade_Failure_Msg"] = UpgradeFailure,
        };

        /// <summary>
        /// <paramref name="phone"/> plus the macros of the request <paramref name="request"/> describes:
        /// $SCHEME (TFTP, HTTP or HTTPS, as the spec's table gives it), $SERV, $SERVIP (the given address, or the
        /// host when it is an IP literal; we do no DNS), $PORT, $PATH and, when given, $ERR.
        /// </summary>
        public static MacroContext RequestContext(MacroContext phone, ExpandedProfileRule request, string? serverIp = null, string? error = null)
        {
            if (phone == null) throw new ArgumentNullException(nameof(phone));
            if (request == null) throw new ArgumentNullException(nameof(request));
            var pairs = new List<KeyValuePair<string, string>>();
            if (request.Scheme.HasValue) pairs.Add(Pair("SCHEME", request.Scheme.Value.ToString().ToUpperInvariant()));
            if (request.Host != null) pairs.Add(Pair("SERV", request.Host));
            var ip = serverIp ?? (request.Host != null && IPAddress.TryParse(request.Host.Trim('[', ']'), out _) ? request.Host : null);
            if (ip != null) pairs.Add(Pair("SERVIP", ip));
            if (request.Port.HasValue) pairs.Add(Pair("PORT", request.Port.Value.ToString(CultureInfo.InvariantCulture)));
            if (request.Path != null) pairs.Add(Pair("PATH", request.Path));
            if (error != null) pairs.Add(Pair("ERR", error));
            return phone.With(pairs);
        }

        private static KeyValuePair<string, string> Pair(string name, string value) => new KeyValuePair<string, string>(name, value);
    }
}
