using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;

namespace PrivateProvisioning.Core.Serving
{
    /// <summary>What came back from a profile URL: the body and whether it is RFC 8188 (Content-Encoding: aes128gcm).</summary>
    public sealed class DownloadedProfile
    {
        public DownloadedProfile(string url, byte[] body, bool aes128Gcm)
        {
            Url = url;
            Body = body;
            Aes128Gcm = aes128Gcm;
        }

        public string Url { get; }
        public byte[] Body { get; }
        public bool Aes128Gcm { get; }
    }

    /// <summary>How to download, as a phone would.</summary>
    public sealed class ProfileDownloadOptions
    {
        /// <summary>The User-Agent the phone sends (Cisco: "Cisco-CP-8841-3PCC/11.0 (000e08abcdef)").</summary>
        public string? UserAgent { get; set; }
        /// <summary>The phone's client certificate (with its private key) for HTTPS.</summary>
        public X509Certificate2? ClientCertificate { get; set; }
        /// <summary>The CA the server certificate must chain to; null uses the system's trusted roots.</summary>
        public X509Certificate2? TrustedCertificate { get; set; }
        /// <summary>HTTP --uid/--pwd (Basic or Digest), answered like the phone's two tries.</summary>
        public NetworkCredential? Credential { get; set; }
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
        public long MaxBytes { get; set; } = 64L * 1024 * 1024;
    }

    /// <summary>Downloads a profile over TFTP, HTTP or HTTPS with the phone's behaviour: redirects followed, 404 as file-not-found.</summary>
    public static class ProfileDownloader
    {
        public static async Task<DownloadedProfile> DownloadAsync(Uri url, ProfileDownloadOptions options, CancellationToken cancel = default)
        {
            switch (url.Scheme.ToLowerInvariant())
            {
                case "tftp":
                    var address = await ResolveAsync(url.Host).ConfigureAwait(false);
                    var body = await TftpClient.DownloadAsync(new IPEndPoint(address, url.IsDefaultPort || url.Port < 0 ? 69 : url.Port),
                        Uri.UnescapeDataString(url.AbsolutePath), new TftpClientOptions { BlockSize = 1428, RequestTransferSize = true, MaxBytes = options.MaxBytes }, cancel).ConfigureAwait(false);
                    return new DownloadedProfile(url.ToString(), body, false);
                case "http":
                case "https":
                    return await HttpDownloadAsync(url, options, cancel).ConfigureAwait(false);
                default:
                    throw new ProvisioningException(ErrorIds.UnsupportedScheme, ErrorKind.InvalidArgument, $"The URL '{url}' uses '{url.Scheme}'; phones fetch profiles over tftp, http and https.", url.ToString());
            }
        }

        private static async Task<IPAddress> ResolveAsync(string host)
        {
            if (IPAddress.TryParse(host.Trim('[', ']'), out var literal)) return literal;
            try
            {
                var addresses = await Dns.GetHostAddressesAsync(host).ConfigureAwait(false);
                // Phones use DNS A records (spec §2.9).
                return addresses.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) ?? addresses.First();
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException || ex is InvalidOperationException)
            {
                throw new ProvisioningException(ErrorIds.HostNotFound, ErrorKind.ConnectionError, $"The host '{host}' cannot be resolved: {ex.Message}", host, ex);
            }
        }

