using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;
using System.Threading;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Core.Protection;
using PrivateProvisioning.Core.Rules;

namespace PrivateProvisioning.Core.Serving
{
    /// <summary>What to fetch and as which phone.</summary>
    public sealed class ProfileFetchRequest
    {
        public ProfileFetchRequest(string rule, MacAddress macAddress)
        {
            Rule = rule ?? throw new ArgumentNullException(nameof(rule));
            MacAddress = macAddress;
        }

        public string Rule { get; }
        public MacAddress MacAddress { get; }
        /// <summary>GPP_A..P, $SA..$SD and other macro values the rule (and --alias) reads.</summary>
        public IEnumerable<KeyValuePair<string, string>>? Variables { get; set; }
        /// <summary>$PN: also decides the default User-Agent ("CP-8841-3PCC", "SPA942", "KX-HDV230").</summary>
        public string? ProductName { get; set; }
        public string? SerialNumber { get; set; }
        /// <summary>The server of a rule without one (the phone's DHCP option 66).</summary>
        public string? DefaultServer { get; set; }
        /// <summary>The AES passphrase or RFC 8188 key (IKM); overrides the rule's --key. The caller wipes it.</summary>
        public byte[]? Key { get; set; }
        public ProfileDownloadOptions Download { get; set; } = new ProfileDownloadOptions();
        /// <summary>A local profile to compare with: Fetch then returns the differences.</summary>
        public string? ExpectedPath { get; set; }
        /// <summary>Show passwords and keys in values instead of ********.</summary>
        public bool ShowSecrets { get; set; }
    }

    /// <summary>The outcome of a fetch: the parameters received, and the differences when an expected profile was given.</summary>
    public sealed class FetchedProfile
    {
        internal FetchedProfile(string url, ProfileFormat format, string protection, IReadOnlyList<ReceivedParameter> parameters, IReadOnlyList<ParameterDifference>? differences)
        {
            Url = url;
            Format = format;
            Protection = protection;
            Parameters = parameters;
            Differences = differences;
        }

        public string Url { get; }
        public ProfileFormat Format { get; }
        public string Protection { get; }
        public IReadOnlyList<ReceivedParameter> Parameters { get; }
        public IReadOnlyList<ParameterDifference>? Differences { get; }
    }

    /// <summary>
    /// Shows exactly what a phone would receive from a profile rule: the rule is evaluated for the phone
    /// (conditions, assignments, macros), the file is downloaded with the phone's User-Agent over
    /// tftp/http/https, every protection layer is peeled (gzip, openssl AES, RFC 8188 when the response says
    /// Content-Encoding: aes128gcm), the format is read, and an [--alias x] map from the variables is applied.
    /// </summary>
    public static class ProfileFetcher
    {
        public const string Masked = "********";

        /// <summary>What a client certificate's key is for, in the error when the key is missing.</summary>
        public const string ClientCertificatePurpose = "authenticating to the provisioning server as the phone (HTTPS client certificate)";

        /// <summary>The MPP parameter holding the RFC 8188 input keying material.</summary>
        public const string IkmParameter = "IKM_HTTP_Encrypt_Content";

