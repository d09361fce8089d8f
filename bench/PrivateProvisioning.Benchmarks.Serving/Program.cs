using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Serving;

namespace PrivateProvisioning.Benchmarks.Serving
{
    /// <summary>
    /// dotnet run -c Release -- storm [clients] [rounds]   : N clients fetch a 4 KB profile at once, ours vs tftpd-hpa
    /// dotnet run -c Release -- memory [requests]          : server RSS and heap over many requests
    /// Both servers run as separate processes on 127.0.0.1, so the load generator's CPU and GC are not counted
    /// against either; our server runs as "server ROOT PORT" child mode of this same program.
    /// </summary>
    public static class Program
    {
        public static async Task<int> Main(string[] args)
        {
            var mode = args.Length > 0 ? args[0] : "storm";
            switch (mode)
            {
                case "server": return RunServer(args[1], int.Parse(args[2]));
                case "storm": return await Storm(args.Length > 1 ? int.Parse(args[1]) : 1000, args.Length > 2 ? int.Parse(args[2]) : 3);
                case "memory": return await Memory(args.Length > 1 ? int.Parse(args[1]) : 100_000);
                default: Console.Error.WriteLine("usage: storm [clients] [rounds] | memory [requests]"); return 2;
            }
        }

        /// <summary>Child mode: our server until stdin closes; "stat" prints the managed heap and the request count.</summary>
        private static int RunServer(string root, int port)
        {
            using var server = ProvisioningServer.Start(new ProvisioningServerOptions(root) { TftpEndPoint = new IPEndPoint(IPAddress.Loopback, port) });
            Console.WriteLine("ready");
            string? line;
            while ((line = Console.ReadLine()) != null)
                if (line == "stat")
                {
                    GC.Collect();
                    Console.WriteLine($"{GC.GetTotalMemory(true)} {server.RequestCount} {server.GetLog().Count}");
                }
            return 0;
        }

        private static async Task<int> Storm(int clients, int rounds)
        {
            var root = MakeRoot();
            var profile = File.ReadAllBytes(Path.Combine(root, "000e08abcdef.xml"));
            int ourPort = FreeUdpPort(), hpaPort = FreeUdpPort();
            using var ours = ChildServer(root, ourPort);
            using var hpa = Process.Start(new ProcessStartInfo("/usr/sbin/in.tftpd", $"-L -s {root} --address 127.0.0.1:{hpaPort}") { UseShellExecute = false })!;
            Thread.Sleep(500);
            var ourTimes = new List<double>();
            var hpaTimes = new List<double>();
            int failures = 0;
            await RunRound(ourPort, 50, profile); // warm up both (JIT, page cache)
            await RunRound(hpaPort, 50, profile);
            for (int r = 0; r < rounds; r++)
            {
                var (t1, f1) = await RunRound(ourPort, clients, profile);
                var (t2, f2) = await RunRound(hpaPort, clients, profile);
                ourTimes.Add(t1); hpaTimes.Add(t2);
                failures += f1 + f2;
                Console.WriteLine($"round {r + 1}: ours {clients / t1,8:0} transfers/s ({t1:0.000} s, {f1} failed)   tftpd-hpa {clients / t2,8:0} transfers/s ({t2:0.000} s, {f2} failed)");
            }
            double ourMedian = Median(ourTimes), hpaMedian = Median(hpaTimes);
            Console.WriteLine($"median: ours {clients / ourMedian:0} transfers/s ({clients * profile.Length / ourMedian / 1e6:0.00} MB/s), tftpd-hpa {clients / hpaMedian:0} transfers/s ({clients * profile.Length / hpaMedian / 1e6:0.00} MB/s), ratio ours/tftpd-hpa {hpaMedian / ourMedian:0.00}; failed transfers: {failures}");
            hpa.Kill();
            hpa.WaitForExit(5000);
            Directory.Delete(root, true);
            return failures == 0 ? 0 : 1;
        }

        /// <summary>All clients send their RRQ at once and each must receive the exact profile; returns seconds and failures.</summary>
        private static async Task<(double Seconds, int Failures)> RunRound(int port, int clients, byte[] expected)
        {
            var endpoint = new IPEndPoint(IPAddress.Loopback, port);
            var clock = Stopwatch.StartNew();
            var tasks = Enumerable.Range(0, clients).Select(async i =>
            {
                try
                {
                    var got = await TftpClient.DownloadAsync(endpoint, "000e08abcdef.xml", new TftpClientOptions { Timeout = TimeSpan.FromSeconds(1), MaxRetries = 8 });
                    return got.AsSpan().SequenceEqual(expected) ? 0 : 1;
                }
                catch (ProvisioningException) { return 1; }
            }).ToArray();
            var results = await Task.WhenAll(tasks);
            return (clock.Elapsed.TotalSeconds, results.Sum());
        }

        private static async Task<int> Memory(int requests)
        {
            var root = MakeRoot();
            var profile = File.ReadAllBytes(Path.Combine(root, "000e08abcdef.xml"));
            int port = FreeUdpPort();
            using var ours = ChildServer(root, port);
            int done = 0, failures = 0, batch = 500;
            var clock = Stopwatch.StartNew();
            Console.WriteLine("requests   RSS(MB)  managed heap(MB)  log records kept");
            while (done < requests)
            {
                var (_, f) = await RunRound(port, Math.Min(batch, requests - done), profile);
                failures += f;
                done += Math.Min(batch, requests - done);
                if (done % 10_000 == 0 || done == requests)
                {
                    ours.StandardInput.WriteLine("stat");
                    var stat = ours.StandardOutput.ReadLine()!.Split(' ');
                    var rss = File.ReadAllLines($"/proc/{ours.Id}/status").First(l => l.StartsWith("VmRSS:")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
                    Console.WriteLine($"{done,8} {long.Parse(rss) / 1024.0,9:0.0} {long.Parse(stat[0]) / 1048576.0,17:0.0} {stat[2],17}");
                }
            }
            Console.WriteLine($"{requests} requests in {clock.Elapsed.TotalSeconds:0.0} s, {failures} failed");
            Directory.Delete(root, true);
            return failures == 0 ? 0 : 1;
        }

        private static Process ChildServer(string root, int port)
        {
            var self = Environment.ProcessPath!;
            var dll = typeof(Program).Assembly.Location;
            var psi = new ProcessStartInfo(self) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(dll);
            psi.ArgumentList.Add("server"); psi.ArgumentList.Add(root); psi.ArgumentList.Add(port.ToString());
            var p = Process.Start(psi)!;
            if (p.StandardOutput.ReadLine() != "ready") throw new InvalidOperationException("the server child did not start");
            return p;
        }

        private static string MakeRoot()
        {
            var root = Path.Combine(Path.GetTempPath(), "pprov-bench-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(root);
            var bytes = new byte[4096];
            new Random(42).NextBytes(bytes);
            File.WriteAllBytes(Path.Combine(root, "000e08abcdef.xml"), bytes);
            return root;
        }

        private static int FreeUdpPort()
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return ((IPEndPoint)s.LocalEndPoint!).Port;
        }

        private static double Median(List<double> values)
        {
            var sorted = values.OrderBy(v => v).ToList();
            return sorted[sorted.Count / 2];
        }
    }
}
