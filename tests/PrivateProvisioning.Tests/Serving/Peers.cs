using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using PrivateProvisioning.Tests.Support;

namespace PrivateProvisioning.Tests.Serving
{
    /// <summary>Free loopback ports for peers that cannot bind port 0 and report it.</summary>
    internal static class FreePort
    {
        public static int Tcp()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            int port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }

        public static int Udp()
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return ((IPEndPoint)s.LocalEndPoint!).Port;
        }
    }

    /// <summary>A real peer process started by a test; killed (by its own id) when disposed.</summary>
    internal sealed class PeerProcess : IDisposable
    {
        private readonly Process _process;

        public PeerProcess(string tool, params string[] args)
        {
            var psi = new ProcessStartInfo(ProcessRunner.RequireTool(tool)) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args) psi.ArgumentList.Add(a);
            _process = Process.Start(psi)!;
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public bool HasExited => _process.HasExited;

        public void Dispose()
        {
            try { if (!_process.HasExited) { _process.Kill(entireProcessTree: true); _process.WaitForExit(5000); } }
            catch (InvalidOperationException) { }
            _process.Dispose();
        }
    }

    /// <summary>
    /// tftpd-hpa on 127.0.0.1:&lt;free port&gt; serving a folder (-L foreground, -s chroot-style root). It runs as
    /// the current user, which must be root: every transfer's child calls setgroups() (and -s chroot()), and
    /// exits with EPERM otherwise (seen with strace), so the client would only time out.
    /// </summary>
    internal sealed class TftpdHpa : IDisposable
    {
        private readonly PeerProcess _process;

        public TftpdHpa(string root)
        {
            if (Environment.UserName != "root")
                throw new InvalidOperationException("tftpd-hpa can only serve when started as root (each transfer calls setgroups/chroot); run the tests as root, as .ci/run does in CI.");
            Port = FreePort.Udp();
            _process = new PeerProcess("in.tftpd", "-L", "-s", root, "--address", $"127.0.0.1:{Port}");
            WaitUntilBound();
        }

        /// <summary>
        /// Waits (bounded) until in.tftpd holds its port, read from the socket table. A fixed pause raced on a loaded
        /// machine: the first request could reach the port before tftpd had bound it.
        /// </summary>
        private void WaitUntilBound()
        {
            for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline; Thread.Sleep(50))
            {
                if (_process.HasExited) throw new InvalidOperationException("in.tftpd exited at once");
                if (PortListeners.IsBound(Port, tcp: false)) return;
            }
            throw new TimeoutException($"in.tftpd did not bind port {Port} within 10 s");
        }

        public int Port { get; }

        public void Dispose() => _process.Dispose();
    }

    /// <summary>nginx on 127.0.0.1 (HTTP, and HTTPS with a required client certificate when certificates are given).</summary>
    internal sealed class Nginx : IDisposable
    {
        private readonly PeerProcess _process;

        public Nginx(string prefix, string root, string? serverCert = null, string? serverKey = null, string? clientCa = null, string httpExtra = "")
        {
            HttpPort = FreePort.Tcp();
            HttpsPort = serverCert != null ? FreePort.Tcp() : 0;
            Directory.CreateDirectory(Path.Combine(prefix, "logs"));
            Directory.CreateDirectory(Path.Combine(prefix, "tmp"));
            AccessLog = Path.Combine(prefix, "logs", "access.log");
            var tls = serverCert == null ? "" : $@"
    server {{
        listen 127.0.0.1:{HttpsPort} ssl;
        ssl_certificate {serverCert};
        ssl_certificate_key {serverKey};
        ssl_client_certificate {clientCa};
        ssl_verify_client on;
        root {root};
    }}";
            var conf = Path.Combine(prefix, "nginx.conf");
            File.WriteAllText(conf, $@"daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log;
events {{ worker_connections 64; }}
http {{
    access_log {AccessLog} combined;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    server {{
        listen 127.0.0.1:{HttpPort};
        root {root};
        {httpExtra}
    }}{tls}
}}
");
            _process = new PeerProcess("nginx", "-c", conf, "-p", prefix);
            WaitForPort(HttpPort);
        }

        public int HttpPort { get; }
        public int HttpsPort { get; }
        public string AccessLog { get; }

        private static void WaitForPort(int port)
        {
            for (int i = 0; i < 100; i++)
            {
                try { using var c = new TcpClient(); c.Connect(IPAddress.Loopback, port); return; }
                catch (SocketException) { Thread.Sleep(100); }
            }
            throw new TimeoutException($"nginx did not listen on port {port} within 10 s");
        }

        public void Dispose() => _process.Dispose();
    }
}
