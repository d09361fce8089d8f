using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using PrivateProvisioning.Core.Protection;

// Protection benchmark (run by hand, Release). Three figures, side by side in one run:
//  1. Protect (gzip + AES-256-CBC, MD5 derivation) N ~2 KB profiles with the engine, in parallel.
//  2. The seeds' method on a sample of the same files: a shell loop of gzip | openssl enc -md md5 -k per file.
//  3. AES-256-CBC throughput on one big file vs `openssl speed -evp aes-256-cbc` (16 KB blocks).
static class Program
{
    static int Main(string[] args)
    {
        int files = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        int sample = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
        int aesMegabytes = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100;
        var root = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), "pprov-protect-bench-" + Environment.ProcessId);
        var input = Path.Combine(root, "in");
        Directory.CreateDirectory(input);
        try
        {
            Console.WriteLine($"Protection benchmark: {Environment.ProcessorCount} cores, load average {LoadAverage()}, files under {root}");
            var sources = MakeProfiles(input, files);
            var key = Encoding.UTF8.GetBytes("secret");

            // 1. The engine, at the default gzip level and at --gzip-level fastest (each into a new folder).
            double ours = 0, cpu = 0, oursFastest = 0;
            var sw = new Stopwatch();
            foreach (var level in new[] { ProfileCompressionLevel.Optimal, ProfileCompressionLevel.Fastest })
            {
                var protector = new ProfileProtector(new ProtectionOptions { Compress = true, CompressionLevel = level, Method = ProtectionMethod.OpenSslAes256Cbc, KeyDerivation = KeyDerivation.Md5 });
                var output = Path.Combine(root, "out-" + level);
                var jobs = sources.Select(s => new ProtectionJob(s, Path.Combine(output, Path.GetFileName(s)))).ToList();
                protector.ProtectFiles(jobs.Take(2000).Select(j => new ProtectionJob(j.Source, j.Destination + ".warm")).ToList(), key); // JIT warm-up
                var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                sw.Restart();
                int failed = 0;
                for (int i = 0; i < jobs.Count; i += 4096)
                    failed += protector.ProtectFiles(jobs.Skip(i).Take(4096).ToList(), key).Count(o => o.Error != null);
                sw.Stop();
                var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds; // a fresh Process object reads current times
                double rate = files / sw.Elapsed.TotalSeconds;
                Console.WriteLine($"engine, gzip {level}: {files} files gzip+AES-256-CBC (md5) in {sw.Elapsed.TotalSeconds:0.00} s wall = {rate:0} files/s ({failed} failed); " +
                    $"{used:0.00} CPU-s = {used * 1e6 / files:0} us CPU per file, i.e. {2 * files / used:0} files/s on 2 idle cores");
                if (level == ProfileCompressionLevel.Optimal) { ours = rate; cpu = used; } else oursFastest = rate;
            }

            // 2. The seeds' shell loop on a sample of the same files.
            var loopOut = Path.Combine(root, "loop");
            Directory.CreateDirectory(loopOut);
            var list = Path.Combine(root, "sample.txt");
            File.WriteAllLines(list, sources.Take(sample));
            // Two renderings of the seeds' method: the one this bench always ran (the output named with `basename`,
            // a third process per file), and the strict one (gzip and openssl only, the name by shell expansion),
            // which is faster and so the harder comparison. `times` prints the CPU time of the loop's children.
            foreach (var (label, naming) in new[] { ("seeds' loop (gzip | openssl, basename)", "$(basename \"$f\")"), ("seeds' loop, strict (gzip | openssl only)", "${f##*/}") })
            {
                var script = $"while read f; do gzip -c \"$f\" | openssl enc -aes-256-cbc -md md5 -k secret -out \"{loopOut}/{naming}\"; done < '{list}'; times";
                sw.Restart();
                var times = Run("sh", "-c", script);
                sw.Stop();
                double seeds = sample / sw.Elapsed.TotalSeconds;
                double loopCpu = ChildCpuSeconds(times);
                Console.WriteLine($"{label}: {sample} files in {sw.Elapsed.TotalSeconds:0.00} s wall = {seeds:0.0} files/s; {files} files would take {files / seeds:0} s; " +
                    $"{loopCpu * 1e3 / sample:0.0} ms CPU per file");
                Console.WriteLine($"  speed-up measured side by side: {ours / seeds:0}x wall; {loopCpu / sample / (cpu / files):0}x per CPU second; with --gzip-level fastest {oursFastest / seeds:0}x wall");
            }

            // 3. AES throughput on one big file (no gzip), against openssl speed.
            var big = Path.Combine(root, "big.bin");
            var block = new byte[1 << 20];
            new Random(1).NextBytes(block);
            using (var fs = File.Create(big)) for (int i = 0; i < aesMegabytes; i++) fs.Write(block);
            var aes = new ProfileProtector(new ProtectionOptions { Method = ProtectionMethod.OpenSslAes256Cbc, KeyDerivation = KeyDerivation.Md5 });
            aes.ProtectFile(big, big + ".warm", key);
            File.Delete(big + ".warm");
            // Each figure twice: per wall-clock second (what this shared, loaded machine gave) and per CPU second of
            // this process (what openssl speed reports by default, since it times with user CPU time).
            double bestWall = 0, bestCpu = 0;
            for (int round = 0; round < 3; round++)
            {
                var (wall, cpuSeconds) = Measure(() => aes.ProtectFile(big, big + ".enc", key));
                bestWall = Math.Max(bestWall, aesMegabytes * 1.048576 / wall);
                bestCpu = Math.Max(bestCpu, aesMegabytes * 1.048576 / cpuSeconds);
            }
            Console.WriteLine($"engine AES-256-CBC, {aesMegabytes} MB file to file (read, encrypt, SHA-256, write, rename): {bestWall:0} MB/s wall, {bestCpu:0} MB/s per CPU second");
            var layer = aes.Layers[0];
            var chunk = new byte[16384];
            double memWall = 0, memCpu = 0;
            for (int round = 0; round < 3; round++)
            {
                var (wall, cpuSeconds) = Measure(() =>
                {
                    using var s = layer.Protect(Stream.Null, new LayerContext(key, -1, null));
                    for (long done = 0; done < aesMegabytes * 1048576L; done += chunk.Length) s.Write(chunk, 0, chunk.Length);
                });
                memWall = Math.Max(memWall, aesMegabytes * 1.048576 / wall);
                memCpu = Math.Max(memCpu, aesMegabytes * 1.048576 / cpuSeconds);
            }
            Console.WriteLine($"engine AES-256-CBC layer in memory, 16384-byte writes: {memWall:0} MB/s wall, {memCpu:0} MB/s per CPU second");
            sw.Restart();
            Run("openssl", "enc", "-aes-256-cbc", "-md", "md5", "-k", "secret", "-in", big, "-out", big + ".openssl");
            sw.Stop();
            Console.WriteLine($"openssl enc on the same file: {aesMegabytes * 1.048576 / sw.Elapsed.TotalSeconds:0} MB/s wall");
            double speedCpu = OpensslSpeed(elapsed: false), speedWall = OpensslSpeed(elapsed: true);
            Console.WriteLine($"openssl speed -evp aes-256-cbc (16384-byte blocks): {speedCpu:0} MB/s per CPU second, {speedWall:0} MB/s wall (-elapsed)");
            Console.WriteLine($"ratio openssl/engine per CPU second: {speedCpu / memCpu:0.00} in memory, {speedCpu / bestCpu:0.00} file to file; wall: {speedWall / memWall:0.00} in memory, {speedWall / bestWall:0.00} file to file");
            Console.WriteLine($"load average after: {LoadAverage()}");
            return 0;
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    static (double Wall, double Cpu) Measure(Action action)
    {
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        action();
        sw.Stop();
        process.Refresh();
        return (sw.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpu0).TotalSeconds);
    }

    /// <summary>Sums user and system time from the children line of the shell's `times` ("0m1.234s 0m0.567s").</summary>
    static double ChildCpuSeconds(string times)
    {
        var lines = times.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length < 2) return double.NaN;
        double total = 0;
        foreach (var part in lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var m = part.TrimEnd('s').Split('m');
            total += double.Parse(m[0], CultureInfo.InvariantCulture) * 60 + double.Parse(m[1], CultureInfo.InvariantCulture);
        }
        return total;
    }

    static double OpensslSpeed(bool elapsed)
    {
        var args = new List<string> { "speed", "-evp", "aes-256-cbc", "-seconds", "2", "-bytes", "16384" };
        if (elapsed) args.Add("-elapsed");
        var output = Run("openssl", args.ToArray());
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("AES-256-CBC", StringComparison.OrdinalIgnoreCase)) ?? "";
        var kbps = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.TrimEnd('k') ?? "0";
        return double.Parse(kbps, CultureInfo.InvariantCulture) * 1000 / 1e6;
    }

    static List<string> MakeProfiles(string folder, int count)
    {
        var paths = new List<string>(count);
        var rng = new Random(42);
        for (int i = 0; i < count; i++)
        {
            var mac = (0x000E08000000L + i).ToString("x12", CultureInfo.InvariantCulture);
            var sb = new StringBuilder(2200);
            sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<flat-profile>\n");
            sb.Append($"  <User_ID_1_ ua=\"na\">{1000 + i}</User_ID_1_>\n  <Password_1_ ua=\"na\">{rng.Next():x8}{rng.Next():x8}</Password_1_>\n");
            sb.Append($"  <Display_Name_1_ ua=\"na\">Phone {i}</Display_Name_1_>\n  <Proxy_1_ ua=\"na\">sip.example.com</Proxy_1_>\n");
            for (int p = 0; sb.Length < 2000; p++)
                sb.Append($"  <Param_{p}_ ua=\"na\">{(p * 7919 + i) % 10007}</Param_{p}_>\n");
            sb.Append("</flat-profile>\n");
            var path = Path.Combine(folder, mac + ".xml");
            File.WriteAllText(path, sb.ToString());
            paths.Add(path);
        }
        return paths;
    }

    static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return output.Result;
    }

    static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
