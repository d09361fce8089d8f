using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Core.Protection;
using PrivateProvisioning.Core.Resync;
using PrivateProvisioning.Core.Security;
using PrivateProvisioning.Core.Security.Enrollment;
using PrivateProvisioning.Core.Serving;

namespace PrivateProvisioning.Fuzzing
{
    /// <summary>
    /// One entry per parser of outside input: the bytes a phone, a peer or a user's file could hand us. A target
    /// returns normally or throws one of our typed errors (<see cref="IsExpected"/>); anything else is a finding.
    /// The same table drives the SharpFuzz/afl++ runs (tests/fuzz) and the FsCheck property tests of the suite.
    /// </summary>
    public static class FuzzTargets
    {
        public sealed class Target
        {
            public Target(string name, Action<byte[]> run, Func<string, IEnumerable<string>> seeds)
            {
                Name = name; Run = run; Seeds = seeds;
            }
            public string Name { get; }
            public Action<byte[]> Run { get; }
            /// <summary>Golden vectors under tests/vectors (given the vectors folder): the corpus to mutate.</summary>
            public Func<string, IEnumerable<string>> Seeds { get; }
        }

        /// <summary>Our typed errors: what a malformed input may end in.</summary>
        public static bool IsExpected(Exception ex) =>
            ex is ProvisioningException || ex is BadHttpRequest || ex is ResyncFailure;

        private static readonly byte[] Passphrase = Encoding.UTF8.GetBytes("fuzz-passphrase");
        private static readonly byte[] Rfc8188Key = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();

        /// <summary>The throw-away test key of the CSR reproducers (tests/vectors/reliability/csr-decrypt-cert.pem).</summary>
        public static string? VectorsFolder { get; set; }

        private static PemCredential? _cmsRecipient, _phone;
        private static PemCredential CmsRecipient => _cmsRecipient ??= PemCredential.Load(Path.Combine(VectorsFolder!, "reliability", "csr-decrypt-cert.pem"));
        private static PemCredential Phone => _phone ??= PemCredential.Load(Path.Combine(VectorsFolder!, "cisco", "certs", "phone-SEP001122334455.pem"));

