using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using PrivateProvisioning.Core.Resync;

// A resync storm: N phones, each sent a NOTIFY that sipp (one UAS on 127.0.0.1) challenges with 401 Digest
// and accepts after verifying the digest; ThrottleLimit phones in flight. Reports wall time and latency.
int phones = args.Length > 0 ? int.Parse(args[0]) : 1000;
int throttle = args.Length > 1 ? int.Parse(args[1]) : 100;
var transport = args.Length > 2 && args[2] == "tcp" ? ResyncTransport.Tcp : ResyncTransport.Udp;

var repo = AppContext.BaseDirectory;
while (!File.Exists(Path.Combine(repo, "PrivateProvisioning.sln"))) repo = Path.GetDirectoryName(repo)!;
var scenario = Path.Combine(repo, "tests", "PrivateProvisioning.Tests", "Resync", "Scenarios", "notify-digest-uas.xml");
var work = Directory.CreateTempSubdirectory("pprov-bench-resync-");

int port;
using (var probe = new Socket(AddressFamily.InterNetwork, transport == ResyncTransport.Tcp ? SocketType.Stream : SocketType.Dgram, transport == ResyncTransport.Tcp ? ProtocolType.Tcp : ProtocolType.Udp))
{
    probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    port = ((IPEndPoint)probe.LocalEndPoint!).Port;
}
var psi = new ProcessStartInfo("sipp") { WorkingDirectory = work.FullName, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
foreach (var a in new[] { "-sf", scenario, "-i", "127.0.0.1", "-p", port.ToString(), "-t", transport == ResyncTransport.Tcp ? "t1" : "u1",
             "-m", phones.ToString(), "-nostdin", "-timeout", "120s", "-key", "authparams", "qop=\"auth\", algorithm=MD5", "-trace_stat", "-stf", "stats.csv" })
    psi.ArgumentList.Add(a);
using var sipp = Process.Start(psi)!;
sipp.OutputDataReceived += (_, _) => { };
sipp.ErrorDataReceived += (_, _) => { };
sipp.BeginOutputReadLine();
sipp.BeginErrorReadLine();
Thread.Sleep(1000);

var targets = Enumerable.Range(0, phones).Select(i => new ResyncTarget("127.0.0.1", port, (0x000E08000000L + i).ToString("X12"), "Panasonic")).ToArray();
var options = new ResyncOptions
{
    Method = ResyncMethod.SipNotify,
    Transport = transport,
    UserName = "1001",
    Password = Encoding.UTF8.GetBytes("s3cret-1001"),
    ThrottleLimit = throttle,
    Timeout = TimeSpan.FromSeconds(10),
};
var watch = Stopwatch.StartNew();
var results = ResyncRunner.Run(targets, options, CancellationToken.None).ToList();
watch.Stop();
sipp.WaitForExit(30000);

var accepted = results.Count(r => r.Outcome == ResyncOutcome.Accepted);
var latencies = results.Select(r => r.Elapsed.TotalMilliseconds).OrderBy(x => x).ToArray();
double Pct(double p) => latencies.Length == 0 ? 0 : latencies[Math.Min(latencies.Length - 1, (int)(p * latencies.Length))];
Console.WriteLine($"phones {phones}, ThrottleLimit {throttle}, {transport}, digest MD5 qop=auth challenge on every NOTIFY");
Console.WriteLine($"results {results.Count}, accepted {accepted}, lost {phones - results.Count}, other outcomes {results.Count - accepted}");
foreach (var g in results.Where(r => r.Outcome != ResyncOutcome.Accepted).GroupBy(r => r.Outcome))
    Console.WriteLine($"  {g.Key}: {g.Count()} (e.g. {g.First().Reason})");
Console.WriteLine($"wall time {watch.Elapsed.TotalSeconds:0.00} s, {phones / watch.Elapsed.TotalSeconds:0} phones/s");
Console.WriteLine($"per-phone latency p50 {Pct(0.5):0.0} ms, p95 {Pct(0.95):0.0} ms, max {latencies.LastOrDefault():0.0} ms");
Console.WriteLine($"sipp exit code {(sipp.HasExited ? sipp.ExitCode.ToString() : "still running")} (0 = every call passed verifyauth)");
if (!sipp.HasExited) sipp.Kill();
work.Delete(true);
return accepted == phones && watch.Elapsed < TimeSpan.FromSeconds(10) ? 0 : 1;
