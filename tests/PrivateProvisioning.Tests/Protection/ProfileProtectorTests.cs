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
    /// <summary>What a user relies on around the bytes: names, unchanged files, untouched sources, refusals, batches.</summary>
    public class ProfileProtectorTests
    {
        [Fact]
        public void Beside_the_source_layers_add_extensions_and_into_a_folder_names_are_kept()
        {
            var layers = ProtectionMethods.CreateLayers(Options(true, ProtectionMethod.OpenSslAes256Cbc));
            var src = Path.Combine(Path.GetTempPath(), "cfg", "000e08abcdef.xml");
            Assert.Equal(src + ".gz.enc", ProtectionNaming.ProtectedPath(src, null, null, layers));
            Assert.Equal(Path.Combine(Path.GetTempPath(), "tftp", "000e08abcdef.xml"), ProtectionNaming.ProtectedPath(src, Path.Combine(Path.GetTempPath(), "tftp"), null, layers));
            Assert.Equal(src + ".cfg", ProtectionNaming.ProtectedPath(src, null, "cfg", layers));
            Assert.Equal(src, ProtectionNaming.ProtectedPath(src, null, "", layers));
            Assert.Equal(Path.Combine(Path.GetTempPath(), "cfg", "000e08abcdef.xml"), ProtectionNaming.UnprotectedPath(src + ".gz.enc", null, null));
            Assert.Equal(src + ".plain", ProtectionNaming.UnprotectedPath(src, null, null));
            Assert.Equal(Path.Combine(Path.GetTempPath(), "o", "000e08abcdef.xml"), ProtectionNaming.UnprotectedPath(src, Path.Combine(Path.GetTempPath(), "o"), null));
        }

        [Fact]
        public void Compression_comes_first_whatever_order_the_options_are_set_in()
        {
            var a = new ProtectionOptions { Method = ProtectionMethod.Rfc8188 };
            a.Compress = true;
            Assert.Equal(new[] { "Gzip", "Rfc8188" }, ProtectionMethods.CreateLayers(a).Select(l => l.Name));
        }

        [Fact]
        public void An_unchanged_profile_is_not_rewritten_and_a_changed_one_gets_a_fresh_salt()
        {
            using var dir = new TempDirectory();
            var source = WriteProfile(dir, "p.xml", 1);
            var protector = new ProfileProtector(Options(true, ProtectionMethod.OpenSslAes256Cbc));
            var first = protector.ProtectFile(source, dir.File("out/p.xml"), Key);
            Assert.Equal(WriteStatus.Created, first.Status);
            var firstBytes = File.ReadAllBytes(first.Path);
            var stamp = File.GetLastWriteTimeUtc(first.Path);

            var second = protector.ProtectFile(source, dir.File("out/p.xml"), Key);
            Assert.Equal(WriteStatus.Unchanged, second.Status);
            Assert.Equal(first.Sha256, second.Sha256);
            Assert.Equal(firstBytes, File.ReadAllBytes(first.Path));
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(first.Path));

            File.WriteAllText(source, Profile(2));
            var third = protector.ProtectFile(source, dir.File("out/p.xml"), Key);
            Assert.Equal(WriteStatus.Updated, third.Status);
            Assert.NotEqual(firstBytes.AsSpan(8, 8).ToArray(), File.ReadAllBytes(third.Path).AsSpan(8, 8).ToArray());
        }

        [Fact]
        public void An_unchanged_output_too_big_for_the_quick_read_is_not_rewritten_either()
        {
            // Over 64 KiB the earlier output is read the portable way (the way every read goes on Windows).
            using var dir = new TempDirectory();
            var source = dir.File("big.xml");
            var random = new Random(7);
            var text = new System.Text.StringBuilder("<flat-profile>\n");
            while (text.Length < 200_000) text.Append("  <P_").Append(random.Next()).Append("_>").Append(random.Next()).Append("</P_>\n");
            File.WriteAllText(source, text.Append("</flat-profile>\n").ToString());
            var protector = new ProfileProtector(Options(false, ProtectionMethod.OpenSslAes256Cbc));
            var first = protector.ProtectFile(source, dir.File("out/big.xml"), Key);
            Assert.True(first.Length > 64 * 1024);
            var second = protector.ProtectFile(source, dir.File("out/big.xml"), Key);
            Assert.Equal(WriteStatus.Unchanged, second.Status);
            Assert.Equal(first.Sha256, second.Sha256);
        }

        [Theory]
        [InlineData(ProtectionMethod.OpenSslAes256Cbc)]
        [InlineData(ProtectionMethod.Rfc8188)]
        [InlineData(ProtectionMethod.PanasonicEnc)]
        public void The_source_is_never_modified_and_unchanged_detection_works_for_each_method(ProtectionMethod method)
        {
            using var dir = new TempDirectory();
            var source = WriteProfile(dir, "p.xml");
            var hash = SHA256.HashData(File.ReadAllBytes(source));
            var protector = new ProfileProtector(Options(false, method));
            protector.ProtectFile(source, dir.File("o/p.xml"), Key);
            Assert.Equal(WriteStatus.Unchanged, protector.ProtectFile(source, dir.File("o/p.xml"), Key).Status);
            Assert.Equal(hash, SHA256.HashData(File.ReadAllBytes(source)));
            var back = new ProfileUnprotector(new UnprotectionOptions { AssumeRfc8188 = method == ProtectionMethod.Rfc8188 }).UnprotectFile(dir.File("o/p.xml"), dir.File("b/p.xml"), Key);
            Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(back.Path));
        }

        [Fact]
        public void Rfc8188_files_are_detected_without_being_told()
        {
            using var dir = new TempDirectory();
            var source = WriteProfile(dir, "p.xml");
            new ProfileProtector(Options(true, ProtectionMethod.Rfc8188)).ProtectFile(source, dir.File("p.bin"), Key);
            var back = new ProfileUnprotector().UnprotectFile(dir.File("p.bin"), dir.File("b/p.xml"), Key);
            Assert.Equal("Gzip+Rfc8188", back.Method);
            Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(back.Path));
        }

        [Fact]
        public void Replacing_the_source_needs_an_explicit_yes()
        {
            using var dir = new TempDirectory();
            var source = WriteProfile(dir, "p.xml");
            var protector = new ProfileProtector(Options(true, ProtectionMethod.None));
            var ex = Assert.Throws<ProvisioningException>(() => protector.ProtectFile(source, source, null));
            Assert.Equal("DestinationIsSource", ex.ErrorId);
            Assert.Equal(Profile(), File.ReadAllText(source));
            protector.ProtectFile(source, source, null, allowReplaceSource: true);
            Assert.Equal(0x1f, File.ReadAllBytes(source)[0]);
        }

        [Theory]
        [InlineData("e2c")]
        [InlineData("PanasonicE1c")]
        [InlineData("e3c")]
        public void Unpublished_Panasonic_formats_are_refused_pointing_to_HTTPS(string method)
        {
            var ex = Assert.Throws<ProvisioningException>(() => ProtectionMethods.Parse(method));
            Assert.Equal("UnpublishedEncryption", ex.ErrorId);
            Assert.Contains("HTTPS", ex.Message);
            Assert.Equal("UnpublishedEncryption", Assert.Throws<ProvisioningException>(() =>
                ProtectionNaming.ProtectedPath("/x/Config0080F0A1B2C3.cfg", null, ".e2c", ProtectionMethods.CreateLayers(Options(false, ProtectionMethod.PanasonicEnc)))).ErrorId);
            using var dir = new TempDirectory();
            File.WriteAllText(dir.File("Config.e2c"), "whatever");
            Assert.Equal("UnpublishedEncryption", Assert.Throws<ProvisioningException>(() =>
                new ProfileUnprotector().UnprotectFile(dir.File("Config.e2c"), dir.File("o"), Key)).ErrorId);
        }

        [Fact]
        public void A_plain_file_is_not_protected_and_says_so()
        {
            using var dir = new TempDirectory();
            var source = WriteProfile(dir, "p.xml");
            var ex = Assert.Throws<ProvisioningException>(() => new ProfileUnprotector().UnprotectFile(source, dir.File("o/p.xml"), Key));
            Assert.Equal("NotProtected", ex.ErrorId);
            Assert.Contains(source, ex.Message);
        }

        [Fact]
        public void Encrypted_file_without_a_key_asks_for_one()
        {
            using var dir = new TempDirectory();
            var source = WriteProfile(dir, "p.xml");
            new ProfileProtector(Options(false, ProtectionMethod.OpenSslAes256Cbc)).ProtectFile(source, dir.File("p.enc"), Key);
            var ex = Assert.Throws<ProvisioningException>(() => new ProfileUnprotector().UnprotectFile(dir.File("p.enc"), dir.File("o/p.xml"), null));
            Assert.Equal("KeyRequired", ex.ErrorId);
        }

        [Fact]
        public void A_batch_goes_on_past_a_bad_file_and_keeps_input_order()
        {
            using var dir = new TempDirectory();
            var jobs = Enumerable.Range(0, 40).Select(i =>
            {
                var src = i == 17 ? dir.File("missing.xml") : WriteProfile(dir, $"in/{i:D3}.xml", i);
                return new ProtectionJob(src, dir.File($"out/{i:D3}.xml"));
            }).ToList();
            var outcomes = new ProfileProtector(Options(true, ProtectionMethod.OpenSslAes256Cbc)).ProtectFiles(jobs, Key);
            Assert.Equal(jobs.Select(j => j.Source), outcomes.Select(o => o.Job.Source));
            Assert.Equal("SourceNotFound", outcomes[17].Error!.ErrorId);
            Assert.Equal(39, outcomes.Count(o => o.Result != null));
            Assert.False(File.Exists(dir.File("out/017.xml")));
            var back = new ProfileUnprotector().UnprotectFiles(outcomes.Where(o => o.Result != null).Select(o => new ProtectionJob(o.Result!.Path, o.Result.Path + ".txt")).ToList(), Key);
            Assert.All(back, b => Assert.Null(b.Error));
            Assert.Equal(Profile(39), File.ReadAllText(dir.File("out/039.xml.txt")));
        }

        [Fact]
        public void A_first_run_creates_every_file_a_rerun_rewrites_none_and_a_taken_name_is_compared_not_kept_blindly()
        {
            using var dir = new TempDirectory();
            var jobs = Enumerable.Range(0, 30).Select(i => new ProtectionJob(WriteProfile(dir, $"in/{i:D3}.xml", i), dir.File($"out/{i:D3}.xml"))).ToList();
            Directory.CreateDirectory(dir.File("out"));
            File.WriteAllText(dir.File("out/012.xml"), "an old file of another run"); // taken before the first run
            var outcomes = new ProfileProtector(Options(true, ProtectionMethod.OpenSslAes256Cbc)).ProtectFiles(jobs, Key);
            Assert.All(outcomes, o => Assert.Null(o.Error));
            for (int i = 0; i < jobs.Count; i++)
                Assert.Equal(i == 12 ? WriteStatus.Updated : WriteStatus.Created, outcomes[i].Result!.Status);
            FileIdentity Identity(int i) { LinuxFiles.TryStat(dir.File($"out/{i:D3}.xml"), out var id); return id; }
            var before = Enumerable.Range(0, jobs.Count).Select(i => (Bytes: File.ReadAllBytes(dir.File($"out/{i:D3}.xml")), Identity: Identity(i))).ToArray();

            // A new run over the same files: the first taken name switches it to reading first, every salt is reused.
            var again = new ProfileProtector(Options(true, ProtectionMethod.OpenSslAes256Cbc)).ProtectFiles(jobs, Key);
            Assert.All(again, o => Assert.Equal(WriteStatus.Unchanged, o.Result!.Status));
            for (int i = 0; i < jobs.Count; i++)
            {
                Assert.Equal(before[i].Bytes, File.ReadAllBytes(dir.File($"out/{i:D3}.xml")));
                if (LinuxFiles.Enabled) Assert.Equal(before[i].Identity, Identity(i)); // not rewritten
            }
            var back = new ProfileUnprotector().UnprotectFiles(new[] { new ProtectionJob(dir.File("out/012.xml"), dir.File("012.txt")) }, Key);
            Assert.Null(back[0].Error);
            Assert.Equal(Profile(12), File.ReadAllText(dir.File("012.txt")));
            Assert.Equal(jobs.Count, Directory.GetFiles(dir.File("out")).Length); // no temporary file beside them
        }

        [Fact]
        public void A_folder_in_the_way_of_the_output_is_an_error_naming_it()
        {
            using var dir = new TempDirectory();
            var source = WriteProfile(dir, "p.xml");
            Directory.CreateDirectory(dir.File("out/p.xml"));
            var ex = Assert.Throws<ProvisioningException>(() => new ProfileProtector(Options(true, ProtectionMethod.OpenSslAes256Cbc)).ProtectFile(source, dir.File("out/p.xml"), Key));
            Assert.Equal("FileWriteFailed", ex.ErrorId);
            Assert.Contains(dir.File("out/p.xml"), ex.Message);
        }

        [Fact]
        public void Empty_profile_gzips_to_a_member_gzip_accepts()
        {
            using var dir = new TempDirectory();
            File.WriteAllBytes(dir.File("empty.xml"), Array.Empty<byte>());
            var r = new ProfileProtector(Options(true, ProtectionMethod.None)).ProtectFile(dir.File("empty.xml"), dir.File("empty.xml.gz"), null);
            Assert.Equal(0, ProcessRunner.Tool("gzip", new[] { "-t", r.Path }).ExitCode);
            Assert.Empty(new ProfileUnprotector().Unprotect(File.ReadAllBytes(r.Path), null, "empty", out var method, out _));
            Assert.Equal("Gzip", method);
        }

        [Fact]
        public void A_method_without_a_key_is_refused_before_any_file_is_written()
        {
            using var dir = new TempDirectory();
            var source = WriteProfile(dir, "p.xml");
            var ex = Assert.Throws<ProvisioningException>(() => new ProfileProtector(Options(false, ProtectionMethod.OpenSslAes256Cbc)).ProtectFile(source, dir.File("o/p"), null));
            Assert.Equal("KeyRequired", ex.ErrorId);
            Assert.Equal("NothingToDo", Assert.Throws<ProvisioningException>(() => new ProfileProtector(new ProtectionOptions())).ErrorId);
            Assert.False(Directory.Exists(dir.File("o")));
        }
    }
}
