using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using PrivateProvisioning.Core.Protection;
using PrivateProvisioning.Core.Security;

// Signs N ~2 KB SEP<MAC>.cnf.xml files into .sgn with an RSA-2048 TFTP key, the way pprov protect --sign does
// (batches of 1024, parallel over the cores, atomic writes), then measures `openssl speed rsa2048` in the same
// run so the figure can be read as a fraction of the machine's RSA-2048 signing limit.
// Arguments: [files (default 100000)] [folder (default the temp folder; /dev/shm takes the disk out of the figure)].
int count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var root = Path.Combine(args.Length > 1 ? args[1] : Path.GetTempPath(), "pprov-bench-sgn-" + Guid.NewGuid().ToString("N").Substring(0, 8));
Directory.CreateDirectory(root);
try
{
    var keyPath = Path.Combine(root, "tftp.pem");
    ProvisioningCertificate.CreateFile(new CertificateRequestOptions("TFTP", "Bench", "Bench", rsaKeySize: 2048), keyPath);

    var template = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<device>\n  <fullConfig>true</fullConfig>\n  <deviceProtocol>SIP</deviceProtocol>\n");
    while (template.Length < 1950) template.Append("  <sipLine button=\"").Append(template.Length % 7).Append("\"><name>100</name><authName>100</authName></sipLine>\n");
    template.Append("  <mac>{MAC}</mac>\n</device>\n");
    var text = template.ToString();
    var sources = new List<string>(count);
    for (int i = 0; i < count; i++)
    {
        var mac = i.ToString("X12", CultureInfo.InvariantCulture);
        var path = Path.Combine(root, "SEP" + mac + ".cnf.xml");
        File.WriteAllText(path, text.Replace("{MAC}", mac));
        sources.Add(path);
    }
    Console.WriteLine($"{count} files of {new FileInfo(sources[0]).Length} bytes in {root}");

    using var tftp = PemCredential.Load(keyPath);
    using var protector = new CiscoFileProtector(tftp, CiscoDigest.Sha1);
    // The machine is shared: its load changes by the second. So the files are signed in slices, each followed
    // by a short `openssl speed` run, and every slice is compared with the openssl figure measured right after it.
    const int Slices = 10;
    int perSlice = (count + Slices - 1) / Slices;
    var process = Process.GetCurrentProcess();
    var total = Stopwatch.StartNew();
    var cpuBefore = process.TotalProcessorTime;
    double signingSeconds = 0;
    int failed = 0, done = 0;
    var ratios = new List<double>();
    var sslRates = new List<double>();
    for (int slice = 0; slice < Slices && done < count; slice++)
    {
        var sliceSources = sources.Skip(done).Take(perSlice).ToList();
        var watch = Stopwatch.StartNew();
        for (int start = 0; start < sliceSources.Count; start += 1024)
        {
            var jobs = sliceSources.Skip(start).Take(1024).Select(s => new ProtectionJob(s, protector.DestinationFor(s, null))).ToList();
            failed += protector.ProtectFiles(jobs).Count(o => o.Error != null);
        }
        watch.Stop();
        done += sliceSources.Count;
        signingSeconds += watch.Elapsed.TotalSeconds;
        double rate = sliceSources.Count / watch.Elapsed.TotalSeconds;
        double ssl = OpenSslSignsPerSecond();
        sslRates.Add(ssl);
        ratios.Add(rate / ssl);
        process.Refresh();
        Console.WriteLine($"  slice {slice + 1,2}: {sliceSources.Count} files at {rate,6:F0} files/s; openssl right after: {ssl,6:F0} sign/s; ratio {rate / ssl:P0}; working set {process.WorkingSet64 / 1048576} MiB");
    }
    process.Refresh();
    // CPU time is what load does not steal: files per CPU-second of this process, times the cores, against
    // openssl speed's own default figure (sign/s per CPU-second of user time, one process) times the cores.
    double cpuSeconds = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
    ratios.Sort();
    double overall = done / signingSeconds;
    Console.WriteLine($"signed {done - failed} of {done} files in {signingSeconds:F1} s of signing: {overall:F0} files/s on {Environment.ProcessorCount} cores; " +
                      $"peak working set {process.PeakWorkingSet64 / 1048576} MiB");
    double cpuRate = done / cpuSeconds * Environment.ProcessorCount;
    double sslCpu = OpenSslSignsPerCpuSecond() * Environment.ProcessorCount;
    Console.WriteLine($"by CPU time: {cpuRate:F0} files per {Environment.ProcessorCount} CPU-seconds; openssl speed rsa2048 (CPU time, one process) x {Environment.ProcessorCount}: {sslCpu:F0} sign/s; ours = {cpuRate / sslCpu:P0}");
    // The scheduled-task case: nothing changed, so every file is checked (a public-key verify) and left alone.
    var again = Stopwatch.StartNew();
    int unchanged = 0;
    for (int start = 0; start < sources.Count; start += 1024)
    {
        var jobs = sources.Skip(start).Take(1024).Select(s => new ProtectionJob(s, protector.DestinationFor(s, null))).ToList();
        unchanged += protector.ProtectFiles(jobs).Count(o => o.Result?.Status == PrivateProvisioning.Core.WriteStatus.Unchanged);
    }
    again.Stop();
    Console.WriteLine($"second run over the same {count} files: {unchanged} unchanged, {count / again.Elapsed.TotalSeconds:F0} files/s");
    Console.WriteLine($"openssl speed -multi {Environment.ProcessorCount} rsa2048 in the same run: mean {sslRates.Average():F0} sign/s; " +
                      $"ours/openssl per slice: median {ratios[ratios.Count / 2]:P0} (min {ratios[0]:P0}, max {ratios[^1]:P0}); overall {overall / sslRates.Average():P0}");
}
finally
{
    Directory.Delete(root, recursive: true);
}

// openssl speed's own figure is sign/s per CPU-second of user time; with -multi it sums the processes.
static double OpenSslSignsPerCpuSecond() => OpenSslSpeed("speed -seconds 3 rsa2048");

static double OpenSslSignsPerSecond() => OpenSslSpeed($"speed -seconds 2 -multi {Environment.ProcessorCount} rsa2048");

static double OpenSslSpeed(string arguments)
{
    var speed = Process.Start(new ProcessStartInfo("openssl", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
    var output = speed.StandardOutput.ReadToEnd();
    speed.StandardError.ReadToEnd();
    speed.WaitForExit();
    var m = Regex.Match(output, @"rsa\s+2048 bits\s+[\d.]+s\s+[\d.]+s\s+([\d.]+)");
    if (!m.Success) throw new InvalidOperationException("openssl speed output not understood:\n" + output);
    return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
}