        public static readonly IReadOnlyList<Target> All = new[]
        {
            new Target("itl", d => ItlFile.Read(d, "fuzz.tlv", requireValidSignature: false), v => Files(v, "cisco/itl/*.tlv", "reliability/itl-show-crash.tlv")),
            new Target("itl-verified", d => ItlFile.Read(d, "fuzz.tlv", requireValidSignature: true), v => Files(v, "cisco/itl/*.tlv")),
            new Target("sgn", d => SignedFile.Read(d, "fuzz.sgn"), v => Files(v, "cisco/sgn/*.sgn", "cisco/enc/*.cnf.xml.sgn")),
            new Target("enc-sgn", d => EncryptedConfig.Decrypt(d, "fuzz.enc.sgn", Phone, null, out _), v => Files(v, "cisco/enc/*.enc.sgn", "cisco/enc-sha512/*.enc.sgn")),
            new Target("openssl-salted", d => OpenSslCbcLayer.Decrypt(d, 0, d.Length, Passphrase, new[] { KeyDerivation.Md5, KeyDerivation.Sha256 }, 1, new[] { 256 }, "fuzz.enc", "OpenSslAes256Cbc", out _, out _),
                v => Files(v, "fuzz/openssl-salted/*")),
            new Target("rfc8188", d => Rfc8188Layer.Decrypt(d, 0, d.Length, Rfc8188Key, "fuzz.aes128gcm"), v => Files(v, "fuzz/rfc8188/*")),
            new Target("gzip", d => GzipLayer.Decompress(d, 0, d.Length, "fuzz.gz"), v => Files(v, "fuzz/gzip/*")),
            new Target("panasonic-enc", d => new ProfileUnprotector(new UnprotectionOptions { KeyDerivation = KeyDerivation.Md5 }).Unprotect(d, Passphrase, "fuzz.enc", out _, out _), v => Files(v, "fuzz/panasonic-enc/*")),
            new Target("pem", d => { using var c = PemCredential.Parse(Encoding.UTF8.GetString(d), null, "fuzz.pem"); CertificatePins.FromCertificate(c.Certificate, "fuzz.pem"); },
                v => Files(v, "cisco/certs/*.pem", "reliability/csr-decrypt-cert.pem")),
            new Target("der-certificate", d => { using var c = PemCredential.CertificateFromDer(d, "fuzz.der"); CertificatePins.FromCertificate(c, "fuzz.der"); },
                v => Files(v, "reliability/pin-crash.der", "fuzz/der/*")),
            new Target("csr", d => CertificateRequestReader.Read(d, "fuzz.csr"), v => Files(v, "fuzz/csr/*")),
            new Target("cms", d => CertificateRequestDecryptor.Decrypt(d, "fuzz.p7m", CmsRecipient), v => Files(v, "reliability/*.p7m")),
            new Target("csv", ReadCsv, v => Files(v, "reliability/csv-truncated-row.csv", "fuzz/csv/*")),
            new Target("profile-ciscospa", d => ProfileFileReader.Read(d, "fuzz.xml", ProfileFormat.CiscoSpa), v => Files(v, "fuzz/profiles/*.xml")),
            new Target("profile-ciscosep", d => ProfileFileReader.Read(d, "SEP001122334455.cnf.xml", ProfileFormat.CiscoSep), v => Files(v, "cisco/sgn/SEP001122334455.cnf.xml", "fuzz/profiles/SEP*")),
            new Target("profile-panasonic", d => ProfileFileReader.Read(d, "fuzz.cfg", ProfileFormat.Panasonic), v => Files(v, "panasonic/*.cfg")),
            new Target("profile-privatewave", d => ProfileFileReader.Read(d, "fuzz.json", ProfileFormat.PrivateWave), v => Files(v, "reliability/profile-show-crash.json", "fuzz/profiles/*.json")),
            new Target("profile-linphone", d => ProfileFileReader.Read(d, "fuzz-linphone.xml", ProfileFormat.Linphone), v => Files(v, "fuzz/profiles/linphone*")),
            new Target("tftp-request", ReadTftp, v => Files(v, "fuzz/tftp/*")),
            new Target("http-request", ReadHttp, v => Files(v, "fuzz/http/*")),
            new Target("sip-response", d => SipResponse.ParseHead(SipResponse.Decode(d, 0, d.Length), "127.0.0.1:5060"), v => Files(v, "fuzz/sip/*")),
            new Target("sip-datagram", d => SipResponse.ParseDatagram(d, d.Length, "127.0.0.1:5060"), v => Files(v, "fuzz/sip/*")),
            new Target("syslog", d => SyslogParser.Parse(d, d.Length, "127.0.0.1", DateTimeOffset.UnixEpoch), v => Files(v, "fuzz/syslog/*")),
        };

        public static Target Get(string name) =>
            All.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"No fuzz target '{name}'; targets: {string.Join(", ", All.Select(t => t.Name))}");

        /// <summary>Runs one input: true when it ended normally or in a typed error; other exceptions propagate.</summary>
        public static void RunOne(Target target, byte[] data)
        {
            try { target.Run(data); }
            catch (Exception ex) when (IsExpected(ex)) { }
        }

        private static void ReadCsv(byte[] data)
        {
            var reader = new StreamReader(new MemoryStream(data), new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: true);
            using var csv = new CsvReader(reader, "fuzz.csv");
            for (int i = 0; i < 100000 && csv.Read() != null; i++) { }
        }

        private static void ReadTftp(byte[] data)
        {
            TftpPacket.ParseRequest(data, data.Length, out _);
            if (data.Length >= 2 && data[1] == 6) TftpPacket.ParseOptionAck(data, data.Length);
            if (data.Length >= 4 && data[1] == 5) TftpPacket.ErrorMessage(data, data.Length);
        }

        private static void ReadHttp(byte[] data)
        {
            var reader = new HttpRequestReader(new MemoryStream(data, writable: false), 16 * 1024);
            for (int i = 0; i < 64; i++)
                if (reader.ReadAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult() == null) break;
        }

        private static IEnumerable<string> Files(string vectors, params string[] patterns)
        {
            foreach (var pattern in patterns)
            {
                var dir = Path.Combine(vectors, Path.GetDirectoryName(pattern)!);
                if (!Directory.Exists(dir)) continue;
                foreach (var f in Directory.EnumerateFiles(dir, Path.GetFileName(pattern)).OrderBy(f => f, StringComparer.Ordinal))
                    yield return f;
            }
        }
    }
}
