using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using PrivateProvisioning.Core.Protection;
using PrivateProvisioning.Tests.Support;
using Xunit;
using static PrivateProvisioning.Tests.Protection.ProtectionTestSupport;

namespace PrivateProvisioning.Tests.Protection
{
    /// <summary>pprov protect / unprotect end to end: exit codes, --json, keys from file or environment, never echoed.</summary>
    public class PprovProtectionTests
    {
        private static void AssertNoKey(ProcessResult r)
        {
            Assert.DoesNotContain(Passphrase, r.StdOut);
            Assert.DoesNotContain(Passphrase, r.StdErr);
            Assert.DoesNotContain("   at ", r.StdErr); // no stack trace
        }

        [Fact]
        public void Protect_with_key_file_and_json_then_openssl_and_unprotect_read_it()
        {
            using var dir = new TempDirectory();
            var a = WriteProfile(dir, "in/000e08abcdef.xml", 1);
            var b = WriteProfile(dir, "in/000e08abcdf0.xml", 2);
            File.WriteAllText(dir.File("key"), Passphrase + "\n");
            var r = ProcessRunner.Pprov(new[] { "protect", a, b, "--gzip", "--key-file", dir.File("key"), "--out", dir.File("tftp"), "--json" }, null);
            Assert.True(r.ExitCode == 0, r.ToString());
            AssertNoKey(r);
            var lines = r.StdOut.Split('\n', System.StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, lines.Length);
            using var first = JsonDocument.Parse(lines[0]);
            Assert.Equal(dir.File("tftp/000e08abcdef.xml"), first.RootElement.GetProperty("path").GetString());
            Assert.Equal(a, first.RootElement.GetProperty("source").GetString());
            Assert.Equal("Gzip+OpenSslAes256Cbc", first.RootElement.GetProperty("method").GetString());
            Assert.Equal("Created", first.RootElement.GetProperty("status").GetString());
            Assert.Equal(64, first.RootElement.GetProperty("sha256").GetString()!.Length);

            Assert.Equal(0, ProcessRunner.Tool("sh", new[] { "-c", $"openssl enc -d -aes-256-cbc -md md5 -pass pass:{Passphrase} -in '{dir.File("tftp/000e08abcdef.xml")}' | gzip -dc | cmp - '{a}'" }).ExitCode);

            var env = new Dictionary<string, string> { ["PROFILE_KEY"] = Passphrase };
            var u = ProcessRunner.Pprov(new[] { "unprotect", dir.File("tftp/000e08abcdef.xml"), dir.File("tftp/000e08abcdf0.xml"), "--key-env", "PROFILE_KEY", "--out", dir.File("check") }, env);
            Assert.True(u.ExitCode == 0, u.ToString());
            AssertNoKey(u);
            Assert.Equal(File.ReadAllBytes(b), File.ReadAllBytes(dir.File("check/000e08abcdf0.xml")));
            Assert.Contains("Gzip+OpenSslAes256Cbc", u.StdOut);

            var again = ProcessRunner.Pprov(new[] { "protect", a, "--gzip", "--key-file", dir.File("key"), "--out", dir.File("tftp") }, null);
            Assert.Equal(0, again.ExitCode);
            Assert.StartsWith("Unchanged", again.StdOut);
        }

        [Fact]
        public void Gzip_level_fastest_from_the_command_line_is_read_by_gzip()
        {
            using var dir = new TempDirectory();
            var a = dir.File("000e08abcdef.xml");
            File.WriteAllText(a, "<flat-profile>\n" + string.Concat(System.Linq.Enumerable.Range(0, 60).Select(i => $"  <Param_{i}_>{i * 7919 % 10007}</Param_{i}_>\n")) + "</flat-profile>\n");
            var r = ProcessRunner.Pprov(new[] { "protect", a, "--gzip", "--gzip-level", "fastest", "--out", dir.File("fast") }, null);
            Assert.True(r.ExitCode == 0, r.ToString());
            var r2 = ProcessRunner.Pprov(new[] { "protect", a, "--gzip", "--out", dir.File("default") }, null);
            Assert.Equal(0, r2.ExitCode);
            var fast = Directory.GetFiles(dir.File("fast")).Single();
            Assert.Equal(0, ProcessRunner.Tool("gzip", new[] { "-t", fast }).ExitCode);
            Assert.Equal(File.ReadAllText(a), ProcessRunner.Tool("gzip", new[] { "-dc", fast }).StdOut);
            Assert.NotEqual(File.ReadAllBytes(Directory.GetFiles(dir.File("default")).Single()), File.ReadAllBytes(fast));
            Assert.Equal(2, ProcessRunner.Pprov(new[] { "protect", a, "--gzip", "--gzip-level", "turbo" }, null).ExitCode);
        }

        [Fact]
        public void Wrong_key_exits_1_with_a_clear_message_and_no_output()
        {
            using var dir = new TempDirectory();
            var a = WriteProfile(dir, "a.xml");
            File.WriteAllText(dir.File("key"), Passphrase);
            Assert.Equal(0, ProcessRunner.Pprov(new[] { "protect", a, "--key-file", dir.File("key"), "--kdf", "sha256" }, null).ExitCode);
            File.WriteAllText(dir.File("wrong"), "Wrong-Key-123");
            var r = ProcessRunner.Pprov(new[] { "unprotect", a + ".enc", "--key-file", dir.File("wrong"), "--out", dir.File("o") }, null);
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("could not be decrypted", r.StdErr);
            Assert.Contains(a + ".enc", r.StdErr);
            Assert.DoesNotContain("Wrong-Key-123", r.StdErr + r.StdOut);
            Assert.False(File.Exists(dir.File("o/a.xml")));
        }

