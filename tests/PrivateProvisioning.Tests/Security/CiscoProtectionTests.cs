using System;
using System.IO;
using System.Linq;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Protection;
using PrivateProvisioning.Core.Security;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Security
{
    public class CiscoProtectionTests
    {
        [Fact]
        public void Bulk_signing_matches_the_golden_files_and_leaves_unchanged_files_alone()
        {
            using var dir = new TempDirectory();
            foreach (var name in new[] { "SEP001122334455.cnf.xml", "g3-tones.xml" })
                File.Copy(CiscoVectors.File("sgn/" + name), dir.File(name));
            using var tftp = PemCredential.Load(CiscoVectors.Asterisk);
            using (var golden = new CiscoFileProtector(tftp, timestamp: SignedFileTests.Stamp))
            {
                var jobs = new[] { "SEP001122334455.cnf.xml" }.Select(n => new ProtectionJob(dir.File(n), golden.DestinationFor(dir.File(n), null))).ToList();
                var outcome = Assert.Single(golden.ProtectFiles(jobs));
                Assert.Null(outcome.Error);
                Assert.Equal(File.ReadAllBytes(CiscoVectors.File("sgn/SEP001122334455.cnf.xml.sgn")), File.ReadAllBytes(dir.File("SEP001122334455.cnf.xml.sgn")));
            }
            using (var prefixed = new CiscoFileProtector(tftp, headerFileName: "New_Zealand/", timestamp: SignedFileTests.Stamp))
            {
                prefixed.ProtectFile(new ProtectionJob(dir.File("g3-tones.xml"), dir.File("g3-tones.xml.sgn")));
                Assert.Equal(File.ReadAllBytes(CiscoVectors.File("sgn/g3-tones.xml.sgn")), File.ReadAllBytes(dir.File("g3-tones.xml.sgn")));
            }
            // Without a fixed timestamp, an unchanged payload keeps its old header and is not rewritten.
            using var now = new CiscoFileProtector(tftp, headerFileName: "New_Zealand/");
            Assert.Equal(WriteStatus.Unchanged, now.ProtectFile(new ProtectionJob(dir.File("g3-tones.xml"), dir.File("g3-tones.xml.sgn")))[0].Status);
            // A damaged signature over the same payload is not kept: the file is signed again.
            var sgn = File.ReadAllBytes(dir.File("g3-tones.xml.sgn"));
            sgn[200] ^= 1;
            File.WriteAllBytes(dir.File("g3-tones.xml.sgn"), sgn);
            Assert.Equal(WriteStatus.Updated, now.ProtectFile(new ProtectionJob(dir.File("g3-tones.xml"), dir.File("g3-tones.xml.sgn")))[0].Status);
            using (var tftpAgain = PemCredential.Load(CiscoVectors.Asterisk))
                SignedFile.Strip(File.ReadAllBytes(dir.File("g3-tones.xml.sgn")), "g3", tftpAgain.Certificate, out _);
            File.AppendAllText(dir.File("g3-tones.xml"), "<!-- changed -->");
            Assert.Equal(WriteStatus.Updated, now.ProtectFile(new ProtectionJob(dir.File("g3-tones.xml"), dir.File("g3-tones.xml.sgn")))[0].Status);
        }

        [Fact]
        public void A_first_run_creates_every_file_and_a_rerun_rewrites_none_and_replaces_only_a_different_one()
        {
            using var dir = new TempDirectory();
            var names = Enumerable.Range(0, 40).Select(i => $"SEP0011223344{i:D2}.cnf.xml").ToArray();
            foreach (var name in names) File.WriteAllText(dir.File(name), $"<device><mac>{name.Substring(3, 12)}</mac></device>\n");
            Directory.CreateDirectory(dir.File("out"));
            using var tftp = PemCredential.Load(CiscoVectors.Asterisk);
            System.Collections.Generic.List<ProtectionJob> Jobs(CiscoFileProtector p) => names.Select(n => new ProtectionJob(dir.File(n), p.DestinationFor(dir.File(n), dir.File("out")))).ToList();

            // First run into an empty folder (created first, no probe): every file created, each one verifies.
            using (var first = new CiscoFileProtector(tftp))
                Assert.All(first.ProtectFiles(Jobs(first)), o => Assert.Equal(WriteStatus.Created, o.Result!.Status));
            foreach (var name in names)
                SignedFile.Strip(File.ReadAllBytes(dir.File("out/" + name + ".sgn")), name, tftp.Certificate, out _);
            // A rewrite (temporary file renamed, or a new unnamed file linked) gives the name a new inode and ctime.
            FileIdentity Identity(string name) { LinuxFiles.TryStat(dir.File("out/" + name + ".sgn"), out var id); return id; }
            var before = names.ToDictionary(n => n, n => (Bytes: File.ReadAllBytes(dir.File("out/" + n + ".sgn")), Identity: Identity(n)));

            // A file of that name with other bytes (an old signature of another payload), and one left as it was.
            File.WriteAllText(dir.File(names[7]), "<device><changed/></device>\n");
            // A new protector starts create-first again: the taken names are compared, not overwritten blindly.
            using (var again = new CiscoFileProtector(tftp))
            {
                var outcomes = again.ProtectFiles(Jobs(again));
                Assert.All(outcomes, o => Assert.Null(o.Error));
                for (int i = 0; i < names.Length; i++)
                    Assert.Equal(i == 7 ? WriteStatus.Updated : WriteStatus.Unchanged, outcomes[i].Result!.Status);
            }
            foreach (var name in names.Where((_, i) => i != 7))
            {
                Assert.Equal(before[name].Bytes, File.ReadAllBytes(dir.File("out/" + name + ".sgn")));
                Assert.Equal(before[name].Identity, Identity(name));
            }
            var replaced = SignedFile.Strip(File.ReadAllBytes(dir.File("out/" + names[7] + ".sgn")), names[7], tftp.Certificate, out _);
            Assert.Equal("<device><changed/></device>\n", System.Text.Encoding.UTF8.GetString(replaced));
            Assert.Equal(names.Length, Directory.GetFiles(dir.File("out")).Length); // no temporary files left beside them
        }

        [Fact]
        public void A_source_too_large_for_the_per_thread_buffer_is_signed_the_portable_way()
        {
            using var dir = new TempDirectory();
            var large = "<device>" + new string('x', 100_000) + "</device>\n";
            File.WriteAllText(dir.File("big.cnf.xml"), large);
            File.WriteAllText(dir.File("small.cnf.xml"), "<small/>");
            using var tftp = PemCredential.Load(CiscoVectors.Asterisk);
            using var protector = new CiscoFileProtector(tftp);
            var outcomes = protector.ProtectFiles(new[] { "big.cnf.xml", "small.cnf.xml" }.Select(n => new ProtectionJob(dir.File(n), dir.File(n + ".sgn"))).ToList());
            Assert.All(outcomes, o => Assert.Equal(WriteStatus.Created, o.Result!.Status));
            Assert.Equal(large, System.Text.Encoding.UTF8.GetString(SignedFile.Strip(File.ReadAllBytes(dir.File("big.cnf.xml.sgn")), "big", tftp.Certificate, out _)));
            Assert.Equal("<small/>", System.Text.Encoding.UTF8.GetString(SignedFile.Strip(File.ReadAllBytes(dir.File("small.cnf.xml.sgn")), "small", tftp.Certificate, out _)));
        }

        [Fact]
        public void A_missing_output_folder_is_created_on_the_first_file()
        {
            using var dir = new TempDirectory();
            File.WriteAllText(dir.File("a.cnf.xml"), "<a/>");
            using var tftp = PemCredential.Load(CiscoVectors.Asterisk);
            using var protector = new CiscoFileProtector(tftp);
            var destination = protector.DestinationFor(dir.File("a.cnf.xml"), dir.File("new/deeper"));
            var outcome = Assert.Single(protector.ProtectFiles(new[] { new ProtectionJob(dir.File("a.cnf.xml"), destination) }));
            Assert.Equal(WriteStatus.Created, outcome.Result!.Status);
            Assert.Equal("<a/>", System.Text.Encoding.UTF8.GetString(SignedFile.Strip(File.ReadAllBytes(destination), "a", tftp.Certificate, out _)));
        }

        [Fact]
        public void Files_of_several_folders_with_names_beyond_ascii_are_signed_into_a_new_folder_in_order()
        {
            using var dir = new TempDirectory();
            Directory.CreateDirectory(dir.File("site-a"));
            Directory.CreateDirectory(dir.File("site-b"));
            var sources = new[] { "site-a/SEP00112233445A.cnf.xml", "site-b/téléphone-ü.cnf.xml", "site-a/SEP00112233445B.cnf.xml", "site-b/missing.cnf.xml" }
                .Select(dir.File).ToArray();
            foreach (var source in sources.Take(3)) File.WriteAllText(source, $"<device><name>{Path.GetFileName(source)}</name></device>\n");
            using var tftp = PemCredential.Load(CiscoVectors.Asterisk);
            using var protector = new CiscoFileProtector(tftp);
            var finished = new System.Collections.Generic.List<(ProtectionOutcome[]? Outcomes, ProvisioningException? Error)>();
            // pprov's loop: each core takes the next file; the answers come back on this thread in file order.
            protector.ProtectEach(sources.Length, i => new ProtectionJob(sources[i], protector.DestinationFor(sources[i], dir.File("signed"))),
                (outcomes, error) => finished.Add((outcomes, error)));
            Assert.Equal(sources.Length, finished.Count);
            for (int i = 0; i < 3; i++)
            {
                var result = Assert.Single(finished[i].Outcomes!).Result!;
                Assert.Equal(WriteStatus.Created, result.Status);
                var name = Path.GetFileName(sources[i]);
                Assert.Equal(dir.File("signed/" + name + ".sgn"), result.Path);
                var payload = SignedFile.Strip(File.ReadAllBytes(result.Path), name, tftp.Certificate, out var info);
                Assert.Equal(File.ReadAllBytes(sources[i]), payload);
                Assert.Equal(name + ".sgn", info.FileName);
            }
            var missing = Assert.Single(finished[3].Outcomes!);
            Assert.Equal(ErrorIds.FileNotFound, missing.Error!.ErrorId);
            Assert.Contains("missing.cnf.xml", missing.Error.Message);
            Assert.Equal(3, Directory.GetFiles(dir.File("signed")).Length);
        }

        [Fact]
        public void A_fixed_header_name_for_many_files_is_refused_for_the_second()
        {
            using var dir = new TempDirectory();
            File.WriteAllText(dir.File("a.xml"), "<a/>");
            File.WriteAllText(dir.File("b.xml"), "<b/>");
            using var tftp = PemCredential.Load(CiscoVectors.Asterisk);
            using var protector = new CiscoFileProtector(tftp, headerFileName: "x/a.xml.sgn");
            var outcomes = protector.ProtectFiles(new[] { "a.xml", "b.xml" }.Select(n => new ProtectionJob(dir.File(n), dir.File(n + ".sgn"))).ToList());
            Assert.Single(outcomes, o => o.Error?.ErrorId == "FileNameForOneFile");
            Assert.Single(outcomes, o => o.Error == null);
        }

        [Fact]
        public void Several_phone_certificates_are_matched_by_sep_mac_and_unprotect_routes_by_name()
        {
            using var dir = new TempDirectory();
            File.Copy(CiscoVectors.File("sgn/SEP001122334455.cnf.xml"), dir.File("SEP001122334455.cnf.xml"));
            File.WriteAllText(dir.File("SEPAABBCCDDEEFF.cnf.xml"), "<device><fullConfig>true</fullConfig></device>");
            using var tftp = PemCredential.Load(CiscoVectors.Asterisk);
            using var phone = PemCredential.Load(CiscoVectors.Phone);
            using var other = PemCredential.Load(CiscoVectors.Sast);
            using var protector = new CiscoFileProtector(tftp, CiscoDigest.Sha512, new[] { other, phone });
            var jobs = new[] { "SEP001122334455.cnf.xml", "SEPAABBCCDDEEFF.cnf.xml" }.Select(n => new ProtectionJob(dir.File(n), protector.DestinationFor(dir.File(n), null))).ToList();
            var outcomes = protector.ProtectFiles(jobs);
            Assert.Equal(3, outcomes.Length); // .enc.sgn + stub for the first, an error for the second
            Assert.Equal(new[] { CiscoFileProtector.EncryptedMethod, CiscoFileProtector.StubMethod }, outcomes.Take(2).Select(o => o.Result!.Method));
            Assert.Equal("PhoneCertificateNotFound", outcomes[2].Error!.ErrorId);
            Assert.False(File.Exists(dir.File("SEPAABBCCDDEEFF.cnf.xml.enc.sgn")));

            var unprotector = new CiscoFileUnprotector(tftp.Certificate, phone);
            Directory.CreateDirectory(dir.File("out"));
            var back = unprotector.UnprotectMixed(new[]
            {
                new ProtectionJob(dir.File("SEP001122334455.cnf.xml.enc.sgn"), unprotector.DestinationFor(dir.File("SEP001122334455.cnf.xml.enc.sgn"), dir.File("out"))),
                new ProtectionJob(dir.File("SEP001122334455.cnf.xml.sgn"), dir.File("out/stub.xml")),
                new ProtectionJob(dir.File("SEPAABBCCDDEEFF.cnf.xml"), dir.File("out/other")),
            }, others => others.Select(j => new ProtectionOutcome(j, null, new ProvisioningException("NotMine", ErrorKind.InvalidData, "other"))).ToArray());
            Assert.Null(back[0].Error);
            Assert.Equal(File.ReadAllBytes(CiscoVectors.File("sgn/SEP001122334455.cnf.xml")), File.ReadAllBytes(dir.File("out/SEP001122334455.cnf.xml")));
            Assert.Contains("<encrConfig>true</encrConfig>", File.ReadAllText(dir.File("out/stub.xml")));
            Assert.Equal("NotMine", back[2].Error!.ErrorId);
        }

        [Fact]
        public void Unprotect_refuses_to_overwrite_a_different_file_and_needs_the_phone_key()
        {
            using var dir = new TempDirectory();
            File.Copy(CiscoVectors.File("sgn/g3-tones.xml.sgn"), dir.File("g3-tones.xml.sgn"));
            File.WriteAllText(dir.File("g3-tones.xml"), "newer cleartext");
            var unprotector = new CiscoFileUnprotector(null, null);
            var job = new ProtectionJob(dir.File("g3-tones.xml.sgn"), unprotector.DestinationFor(dir.File("g3-tones.xml.sgn"), null));
            Assert.Equal("DestinationExists", Assert.Throws<ProvisioningException>(() => unprotector.UnprotectFile(job)).ErrorId);
            Assert.Equal("newer cleartext", File.ReadAllText(dir.File("g3-tones.xml")));
            Assert.Equal(WriteStatus.Updated, unprotector.UnprotectFile(job, allowReplace: true).Status);
            File.Copy(CiscoVectors.File("enc/SEP001122334455.cnf.xml.enc.sgn"), dir.File("x.cnf.xml.enc.sgn"));
            Assert.Equal("PhoneKeyRequired", Assert.Throws<ProvisioningException>(() => unprotector.UnprotectFile(new ProtectionJob(dir.File("x.cnf.xml.enc.sgn"), dir.File("x.cnf.xml")))).ErrorId);
        }

        [Fact]
        public void Pprov_protect_sign_and_unprotect_end_to_end()
        {
            using var dir = new TempDirectory();
            File.Copy(CiscoVectors.File("sgn/SEP001122334455.cnf.xml"), dir.File("SEP001122334455.cnf.xml"));
            File.Copy(CiscoVectors.File("sgn/SoftKeys.xml"), dir.File("SoftKeys.xml"));
            var signed = ProcessRunner.Pprov("protect", "--sign", CiscoVectors.Asterisk, "--digest", "sha512", "--json", dir.File("SEP001122334455.cnf.xml"), dir.File("SoftKeys.xml"));
            Assert.True(signed.ExitCode == 0, signed.ToString());
            Assert.Equal(2, signed.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

            var verified = ProcessRunner.Pprov("unprotect", "--sign", CiscoVectors.Asterisk, "--out", dir.File("check"), dir.File("SoftKeys.xml.sgn"), dir.File("SEP001122334455.cnf.xml.sgn"));
            Assert.True(verified.ExitCode == 0, verified.ToString());
            Assert.Equal(File.ReadAllBytes(dir.File("SoftKeys.xml")), File.ReadAllBytes(dir.File("check/SoftKeys.xml")));

            var encrypted = ProcessRunner.Pprov("protect", "--sign", CiscoVectors.Asterisk, "--phone-cert", CiscoVectors.Phone, "--out", dir.File("enc"), dir.File("SEP001122334455.cnf.xml"));
            Assert.True(encrypted.ExitCode == 0, encrypted.ToString());
            var decrypted = ProcessRunner.Pprov("unprotect", "--sign", CiscoVectors.Asterisk, "--phone-cert", CiscoVectors.Phone, "--out", dir.File("dec"), dir.File("enc/SEP001122334455.cnf.xml.enc.sgn"));
            Assert.True(decrypted.ExitCode == 0, decrypted.ToString());
            Assert.Equal(File.ReadAllBytes(dir.File("SEP001122334455.cnf.xml")), File.ReadAllBytes(dir.File("dec/SEP001122334455.cnf.xml")));

            var wrongKey = ProcessRunner.Pprov("unprotect", "--phone-cert", CiscoVectors.Sast, "--out", dir.File("bad"), dir.File("enc/SEP001122334455.cnf.xml.enc.sgn"));
            Assert.Equal(1, wrongKey.ExitCode);
            Assert.Contains("cannot be decrypted with the key of 'CN=SAST", wrongKey.StdErr);
            Assert.False(File.Exists(dir.File("bad/SEP001122334455.cnf.xml")));

            var ecSigner = ProcessRunner.Pprov("protect", "--sign", CiscoVectors.ApacheEc, dir.File("SoftKeys.xml"));
            Assert.Equal(2, ecSigner.ExitCode);
            Assert.Contains("needs an RSA key", ecSigner.StdErr);
            var mixed = ProcessRunner.Pprov("protect", "--sign", CiscoVectors.Asterisk, "--gzip", dir.File("SoftKeys.xml"));
            Assert.Equal(2, mixed.ExitCode);
        }

        [Fact]
        public void Pprov_protect_sign_with_an_encrypted_key_from_the_environment()
        {
            using var dir = new TempDirectory();
            var key = dir.File("tftp.key");
            ProcessRunner.Tool("openssl", new[] { "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", CiscoVectors.Asterisk, "-out", key, "-passout", "env:PW" },
                environment: new System.Collections.Generic.Dictionary<string, string> { ["PW"] = "tftp-pass" }).AssertSuccess();
            ProcessRunner.Tool("openssl", new[] { "x509", "-in", CiscoVectors.Asterisk, "-out", dir.File("tftp.crt") }).AssertSuccess();
            File.WriteAllText(dir.File("tftp.pem"), File.ReadAllText(key) + File.ReadAllText(dir.File("tftp.crt")));
            File.WriteAllText(dir.File("a.xml"), "<a/>");
            var env = new System.Collections.Generic.Dictionary<string, string> { ["TFTP_PASS"] = "tftp-pass" };
            var ok = ProcessRunner.Pprov(new[] { "protect", "--sign", dir.File("tftp.pem"), "--password-env", "TFTP_PASS", dir.File("a.xml") }, env);
            Assert.True(ok.ExitCode == 0, ok.ToString());
            var missing = ProcessRunner.Pprov("protect", "--sign", dir.File("tftp.pem"), dir.File("a.xml"));
            Assert.NotEqual(0, missing.ExitCode);
            Assert.Contains("encrypted; give its password", missing.StdErr);
            Assert.DoesNotContain("tftp-pass", ok.StdOut + ok.StdErr + missing.StdErr);
        }
    }
}
