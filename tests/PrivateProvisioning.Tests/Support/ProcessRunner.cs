using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;

namespace PrivateProvisioning.Tests.Support
{
    public sealed record ProcessResult(int ExitCode, string StdOut, string StdErr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
    }

    /// <summary>Runs pprov and the real peers (openssl, gzip, curl, sipp...) with a hard time limit.</summary>
    public static class ProcessRunner
    {
        public static ProcessResult Pprov(params string[] args) => Pprov(args, null, null);

        public static ProcessResult Pprov(IEnumerable<string> args, IDictionary<string, string>? environment, string? workingDirectory = null, int timeoutSeconds = 120)
        {
            var env = environment == null ? new Dictionary<string, string>() : new Dictionary<string, string>(environment);
            // pprov generate keeps its state under $XDG_CACHE_HOME: the tests' own, not the tester's home.
            if (!env.ContainsKey("XDG_CACHE_HOME")) env["XDG_CACHE_HOME"] = CacheHome;
            // ... and its record of written files under $XDG_STATE_HOME, likewise.
            if (!env.ContainsKey("XDG_STATE_HOME")) env["XDG_STATE_HOME"] = Path.Combine(CacheHome, "state");
            var start = TestPaths.PprovStartInfo(args);
            return Run(start.FileName, start.ArgumentList, env, workingDirectory, null, timeoutSeconds);
        }

        private static readonly string CacheHome = Path.Combine(Path.GetTempPath(), "pprov-tests-cache-" + Environment.ProcessId);

        static ProcessRunner()
        {
            AppDomain.CurrentDomain.ProcessExit += (_, __) =>
            {
                try { if (Directory.Exists(CacheHome)) Directory.Delete(CacheHome, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            };
        }

        /// <summary>Runs a tool that must be installed (.ci/run installs every peer): a missing one fails the test.</summary>
        public static ProcessResult Tool(string tool, IEnumerable<string> args, string? workingDirectory = null, byte[]? stdin = null, int timeoutSeconds = 120, IDictionary<string, string>? environment = null)
        {
            RequireTool(tool);
            return Run(tool, args, environment, workingDirectory, stdin, timeoutSeconds);
        }

        public static string RequireTool(string tool)
        {
            var found = FindOnPath(tool);
            if (found == null)
                throw new InvalidOperationException($"The peer '{tool}' is not installed; .ci/run installs it (see README).");
            return found;
        }

        public static string? FindOnPath(string tool)
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Concat(new[] { "/usr/sbin", "/sbin" }))
            {
                var candidate = Path.Combine(dir, tool);
                if (File.Exists(candidate)) return candidate;
            }
            return null;
        }

        public static ProcessResult Run(string fileName, IEnumerable<string> args, IDictionary<string, string>? environment = null,
            string? workingDirectory = null, byte[]? stdin = null, int timeoutSeconds = 120)
        {
            var psi = new ProcessStartInfo(fileName)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
            };
            foreach (var a in args) psi.ArgumentList.Add(a);
            if (environment != null)
                foreach (var kv in environment) psi.Environment[kv.Key] = kv.Value;
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (stdin != null) p.StandardInput.BaseStream.Write(stdin);
            p.StandardInput.Close();
            if (!p.WaitForExit(timeoutSeconds * 1000))
            {
                try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish in {timeoutSeconds} s");
            }
            Task.WaitAll(stdout, stderr);
            return new ProcessResult(p.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