        private static async Task<DownloadedProfile> HttpDownloadAsync(Uri url, ProfileDownloadOptions options, CancellationToken cancel)
        {
            string? certificateProblem = null;
            using (var handler = new HttpClientHandler { AllowAutoRedirect = true, MaxAutomaticRedirections = 5, AutomaticDecompression = DecompressionMethods.None, UseCookies = false })
            {
                if (options.ClientCertificate != null)
                {
                    handler.ClientCertificateOptions = ClientCertificateOption.Manual;
                    handler.ClientCertificates.Add(options.ClientCertificate);
                }
                if (options.Credential != null) handler.Credentials = options.Credential;
                if (options.TrustedCertificate != null)
                {
                    var ca = options.TrustedCertificate;
                    handler.ServerCertificateCustomValidationCallback = (request, certificate, chain, errors) =>
                    {
                        certificateProblem = CheckAgainstCa(certificate, errors, ca);
                        return certificateProblem == null;
                    };
                }
                using (var client = new HttpClient(handler) { Timeout = options.Timeout })
                using (var request = new HttpRequestMessage(HttpMethod.Get, url))
                {
                    if (options.UserAgent != null) request.Headers.TryAddWithoutValidation("User-Agent", options.UserAgent);
                    HttpResponseMessage response;
                    try
                    {
                        response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
                    }
                    catch (HttpRequestException ex)
                    {
                        var why = certificateProblem ?? Innermost(ex).Message;
                        throw new ProvisioningException(certificateProblem != null ? ErrorIds.ServerCertificateRejected : ErrorIds.DownloadFailed,
                            certificateProblem != null ? ErrorKind.SecurityError : ErrorKind.ConnectionError,
                            $"Download of {url} failed: {why}.", url.ToString(), ex);
                    }
                    catch (TaskCanceledException ex) when (!cancel.IsCancellationRequested)
                    {
                        throw new ProvisioningException(ErrorIds.DownloadTimedOut, ErrorKind.OperationTimeout, $"Download of {url} took longer than {options.Timeout.TotalSeconds:0} s.", url.ToString(), ex);
                    }
                    using (response)
                    {
                        int status = (int)response.StatusCode;
                        if (status == 404)
                            throw new ProvisioningException(ErrorIds.RemoteFileNotFound, ErrorKind.ObjectNotFound, $"Download of {url} failed: 404 Not Found (the phone counts this as file not found).", url.ToString());
                        if (status == 401 || status == 407)
                            throw new ProvisioningException(ErrorIds.RemoteAuthenticationFailed, ErrorKind.AuthenticationError,
                                $"Download of {url} failed: {status} {response.ReasonPhrase}; the rule needs --uid/--pwd (or they are wrong).", url.ToString());
                        if (status < 200 || status > 299)
                            throw new ProvisioningException(ErrorIds.DownloadFailed, ErrorKind.ConnectionError, $"Download of {url} failed: {status} {response.ReasonPhrase}.", url.ToString());
                        var length = response.Content.Headers.ContentLength;
                        if (length > options.MaxBytes)
                            throw new ProvisioningException(ErrorIds.RemoteFileTooLarge, ErrorKind.InvalidData, $"Download of {url} refused: {length} bytes is more than {options.MaxBytes}.", url.ToString());
                        var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                        bool aes128Gcm = response.Content.Headers.ContentEncoding.Any(e => string.Equals(e, Aes128GcmBody.ContentEncoding, StringComparison.OrdinalIgnoreCase));
                        var finalUrl = response.RequestMessage?.RequestUri?.ToString() ?? url.ToString();
                        return new DownloadedProfile(finalUrl, body, aes128Gcm);
                    }
                }
            }
        }

        /// <summary>
        /// The server certificate must chain to the given CA (and only it: the system roots do not count) and
        /// match the host name. Returns null when it does, or why not.
        /// </summary>
        internal static string? CheckAgainstCa(X509Certificate2? certificate, SslPolicyErrors errors, X509Certificate2 ca)
        {
            if (certificate == null) return "the server sent no certificate";
            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return "the server certificate does not name the host in the URL";
            using (var chain = new X509Chain())
            {
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
                chain.ChainPolicy.ExtraStore.Add(ca);
                bool built = chain.Build(certificate);
                var root = chain.ChainElements.Count > 0 ? chain.ChainElements[chain.ChainElements.Count - 1].Certificate : null;
                if (root == null || !root.RawData.SequenceEqual(ca.RawData))
                    return $"the server certificate '{certificate.Subject}' is not issued by the trusted CA '{ca.Subject}'";
                foreach (X509ChainStatus status in chain.ChainStatus)
                    if (status.Status != X509ChainStatusFlags.NoError && status.Status != X509ChainStatusFlags.UntrustedRoot)
                        return $"the server certificate chain is not valid: {status.StatusInformation.Trim()}";
                return built || chain.ChainStatus.All(s => s.Status == X509ChainStatusFlags.UntrustedRoot) ? null : "the server certificate chain cannot be built";
            }
        }

        private static Exception Innermost(Exception ex)
        {
            while (ex.InnerException != null) ex = ex.InnerException;
            return ex;
        }
    }
}