        [Fact]
        public void One_bad_file_fails_the_run_but_not_the_others()
        {
            using var dir = new TempDirectory();
            var a = WriteProfile(dir, "a.xml");
            var env = new Dictionary<string, string> { ["K"] = Passphrase };
            var r = ProcessRunner.Pprov(new[] { "protect", dir.File("missing.xml"), a, "--key-env", "K", "--method", "rfc8188", "--json" }, env);
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("missing.xml", r.StdErr);
            Assert.True(File.Exists(a + ".aes128gcm"));
            AssertNoKey(r);
            var back = ProcessRunner.Pprov(new[] { "unprotect", a + ".aes128gcm", "--key-env", "K", "--json" }, env);
            Assert.Equal(0, back.ExitCode);
            // a.xml.aes128gcm comes back as a.xml: the very bytes of the source, so it is left alone.
            Assert.Contains("\"method\":\"Rfc8188\"", back.StdOut);
            Assert.Contains("\"status\":\"Unchanged\"", back.StdOut);
            Assert.Equal(Profile(), File.ReadAllText(a));
        }

        [Theory]
        [InlineData("protect", "--method", "e2c")]
        [InlineData("protect", "--method", "openssl")]          // no key
        [InlineData("protect", "--kdf", "sha1")]                 // not a choice
        [InlineData("protect")]                                  // nothing to do
        [InlineData("unprotect", "--key-file", "{KEYFILE}", "--key-env", "K")]
        public void A_wrong_command_line_exits_2(params string[] args)
        {
            using var dir = new TempDirectory();
            var a = WriteProfile(dir, "a.xml");
            File.WriteAllText(dir.File("K"), Passphrase);
            var full = args.Take(1).Append(a).Concat(args.Skip(1).Select(x => x == "{KEYFILE}" ? dir.File("K") : x)).ToArray();
            var r = ProcessRunner.Pprov(full, new Dictionary<string, string> { ["K"] = Passphrase });
            Assert.True(r.ExitCode == 2, r.ToString());
            Assert.StartsWith("pprov:", r.StdErr);
            AssertNoKey(r);
            Assert.Equal(new[] { a, dir.File("K") }.OrderBy(x => x), Directory.GetFiles(dir.Path).OrderBy(x => x));
        }

        [Fact]
        public void Pbkdf2_with_iterations_round_trips_through_openssl()
        {
            using var dir = new TempDirectory();
            var a = WriteProfile(dir, "a.xml");
            File.WriteAllText(dir.File("key"), Passphrase);
            var r = ProcessRunner.Pprov(new[] { "protect", a, "--key-file", dir.File("key"), "--kdf", "pbkdf2", "--iter", "4321", "--extension", ".cfg" }, null);
            Assert.Equal(0, r.ExitCode);
            Assert.Equal(0, Openssl(true, a + ".cfg", dir.File("back.xml"), Passphrase, KeyDerivation.Pbkdf2, 4321).ExitCode);
            Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(dir.File("back.xml")));
            var u = ProcessRunner.Pprov(new[] { "unprotect", a + ".cfg", "--key-file", dir.File("key"), "--kdf", "pbkdf2", "--iter", "4321", "--out", dir.File("o") }, null);
            Assert.True(u.ExitCode == 0, u.ToString());
            // .cfg is not a protection extension (spa942.cfg is a plain name), so the name is kept.
            Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(dir.File("o/a.xml.cfg")));
        }

        [Fact]
        public void Many_files_over_several_batches_print_results_and_errors_in_input_order()
        {
            // pprov runs 1,024 files at a time and prints a batch while the next one runs: the order must not change.
            using var dir = new TempDirectory();
            var files = Enumerable.Range(0, 1100).Select(i => i == 3 || i == 1050 ? dir.File($"in/missing{i}.xml") : WriteProfile(dir, $"in/000e08{i:x6}.xml", i)).ToList();
            var r = ProcessRunner.Pprov(new[] { "protect" }.Concat(files).Concat(new[] { "--gzip", "--out", dir.File("out"), "--json" }).ToArray(), null);
            Assert.True(r.ExitCode == 1, r.ToString());
            var results = r.StdOut.Split('\n', System.StringSplitOptions.RemoveEmptyEntries)
                .Select(line => { using var doc = JsonDocument.Parse(line); return (Source: doc.RootElement.GetProperty("source").GetString(), Path: doc.RootElement.GetProperty("path").GetString()); }).ToList();
            Assert.Equal(files.Where((f, i) => i != 3 && i != 1050), results.Select(x => x.Source));
            var errors = r.StdErr.Split('\n', System.StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, errors.Length);
            Assert.Contains("missing3.xml", errors[0]);
            Assert.Contains("missing1050.xml", errors[1]);
            Assert.Equal(0, ProcessRunner.Tool("sh", new[] { "-c", $"gzip -dc '{results.Single(x => x.Source == files[1049]).Path}' | cmp - '{files[1049]}'" }).ExitCode);
        }
    }
}
