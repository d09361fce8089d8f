using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;

namespace PrivateProvisioning.Core.Serving
{
    /// <summary>Whether a provisioning server is answering requests.</summary>
    public enum ProvisioningServerState
    {
        Running,
        Stopped,
    }

    /// <summary>
    /// A TFTP and/or HTTP server over one folder, running in the background of the process until stopped.
    /// Servers started in a session are listed in Running so that Stop-ProvisioningServer and
    /// Get-ProvisioningServerLog can find them by Id.
    /// </summary>
    public sealed class ProvisioningServer : IDisposable
    {
        private static readonly object RegistryGate = new object();
        private static readonly List<ProvisioningServer> Registry = new List<ProvisioningServer>();
        private static int _nextId;
        private const int KeptStoppedServers = 8;

        private readonly TftpServer? _tftp;
        private readonly HttpServer? _http;
        private readonly RequestLog _log;
        private int _stopped;

        private ProvisioningServer(string path, TftpServer? tftp, HttpServer? http, RequestLog log)
        {
            Path = path;
            _tftp = tftp;
            _http = http;
            _log = log;
            Id = Interlocked.Increment(ref _nextId);
            StartTime = DateTimeOffset.Now;
        }

        public int Id { get; }
        /// <summary>The served folder (full path).</summary>
        public string Path { get; }
        /// <summary>"address:port" of the TFTP listener, or null.</summary>
        public string? TftpEndPoint => _tftp == null ? null : FormatEndPoint(_tftp.LocalEndPoint);
        /// <summary>"address:port" of the HTTP listener, or null.</summary>
        public string? HttpEndPoint => _http == null ? null : FormatEndPoint(_http.LocalEndPoint);
        public int? TftpPort => _tftp?.LocalEndPoint.Port;
        public int? HttpPort => _http?.LocalEndPoint.Port;
        public DateTimeOffset StartTime { get; }
        public ProvisioningServerState State => Volatile.Read(ref _stopped) == 0 ? ProvisioningServerState.Running : ProvisioningServerState.Stopped;
        /// <summary>Requests answered since the start (the log keeps only the most recent ones).</summary>
        public long RequestCount => _log.Total;

        /// <summary>The request log (a ring buffer of the last LogCapacity records).</summary>
        internal RequestLog Log => _log;

        /// <summary>Servers of this process that have not been stopped, by Id.</summary>
        public static IReadOnlyList<ProvisioningServer> Running
        {
            get { lock (RegistryGate) return Registry.Where(s => s.State == ProvisioningServerState.Running).ToList(); }
        }

        /// <summary>Running servers and the last few stopped ones, whose logs can still be read.</summary>
        public static IReadOnlyList<ProvisioningServer> Known
        {
            get { lock (RegistryGate) return Registry.ToList(); }
        }

        /// <summary>
        /// Starts listening. Port 0 picks a free port (see TftpPort/HttpPort). At least one protocol must be given.
        /// Throws ProvisioningException when the folder is missing or a port cannot be bound (nothing stays open then).
        /// </summary>
        public static ProvisioningServer Start(ProvisioningServerOptions options)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (options.TftpEndPoint == null && options.HttpEndPoint == null)
                throw new ProvisioningException(ErrorIds.NoProtocolSelected, ErrorKind.InvalidArgument, "Choose at least one protocol to serve: TFTP or HTTP.");
            var root = new ServingRoot(options.Path);
            var log = new RequestLog(options.LogCapacity);
            if (options.RequestCompleted != null) log.Added += options.RequestCompleted;
            TftpServer? tftp = null;
            HttpServer? http = null;
            try
            {
                if (options.TftpEndPoint != null) tftp = new TftpServer(root, options.TftpEndPoint, log, options.Tftp);
                if (options.HttpEndPoint != null) http = new HttpServer(root, options.HttpEndPoint, log);
            }
            catch
            {
                tftp?.Dispose();
                http?.Dispose();
                throw;
            }
            var server = new ProvisioningServer(root.FullPath, tftp, http, log);
            lock (RegistryGate) Registry.Add(server);
            return server;
        }

        /// <summary>The retained request records, oldest first.</summary>
        public IReadOnlyList<ServedRequest> GetLog() => _log.Snapshot();

        /// <summary>Stops both listeners and every transfer in progress. Safe to call twice.</summary>
        public void Stop()
        {
            if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
            _tftp?.Dispose();
            _http?.Dispose();
            // Keep the most recent stopped servers so their logs stay readable after Stop; drop older ones.
            lock (RegistryGate)
            {
                var stopped = Registry.Where(x => x.State == ProvisioningServerState.Stopped).ToList();
                for (int i = 0; i < stopped.Count - KeptStoppedServers; i++) Registry.Remove(stopped[i]);
            }
        }

        public void Dispose() => Stop();

        public override string ToString() =>
            $"ProvisioningServer {Id} {Path}" + (TftpEndPoint != null ? " tftp://" + TftpEndPoint : "") + (HttpEndPoint != null ? " http://" + HttpEndPoint : "");

        public static string FormatEndPoint(IPEndPoint endpoint) =>
            endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]:{endpoint.Port}" : $"{endpoint.Address}:{endpoint.Port}";

        /// <summary>Parses "ADDR:PORT", "[v6]:PORT", ":PORT" or "PORT" (any address then defaults to <paramref name="defaultAddress"/>).</summary>
        public static IPEndPoint ParseEndPoint(string text, IPAddress defaultAddress, string parameter)
        {
            var t = (text ?? "").Trim();
            string host = "";
            string port = t;
            if (t.StartsWith("[", StringComparison.Ordinal))
            {
                int close = t.IndexOf(']');
                if (close < 0 || close + 1 >= t.Length || t[close + 1] != ':') throw BadEndPoint(text, parameter);
                host = t.Substring(1, close - 1);
                port = t.Substring(close + 2);
            }
            else if (t.LastIndexOf(':') is int colon && colon >= 0 && t.IndexOf(':') == colon)
            {
                host = t.Substring(0, colon);
                port = t.Substring(colon + 1);
            }
            if (!int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) || p > 65535)
                throw BadEndPoint(text, parameter);
            IPAddress address = defaultAddress;
            if (host.Length > 0 && !IPAddress.TryParse(host, out address!)) throw BadEndPoint(text, parameter);
            return new IPEndPoint(address, p);
        }

        private static ProvisioningException BadEndPoint(string? text, string parameter) =>
            new ProvisioningException(ErrorIds.InvalidEndPoint, ErrorKind.InvalidArgument,
                $"The address '{text}' is not ADDRESS:PORT (for example 127.0.0.1:6969, [::1]:8080 or 0.0.0.0:69).", text).About(parameter);
    }

    /// <summary>What to serve and where. A null end point leaves that protocol off.</summary>
    public sealed class ProvisioningServerOptions
    {
        public ProvisioningServerOptions(string path) { Path = path; }

        public string Path { get; }
        public IPEndPoint? TftpEndPoint { get; set; }
        public IPEndPoint? HttpEndPoint { get; set; }
        public TftpServerSettings Tftp { get; set; } = new TftpServerSettings();
        /// <summary>How many request records to keep; older ones are dropped so memory stays flat.</summary>
        public int LogCapacity { get; set; } = 10000;
        /// <summary>Called for each finished request (on a server thread): pprov serve prints from here.</summary>
        public Action<ServedRequest>? RequestCompleted { get; set; }
    }
}
