using System;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using PrivateProvisioning.Tests.Support;

namespace PrivateProvisioning.Tests.Resync
{
    /// <summary>
    /// The phone's TLS end for SIP over TLS (Debian's sipp is built without TLS): terminates TLS on 127.0.0.1
    /// with a self-signed certificate made by openssl, and relays the plain stream to sipp over TCP.
    /// One connection; stops after 60 s at the latest.
    /// </summary>
    public sealed class TlsRelay : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        private readonly X509Certificate2 _certificate;

        public TlsRelay(int sippTcpPort, TempDirectory dir)
        {
            ProcessRunner.Tool("openssl", new[] { "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.File("key.pem"),
                "-out", dir.File("cert.pem"), "-subj", "/CN=phone", "-days", "1" }).ToString();
            var fingerprint = ProcessRunner.Tool("openssl", new[] { "x509", "-in", dir.File("cert.pem"), "-noout", "-fingerprint", "-sha256" }).StdOut;
            Sha256 = fingerprint.Substring(fingerprint.IndexOf('=') + 1).Trim();
            using (var pem = X509Certificate2.CreateFromPemFile(dir.File("cert.pem"), dir.File("key.pem")))
                _certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _ = Task.Run(() => RelayOnce(sippTcpPort));
        }

        public int Port { get; }
        /// <summary>The certificate's SHA-256 fingerprint as openssl prints it (AB:CD:...).</summary>
        public string Sha256 { get; }

        private async Task RelayOnce(int sippPort)
        {
            try
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                using var tls = new SslStream(client.GetStream());
                await tls.AuthenticateAsServerAsync(_certificate);
                using var sipp = new TcpClient();
                await sipp.ConnectAsync(IPAddress.Loopback, sippPort, _stop.Token);
                var plain = sipp.GetStream();
                await Task.WhenAny(tls.CopyToAsync(plain, _stop.Token), plain.CopyToAsync(tls, _stop.Token));
            }
            catch (Exception ex) when (ex is OperationCanceledException || ex is System.IO.IOException || ex is SocketException || ex is System.Security.Authentication.AuthenticationException) { }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _certificate.Dispose();
        }
    }
}
