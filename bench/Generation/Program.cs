using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;


namespace PrivateProvisioning.Benchmarks.Generation
{
    /// <summary>
    /// Generates an accounts CSV of N rows, then runs `pprov generate --format CiscoSpa` on it twice (first run
    /// creates every file, second run finds every file unchanged) and reports wall time, profiles/s and the
    /// peak resident memory of pprov (from /usr/bin/time).
    /// Usage (PPROV_DLL from `dotnet publish src/pprov -c Release -o out/pprov`, as installed): dotnet run -c Release --project bench/Generation -- PPROV_DLL [ROWS=100000] [WORKDIR] [--csv-only] [--once] [--what-if] [--no-settle]
    /// Each run writes to a new out-* folder and leaves it; the next run deletes it first and then lets the file
    /// system settle for 370 s: ext4 without a journal (this machine's root) will not reuse an inode freed less
    /// than 60 s ago, or 360 s ago once its inode-table block is dirty again (which the new files make it), and
    /// scans past every such inode on each create. A first run right after deleting 100,000 files was up to 5x
    /// slower: that measures the deletion, not pprov.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length < 1) { Console.Error.WriteLine("usage: PPROV_DLL [ROWS] [WORKDIR] [--csv-only] [--once]"); return 2; }
            var pprov = Path.GetFullPath(args[0]);
            int rows = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
            var work = args.Length > 2 && !args[2].StartsWith("--") ? args[2] : Path.Combine(Path.GetTempPath(), "pprov-bench-gen");
            bool csvOnly = Array.IndexOf(args, "--csv-only") >= 0;
            bool once = Array.IndexOf(args, "--once") >= 0;
            bool whatIf = Array.IndexOf(args, "--what-if") >= 0; // memory check at 1,000,000 rows without writing a million files
            Directory.CreateDirectory(work);
            var csv = Path.Combine(work, $"accounts-{rows}.csv");
            var output = Path.Combine(work, "out-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
            if (!File.Exists(csv)) WriteCsv(csv, rows);
            Console.WriteLine($"CSV: {csv} ({new FileInfo(csv).Length / 1024 / 1024} MiB, {rows} rows)");
            if (csvOnly) return 0;
            bool deleted = false;
            foreach (var old in Directory.GetDirectories(work, "out*")) { Directory.Delete(old, true); deleted = true; }
            foreach (var old in Directory.GetFiles(work, "out-*.state").Concat(Directory.GetFiles(work, "out-*.log"))) File.Delete(old);
            var state = output + ".state";
            if (deleted && Array.IndexOf(args, "--no-settle") < 0)
            {
                Console.WriteLine("deleted the previous output; sync and 370 s for the file system to settle (--no-settle skips)");
                Process.Start("sync")!.WaitForExit();
                System.Threading.Thread.Sleep(TimeSpan.FromSeconds(370));
            }

            var first = Run(pprov, csv, output, whatIf, "--state", state);
            Report("first run (all created)", rows, first);
            if (once || whatIf) return 0;
            var second = Run(pprov, csv, output, false, "--state", state);
            Report("second run (all unchanged)", rows, second);
            Console.WriteLine($"second run is {first.Seconds / second.Seconds:F1}x faster");
            var compared = Run(pprov, csv, output, false, "--no-state");
            Report("third run, --no-state (every file rendered and compared)", rows, compared);
            Console.WriteLine($"without the state the unchanged run is {first.Seconds / compared.Seconds:F1}x faster than the first");
            Console.WriteLine($"output left in {output} (the next run deletes it)");
            return 0;
        }

        private static void WriteCsv(string path, int rows)
        {
            using var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
            w.Write("MacAddress,Model,Group,UserId,AuthId,Password,DisplayName,Extension,SipServer,Station_Name\n");
            var groups = new[] { "sales", "lab", "support", "" };
            for (int i = 0; i < rows; i++)
            {
                long mac = 0x000E08000000L + i;
                var m = mac.ToString("X12", CultureInfo.InvariantCulture);
                w.Write($"{m.Substring(0, 2)}:{m.Substring(2, 2)}:{m.Substring(4, 2)}:{m.Substring(6, 2)}:{m.Substring(8, 2)}:{m.Substring(10, 2)},SPA504G,{groups[i % 4]},u{i},a{i},pw-{i * 7919 % 1000003},\"User {i}, Dept {i % 50}\",{1000 + i},pbx{i % 3}.example.com,Desk {i}\n");
            }
        }

        private sealed record Measurement(double Seconds, double UserSeconds, double SystemSeconds, long PeakKiB, int ExitCode);

        /// <summary>
        /// Runs pprov under /usr/bin/time, which reports wall, user and system time and the peak RSS. Its output
        /// goes to a log file, as from cron: read line by line here, this process would compete for the same two
        /// cores (0.55 s instead of 0.47 s for an unchanged run).
        /// </summary>
        private static Measurement Run(string pprov, string csv, string output, bool whatIf, params string[] extra)
        {
            var psi = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "-c", "log=$1; shift; exec \"$@\" > \"$log\"", "sh", output + ".log",
                "/usr/bin/time", "-f", "TIME %e %U %S %M", "dotnet", pprov, "generate", "--accounts", csv, "--format", "CiscoSpa", "--out", output }) psi.ArgumentList.Add(a);
            if (whatIf) psi.ArgumentList.Add("--what-if");
            foreach (var a in extra) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            string? lastLine = null, timeLine = null;
            p.ErrorDataReceived += (_, e) => { if (e.Data == null) return; if (e.Data.StartsWith("TIME ", StringComparison.Ordinal)) timeLine = e.Data; else lastLine = e.Data; };
            p.BeginErrorReadLine();
            p.WaitForExit();
            if (p.ExitCode != 0) Console.WriteLine($"pprov exited {p.ExitCode}: {lastLine}");
            var f = (timeLine ?? "TIME 0 0 0 0").Split(' ');
            double D(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
            return new Measurement(D(1), D(2), D(3), long.Parse(f[4], CultureInfo.InvariantCulture), p.ExitCode);
        }

        private static void Report(string what, int rows, Measurement m) =>
            Console.WriteLine($"{what}: {m.Seconds:F2} s wall ({rows / m.Seconds:F0} profiles/s), CPU {m.UserSeconds:F2} s user + {m.SystemSeconds:F2} s system " +
                $"({rows / (m.UserSeconds + m.SystemSeconds):F0} profiles per CPU-second), peak RSS {m.PeakKiB / 1024} MiB, exit {m.ExitCode}");
    }
}
