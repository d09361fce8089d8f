using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using PrivateProvisioning.Tests.Support;

namespace PrivateProvisioning.Tests.Resync
{
    /// <summary>
    /// sipp playing the phone: a UAS scenario from Scenarios/ on 127.0.0.1, logging every message it
    /// receives and sends (-trace_msg) so tests can assert what went over the wire. Stops by itself after
    /// its calls (-m) or 60 s (-timeout), and is killed on Dispose.
    /// </summary>
    public sealed class SippPeer : IDisposable
    {
        private readonly Process _process;
        private readonly TempDirectory _dir = new TempDirectory();

        public SippPeer(string scenario, string transport = "u1", int calls = 1, params string[] extra)
        {
            var sipp = ProcessRunner.RequireTool("sipp");
            bool tcp = transport != "u1";
            Port = FreePort(tcp);
            MessageLog = _dir.File("messages.log");
            var psi = new ProcessStartInfo(sipp)
            {
                WorkingDirectory = _dir.Path,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            foreach (var a in new[] { "-sf", ScenarioPath(scenario), "-i", "127.0.0.1", "-p", Port.ToString(), "-t", transport,
                         "-m", calls.ToString(), "-nostdin", "-timeout", "60s", "-trace_msg", "-message_file", MessageLog }.Concat(extra))
                psi.ArgumentList.Add(a);
            _process = Process.Start(psi)!;
            _process.OutputDataReceived += (s, e) => { };
            _process.ErrorDataReceived += (s, e) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            WaitUntilListening(tcp);
        }

        public int Port { get; }
        public string MessageLog { get; }
        public string WorkingDirectory => _dir.Path;

        public static string ScenarioPath(string name) =>
            Path.Combine(TestPaths.RepoRoot, "tests", "PrivateProvisioning.Tests", "Resync", "Scenarios", name);

        /// <summary>Waits for sipp to finish its calls; returns its exit code (0 when every call passed the scenario).</summary>
        public int WaitForExit(int seconds = 15)
        {
            if (!_process.WaitForExit(seconds * 1000)) throw new TimeoutException("sipp did not finish its calls");
            _process.WaitForExit();
            return _process.ExitCode;
        }

        /// <summary>The SIP messages sipp received, in order (read after WaitForExit, when the log is flushed).</summary>
        public string[] ReceivedMessages() => new SippPeerLog(MessageLog).Received;

        private void WaitUntilListening(bool tcp)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (DateTime.UtcNow < deadline)
            {
                if (_process.HasExited) throw new InvalidOperationException($"sipp exited at once with code {_process.ExitCode}");
                // sipp is ready when it holds the port (read from the socket table: a probe binding it raced with sipp).
                if (PortListeners.IsBound(Port, tcp)) return;
                Thread.Sleep(50);
            }
            throw new TimeoutException("sipp did not open its port within 10 s");
        }

        public static int FreePort(bool tcp)
        {
            using var s = new Socket(AddressFamily.InterNetwork, tcp ? SocketType.Stream : SocketType.Dgram, tcp ? ProtocolType.Tcp : ProtocolType.Udp);
            s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return ((IPEndPoint)s.LocalEndPoint!).Port;
        }

        public void Dispose()
        {
            try { if (!_process.HasExited) _process.Kill(); _process.WaitForExit(5000); }
            catch (InvalidOperationException) { }
            _process.Dispose();
            _dir.Dispose();
        }
    }
}
