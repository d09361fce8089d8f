using PrivateProvisioning.Core.Formats;

namespace PrivateProvisioning.Core.Serving
{
    /// <summary>One parameter of a profile as the phone would receive it (after protection is peeled and aliases applied).</summary>
    public sealed class ReceivedParameter
    {
        public ReceivedParameter(string name, string value, string macAddress, string url, ProfileFormat format, string protection)
        {
            Name = name;
            Value = value;
            MacAddress = macAddress;
            Url = url;
            Format = format;
            Protection = protection;
        }

        /// <summary>The canonical parameter name (Cisco element name, Panasonic key...).</summary>
        public string Name { get; }
        /// <summary>The value; secrets (passwords, keys) are shown as ******** unless asked for.</summary>
        public string Value { get; }
        public string MacAddress { get; }
        /// <summary>The URL the profile was downloaded from.</summary>
        public string Url { get; }
        public ProfileFormat Format { get; }
        /// <summary>The protection layers peeled, in the order they were applied ("Gzip+OpenSslAes256Cbc"), or "None".</summary>
        public string Protection { get; }
    }

    /// <summary>One difference between what the phone would receive and the expected profile.</summary>
    public sealed class ParameterDifference
    {
        public ParameterDifference(string name, ParameterChangeKind change, string? expected, string? received, string macAddress, string url)
        {
            Name = name;
            Change = change;
            Expected = expected;
            Received = received;
            MacAddress = macAddress;
            Url = url;
        }

        public string Name { get; }
        /// <summary>Added: received but not expected; Removed: expected but not received; Changed: different values.</summary>
        public ParameterChangeKind Change { get; }
        /// <summary>The expected value (null when Added; ******** for secrets).</summary>
        public string? Expected { get; }
        /// <summary>The received value (null when Removed; ******** for secrets).</summary>
        public string? Received { get; }
        public string MacAddress { get; }
        public string Url { get; }
    }
}
