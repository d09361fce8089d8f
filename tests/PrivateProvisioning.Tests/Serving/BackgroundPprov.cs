using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using PrivateProvisioning.Tests.Support;

namespace PrivateProvisioning.Tests.Serving
{
    /// <summary>pprov running in the background (serve, syslog) with its stderr watched line by line; killed on dispose.</summary>
    internal sealed class BackgroundPprov : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _stdout = new StringBuilder();
        private readonly BlockingCollection<string> _stderrLines = new BlockingCollection<string>();
        private readonly StringBuilder _stderr = new StringBuilder();

        public BackgroundPprov(params string[] args)
        {
            var psi = TestPaths.PprovStartInfo(args);
            psi.RedirectStandardOutput = true; psi.RedirectStandardError = true; psi.UseShellExecute = false;
            _process = Process.Start(psi)!;
            _process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (_stdout) _stdout.AppendLine(e.Data); };
            _process.ErrorDataReceived += (_, e) => { if (e.Data != null) { lock (_stderr) _stderr.AppendLine(e.Data); _stderrLines.Add(e.Data); } };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        /// <summary>Waits (at most 30 s) for a stderr line matching the pattern and returns the match.</summary>
        public Match WaitForStderr(string pattern)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline)
            {
                if (_stderrLines.TryTake(out var line, TimeSpan.FromMilliseconds(200)))
                {
                    var m = Regex.Match(line, pattern);
                    if (m.Success) return m;
                }
                if (_process.HasExited && _stderrLines.Count == 0) break;
            }
            throw new TimeoutException($"pprov never printed /{pattern}/ on stderr; stderr so far:\n{Stderr}");
        }

        /// <summary>Waits for the process to end by itself (at most <paramref name="seconds"/>) and returns its exit code.</summary>
        public int WaitForExit(int seconds = 30)
        {
            if (!_process.WaitForExit(seconds * 1000))
                throw new TimeoutException("pprov did not stop by itself; stderr:\n" + Stderr);
            _process.WaitForExit();
            return _process.ExitCode;
        }

        public int ProcessId => _process.Id;

        public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }
        public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

        public void Dispose()
        {
            try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            _process.Dispose();
        }
    }
}
