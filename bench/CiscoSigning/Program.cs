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
int count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var root = Path.Combine(Path.GetTempPath(), "pprov-bench-sgn-" + Guid.NewGuid().ToString("N").Substring(0, 8));
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
    GC.Collect();
    var process = Process.GetCurrentProcess();
    long peakBefore = process.PeakWorkingSet64;
    var watch = Stopwatch.StartNew();
    int failed = 0;
    long peakDuring = 0;
    for (int start = 0; start < sources.Count; start += 1024)
    {
        var jobs = sources.Skip(start).Take(1024).Select(s => new ProtectionJob(s, protector.DestinationFor(s, null))).ToList();
        failed += protector.ProtectFiles(jobs).Count(o => o.Error != null);
        if ((start / 1024) % 10 == 0)
        {
            process.Refresh();
            peakDuring = Math.Max(peakDuring, process.WorkingSet64);
            Console.WriteLine($"  {start + jobs.Count,7} files  {watch.Elapsed.TotalSeconds,6:F1} s  working set {process.WorkingSet64 / 1048576} MiB");
        }
    }
    watch.Stop();
    process.Refresh();
    double rate = count / watch.Elapsed.TotalSeconds;
    Console.WriteLine($"signed {count - failed} of {count} files in {watch.Elapsed.TotalSeconds:F1} s: {rate:F0} files/s on {Environment.ProcessorCount} cores; peak working set {process.PeakWorkingSet64 / 1048576} MiB (before signing {peakBefore / 1048576} MiB)");

    var speed = Process.Start(new ProcessStartInfo("openssl", $"speed -seconds 5 -multi {Environment.ProcessorCount} rsa2048") { RedirectStandardOutput = true, RedirectStandardError = true })!;
    var output = speed.StandardOutput.ReadToEnd();
    speed.WaitForExit();
    var m = Regex.Match(output, @"rsa\s+2048 bits\s+[\d.]+s\s+[\d.]+s\s+([\d.]+)");
    if (m.Success)
    {
        double sslSigns = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        Console.WriteLine($"openssl speed -multi {Environment.ProcessorCount} rsa2048: {sslSigns:F0} sign/s in the same run; ours = {rate / sslSigns:P0} of it");
    }
    else Console.WriteLine("openssl speed output not understood:\n" + output);
}
finally
{
    Directory.Delete(root, recursive: true);
}