        public static FetchedProfile Fetch(ProfileFetchRequest request, CancellationToken cancel = default)
        {
            var context = new MacroContext(request.MacAddress, request.SerialNumber, request.ProductName, request.Variables);
            // Panasonic CFG_*_FILE_PATH URLs: {MAC}/{mac}/{MODEL}/{fwver} macros and id:pass@ credentials.
            var ruleText = ExpandPanasonicMacros(request.Rule, context);
            var urlCredential = TakeUserInfo(ref ruleText);
            var rule = ProfileRule.Parse(ruleText);
            var expanded = rule.Evaluate(context, request.DefaultServer);
            if (expanded.AlternativeIndex == 0)
                throw new ProvisioningException(ErrorIds.NoAlternativeQualifies, ErrorKind.InvalidData,
                    $"No alternative of the rule '{expanded.Rule}' qualifies for {request.MacAddress.Colon}, so the phone would skip it" +
                    (expanded.Missing.Count > 0 ? $" (not given: {string.Join(", ", expanded.Missing)})." : "."), expanded.Rule);
            if (expanded.Url == null)
                throw new ProvisioningException(ErrorIds.RuleHasNoUrl, ErrorKind.InvalidData,
                    $"The chosen alternative of the rule '{expanded.Rule}' only assigns parameters; there is nothing to download.", expanded.Rule);
            if (expanded.Host == null)
                throw new ProvisioningException(ErrorIds.RuleHasNoServer, ErrorKind.InvalidArgument,
                    $"The rule '{expanded.Rule}' names no server (the phone would use DHCP option 66); give the server.", expanded.Rule)
                    .About(RequestParameter.DefaultServer);
            if (!Uri.TryCreate(expanded.Url, UriKind.Absolute, out var url))
                throw new ProvisioningException(ErrorIds.InvalidProfileUrl, ErrorKind.InvalidData, $"The rule expands to '{expanded.Url}', which is not a URL.", expanded.Url);

            var download = Copy(request.Download);
            download.UserAgent ??= DefaultUserAgent(request.ProductName, request.MacAddress);
            if (download.Credential == null && expanded.UserName != null)
                download.Credential = new NetworkCredential(expanded.UserName, expanded.Password ?? new SecureString());
            download.Credential ??= urlCredential;

            var key = request.Key;
            byte[]? ruleKey = null;
            try
            {
                var received = ProfileDownloader.DownloadAsync(url, download, cancel).GetAwaiter().GetResult();
                // Spec §4.3: Content-Encoding: aes128gcm means RFC 8188 with the phone's IKM_HTTP_Encrypt_Content,
                // whatever the rule's --key says; otherwise --key is the AES-CBC passphrase.
                if (key == null && received.Aes128Gcm)
                {
                    if (!context.TryGetValue(IkmParameter, out var ikm) || ikm.Length == 0)
                        throw new ProvisioningException(ErrorIds.Rfc8188KeyMissing, ErrorKind.InvalidArgument,
                            $"{received.Url} came with Content-Encoding: aes128gcm; give the phone's {IkmParameter} as a variable or as the key.", received.Url)
                            .About(RequestParameter.Key);
                    key = ruleKey = Encoding.UTF8.GetBytes(ikm);
                }
                if (key == null && expanded.Key != null) key = ruleKey = SecureStrings.ToUtf8Bytes(expanded.Key);
                var (format, protection, parameters) = Read(received.Body, received.Url, key, received.Aes128Gcm, expanded.Alias, context);
                var mac = request.MacAddress.Upper;
                var list = parameters.Select(p => new ReceivedParameter(p.Key, Show(p.Key, p.Value, request.ShowSecrets), mac, received.Url, format, protection)).ToList();
                IReadOnlyList<ParameterDifference>? differences = null;
                if (request.ExpectedPath != null)
                {
                    byte[] expectedBytes;
                    try { expectedBytes = File.ReadAllBytes(request.ExpectedPath); }
                    catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                    {
                        throw new ProvisioningException(ErrorIds.ExpectedProfileUnreadable, ErrorKind.ReadError, $"Cannot read the expected profile '{request.ExpectedPath}': {ex.Message}", request.ExpectedPath, ex);
                    }
                    var expected = Read(expectedBytes, request.ExpectedPath, key, false, expanded.Alias, context).Parameters;
                    differences = ProfileDiff.Compare(expected, parameters).Changes
                        .Select(c => new ParameterDifference(c.Name, c.Kind, c.IsSecret && c.OldValue == null && c.Kind != ParameterChangeKind.Added ? Masked : c.OldValue,
                            c.IsSecret && c.NewValue == null && c.Kind != ParameterChangeKind.Removed ? Masked : c.NewValue, mac, received.Url)).ToList();
                }
                return new FetchedProfile(received.Url, format, protection, list, differences);
            }
            finally
            {
                if (ruleKey != null) Array.Clear(ruleKey, 0, ruleKey.Length);
            }
        }

        private static readonly System.Text.RegularExpressions.Regex UserInfo =
            new System.Text.RegularExpressions.Regex(@"(?<scheme>(?:https?|tftp)://)(?<user>[^/@\s\]]*)@", System.Text.RegularExpressions.RegexOptions.IgnoreCase);

        /// <summary>Panasonic URL macros (spec panasonic §2.3): {MAC} upper-case, {mac} lower-case, {MODEL}, {fwver}; others stay literal.</summary>
        internal static string ExpandPanasonicMacros(string rule, MacroContext context)
        {
            if (rule.IndexOf('{') < 0) return rule;
            var mac = context.MacAddress;
            var result = rule;
            if (mac.HasValue) result = result.Replace("{MAC}", mac.Value.Upper).Replace("{mac}", mac.Value.Lower);
            if (context.ProductName != null) result = result.Replace("{MODEL}", context.ProductName);
            if (context.TryGetValue("fwver", out var fw) || context.TryGetValue("SWVER", out fw)) result = result.Replace("{fwver}", fw);
            return result;
        }

