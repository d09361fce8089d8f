using System;
using System.Collections.Generic;
using System.Globalization;

namespace PrivateProvisioning.Core.Formats
{
    /// <summary>JSON type of a PrivateWave client setting.</summary>
    public enum PrivateWaveSettingType
    {
        String,
        /// <summary>Free text that may span lines (CsrEmailBody).</summary>
        Text,
        Integer,
        Boolean,
        /// <summary>One of AllowedValues, written upper-case, accepted in any case.</summary>
        Enumeration,
        /// <summary>An absolute https URL, or empty.</summary>
        HttpsUrl,
        /// <summary>Two upper-case letters (ISO 3166-1 alpha-2), or empty.</summary>
        CountryCode,
        /// <summary>A secret (password): written when set, never shown in messages or diffs.</summary>
        Secret,
    }

    /// <summary>One field of the PrivateWave client settings (privatewave.md §3.2).</summary>
    public sealed class PrivateWaveSettingField
    {
        internal PrivateWaveSettingField(string key, PrivateWaveSettingType type, string defaultValue, int minimum = int.MinValue,
            int maximum = int.MaxValue, params string[] allowedValues)
        {
            Key = key;
            Type = type;
            DefaultValue = defaultValue;
            Minimum = minimum;
            Maximum = maximum;
            AllowedValues = allowedValues;
        }

        /// <summary>The canonical key: the JSON property, the CSV column and the template setting name ("CsrSubject.Country" nests).</summary>
        public string Key { get; }
        public PrivateWaveSettingType Type { get; }
        /// <summary>The shipped `default` template's value, as canonical text.</summary>
        public string DefaultValue { get; }
        public int Minimum { get; }
        public int Maximum { get; }
        /// <summary>Integers must be a multiple of this (PTime: 10 ms).</summary>
        public int Step { get; internal set; } = 1;
        public IReadOnlyList<string> AllowedValues { get; }
    }

    /// <summary>
    /// The field list of the PrivateWave client settings with types, ranges and the seed defaults
    /// (privatewave.md §3.2; documented in docs/privatewave-settings.md). Generation validates template
    /// settings with <see cref="Normalize"/>, the PrivateWave writer uses it to type the JSON.
    /// </summary>
    public static class PrivateWaveSettingsSchema
    {
        private static readonly PrivateWaveSettingField[] AllFields =
        {
            // General / support
            new("OemLicenseCode", PrivateWaveSettingType.String, ""),
            new("PTime", PrivateWaveSettingType.Integer, "100", 10, 200) { Step = 10 },
            new("CustomerServicePhone", PrivateWaveSettingType.String, ""),
            new("CustomerServiceEmail", PrivateWaveSettingType.String, ""),
            new("SipProxyPort", PrivateWaveSettingType.Integer, "5061", 1, 65535),
            new("LoggingEnabled", PrivateWaveSettingType.Boolean, "false"),
            new("LoggingLevel", PrivateWaveSettingType.Enumeration, "INFO", allowedValues: new[] { "DEBUG", "INFO" }),
            new("DialingTimeout", PrivateWaveSettingType.Integer, "120", 1, 86400),
            new("RingingTimeout", PrivateWaveSettingType.Integer, "30", 1, 86400),
            new("ConnectingTimeout", PrivateWaveSettingType.Integer, "90", 1, 86400),
            new("DisconnectingTimeout", PrivateWaveSettingType.Integer, "10", 1, 86400),
            new("ReadOnlySettings", PrivateWaveSettingType.Boolean, "true"),
            new("MultilevelSecurity", PrivateWaveSettingType.Boolean, "false"),
            // Messaging and privacy
            new("MessagingEnabled", PrivateWaveSettingType.Boolean, "true"),
            new("UserCanEditHistoryLogSize", PrivateWaveSettingType.Boolean, "false"),
            new("HistoryLogSize", PrivateWaveSettingType.Integer, "50", 1, 1000),
            new("ReadNotification", PrivateWaveSettingType.Enumeration, "ENABLED", allowedValues: new[] { "ENABLED", "DISABLED" }),
            new("UserCanEditReadNotification", PrivateWaveSettingType.Boolean, "true"),
            new("MessageExpiration", PrivateWaveSettingType.Enumeration, "OPTIONAL", allowedValues: new[] { "OPTIONAL", "MANDATORY" }),
            new("MessageExpirationTimeout", PrivateWaveSettingType.Integer, "15", 1, 525600),
            // PIN
            new("Pin", PrivateWaveSettingType.Enumeration, "OPTIONAL", allowedValues: new[] { "OPTIONAL", "MANDATORY" }),
            new("PinCacheTimeout", PrivateWaveSettingType.Integer, "600", 0, 86400),
            new("PinMaxRetries", PrivateWaveSettingType.Integer, "5", 1, 100),
            new("PinLockTime", PrivateWaveSettingType.Integer, "900", 0, 86400),
            // Mutual authentication
            new("MutualAuthEnabled", PrivateWaveSettingType.Boolean, "false"),
            new("ServerCertificateName", PrivateWaveSettingType.String, ""),
            new("ClientCertificateExtension", PrivateWaveSettingType.Enumeration, ".pem", allowedValues: new[] { ".pem", ".crt", ".der", ".p12" }),
            new("GenericClientCertificateName", PrivateWaveSettingType.String, ""),
            new("CertificatePassword", PrivateWaveSettingType.Secret, ""),
            new("ServerCertificateDownloadUrl", PrivateWaveSettingType.HttpsUrl, ""),
            new("ClientCertificateDownloadUrl", PrivateWaveSettingType.HttpsUrl, ""),
            new("CertificateDownloadUsername", PrivateWaveSettingType.String, ""),
            new("CertificateDownloadPassword", PrivateWaveSettingType.Secret, ""),
            new("SMime", PrivateWaveSettingType.Boolean, "false"),
            new("CsrEnabled", PrivateWaveSettingType.Boolean, "false"),
            new("CsrEncrypted", PrivateWaveSettingType.Boolean, "false"),
            new("CsrExtension", PrivateWaveSettingType.String, ".csr"),
            new("CsrSubject.Country", PrivateWaveSettingType.CountryCode, ""),
            new("CsrSubject.Organization", PrivateWaveSettingType.String, ""),
            new("CsrSubject.OrganizationalUnit", PrivateWaveSettingType.String, ""),
            new("CsrSubject.CommonName", PrivateWaveSettingType.String, ""),
            new("CsrSubject.Locality", PrivateWaveSettingType.String, ""),
            new("CsrSubject.State", PrivateWaveSettingType.String, ""),
            new("CsrSubject.Street", PrivateWaveSettingType.String, ""),
            new("CsrSubject.PostalCode", PrivateWaveSettingType.String, ""),
            new("CsrSubject.Title", PrivateWaveSettingType.String, ""),
            new("CsrSubject.Email", PrivateWaveSettingType.String, ""),
            new("CsrEmailTo", PrivateWaveSettingType.String, ""),
            new("CsrEmailSubject", PrivateWaveSettingType.String, ""),
            new("CsrEmailBody", PrivateWaveSettingType.Text, ""),
            // SSL pinning
            new("SslPinningEnabled", PrivateWaveSettingType.Boolean, "false"),
            new("PinnedServerCertificateName", PrivateWaveSettingType.String, ""),
            new("PinnedCertificateDownloadUrl", PrivateWaveSettingType.HttpsUrl, ""),
            new("PinnedCertificateDownloadUsername", PrivateWaveSettingType.String, ""),
            new("PinnedCertificateDownloadPassword", PrivateWaveSettingType.Secret, ""),
        };

