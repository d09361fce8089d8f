using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Protection;
using PrivateProvisioning.Tests.Support;
using Xunit;
using static PrivateProvisioning.Tests.Protection.ProtectionTestSupport;

namespace PrivateProvisioning.Tests.Protection
{
    /// <summary>Round trips both ways through Debian's openssl enc and gzip.</summary>
    public class OpenSslInteropTests
    {
        [Theory]
        [InlineData(KeyDerivation.Md5, 0)]
        [InlineData(KeyDerivation.Sha256, 0)]
        [InlineData(KeyDerivation.Pbkdf2, 10000)]
        [InlineData(KeyDerivation.Pbkdf2, 2500)]
        public void Our_AES_file_decrypts_with_openssl_enc_d(KeyDerivation kdf, int iterations)
        {
            using var dir = new TempDirectory();
            var source = WriteProfile(dir, "000e08abcdef.xml");
            var protector = new ProfileProtector(Options(false, ProtectionMethod.OpenSslAes256Cbc, kdf, iterations == 0 ? 10000 : iterations));
            var result = protector.ProtectFile(source, dir.File("out/000e08abcdef.xml"), Key);
            var bytes = File.ReadAllBytes(result.Path);
            Assert.Equal("Salted__", Encoding.ASCII.GetString(bytes, 0, 8));
            Assert.Equal(16 + 16 * (new FileInfo(source).Length / 16 + 1), bytes.Length);

            var r = Openssl(true, result.Path, dir.File("back.xml"), Passphrase, kdf, iterations == 0 ? 10000 : iterations);
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(dir.File("back.xml")));
            Assert.Equal(Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant(), result.Sha256);
        }

