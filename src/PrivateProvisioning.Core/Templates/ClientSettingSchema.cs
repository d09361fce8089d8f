using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace PrivateProvisioning.Core.Templates
{
    /// <summary>The kind of value a PrivateWave client setting holds; decides validation and JSON type.</summary>
    public enum ClientSettingKind
    {
        Text,
        MultilineText,
        Boolean,
        Integer,
        Choice,
        Email,
        HttpsUrl,
        Phone,
        CountryCode,
        FileName,
        /// <summary>A secret: the template holds only a reference (env:NAME or file:PATH), never the value.</summary>
        SecretReference,
    }

    /// <summary>One typed field of the PrivateWave provisioning profile (privatewave.md §3.2).</summary>
    public sealed class ClientSettingDefinition
    {
        internal ClientSettingDefinition(string name, ClientSettingKind kind, string defaultValue, string section,
            long min = long.MinValue, long max = long.MaxValue, long step = 1, string[]? choices = null)
        {
            Name = name;
            Kind = kind;
            DefaultValue = defaultValue;
            Section = section;
            Minimum = min;
            Maximum = max;
            Step = step;
            Choices = choices ?? Array.Empty<string>();
        }

        /// <summary>Canonical key (JSON, CSV column, document name): "PinCacheTimeout", "CsrSubject.Country".</summary>
        public string Name { get; }
        public ClientSettingKind Kind { get; }
        /// <summary>The seed default of the shipped `default` template, in canonical text.</summary>
        public string DefaultValue { get; }
        public string Section { get; }
        public long Minimum { get; }
        public long Maximum { get; }
        public long Step { get; }
        public IReadOnlyList<string> Choices { get; }
    }

    /// <summary>
    /// The field list of a PrivateWave provisioning profile with its seed defaults, and the one place
    /// values are validated and brought to canonical text (enums upper-case, booleans true/false,
    /// integers invariant). Names are matched case-insensitively on input.
    /// </summary>
    public static class ClientSettingSchema
    {
        private const int MaxTextLength = 1024;

        public static readonly IReadOnlyList<ClientSettingDefinition> All = new[]
        {
            // General / support
            new ClientSettingDefinition("OemLicenseCode", ClientSettingKind.Text, "", "General"),
            new ClientSettingDefinition("PTime", ClientSettingKind.Integer, "100", "General", 10, 200, 10),
            new ClientSettingDefinition("CustomerServicePhone", ClientSettingKind.Phone, "", "General"),
            new ClientSettingDefinition("CustomerServiceEmail", ClientSettingKind.Email, "", "General"),
            new ClientSettingDefinition("SipProxyPort", ClientSettingKind.Integer, "5061", "General", 1, 65535),
            new ClientSettingDefinition("LoggingEnabled", ClientSettingKind.Boolean, "false", "General"),
            new ClientSettingDefinition("LoggingLevel", ClientSettingKind.Choice, "INFO", "General", choices: new[] { "DEBUG", "INFO" }),
            new ClientSettingDefinition("DialingTimeout", ClientSettingKind.Integer, "120", "General", 1, 86400),
            new ClientSettingDefinition("RingingTimeout", ClientSettingKind.Integer, "30", "General", 1, 86400),
            new ClientSettingDefinition("ConnectingTimeout", ClientSettingKind.Integer, "90", "General", 1, 86400),
            new ClientSettingDefinition("DisconnectingTimeout", ClientSettingKind.Integer, "10", "General", 1, 86400),
            new ClientSettingDefinition("ReadOnlySettings", ClientSettingKind.Boolean, "true", "General"),
            new ClientSettingDefinition("MultilevelSecurity", ClientSettingKind.Boolean, "false", "General"),
            // Messaging and privacy
            new ClientSettingDefinition("MessagingEnabled", ClientSettingKind.Boolean, "true", "Messaging"),
            new ClientSettingDefinition("UserCanEditHistoryLogSize", ClientSettingKind.Boolean, "false", "Messaging"),
            new ClientSettingDefinition("HistoryLogSize", ClientSettingKind.Integer, "50", "Messaging", 1, 1000),
            new ClientSettingDefinition("ReadNotification", ClientSettingKind.Choice, "ENABLED", "Messaging", choices: new[] { "ENABLED", "DISABLED" }),
            new ClientSettingDefinition("UserCanEditReadNotification", ClientSettingKind.Boolean, "true", "Messaging"),
            new ClientSettingDefinition("MessageExpiration", ClientSettingKind.Choice, "OPTIONAL", "Messaging", choices: new[] { "OPTIONAL", "MANDATORY" }),
            new ClientSettingDefinition("MessageExpirationTimeout", ClientSettingKind.Integer, "15", "Messaging", 1, 525600),
            // PIN
            new ClientSettingDefinition("Pin", ClientSettingKind.Choice, "OPTIONAL", "Pin", choices: new[] { "OPTIONAL", "MANDATORY" }),
            new ClientSettingDefinition("PinCacheTimeout", ClientSettingKind.Integer, "600", "Pin", 0, 86400),
            new ClientSettingDefinition("PinMaxRetries", ClientSettingKind.Integer, "5", "Pin", 1, 100),
            new ClientSettingDefinition("PinLockTime", ClientSettingKind.Integer, "900", "Pin", 0, 86400),
            // Mutual authentication
            new ClientSettingDefinition("MutualAuthEnabled", ClientSettingKind.Boolean, "false", "MutualAuthentication"),
            new ClientSettingDefinition("ServerCertificateName", ClientSettingKind.FileName, "", "MutualAuthentication"),
            new ClientSettingDefinition("ClientCertificateExtension", ClientSettingKind.Choice, ".pem", "MutualAuthentication", choices: new[] { ".pem", ".crt", ".der", ".p12" }),
            new ClientSettingDefinition("GenericClientCertificateName", ClientSettingKind.FileName, "", "MutualAuthentication"),
            new ClientSettingDefinition("CertificatePassword", ClientSettingKind.SecretReference, "", "MutualAuthentication"),
            new ClientSettingDefinition("ServerCertificateDownloadUrl", ClientSettingKind.HttpsUrl, "", "MutualAuthentication"),
            new ClientSettingDefinition("ClientCertificateDownloadUrl", ClientSettingKind.HttpsUrl, "", "MutualAuthentication"),
            new ClientSettingDefinition("CertificateDownloadUsername", ClientSettingKind.Text, "", "MutualAuthentication"),
            new ClientSettingDefinition("CertificateDownloadPassword", ClientSettingKind.SecretReference, "", "MutualAuthentication"),
            new ClientSettingDefinition("SMime", ClientSettingKind.Boolean, "false", "MutualAuthentication"),
            new ClientSettingDefinition("CsrEnabled", ClientSettingKind.Boolean, "false", "MutualAuthentication"),
            new ClientSettingDefinition("CsrEncrypted", ClientSettingKind.Boolean, "false", "MutualAuthentication"),
            new ClientSettingDefinition("CsrExtension", ClientSettingKind.Text, ".csr", "MutualAuthentication"),
            new ClientSettingDefinition("CsrSubject.Country", ClientSettingKind.CountryCode, "", "MutualAuthentication"),
            new ClientSettingDefinition("CsrSubject.Organization", ClientSettingKind.Text, "", "MutualAuthentication"),
            new ClientSettingDefinition("CsrSubject.OrganizationalUnit", ClientSettingKind.Text, "", "MutualAuthentication"),
            new ClientSettingDefinition("CsrSubject.CommonName", ClientSettingKind.Text, "", "MutualAuthentication"),
            new ClientSettingDefinition("CsrSubject.Locality", ClientSettingKind.Text, "", "MutualAuthentication"),
            new ClientSettingDefinition("CsrSubject.State", ClientSettingKind.Text, "", "MutualAuthentication"),
            new ClientSettingDefinition("CsrSubject.Street", ClientSettingKind.Text, "", "MutualAuthentication"),
            new ClientSettingDefinition("CsrSubject.PostalCode", ClientSettingKind.Text, "", "MutualAuthentication"),
            new ClientSettingDefinition("CsrSubject.Title", ClientSettingKind.Text, "", "MutualAuthentication"),
            new ClientSettingDefinition("CsrSubject.Email", ClientSettingKind.Email, "", "MutualAuthentication"),
            new ClientSettingDefinition("CsrEmailTo", ClientSettingKind.Email, "", "MutualAuthentication"),
            new ClientSettingDefinition("CsrEmailSubject", ClientSettingKind.Text, "", "MutualAuthentication"),
            new ClientSettingDefinition("CsrEmailBody", ClientSettingKind.MultilineText, "", "MutualAuthentication"),
            // SSL pinning
            new ClientSettingDefinition("SslPinningEnabled", ClientSettingKind.Boolean, "false", "SslPinning"),
            new ClientSettingDefinition("PinnedServerCertificateName", ClientSettingKind.FileName, "", "SslPinning"),
            new ClientSettingDefinition("PinnedCertificateDownloadUrl", ClientSettingKind.HttpsUrl, "", "SslPinning"),
            new ClientSettingDefinition("PinnedCertificateDownloadUsername", ClientSettingKind.Text, "", "SslPinning"),
            new ClientSettingDefinition("PinnedCertificateDownloadPassword", ClientSettingKind.SecretReference, "", "SslPinning"),
        };

        private static readonly Dictionary<string, ClientSettingDefinition> ByName =
            All.ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);

        private static readonly Dictionary<string, int> Order =
            All.Select((d, i) => new KeyValuePair<string, int>(d.Name, i)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase);

        public static bool TryGet(string name, out ClientSettingDefinition definition) => ByName.TryGetValue(name, out definition!);

        /// <summary>Position in the field list: templates and documents list settings in this order.</summary>
        public static int IndexOf(string name) => Order.TryGetValue(name, out var i) ? i : int.MaxValue;

        /// <summary>Finds a setting or throws naming the unknown key and the closest known one.</summary>
        public static ClientSettingDefinition Get(string name, string where)
        {
            if (TryGet(name, out var d)) return d;
            var close = All.Select(x => x.Name).OrderBy(x => Distance(x.ToLowerInvariant(), name.ToLowerInvariant())).First();
            throw new ProvisioningException(ErrorIds.UnknownClientSetting, ErrorKind.InvalidArgument,
                $"{where}: '{name}' is not a PrivateWave client setting (did you mean '{close}'? the 'default' template shows them all).", name);
        }

        /// <summary>Validates <paramref name="value"/> for the setting and returns its canonical text.</summary>
        /// <param name="where">Names the place for the message: "Template 'office'" or "Row 3".</param>
        public static string Normalize(ClientSettingDefinition d, string? value, string where)
        {
            var v = (value ?? string.Empty).Trim();
            string Fail(string why) => throw new ProvisioningException(ErrorIds.InvalidClientSetting, ErrorKind.InvalidArgument,
                $"{where}, setting {d.Name}: {why}.", d.Name);
            if (d.Kind != ClientSettingKind.MultilineText && d.Kind != ClientSettingKind.SecretReference)
                foreach (var c in v)
                    if (char.IsControl(c)) return Fail("control characters are not allowed");
            if (v.Length > MaxTextLength) return Fail($"the value is longer than {MaxTextLength} characters");
            switch (d.Kind)
            {
                case ClientSettingKind.Boolean:
                    switch (v.ToLowerInvariant())
                    {
                        case "true": case "yes": case "1": case "on": return "true";
                        case "false": case "no": case "0": case "off": return "false";
                    }
                    return Fail($"'{v}' is not a boolean; use true or false");
                case ClientSettingKind.Integer:
                    if (!long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                        return Fail($"'{v}' is not a whole number");
                    if (n < d.Minimum || n > d.Maximum)
                        return Fail(d.Maximum == long.MaxValue ? $"{n} is below the minimum {d.Minimum}" : $"{n} is outside {d.Minimum}..{d.Maximum}");
                    if (d.Step > 1 && (n - d.Minimum) % d.Step != 0)
                        return Fail($"{n} is not a multiple of {d.Step}");
                    return n.ToString(CultureInfo.InvariantCulture);
                case ClientSettingKind.Choice:
                    foreach (var choice in d.Choices)
                        if (string.Equals(choice, v, StringComparison.OrdinalIgnoreCase)) return choice;
                    return Fail($"'{v}' is not one of {string.Join(", ", d.Choices)}");
                case ClientSettingKind.Email:
                    if (v.Length == 0) return v;
                    int at = v.IndexOf('@');
                    if (at <= 0 || at != v.LastIndexOf('@') || at == v.Length - 1 || v.IndexOf(' ') >= 0 || v.IndexOf('.', at) < 0)
                        return Fail($"'{v}' is not an e-mail address (local@domain.example)");
                    return v;
                case ClientSettingKind.HttpsUrl:
                    if (v.Length == 0) return v;
                    if (!Uri.TryCreate(v, UriKind.Absolute, out var uri) || uri.Scheme != "https" || string.IsNullOrEmpty(uri.Host))
                        return Fail($"'{v}' is not an absolute https:// URL");
                    return v;
                case ClientSettingKind.Phone:
                    foreach (var c in v)
                        if (!(char.IsDigit(c) || c == ' ' || c == '+' || c == '-' || c == '(' || c == ')'))
                            return Fail($"'{v}' is not a phone number (use +, digits and spaces)");
                    return v;
                case ClientSettingKind.CountryCode:
                    if (v.Length == 0) return v;
                    if (v.Length != 2 || !char.IsLetter(v[0]) || !char.IsLetter(v[1]) || v[0] > 'z' || v[1] > 'z')
                        return Fail($"'{v}' is not a two-letter ISO 3166 country code");
                    return v.ToUpperInvariant();
                case ClientSettingKind.FileName:
                    if (v.IndexOfAny(new[] { '/', '\\' }) >= 0 || v == "." || v == "..")
                        return Fail($"'{v}' must be a file name without a folder");
                    return v;
                case ClientSettingKind.SecretReference:
                    if (v.Length == 0) return v;
                    if (SecretReference.IsEnvironmentOrFile(v)) return v;
                    // Never echo what may be the secret itself.
                    return Fail("a secret is given by reference only: " + SecretReference.HowToGive + "; the template file is kept in git, the secret is not");
                case ClientSettingKind.MultilineText:
                    foreach (var c in v)
                        if (char.IsControl(c) && c != '\n' && c != '\r' && c != '\t') return Fail("control characters other than line breaks are not allowed");
                    return v;
                default:
                    return v;
            }
        }

        private static int Distance(string a, string b)
        {
            var d = new int[a.Length + 1, b.Length + 1];
            for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
            for (int j = 0; j <= b.Length; j++) d[0, j] = j;
            for (int i = 1; i <= a.Length; i++)
                for (int j = 1; j <= b.Length; j++)
                    d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            return d[a.Length, b.Length];
        }
    }
}
