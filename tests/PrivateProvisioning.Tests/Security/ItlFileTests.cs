using System;
using System.IO;
using System.Linq;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Security
{
    public class ItlFileTests
    {
        private static readonly DateTimeOffset Stamp = DateTimeOffset.FromUnixTimeSeconds(1795344868);

        private static ItlEntry Entry(string pem, ItlRole role)
        {
            using var credential = PemCredential.Load(pem);
            return new ItlEntry(credential.Certificate, role);
        }

        public static TheoryData<string, string, CiscoDigest, string, string?> Golden => new()
        {
            { "itl/ITLFile.tlv", "sast,ccm", CiscoDigest.Sha1, "1.0", null },
            { "itl/ITLSEP001122334455.tlv", "sast,ccm+tftp,tftp:ec", CiscoDigest.Sha512, "1.1", "ITLFile.tlv" },
            { "itl/CTLFile.tlv", "sast,ccm,tftp,ccm+tftp,capf,app-server:ec,tvs", CiscoDigest.Sha1, "1.0", null },
        };

        [Theory]
        [MemberData(nameof(Golden))]
        public void Rebuilding_golden_trust_lists_gives_the_same_bytes(string file, string roles, CiscoDigest digest, string version, string? fileName)
        {
            using var sast = PemCredential.Load(CiscoVectors.Sast);
            using var signer = new CiscoSigner(sast, digest);
            var entries = roles.Split(',').Select(r =>
            {
                var parts = r.Split(':');
                var pem = parts[0] == "sast" ? CiscoVectors.Sast : parts.Length > 1 ? CiscoVectors.ApacheEc : CiscoVectors.Asterisk;
                return Entry(pem, ItlFile.ParseRole(parts[0]));
            }).ToList();
            var expected = File.ReadAllBytes(CiscoVectors.File(file));
            var built = ItlFile.Build(signer, entries, fileName ?? Path.GetFileName(file), version, Stamp);
            Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(built));
        }

        [Fact]
        public void Golden_ctl_parses_with_roles_and_certificates_and_verifies()
        {
            var info = ItlFile.Load(CiscoVectors.File("itl/CTLFile.tlv"));
            Assert.True(info.SignatureValid);
            Assert.Equal("1.2", info.Version);
            Assert.Equal("1.0", info.SignerVersion);
            Assert.Equal(388, info.HeaderLength);
            Assert.Equal("CN=SAST,O=SAST,OU=SAST", info.SignerName);
            Assert.Equal("9d48d96bedbea5648732759d023a8289", info.SerialNumber);
            Assert.Equal(CiscoDigest.Sha1, info.Digest);
            Assert.Equal("CTLFile.tlv", info.FileName);
            Assert.Equal(Stamp, info.Timestamp);
            Assert.Equal(new[] { "SAST", "CCM", "TFTP", "CCM+TFTP", "CAPF", "APP-SERVER", "TVS" }, info.Records.Select(r => r.RoleName));
            Assert.Equal(new[] { 0, 1, 3, 2, 4, 7, 21 }, info.Records.Select(r => r.RoleCode!.Value));
            var ec = info.Records[5];
            Assert.Equal(CertificateKeyAlgorithm.EC, ec.KeyAlgorithm);
            Assert.Equal(97, ec.PublicKeyLength);
            Assert.Equal("2168e0186167137c90f56b0500131b3a471f4346", ec.Thumbprint);
            Assert.Equal(270, info.Records[1].PublicKeyLength);
            Assert.Equal("CN=SAST,O=SAST,OU=SAST", info.Signer!.Subject);
            Assert.Equal(10453, info.Length);
        }

        [Theory]
        [InlineData("itl/ITLFile.tlv")]
        [InlineData("itl/ITLSEP001122334455.tlv")]
        public void Every_golden_trust_list_verifies_and_matches_the_reference_parse(string file)
        {
            var info = ItlFile.Load(CiscoVectors.File(file));
            Assert.True(info.SignatureValid);
            var reference = File.ReadAllText(CiscoVectors.File(file + ".parse.txt"));
            Assert.Contains("Valid signature", reference);
            foreach (var record in info.Records)
                Assert.Contains(record.Thumbprint!, reference);
        }

        [Fact]
        public void Fields_in_cucm_order_with_semicolons_and_extra_record_tags_parse()
        {
            // Build a file the way CUCM orders it: signer info 4, 5, 6 and records 1, 2, 3, 4, 5, 6, 7, 8, 9, 10.
            using var sast = PemCredential.Load(CiscoVectors.Sast);
            var cucm = CucmStyle.Build(sast, Stamp);
            var info = ItlFile.Read(cucm, "cucm.tlv");
            Assert.True(info.SignatureValid);
            Assert.Equal("CN=SAST;OU=SAST;O=SAST", info.SignerName);
            Assert.Equal("sast.example.com", info.Records[0].DnsName);
            Assert.Equal("192.0.2.10", info.Records[0].IPAddress);
            Assert.Equal(2, info.Records.Count);
            Assert.Null(info.Records[1].Certificate); // a "blank" CCM+TFTP record: 1, 2, 4, 10 only
            Assert.Equal(5 + 4 + 5 + 7, info.Records[1].RecordLength);
            Assert.Equal(ItlRole.CcmTftp, info.Records[1].Role);
        }

        [Fact]
        public void Altered_file_fails_the_signature_check_with_a_clear_error()
        {
            var data = File.ReadAllBytes(CiscoVectors.File("itl/ITLFile.tlv"));
            data[data.Length - 10] ^= 1;
            var ex = Assert.Throws<ProvisioningException>(() => ItlFile.Read(data, "ITLFile.tlv"));
            Assert.Equal("SignatureInvalid", ex.ErrorId);
            Assert.Contains("CN=SAST,O=SAST,OU=SAST", ex.Message);
            Assert.False(ItlFile.Read(data, "ITLFile.tlv", requireValidSignature: false).SignatureValid);
        }

        [Theory]
        [InlineData(2000, "truncated")]
        [InlineData(300, "truncated")]
        [InlineData(3, "too short")]
        public void Truncated_files_are_clear_errors(int keep, string fragment)
        {
            var data = File.ReadAllBytes(CiscoVectors.File("itl/ITLFile.tlv")).Take(keep).ToArray();
            var ex = Assert.Throws<ProvisioningException>(() => ItlFile.Read(data, "ITLFile.tlv"));
            Assert.Equal("CiscoFileInvalid", ex.ErrorId);
            Assert.Contains(fragment, ex.Message);
            Assert.Contains("ITLFile.tlv' at byte", ex.Message);
        }

        [Fact]
        public void Wrong_tag_length_names_the_tag_and_offset()
        {
            var data = File.ReadAllBytes(CiscoVectors.File("itl/ITLFile.tlv"));
            data[94] = 2; // tag 8 (hash algorithm) at offset 92: length 1 -> 2
            var ex = Assert.Throws<ProvisioningException>(() => ItlFile.Read(data, "x.tlv"));
            Assert.True(ex.Message.Contains("expected 1"), ex.Message);
            Assert.Contains("at byte 92", ex.Message);
            Assert.Contains("hash algorithm", ex.Message);
            Assert.Contains("expected 1", ex.Message);
        }

        [Fact]
        public void Unknown_header_tag_and_not_a_tlv_are_clear_errors()
        {
            var data = File.ReadAllBytes(CiscoVectors.File("itl/ITLFile.tlv"));
            data[366] = 99; // the file name element
            Assert.Contains("unknown header tag 99", Assert.Throws<ProvisioningException>(() => ItlFile.Read(data, "x.tlv")).Message);
            var xml = System.Text.Encoding.ASCII.GetBytes("<device><fullConfig>true</fullConfig></device>");
            Assert.Contains("not a Cisco signed file", Assert.Throws<ProvisioningException>(() => ItlFile.Read(xml, "x.tlv")).Message);
        }

        [Fact]
        public void Signing_rules_are_enforced()
        {
            using var sast = PemCredential.Load(CiscoVectors.Sast);
            using var ec = PemCredential.Load(CiscoVectors.ApacheEc);
            Assert.Equal("RsaKeyRequired", Assert.Throws<ProvisioningException>(() => new CiscoSigner(ec, CiscoDigest.Sha1)).ErrorId);
            using var signer = new CiscoSigner(sast, CiscoDigest.Sha1);
            var three = new[] { Entry(CiscoVectors.Sast, ItlRole.Sast), Entry(CiscoVectors.Asterisk, ItlRole.Sast), Entry(CiscoVectors.Phone, ItlRole.Sast) };
            Assert.Equal("TooManySast", Assert.Throws<ProvisioningException>(() => ItlFile.Build(signer, three, "ITLFile.tlv", "1.0", Stamp)).ErrorId);
            Assert.Equal("InvalidSignerVersion", Assert.Throws<ProvisioningException>(() => ItlFile.Build(signer, three.Take(1), "ITLFile.tlv", "2.0", Stamp)).ErrorId);
        }

        [Fact]
        public void Openssl_verifies_our_signature_independently()
        {
            using var dir = new TempDirectory();
            using var sast = PemCredential.Load(CiscoVectors.Sast);
            using var signer = new CiscoSigner(sast, CiscoDigest.Sha512);
            var bytes = ItlFile.Build(signer, new[] { Entry(CiscoVectors.Asterisk, ItlRole.Tftp) }, "ITLFile.tlv", "1.1", DateTimeOffset.UtcNow);
            var header = SignedHeaderReaderAccess.SignatureSpan(bytes);
            File.WriteAllBytes(dir.File("sig"), bytes.Skip(header.Offset + 3).Take(header.Length).ToArray());
            File.WriteAllBytes(dir.File("signed"), bytes.Take(header.Offset).Concat(bytes.Skip(header.Offset + 3 + header.Length)).ToArray());
            ProcessRunner.Tool("openssl", new[] { "x509", "-in", CiscoVectors.Sast, "-pubkey", "-noout", "-out", dir.File("pub.pem") }).AssertSuccess();
            var verify = ProcessRunner.Tool("openssl", new[] { "dgst", "-sha512", "-verify", dir.File("pub.pem"), "-signature", dir.File("sig"), dir.File("signed") });
            Assert.Contains("Verified OK", verify.StdOut);
        }
    }

    public class ItlCommandLineTests
    {
        [Fact]
        public void Pprov_itl_build_keeps_command_line_order_and_matches_the_golden_ctl()
        {
            using var dir = new TempDirectory();
            var output = dir.File("CTLFile.tlv");
            var result = ProcessRunner.Pprov("itl", "build", output, "--sast", CiscoVectors.Sast, "--ccm", CiscoVectors.Asterisk,
                "--tftp", CiscoVectors.Asterisk, "--ccm-tftp", CiscoVectors.Asterisk, "--capf", CiscoVectors.Asterisk,
                "--app-server", CiscoVectors.ApacheEc, "--tvs", CiscoVectors.Asterisk, "--timestamp", "1795344868");
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(File.ReadAllBytes(CiscoVectors.File("itl/CTLFile.tlv")), File.ReadAllBytes(output));

            var again = ProcessRunner.Pprov("itl", "build", output, "--sast", CiscoVectors.Sast, "--ccm", CiscoVectors.Asterisk,
                "--tftp", CiscoVectors.Asterisk, "--ccm-tftp", CiscoVectors.Asterisk, "--capf", CiscoVectors.Asterisk,
                "--app-server", CiscoVectors.ApacheEc, "--tvs", CiscoVectors.Asterisk, "--timestamp", "1795344868", "--json");
            Assert.Contains("\"status\":\"Unchanged\"", again.StdOut);
        }

        [Fact]
        public void Pprov_itl_build_keeps_an_unrelated_existing_file_unless_force()
        {
            using var dir = new TempDirectory();
            var output = dir.File("ITLFile.tlv");
            File.WriteAllText(output, "not a trust list");
            var refused = ProcessRunner.Pprov("itl", "build", output, "--sast", CiscoVectors.Sast, "--timestamp", "1795344868", "--json");
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("already exists", refused.StdOut + refused.StdErr);
            Assert.Equal("not a trust list", File.ReadAllText(output));
            var forced = ProcessRunner.Pprov("itl", "build", output, "--sast", CiscoVectors.Sast, "--timestamp", "1795344868", "--force", "--json");
            Assert.True(forced.ExitCode == 0, forced.ToString());
            Assert.Contains("\"status\":\"Updated\"", forced.StdOut);
        }

        [Fact]
        public void Pprov_itl_show_prints_records_and_json_and_fails_on_a_bad_signature()
        {
            var text = ProcessRunner.Pprov("itl", "show", CiscoVectors.File("itl/ITLSEP001122334455.tlv"));
            Assert.True(text.ExitCode == 0, text.ToString());
            Assert.Contains("Signer Version:   1.1", text.StdOut);
            Assert.Contains("Role:             CCM+TFTP", text.StdOut);
            Assert.Contains("Valid signature", text.StdOut);

            var json = ProcessRunner.Pprov("itl", "show", "--json", CiscoVectors.File("itl/ITLFile.tlv"));
            var line = Assert.Single(json.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            using var doc = System.Text.Json.JsonDocument.Parse(line);
            Assert.True(doc.RootElement.GetProperty("signatureValid").GetBoolean());
            Assert.Equal("CCM", doc.RootElement.GetProperty("records")[1].GetProperty("role").GetString());

            using var dir = new TempDirectory();
            var data = File.ReadAllBytes(CiscoVectors.File("itl/ITLFile.tlv"));
            data[^1] ^= 1;
            File.WriteAllBytes(dir.File("bad.tlv"), data);
            var bad = ProcessRunner.Pprov("itl", "show", dir.File("bad.tlv"));
            Assert.Equal(1, bad.ExitCode);
            Assert.Contains("signature does not verify", bad.StdErr);
            Assert.DoesNotContain("   at ", bad.StdErr);
        }

        [Fact]
        public void Pprov_itl_build_refuses_an_ec_sast_and_three_sasts()
        {
            using var dir = new TempDirectory();
            var ec = ProcessRunner.Pprov("itl", "build", dir.File("x.tlv"), "--sast", CiscoVectors.ApacheEc);
            Assert.Equal(2, ec.ExitCode);
            Assert.Contains("needs an RSA key", ec.StdErr);
            var three = ProcessRunner.Pprov("itl", "build", dir.File("x.tlv"), "--sast", CiscoVectors.Sast, "--sast", CiscoVectors.Asterisk, "--sast", CiscoVectors.Phone);
            Assert.Equal(2, three.ExitCode);
            Assert.Contains("at most 2", three.StdErr);
            Assert.False(File.Exists(dir.File("x.tlv")));
        }
    }

    internal static class SignedHeaderReaderAccess
    {
        public static (int Offset, int Length) SignatureSpan(byte[] data)
        {
            var h = SignedHeaderReader.Read(data, "test");
            return (h.SignatureOffset, h.SignatureLength);
        }
    }

    /// <summary>Builds a trust list in CUCM's field order, separators and extra tags, signed like the real thing.</summary>
    internal static class CucmStyle
    {
        public static byte[] Build(PemCredential sast, DateTimeOffset stamp)
        {
            var name = CiscoSigner.NulTerminated("CN=SAST;OU=SAST;O=SAST");
            var serial = CertificateNames.SerialBytes(sast.Certificate);
            var header = new TlvWriter(512);
            header.Header(1, 2); header.RawByte(1); header.RawByte(2);
            header.UInt16(2, 0);
            header.Header(3, 9 + name.Length * 2 + serial.Length);
            header.Element(4, name); header.Element(5, serial); header.Element(6, name);
            header.Header(7, 15); header.Byte(8, 1); header.Header(9, 8); header.Byte(10, 0); header.Byte(11, 2);
            int signatureAt = header.Length;
            header.Element(14, CiscoSigner.NulTerminated("CTLFile.tlv"));
            header.UInt32(15, (uint)stamp.ToUnixTimeSeconds());
            while ((header.Length + 259) % 4 != 0) header.RawByte(13);
            int headerLength = header.Length + 259;
            header.PatchUInt16(8, headerLength);

            var records = new TlvWriter(2048);
            int r1 = records.Length;
            records.UInt16(1, 0);
            records.Element(2, CiscoSigner.NulTerminated("sast.example.com"));
            records.Element(3, name);
            records.UInt16(4, 0);
            records.Element(5, name);
            records.Element(6, serial);
            records.Element(7, ItlFile.PublicKeyBytes(sast.Certificate));
            records.Element(8, ItlFile.CertificateSignature(sast.Certificate.RawData));
            records.Element(9, sast.Certificate.RawData);
            records.Element(10, new byte[] { 192, 0, 2, 10 });
            records.PatchUInt16(r1 + 3, records.Length - r1);
            int r2 = records.Length;
            records.UInt16(1, 0);
            records.Element(2, new byte[] { 0 });
            records.UInt16(4, 2);
            records.Element(10, new byte[] { 192, 0, 2, 11 });
            records.PatchUInt16(r2 + 3, records.Length - r2);

            var unsigned = header.ToArray().Concat(records.ToArray()).ToArray();
            var signature = ((System.Security.Cryptography.RSA)sast.PrivateKey!).SignData(unsigned, System.Security.Cryptography.HashAlgorithmName.SHA1, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
            return unsigned.Take(signatureAt).Concat(new byte[] { 12, 1, 0 }).Concat(signature).Concat(unsigned.Skip(signatureAt)).ToArray();
        }
    }
}