        [Theory]
        [InlineData(KeyDerivation.Md5)]
        [InlineData(KeyDerivation.Sha256)]
        [InlineData(KeyDerivation.Pbkdf2)]
        public void Openssl_file_is_detected_and_decrypted_without_being_told_the_derivation(KeyDerivation kdf)
        {
            using var dir = new TempDirectory();
            var source = WriteProfile(dir, "p.xml");
            Assert.Equal(0, Openssl(false, source, dir.File("p.cfg"), Passphrase, kdf).ExitCode);
            var result = new ProfileUnprotector().UnprotectFile(dir.File("p.cfg"), dir.File("plain/p.xml"), Key);
            Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(dir.File("plain/p.xml")));
            Assert.Equal(kdf, result.KeyDerivation);
            Assert.Equal("OpenSslAes256Cbc", result.Method);
        }

        [Fact]
        public void Openssl_pbkdf2_with_custom_iterations_needs_them_and_then_decrypts()
        {
            using var dir = new TempDirectory();
            var source = WriteProfile(dir, "p.xml");
            Assert.Equal(0, Openssl(false, source, dir.File("p.cfg"), Passphrase, KeyDerivation.Pbkdf2, 777).ExitCode);
            var ex = Assert.Throws<ProvisioningException>(() => new ProfileUnprotector().UnprotectFile(dir.File("p.cfg"), dir.File("a.xml"), Key));
            Assert.Equal("WrongKey", ex.ErrorId);
            Assert.False(File.Exists(dir.File("a.xml")));
            new ProfileUnprotector(new UnprotectionOptions { KeyDerivation = KeyDerivation.Pbkdf2, Iterations = 777 }).UnprotectFile(dir.File("p.cfg"), dir.File("b.xml"), Key);
            Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(dir.File("b.xml")));
        }

        [Fact]
        public void Gzip_then_AES_is_what_openssl_and_gzip_read_in_that_order()
        {
            using var dir = new TempDirectory();
            var source = WriteProfile(dir, "p.xml");
            var result = new ProfileProtector(Options(true, ProtectionMethod.OpenSslAes256Cbc)).ProtectFile(source, dir.File("p.xml.cfg"), Key);
            Assert.Equal("Gzip+OpenSslAes256Cbc", result.Method);
            Assert.Equal(0, Openssl(true, result.Path, dir.File("p.gz"), Passphrase, KeyDerivation.Md5).ExitCode);
            var gz = File.ReadAllBytes(dir.File("p.gz"));
            Assert.Equal(new byte[] { 0x1f, 0x8b, 0x08 }, gz.Take(3));
            var test = ProcessRunner.Tool("gzip", new[] { "-t", dir.File("p.gz") });
            Assert.True(test.ExitCode == 0, test.ToString());
            var dc = ProcessRunner.Tool("gzip", new[] { "-dc", dir.File("p.gz") });
            Assert.Equal(File.ReadAllText(source), dc.StdOut);
        }

        [Fact]
        public void Gzip_layer_alone_passes_gzip_t_and_gzip_c_output_unprotects()
        {
            using var dir = new TempDirectory();
            var source = WriteProfile(dir, "p.xml");
            var result = new ProfileProtector(Options(true, ProtectionMethod.None)).ProtectFile(source, dir.File("p.xml.gz"), null);
            Assert.Equal(0, ProcessRunner.Tool("gzip", new[] { "-t", result.Path }).ExitCode);
            Assert.Equal(File.ReadAllText(source), ProcessRunner.Tool("gzip", new[] { "-dc", result.Path }).StdOut);

            var theirs = ProcessRunner.Tool("sh", new[] { "-c", $"gzip -9 -c '{source}' > '{dir.File("theirs.xml.gz")}'" });
            Assert.Equal(0, theirs.ExitCode);
            var back = new ProfileUnprotector().UnprotectFile(dir.File("theirs.xml.gz"), dir.File("back/p.xml"), null);
            Assert.Equal("Gzip", back.Method);
            Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(back.Path));
        }

        [Theory]
        [InlineData(ProfileCompressionLevel.Fastest)]
        [InlineData(ProfileCompressionLevel.SmallestSize)]
        public void Every_gzip_level_is_a_member_gzip_reads_and_is_stable(ProfileCompressionLevel level)
        {
            using var dir = new TempDirectory();
            var source = WriteProfile(dir, "p.xml");
            var optimal = new ProfileProtector(Options(true, ProtectionMethod.None)).ProtectFile(source, dir.File("optimal.xml.gz"), null);
            var options = Options(true, ProtectionMethod.None);
            options.CompressionLevel = level;
            var other = new ProfileProtector(options).ProtectFile(source, dir.File("other.xml.gz"), null);
            Assert.Equal(0, ProcessRunner.Tool("gzip", new[] { "-t", other.Path }).ExitCode);
            Assert.Equal(File.ReadAllText(source), ProcessRunner.Tool("gzip", new[] { "-dc", other.Path }).StdOut);
            // Fastest trades size for time (on a typical profile; a higher level is not always smaller on tiny input).
            if (level == ProfileCompressionLevel.Fastest)
                Assert.True(other.Length > optimal.Length, $"fastest {other.Length} bytes, optimal {optimal.Length}");
            // The same level twice gives the same bytes (an unchanged file stays unchanged).
            Assert.Equal(WriteStatus.Unchanged, new ProfileProtector(options).ProtectFile(source, dir.File("other.xml.gz"), null).Status);
        }

        [Fact]
        public void Openssl_gzip_and_aes_made_by_the_seed_loop_is_peeled_completely()
        {
            using var dir = new TempDirectory();
            var source = WriteProfile(dir, "p.xml");
            var loop = ProcessRunner.Tool("sh", new[] { "-c", $"gzip -c '{source}' | openssl enc -aes-256-cbc -md md5 -pass pass:{Passphrase} -out '{dir.File("p.cfg")}'" });
            Assert.Equal(0, loop.ExitCode);
            var back = new ProfileUnprotector().UnprotectFile(dir.File("p.cfg"), dir.File("o/p.xml"), Key);
            Assert.Equal("Gzip+OpenSslAes256Cbc", back.Method);
            Assert.Equal(KeyDerivation.Md5, back.KeyDerivation);
            Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(back.Path));
        }

        [Theory]
        [InlineData(128, "-aes-128-cbc", KeyDerivation.Md5)]
        [InlineData(192, "-aes-192-cbc", KeyDerivation.Sha256)]
        [InlineData(256, "-aes-256-cbc", KeyDerivation.Md5)]
        public void Panasonic_enc_is_openssl_enc_a_both_ways(int bits, string cipher, KeyDerivation kdf)
        {
            using var dir = new TempDirectory();
            var source = WriteProfile(dir, "Config0080F0A1B2C3.xml");
            var options = Options(false, ProtectionMethod.PanasonicEnc, kdf);
            options.KeySize = bits;
            var ours = new ProfileProtector(options).ProtectFile(source, dir.File("Config0080F0A1B2C3.enc"), Key);
            var text = File.ReadAllText(ours.Path);
            Assert.StartsWith("U2FsdGVkX1", text);
            Assert.All(text.TrimEnd('\n').Split('\n'), line => Assert.True(line.Length <= 64));
            var r = Openssl(true, ours.Path, dir.File("back.xml"), Passphrase, kdf, cipher: cipher, base64: true);
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(dir.File("back.xml")));

            Assert.Equal(0, Openssl(false, source, dir.File("theirs.enc"), Passphrase, kdf, cipher: cipher, base64: true).ExitCode);
            var back = new ProfileUnprotector().UnprotectFile(dir.File("theirs.enc"), dir.File("o/c.xml"), Key);
            Assert.Equal("PanasonicEnc", back.Method);
            Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(back.Path));
        }

        [Fact]
        public void Wrong_key_is_bad_decrypt_for_openssl_and_a_clear_error_for_us()
        {
            using var dir = new TempDirectory();
            var source = WriteProfile(dir, "p.xml");
            File.WriteAllBytes(dir.File("p.cfg"), ProtectWithSalt(Options(true, ProtectionMethod.OpenSslAes256Cbc), File.ReadAllBytes(source), Convert.FromHexString("0011223344556677")));
            var ours = new { Path = dir.File("p.cfg") };
            Assert.Equal(0, Openssl(true, ours.Path, dir.File("right.gz"), Passphrase, KeyDerivation.Md5).ExitCode);
            var r = Openssl(true, ours.Path, dir.File("x"), "not-the-key", KeyDerivation.Md5);
            Assert.NotEqual(0, r.ExitCode);
            Assert.Contains("bad decrypt", r.StdErr);

            var before = File.ReadAllBytes(ours.Path);
            var ex = Assert.Throws<ProvisioningException>(() =>
                new ProfileUnprotector(new UnprotectionOptions { KeyDerivation = KeyDerivation.Md5 }).UnprotectFile(ours.Path, dir.File("o/p.xml"), Encoding.UTF8.GetBytes("not-the-key")));
            Assert.Equal("WrongKey", ex.ErrorId);
            Assert.Contains(ours.Path, ex.Message);
            Assert.Contains("bad decrypt", ex.Message);
            Assert.DoesNotContain("not-the-key", ex.Message);
            Assert.False(Directory.Exists(dir.File("o")) && Directory.GetFiles(dir.File("o")).Length > 0, "no output for a failed file");
            Assert.Equal(before, File.ReadAllBytes(ours.Path));
        }

        [Theory]
        [InlineData(5)]   // not a whole block any more
        [InlineData(16)]  // a whole block gone: the padding check catches it
        [InlineData(30)]
        public void Truncated_AES_file_is_an_error_naming_it_and_writes_nothing(int cut)
        {
            using var dir = new TempDirectory();
            var source = WriteProfile(dir, "p.xml");
            var ours = new ProfileProtector(Options(true, ProtectionMethod.OpenSslAes256Cbc)).ProtectFile(source, dir.File("p.cfg"), Key);
            var bytes = File.ReadAllBytes(ours.Path);
            File.WriteAllBytes(ours.Path, bytes.AsSpan(0, bytes.Length - cut).ToArray());
            var ex = Assert.Throws<ProvisioningException>(() => new ProfileUnprotector().UnprotectFile(ours.Path, dir.File("o/p.xml"), Key));
            Assert.Contains(ours.Path, ex.Message);
            Assert.Contains(ex.ErrorId, new[] { "EncryptedFileTruncated", "WrongKey", "GzipCorrupt" });
            Assert.False(File.Exists(dir.File("o/p.xml")));
        }

        [Fact]
        public void Truncated_or_corrupted_gzip_is_an_error_as_gzip_t_says()
        {
            using var dir = new TempDirectory();
            var source = WriteProfile(dir, "p.xml");
            var gz = new ProfileProtector(Options(true, ProtectionMethod.None)).ProtectFile(source, dir.File("p.xml.gz"), null);
            var bytes = File.ReadAllBytes(gz.Path);
            File.WriteAllBytes(dir.File("cut.gz"), bytes.AsSpan(0, bytes.Length - 6).ToArray());
            Assert.NotEqual(0, ProcessRunner.Tool("gzip", new[] { "-t", dir.File("cut.gz") }).ExitCode);
            var ex = Assert.Throws<ProvisioningException>(() => new ProfileUnprotector().UnprotectFile(dir.File("cut.gz"), dir.File("o/cut"), null));
            Assert.Equal("GzipCorrupt", ex.ErrorId);
            Assert.Contains("cut.gz", ex.Message);

            bytes[bytes.Length - 8] ^= 0xFF; // CRC
            File.WriteAllBytes(dir.File("crc.gz"), bytes);
            Assert.Equal("GzipCorrupt", Assert.Throws<ProvisioningException>(() => new ProfileUnprotector().UnprotectFile(dir.File("crc.gz"), dir.File("o/crc"), null)).ErrorId);
            Assert.False(Directory.Exists(dir.File("o")));
        }

        [Fact]
        public void Big_file_streams_through_gzip_and_AES_and_openssl_reads_it()
        {
            using var dir = new TempDirectory();
            var source = dir.File("big.xml");
            var rng = new Random(7);
            using (var w = new StreamWriter(source))
                while (w.BaseStream.Length < ProfileProtector.StreamingThreshold + 3_000_000)
                    w.Write($"<Param_{rng.Next()}_>{rng.Next()}</Param_{rng.Next()}_>\n");
            var result = new ProfileProtector(Options(true, ProtectionMethod.OpenSslAes256Cbc, KeyDerivation.Sha256)).ProtectFile(source, dir.File("big.cfg"), Key);
            Assert.Equal(new FileInfo(result.Path).Length, result.Length);
            Assert.Equal(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(result.Path))).ToLowerInvariant(), result.Sha256);
            Assert.Equal(0, Openssl(true, result.Path, dir.File("big.gz"), Passphrase, KeyDerivation.Sha256).ExitCode);
            Assert.Equal(0, ProcessRunner.Tool("sh", new[] { "-c", $"gzip -dc '{dir.File("big.gz")}' | cmp - '{source}'" }).ExitCode);
            Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
        }

        [Fact]
        public void Big_files_made_by_gzip_and_openssl_unprotect_disk_to_disk_and_bad_ones_leave_nothing()
        {
            using var dir = new TempDirectory();
            var source = dir.File("big.xml");
            var rng = new Random(11);
            using (var w = new StreamWriter(source))
                while (w.BaseStream.Length < ProfileProtector.StreamingThreshold + 2_000_000)
                    w.Write($"<Param_{rng.Next()}_>{rng.Next()}</Param_{rng.Next()}_>\n");
            var make = ProcessRunner.Tool("sh", new[] { "-c", $"gzip -n -c '{source}' > '{dir.File("big.xml.gz")}' && dd if=/dev/urandom bs=1M count=9 2>/dev/null | gzip -1 > '{dir.File("noise.gz")}' && " +
                // A fixed salt keeps the wrong-derivation check below deterministic; with -S openssl 3 omits the header, so it is written first.
                $"printf 'Salted__\\000\\021\\042\\063\\104\\125\\146\\167' > '{dir.File("big.cfg")}' && " +
                $"openssl enc -aes-256-cbc -md sha256 -S 0011223344556677 -pass pass:{Passphrase} -in '{dir.File("big.xml.gz")}' >> '{dir.File("big.cfg")}'" });
            Assert.True(make.ExitCode == 0, make.ToString());

            var r = new ProfileUnprotector().UnprotectFile(dir.File("big.cfg"), dir.File("o/big.xml"), Key);
            Assert.Equal("Gzip+OpenSslAes256Cbc", r.Method);
            Assert.Equal(KeyDerivation.Sha256, r.KeyDerivation);
            Assert.Equal(0, ProcessRunner.Tool("cmp", new[] { source, r.Path }).ExitCode);
            Assert.Equal(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(r.Path))).ToLowerInvariant(), r.Sha256);

            var wrong = Assert.Throws<ProvisioningException>(() =>
                new ProfileUnprotector(new UnprotectionOptions { KeyDerivation = KeyDerivation.Md5 }).UnprotectFile(dir.File("big.cfg"), dir.File("w/big.xml"), Key));
            Assert.Equal("WrongKey", wrong.ErrorId);

            var gz = File.ReadAllBytes(dir.File("noise.gz"));
            File.WriteAllBytes(dir.File("cut.gz"), gz.AsSpan(0, gz.Length - 5).ToArray());
            var cut = Assert.Throws<ProvisioningException>(() => new ProfileUnprotector().UnprotectFile(dir.File("cut.gz"), dir.File("w/cut"), null));
            Assert.Equal("GzipCorrupt", cut.ErrorId);
            Assert.False(Directory.Exists(dir.File("w")) && Directory.EnumerateFileSystemEntries(dir.File("w")).Any(), "nothing is left behind for failed files");
        }
    }
}
