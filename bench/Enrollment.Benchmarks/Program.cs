using System;
using System.Diagnostics;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PrivateProvisioning.Core.Security.Enrollment;

// Enrollment throughput: request generation, approval (the bulk job: a folder of client requests),
// CMS decryption and pins. A console stopwatch run, short on purpose (the machine is shared).
var dir = Path.Combine(Path.GetTempPath(), "pprov-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(dir);
try
{
    using var caKey = RSA.Create(2048);
    var caRequest = new CertificateRequest("CN=Bench CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
    using (var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddYears(1)))
        File.WriteAllText(Path.Combine(dir, "ca.pem"), caKey.ExportPkcs8PrivateKeyPem() + "\n" + ca.ExportCertificatePem() + "\n");
    using var issuer = EnrollmentCredentials.Load(Path.Combine(dir, "ca.pem"), null, null, "bench");

    Measure("csr new EcP256", 200, i => CertificateRequestGenerator.Write(Path.Combine(dir, "csr", $"ec{i}.csr"), null, new CertificateSubject($"ec{i}", "ACME"), CertificateRequestKeyAlgorithm.EcP256));
    Measure("csr new Rsa2048", 20, i => CertificateRequestGenerator.Write(Path.Combine(dir, "csr", $"rsa{i}.csr"), null, new CertificateSubject($"rsa{i}", "ACME"), CertificateRequestKeyAlgorithm.Rsa2048));
    Measure("csr approve (RSA-2048 CA)", 200, i => CertificateRequestApprover.ApproveFile(Path.Combine(dir, "csr", $"ec{i}.csr"), issuer, Path.Combine(dir, "client_cert")));

    var p7m = Path.Combine(dir, "ec0.p7m");
    var openssl = Process.Start(new ProcessStartInfo("openssl", $"cms -encrypt -binary -outform DER -aes256 -in {Path.Combine(dir, "csr", "ec0.csr")} -out {p7m} {Path.Combine(dir, "ca.pem")}") { UseShellExecute = false })!;
    openssl.WaitForExit();
    Measure("csr decrypt (CMS, RSA-2048)", 500, _ => CertificateRequestDecryptor.DecryptFile(p7m, issuer));
    Measure("pin", 5000, i => CertificatePins.FromFile(Path.Combine(dir, "client_cert", $"ec{i % 200}.pem")));
}
finally { Directory.Delete(dir, true); }

static void Measure(string name, int count, Action<int> action)
{
    action(0); // warm-up (JIT), not counted
    var sw = Stopwatch.StartNew();
    for (int i = 1; i <= count; i++) action(i);
    sw.Stop();
    Console.WriteLine($"{name,-30} {count,6} ops  {sw.Elapsed.TotalMilliseconds / count,8:F3} ms/op  {count / sw.Elapsed.TotalSeconds,9:F0} ops/s");
}