        private static readonly Dictionary<string, PrivateWaveSettingField> ByKey = Index();

        private static Dictionary<string, PrivateWaveSettingField> Index()
        {
            var d = new Dictionary<string, PrivateWaveSettingField>(StringComparer.OrdinalIgnoreCase);
            foreach (var f in AllFields) d.Add(f.Key, f);
            return d;
        }

        /// <summary>Every field in document order.</summary>
        public static IReadOnlyList<PrivateWaveSettingField> Fields => AllFields;

        /// <summary>Finds a field by key, ignoring case.</summary>
        public static bool TryGetField(string key, out PrivateWaveSettingField field) => ByKey.TryGetValue(key, out field!);

        /// <summary>
        /// Checks a value against its field and returns the canonical text (enums upper-case, booleans "true"/"false",
        /// integers without sign or leading zeros); null with a reason when it does not fit. Never echoes secrets.
        /// </summary>
        public static string? Normalize(PrivateWaveSettingField field, string value, out string? problem)
        {
            problem = null;
            var v = field.Type == PrivateWaveSettingType.Text || field.Type == PrivateWaveSettingType.Secret ? value : value.Trim();
            switch (field.Type)
            {
                case PrivateWaveSettingType.Integer:
                    if (!long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n) || n < field.Minimum || n > field.Maximum)
                    {
                        problem = field.Maximum == int.MaxValue
                            ? $"must be a whole number of at least {field.Minimum}"
                            : $"must be a whole number from {field.Minimum} to {field.Maximum}";
                        return null;
                    }
                    if (n % field.Step != 0)
                    {
                        problem = $"must be a multiple of {field.Step}";
                        return null;
                    }
                    return n.ToString(CultureInfo.InvariantCulture);
                case PrivateWaveSettingType.Boolean:
                    switch (v.ToLowerInvariant())
                    {
                        case "true": case "yes": case "1": case "on": return "true";
                        case "false": case "no": case "0": case "off": return "false";
                    }
                    problem = "must be true or false";
                    return null;
                case PrivateWaveSettingType.Enumeration:
                    foreach (var allowed in field.AllowedValues)
                        if (string.Equals(allowed, v, StringComparison.OrdinalIgnoreCase)) return allowed;
                    problem = "must be one of " + string.Join(", ", field.AllowedValues);
                    return null;
                case PrivateWaveSettingType.HttpsUrl:
                    if (v.Length == 0) return v;
                    if (Uri.TryCreate(v, UriKind.Absolute, out var uri) && uri.Scheme == "https" && uri.Host.Length > 0) return v;
                    problem = "must be an absolute https:// URL";
                    return null;
                case PrivateWaveSettingType.CountryCode:
                    if (v.Length == 0) return v;
                    if (v.Length == 2 && char.IsLetter(v[0]) && char.IsLetter(v[1]) && v[0] < 128 && v[1] < 128) return v.ToUpperInvariant();
                    problem = "must be a two-letter country code such as NZ or DE";
                    return null;
                default:
                    return v;
            }
        }
    }
}
