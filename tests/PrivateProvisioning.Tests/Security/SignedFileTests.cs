using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Security
{
    public class SignedFileTests
    {
        internal static readonly DateTimeOffset Stamp = DateTimeOffset.FromUnixTimeSeconds(1795344869);

        [Theory]
        [InlineData("SEP001122334455.cnf.xml", CiscoDigest.Sha1, "SEP001122334455.cnf.xml.sgn")]
        [InlineData("SoftKeys.xml", CiscoDigest.Sha512, "SoftKeys.xml.sgn")]
        [InlineData("g3-tones.xml", CiscoDigest.Sha1, "New_Zealand/g3-tones.xml.sgn")]
        public void Rebuilding_golden_sgn_files_gives_the_same_bytes(string input, CiscoDigest digest, string headerName)
        {
            using var tftp = PemCredential.Load(CiscoVectors.Asterisk);
            using var signer = new CiscoSigner(tftp, digest);
            var built = SignedFile.Sign(signer, File.ReadAllBytes(CiscoVectors.File("sgn/" + input)), headerName, Stamp);
            Assert.Equal(Convert.ToHexString(File.ReadAllBytes(CiscoVectors.File("sgn/" + input + ".sgn"))), Convert.ToHexString(built));
        }

        [Theory]
        [InlineData(CiscoDigest.Sha1)]
        [InlineData(CiscoDigest.Sha512)]
        public void One_signer_signing_file_after_file_on_several_threads_gives_each_file_its_golden_bytes(CiscoDigest digest)
        {
            // A signer keeps one hasher per thread for all its files: nothing of one file may reach the next.
            var inputs = digest == CiscoDigest.Sha1
                ? new[] { ("SEP001122334455.cnf.xml", "SEP001122334455.cnf.xml.sgn"), ("g3-tones.xml", "New_Zealand/g3-tones.xml.sgn") }
                : new[] { ("SoftKeys.xml", "SoftKeys.xml.sgn") };
            using var tftp = PemCredential.Load(CiscoVectors.Asterisk);
            using var signer = new CiscoSigner(tftp, digest);
            var work = Enumerable.Range(0, 24).Select(i => inputs[i % inputs.Length]).ToArray();
            var built = new byte[work.Length][];
            System.Threading.Tasks.Parallel.For(0, work.Length, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = 3 }, i =>
                built[i] = SignedFile.Sign(signer, File.ReadAllBytes(CiscoVectors.File("sgn/" + work[i].Item1)), work[i].Item2, Stamp));
            for (int i = 0; i < work.Length; i++)
                Assert.Equal(Convert.ToHexString(File.ReadAllBytes(CiscoVectors.File("sgn/" + work[i].Item1 + ".sgn"))), Convert.ToHexString(built[i]));
        }

        [Theory]
        [InlineData("sgn/SEP001122334455.cnf.xml.sgn", "sgn/SEP001122334455.cnf.xml", 424)]
        [InlineData("sgn/SoftKeys.xml.sgn", "sgn/SoftKeys.xml", 412)]
        [InlineData("sgn/g3-tones.xml.sgn", "sgn/g3-tones.xml", 424)]
        [InlineData("enc/SEP001122334455.cnf.xml.sgn", "enc/stub-payload/SEP001122334455.cnf.xml", null)]
        [InlineData("enc-sha512/SEP001122334455.cnf.xml.sgn", "enc-sha512/stub-payload/SEP001122334455.cnf.xml", null)]
        public void Golden_sgn_files_verify_and_strip_to_their_payload(string file, string payload, int? headerLength)
        {
            using var tftp = PemCredential.Load(CiscoVectors.Asterisk);
            var stripped = SignedFile.Strip(File.ReadAllBytes(CiscoVectors.File(file)), file, tftp.Certificate, out var info);
            Assert.Equal(File.ReadAllBytes(CiscoVectors.File(payload)), stripped);
            Assert.True(info.SignatureValid);
            Assert.Equal(CiscoFileKind.Signed, info.Kind);
            Assert.Equal("1.0", info.Version);
            Assert.Equal("CN=Asterisk,O=Asterisk,OU=Asterisk", info.SignerName);
            if (headerLength != null) Assert.Equal(headerLength, info.HeaderLength);
            Assert.Equal(Stamp, info.Timestamp);
        }

        [Fact]
        public void Wrong_tftp_certificate_and_altered_payload_are_named_errors()
        {
            var data = File.ReadAllBytes(CiscoVectors.File("sgn/SEP001122334455.cnf.xml.sgn"));
            using var sast = PemCredential.Load(CiscoVectors.Sast);
            var wrong = Assert.Throws<ProvisioningException>(() => SignedFile.Strip(data, "x.sgn", sast.Certificate, out _));
            Assert.Equal("SignatureInvalid", wrong.ErrorId);
            Assert.Contains("signed by 'CN=Asterisk,O=Asterisk,OU=Asterisk'", wrong.Message);

            using var tftp = PemCredential.Load(CiscoVectors.Asterisk);
            data[^3] ^= 0x20;
            var altered = Assert.Throws<ProvisioningException>(() => SignedFile.Strip(data, "x.sgn", tftp.Certificate, out _));
            Assert.Contains("altered", altered.Message);
            Assert.False(SignedFile.Read(data, "x.sgn", tftp.Certificate).SignatureValid);
            Assert.Null(SignedFile.Read(data, "x.sgn").SignatureValid);
        }

        [Fact]
        public void Openssl_verifies_our_sgn_signature()
        {
            using var dir = new TempDirectory();
            using var tftp = PemCredential.Load(CiscoVectors.Asterisk);
            using var signer = new CiscoSigner(tftp, CiscoDigest.Sha512);
            var payload = Encoding.UTF8.GetBytes("<device>\u00e9</device>\n");
            var bytes = SignedFile.Sign(signer, payload, "SEP0011.cnf.xml.sgn", DateTimeOffset.UtcNow);
            var (offset, length) = SignedHeaderReaderAccess.SignatureSpan(bytes);
            File.WriteAllBytes(dir.File("sig"), bytes.Skip(offset + 3).Take(length).ToArray());
            File.WriteAllBytes(dir.File("signed"), bytes.Take(offset).Concat(bytes.Skip(offset + 3 + length)).ToArray());
            ProcessRunner.Tool("openssl", new[] { "x509", "-in", CiscoVectors.Asterisk, "-pubkey", "-noout", "-out", dir.File("pub.pem") }).AssertSuccess();
            Assert.Contains("Verified OK", ProcessRunner.Tool("openssl", new[] { "dgst", "-sha512", "-verify", dir.File("pub.pem"), "-signature", dir.File("sig"), dir.File("signed") }).StdOut);
        }

        [Fact]
        public void Signer_key_sizes_outside_the_modulus_table_are_refused()
        {
            using var rsa = RSA.Create(3072);
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=x", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
            using var credential = PemCredential.FromCertificate(cert);
            var ex = Assert.Throws<ProvisioningException>(() => new CiscoSigner(credential, CiscoDigest.Sha1));
            Assert.Equal("SignerKeySizeUnsupported", ex.ErrorId);
            Assert.Contains("3072-bit", ex.Message);
        }
    }

    public class EncryptedConfigTests
    {
        [Theory]
        [InlineData("enc/SEP001122334455.cnf.xml.enc.sgn", CiscoDigest.Sha1)]
        [InlineData("enc-sha512/SEP001122334455.cnf.xml.enc.sgn", CiscoDigest.Sha512)]
        public void Golden_enc_sgn_decrypts_with_the_phone_key_and_verifies(string file, CiscoDigest digest)
        {
            using var phone = PemCredential.Load(CiscoVectors.Phone);
            using var tftp = PemCredential.Load(CiscoVectors.Asterisk);
            var plain = EncryptedConfig.Decrypt(File.ReadAllBytes(CiscoVectors.File(file)), file, phone, tftp.Certificate, out var info);
            Assert.Equal(File.ReadAllBytes(CiscoVectors.File("sgn/SEP001122334455.cnf.xml")), plain);
            Assert.True(info.SignatureValid);
            Assert.Equal(CiscoFileKind.Encrypted, info.Kind);
            Assert.Equal("2.0", info.Version);
            Assert.Equal(digest, info.Digest);
            Assert.Equal(2048, info.EncryptionKeySize);
            Assert.Equal(digest == CiscoDigest.Sha1 ? 764 : 808, info.HeaderLength);
        }

        [Theory]
        [InlineData("enc", CiscoDigest.Sha1)]
        [InlineData("enc-sha512", CiscoDigest.Sha512)]
        public void Rebuild_with_the_golden_key_and_iv_matches_except_the_random_wrap_and_signature(string dirName, CiscoDigest digest)
        {
            var golden = File.ReadAllBytes(CiscoVectors.File(dirName + "/SEP001122334455.cnf.xml.enc.sgn"));
            using var phone = PemCredential.Load(CiscoVectors.Phone);
            using var tftp = PemCredential.Load(CiscoVectors.Asterisk);
            using var signer = new CiscoSigner(tftp, digest);
            var header = SignedHeaderReader.Read(golden, "golden");
            var aesKey = ((RSA)phone.PrivateKey!).Decrypt(header.EncryptionKey!, RSAEncryptionPadding.Pkcs1);
            var cnf = File.ReadAllBytes(CiscoVectors.File("sgn/SEP001122334455.cnf.xml"));

            var files = EncryptedConfig.Encrypt(signer, phone.Certificate, cnf, "SEP001122334455.cnf.xml", SignedFileTests.Stamp, aesKey, header.EncryptionIv!);
            Assert.Equal("SEP001122334455.cnf.xml.enc.sgn", files.EncryptedFileName);
            Assert.Equal(golden.Length, files.Encrypted.Length);
            // Blank out the signature (126..382) and the wrapped key (tag 25's value) in both, then compare every other byte.
            int keyAt = IndexOfTag25(golden);
            byte[] Mask(byte[] b) { var c = (byte[])b.Clone(); Array.Clear(c, 126, 259); Array.Clear(c, keyAt, 256); return c; }
            Assert.Equal(Convert.ToHexString(Mask(golden)), Convert.ToHexString(Mask(files.Encrypted)));
            Assert.Equal(cnf, EncryptedConfig.Decrypt(files.Encrypted, "ours", phone, tftp.Certificate, out _));

            // The stub is deterministic: byte for byte.
            Assert.Equal(Convert.ToHexString(File.ReadAllBytes(CiscoVectors.File(dirName + "/SEP001122334455.cnf.xml.sgn"))), Convert.ToHexString(files.Stub));
        }

        private static int IndexOfTag25(byte[] data)
        {
            var h = SignedHeaderReader.Read(data, "golden");
            for (int i = 0; i + 3 + 256 <= h.HeaderLength; i++)
                if (data[i] == 25 && data[i + 1] == 1 && data[i + 2] == 0 && data.Skip(i + 3).Take(256).SequenceEqual(h.EncryptionKey!)) return i + 3;
            throw new InvalidOperationException("tag 25 not found");
        }

        [Fact]
        public void Our_enc_sgn_decrypts_with_openssl_and_exact_block_multiples_get_16_pad_bytes()
        {
            using var dir = new TempDirectory();
            using var phone = PemCredential.Load(CiscoVectors.Phone);
            using var tftp = PemCredential.Load(CiscoVectors.Asterisk);
            using var signer = new CiscoSigner(tftp, CiscoDigest.Sha1);
            var cnf = Encoding.UTF8.GetBytes("<device><fullConfig>true</fullConfig><x>" + new string('a', 5) + "</x></device>\n");
            cnf = cnf.Concat(Enumerable.Repeat((byte)' ', 64 - cnf.Length % 64)).ToArray();
            Assert.Equal(0, cnf.Length % 16);
            var files = EncryptedConfig.Encrypt(signer, phone.Certificate, cnf, "SEP001122334455.cnf.xml", DateTimeOffset.UtcNow);
            var header = SignedHeaderReader.Read(files.Encrypted, "ours");
            Assert.Equal(16, header.EncryptionPadding);

            File.WriteAllBytes(dir.File("wrapped"), header.EncryptionKey!);
            var unwrap = ProcessRunner.Tool("openssl", new[] { "pkeyutl", "-decrypt", "-inkey", CiscoVectors.Phone, "-pkeyopt", "rsa_padding_mode:pkcs1", "-in", dir.File("wrapped"), "-out", dir.File("key") });
            Assert.True(unwrap.ExitCode == 0, unwrap.ToString());
            File.WriteAllBytes(dir.File("payload"), files.Encrypted.Skip(header.HeaderLength).ToArray());
            var dec = ProcessRunner.Tool("openssl", new[] { "enc", "-d", "-aes-128-cbc", "-nopad", "-K", Convert.ToHexString(File.ReadAllBytes(dir.File("key"))), "-iv", Convert.ToHexString(header.EncryptionIv!), "-in", dir.File("payload"), "-out", dir.File("plain") });
            Assert.True(dec.ExitCode == 0, dec.ToString());
            var plain = File.ReadAllBytes(dir.File("plain"));
            Assert.Equal(cnf, plain.Take(plain.Length - 16).ToArray());
            Assert.All(plain.Skip(cnf.Length), b => Assert.Equal(0x0D, b));
            Assert.Equal(SHA1.HashData(cnf), header.EncryptionHash);
        }

        [Fact]
        public void Wrong_phone_key_ec_phone_and_non_device_xml_are_clear_errors()
        {
            using var phone = PemCredential.Load(CiscoVectors.Phone);
            using var other = PemCredential.Load(CiscoVectors.Sast);
            using var ec = PemCredential.Load(CiscoVectors.ApacheEc);
            using var tftp = PemCredential.Load(CiscoVectors.Asterisk);
            using var signer = new CiscoSigner(tftp, CiscoDigest.Sha1);
            var golden = File.ReadAllBytes(CiscoVectors.File("enc/SEP001122334455.cnf.xml.enc.sgn"));
            var wrong = Assert.Throws<ProvisioningException>(() => EncryptedConfig.Decrypt(golden, "x.enc.sgn", other, null, out _));
            Assert.Equal("PhoneKeyMismatch", wrong.ErrorId);
            Assert.Contains("CN=SAST", wrong.Message);
            var cnf = File.ReadAllBytes(CiscoVectors.File("sgn/SEP001122334455.cnf.xml"));
            Assert.Equal("RsaKeyRequired", Assert.Throws<ProvisioningException>(() => EncryptedConfig.Encrypt(signer, ec.Certificate, cnf, "SEP1.cnf.xml", DateTimeOffset.UtcNow)).ErrorId);
            Assert.Equal("ConfigNotDevice", Assert.Throws<ProvisioningException>(() => EncryptedConfig.Encrypt(signer, phone.Certificate, Encoding.UTF8.GetBytes("<flat-profile/>"), "x.cnf.xml", DateTimeOffset.UtcNow)).ErrorId);
            Assert.Equal("ConfigNotXml", Assert.Throws<ProvisioningException>(() => EncryptedConfig.Encrypt(signer, phone.Certificate, Encoding.UTF8.GetBytes("<device>"), "x.cnf.xml", DateTimeOffset.UtcNow)).ErrorId);
            var truncated = golden.Take(golden.Length - 5).ToArray();
            Assert.Equal("CiscoFileInvalid", Assert.Throws<ProvisioningException>(() => EncryptedConfig.Decrypt(truncated, "x.enc.sgn", phone, null, out _)).ErrorId);
            Assert.Equal("EncryptedNotSigned", Assert.Throws<ProvisioningException>(() => SignedFile.Strip(golden, "x.enc.sgn", null, out _)).ErrorId);
        }
    }
}
