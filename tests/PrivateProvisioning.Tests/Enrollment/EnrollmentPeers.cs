using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Enrollment
{
    /// <summary>openssl and pprov helpers the enrollment tests share.</summary>
    internal static class EnrollmentPeers
    {
        /// <summary>A CA made by openssl (req -x509 adds basicConstraints CA:TRUE and keyCertSign): NAME.pem + NAME.key.</summary>
        public static string OpenSslCa(TempDirectory dir, string name = "ca", string key = "rsa:2048")
        {
            var pem = dir.File(name + ".pem");
            var args = new List<string> { "req", "-x509", "-nodes", "-days", "30", "-subj", "/CN=" + name + " test CA/O=PrivateProvisioning tests",
                "-keyout", dir.File(name + ".key"), "-out", pem };
            if (key.StartsWith("ec:", StringComparison.Ordinal))
                args.InsertRange(1, new[] { "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:" + key.Substring(3) });
            else
                args.InsertRange(1, new[] { "-newkey", key });
            Ok(ProcessRunner.Tool("openssl", args));
            return pem;
        }

        /// <summary>A CA that expired yesterday (openssl 3.0 cannot date backwards, the platform can).</summary>
        public static string ExpiredCa(TempDirectory dir)
        {
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest("CN=Expired test CA", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1));
            var path = dir.File("expired-ca.pem");
            File.WriteAllText(path, rsa.ExportPkcs8PrivateKeyPem() + "\n" + ca.ExportCertificatePem() + "\n");
            return path;
        }

        public static ProcessResult Openssl(params string[] args) => ProcessRunner.Tool("openssl", args);

        public static ProcessResult Ok(ProcessResult result)
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            return result;
        }

        public static ProcessResult Pprov(params string[] args) => ProcessRunner.Pprov(args);

        public static ProcessResult PprovWithEnv(IDictionary<string, string> env, params string[] args) => ProcessRunner.Pprov(args, env);

        /// <summary>What openssl prints for a pin: x509 -pubkey | pkey -pubin -outform der | dgst -sha256 -binary | base64.</summary>
        public static string OpenSslPin(string certificate, TempDirectory dir)
        {
            var pub = dir.File(Guid.NewGuid().ToString("N") + ".pub");
            var der = pub + ".der";
            var digest = pub + ".sha256";
            Ok(Openssl("x509", "-in", certificate, "-pubkey", "-noout", "-out", pub));
            Ok(Openssl("pkey", "-pubin", "-in", pub, "-outform", "der", "-out", der));
            Ok(Openssl("dgst", "-sha256", "-binary", "-out", digest, der));
            return Ok(ProcessRunner.Tool("base64", new[] { digest })).StdOut.Trim();
        }

        public static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
            finally { listener.Stop(); }
        }

        public static bool IsOwnerOnly(string path) =>
            (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) == 0;
    }
}