        /// <summary>Removes "user:password@" from the URL (Panasonic allows it) and returns it as a credential, so it is never shown.</summary>
        internal static NetworkCredential? TakeUserInfo(ref string rule)
        {
            var m = UserInfo.Match(rule);
            if (!m.Success) return null;
            var info = m.Groups["user"].Value;
            rule = rule.Substring(0, m.Index) + m.Groups["scheme"].Value + rule.Substring(m.Index + m.Length);
            int colon = info.IndexOf(':');
            var user = Uri.UnescapeDataString(colon < 0 ? info : info.Substring(0, colon));
            var password = colon < 0 ? string.Empty : Uri.UnescapeDataString(info.Substring(colon + 1));
            return new NetworkCredential(user, password);
        }

        /// <summary>The User-Agent a phone of this product sends (spec §2.9; Panasonic spec §3).</summary>
        public static string DefaultUserAgent(string? productName, MacAddress mac)
        {
            var product = string.IsNullOrEmpty(productName) ? "CP-8841-3PCC" : productName!;
            if (product.StartsWith("KX-", StringComparison.OrdinalIgnoreCase)) return $"Panasonic_{product}/01.000 ({mac.Lower})";
            if (product.StartsWith("SPA", StringComparison.OrdinalIgnoreCase) || product.StartsWith("PAP", StringComparison.OrdinalIgnoreCase))
                return $"Linksys/{product}-7.6.2 ({mac.Upper})";
            return $"Cisco-{product}/11.0 ({mac.Lower})";
        }

        private static (ProfileFormat Format, string Protection, IReadOnlyList<KeyValuePair<string, string>> Parameters) Read(
            byte[] body, string source, byte[]? key, bool aes128Gcm, string? alias, MacroContext context)
        {
            var unprotector = new ProfileUnprotector(new UnprotectionOptions { AssumeRfc8188 = aes128Gcm });
            byte[] plain;
            string protection;
            try
            {
                plain = unprotector.Unprotect(body, key, source, out var method, out _);
                protection = string.IsNullOrEmpty(method) ? "None" : method;
            }
            catch (ProvisioningException ex) when (ex.ErrorId == ErrorIds.NotProtected)
            {
                // Phones sniff the bytes: a plain profile is read as it is, with or without a --key.
                plain = (byte[])body.Clone();
                protection = "None";
            }
            try
            {
                ProfileFormat format;
                try { format = alias != null ? ProfileFormat.CiscoSpa : ProfileFileReader.Detect(plain, source); }
                catch (ProvisioningException ex) when (ex.ErrorId == ErrorIds.UnknownProfileFormat)
                {
                    throw new ProvisioningException(ErrorIds.UnknownProfileFormat, ErrorKind.InvalidData,
                        $"'{source}' is not a profile a phone understands: after removing its protection ({protection}) it is neither XML, Panasonic text nor JSON" +
                        (plain.Length == 0 ? " (it is empty)." : "; a wrong key or the wrong file gives the same result."), source, ex);
                }
                if (alias != null)
                {
                    var letter = alias.ToUpperInvariant();
                    if (!context.TryGetValue(letter, out var map) || map.Length == 0)
                        throw new ProvisioningException(ErrorIds.AliasMapMissing, ErrorKind.InvalidArgument,
                            $"The rule says [--alias {alias}] but GPP_{letter} is not given; pass the alias map as the variable GPP_{letter} (or {letter}).", alias);
                    return (ProfileFormat.CiscoSpa, protection, CiscoAliasMap.Apply(map, plain, source));
                }
                return (format, protection, ProfileFormats.GetReader(format).Parse(plain, source));
            }
            finally
            {
                Array.Clear(plain, 0, plain.Length);
            }
        }

        private static string Show(string name, string value, bool showSecrets) =>
            showSecrets || value.Length == 0 || !SecretParameterNames.IsSecret(name, value) ? value : Masked;

        private static ProfileDownloadOptions Copy(ProfileDownloadOptions o) => new ProfileDownloadOptions
        {
            UserAgent = o.UserAgent, ClientCertificate = o.ClientCertificate, TrustedCertificate = o.TrustedCertificate,
            Credential = o.Credential, Timeout = o.Timeout, MaxBytes = o.MaxBytes,
        };
    }
}
