using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Xml.Linq;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Protection;
using PrivateProvisioning.Core.Serving;
using PrivateProvisioning.Tests.Serving;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Reliability
{
    /// <summary>
    /// kill -9 in the middle of a generation or protection run that replaces every file of a few thousand: each
    /// visible file is the old one or the new one, whole; a leftover temporary file is never served; a re-run
    /// converges to what a clean run writes. The seed (PPROV_CRASH_SEED to replay) is in every failure message.
    /// </summary>
    public class CrashConsistencyTests
    {
        private readonly Xunit.Abstractions.ITestOutputHelper _output;
        public CrashConsistencyTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

        private const int Phones = 2000;
        private const string Passphrase = "Crash-Consistency-Key-5521";

        private static int Seed() =>
            int.TryParse(Environment.GetEnvironmentVariable("PPROV_CRASH_SEED"), out var s) ? s : Environment.TickCount & 0x7fffffff;

        private static string Mac(int i) => $"00:0E:08:{(i >> 16) & 0xff:X2}:{(i >> 8) & 0xff:X2}:{i & 0xff:X2}";

        private static string Csv(int generation)
        {
            var sb = new StringBuilder("MacAddress,UserId,Password,Extension,DisplayName,SipServer\n");
            for (int i = 1; i <= Phones; i++)
                sb.Append($"{Mac(i)},u{i},pw-{generation}-{i},{1000 + i},Phone {i} gen {generation},pbx{generation}.example.com\n");
            return sb.ToString();
        }

        private static Dictionary<string, string> Env(TempDirectory dir) => new Dictionary<string, string>
        {
            ["XDG_CACHE_HOME"] = dir.File("cache"),
            ["XDG_STATE_HOME"] = dir.File("state"),
        };

        private static Dictionary<string, byte[]> Snapshot(string folder) =>
            Directory.EnumerateFiles(folder).Where(f => !Path.GetFileName(f).StartsWith(".", StringComparison.Ordinal))
                .ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes, StringComparer.Ordinal);

        /// <summary>Starts pprov, waits for its first temporary file in <paramref name="watched"/>, sleeps a seeded delay, then SIGKILLs it.</summary>
        private static string RunAndKill(string watched, Random rng, int maxDelayMs, IDictionary<string, string> env, params string[] args)
        {
            using var started = new ManualResetEventSlim();
            using var watcher = new FileSystemWatcher(watched) { IncludeSubdirectories = false };
            // Any new name: on a replacing run, that is the first temporary file, whatever it is called.
            watcher.Created += (_, e) => started.Set();
            watcher.EnableRaisingEvents = true;
            int delay = rng.Next(0, maxDelayMs);

            var psi = TestPaths.PprovStartInfo(args);
            psi.RedirectStandardOutput = true; psi.RedirectStandardError = true; psi.UseShellExecute = false;
            foreach (var kv in env) psi.Environment[kv.Key] = kv.Value;
            using var p = Process.Start(psi)!;
            p.OutputDataReceived += (_, __) => { };   // drained, so a full pipe never stalls the writer
            p.ErrorDataReceived += (_, __) => { };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            bool sawWrite = started.Wait(TimeSpan.FromSeconds(30));
            if (!sawWrite) { try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }
            Assert.True(sawWrite, "pprov created no file in the destination within 30 s (the replacing run never wrote)");
            Thread.Sleep(delay);
            bool exitedBefore = p.HasExited;
            if (!exitedBefore) p.Kill(entireProcessTree: true);  // SIGKILL on Linux
            if (!p.WaitForExit(10_000)) throw new TimeoutException("pprov did not die after SIGKILL");
            return $"delay {delay} ms after the first temporary file (seen: {sawWrite}); " +
                   (exitedBefore ? $"the run had already ended (exit {p.ExitCode})" : "killed mid-run");
        }

        /// <summary>Hidden leftovers: none resolvable through the serving root, and (when any) pprov serve answers 404 over HTTP.</summary>
        private static int AssertTemporaryFilesNotServed(TempDirectory dir, string folder, string context)
        {
            var hidden = Directory.EnumerateFiles(folder).Select(Path.GetFileName).Where(n => n!.StartsWith(".", StringComparison.Ordinal)).ToList();
            var root = new ServingRoot(folder);
            foreach (var name in hidden)
            {
                var ex = Assert.Throws<ProvisioningException>(() => root.Resolve("/" + name));
                Assert.True(ex.ErrorId == "ServedFileNotFound", $"{context}: {name} resolved as {ex.ErrorId}");
            }
            if (hidden.Count == 0) return 0;
            using var serve = new BackgroundPprov("serve", "--root", folder, "--tftp", "127.0.0.1:0", "--http", "127.0.0.1:0", "--duration", "15");
            var ports = serve.WaitForStderr(@"tftp://127\.0\.0\.1:(\d+) and http://127\.0\.0\.1:(\d+)");
            foreach (var name in hidden.Take(3))
            {
                var curl = ProcessRunner.Tool("curl", new[] { "-s", "-o", "/dev/null", "-w", "%{http_code}", $"http://127.0.0.1:{ports.Groups[2].Value}/{name}" }, timeoutSeconds: 20);
                Assert.True(curl.StdOut == "404", $"{context}: GET /{name} answered {curl.StdOut}");
            }
            return hidden.Count;
        }

        /// <summary>Backdates leftovers past the sweep age, so the re-run must remove them.</summary>
        private static void AgeTemporaryFiles(string folder)
        {
            foreach (var f in Directory.EnumerateFiles(folder, ".*"))
                File.SetLastWriteTimeUtc(f, DateTime.UtcNow - AtomicFile.StaleTemporaryFileAge - TimeSpan.FromMinutes(5));
        }

        [Fact]
        public void KillingGenerateMidRunLeavesOnlyWholeFilesAndAReRunConverges()
        {
            int seed = Seed();
            var rng = new Random(seed);
            using var dir = new TempDirectory();
            var env = Env(dir);
            File.WriteAllText(dir.File("old.csv"), Csv(1));
            File.WriteAllText(dir.File("new.csv"), Csv(2));
            string[] Generate(string csv, string outDir) => new[] { "generate", "--accounts", dir.File(csv), "--format", "CiscoSpa", "--out", outDir };

            // The served folder's first full run (the old files), and a clean run of the new inputs elsewhere.
            var live = dir.File("live");
            var r = ProcessRunner.Pprov(Generate("old.csv", live), env);
            Assert.True(r.ExitCode == 0, r.ToString());
            r = ProcessRunner.Pprov(Generate("new.csv", dir.File("ref-new")).Append("--no-state"), env);
            Assert.True(r.ExitCode == 0, r.ToString());
            var oldRef = Snapshot(live);
            var newRef = Snapshot(dir.File("ref-new"));
            Assert.Equal(Phones, oldRef.Count);
            Assert.All(newRef, kv => Assert.NotEqual(oldRef[kv.Key], kv.Value)); // every file is replaced

            // The replacing run, killed part way.
            var how = RunAndKill(live, rng, 600, env, Generate("new.csv", live));
            var context = $"seed {seed} (PPROV_CRASH_SEED), {how}";

            var visible = Snapshot(live);
            Assert.True(visible.Count == Phones, $"{context}: {visible.Count} visible files, expected {Phones}");
            int replaced = 0;
            foreach (var (name, bytes) in visible)
            {
                Assert.True(oldRef.ContainsKey(name), $"{context}: unexpected visible file {name}");
                bool isNew = bytes.AsSpan().SequenceEqual(newRef[name]);
                Assert.True(isNew || bytes.AsSpan().SequenceEqual(oldRef[name]), $"{context}: {name} is neither the old nor the new profile ({bytes.Length} bytes)");
                XDocument.Parse(Encoding.UTF8.GetString(bytes)); // and well-formed, whole
                if (isNew) replaced++;
            }
            context += $"; {replaced} of {Phones} replaced at the kill";
            context += $"; {AssertTemporaryFilesNotServed(dir, live, context)} temporary files left";
            _output.WriteLine(context);
            AgeTemporaryFiles(live);
            r = ProcessRunner.Pprov(Generate("new.csv", live), env);
            Assert.True(r.ExitCode == 0, $"{context}\n{r}");
            Assert.Empty(Directory.EnumerateFiles(live, ".*"));
            var after = Snapshot(live);
            Assert.Equal(newRef.Keys.OrderBy(k => k, StringComparer.Ordinal), after.Keys.OrderBy(k => k, StringComparer.Ordinal));
            foreach (var (name, bytes) in after)
                Assert.True(bytes.AsSpan().SequenceEqual(newRef[name]), $"{context}: after the re-run {name} differs from a clean run's");
        }

        [Fact]
        public void KillingProtectMidRunLeavesOnlyWholeFilesAndAReRunConverges()
        {
            int seed = Seed();
            var rng = new Random(seed);
            using var dir = new TempDirectory();
            var env = Env(dir);
            File.WriteAllText(dir.File("key"), Passphrase + "\n");
            var src = Directory.CreateDirectory(dir.File("src")).FullName;
            var names = Enumerable.Range(1, Phones).Select(i => Mac(i).Replace(":", "").ToLowerInvariant() + ".xml").ToArray();
            string Profile(int generation, int i) =>
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<flat-profile>\n" +
                string.Concat(Enumerable.Range(0, 20).Select(p => $"  <Param_{p}_ ua=\"na\">gen {generation} phone {i} value {p}</Param_{p}_>\n")) +
                "</flat-profile>\n";
            void WriteSources(int generation)
            {
                for (int i = 0; i < names.Length; i++) File.WriteAllText(Path.Combine(src, names[i]), Profile(generation, i + 1));
            }
            var live = dir.File("tftp");
            string[] Protect() => new[] { "protect" }.Concat(names.Select(n => Path.Combine(src, n)))
                .Concat(new[] { "--gzip", "--key-file", dir.File("key"), "--out", live }).ToArray();

            WriteSources(1);
            var oldPlain = names.ToDictionary(n => n, n => File.ReadAllBytes(Path.Combine(src, n)), StringComparer.Ordinal);
            var r = ProcessRunner.Pprov(Protect(), env);
            Assert.True(r.ExitCode == 0, r.ToString());
            WriteSources(2);
            var newPlain = names.ToDictionary(n => n, n => File.ReadAllBytes(Path.Combine(src, n)), StringComparer.Ordinal);

            var how = RunAndKill(live, rng, 600, env, Protect());
            var context = $"seed {seed} (PPROV_CRASH_SEED), {how}";

            var key = Encoding.UTF8.GetBytes(Passphrase);
            var unprotector = new ProfileUnprotector();
            var visible = Snapshot(live);
            Assert.True(visible.Count == Phones, $"{context}: {visible.Count} visible files, expected {Phones}");
            int replaced = 0;
            foreach (var (name, bytes) in visible)
            {
                Assert.True(oldPlain.ContainsKey(name), $"{context}: unexpected visible file {name}");
                byte[] plain;
                string method;
                try { plain = unprotector.Unprotect(bytes, key, name, out method, out _); }
                catch (ProvisioningException ex) { throw new Xunit.Sdk.XunitException($"{context}: {name} ({bytes.Length} bytes) does not decrypt: {ex.Message}"); }
                Assert.True(method == "Gzip+OpenSslAes256Cbc", $"{context}: {name} is {method}");
                bool isNew = plain.AsSpan().SequenceEqual(newPlain[name]);
                Assert.True(isNew || plain.AsSpan().SequenceEqual(oldPlain[name]), $"{context}: {name} decrypts to neither the old nor the new source");
                if (isNew) replaced++;
            }
            context += $"; {replaced} of {Phones} replaced at the kill";
            // The real peer agrees on a few of them.
            foreach (var name in names.Where((_, i) => i % 1000 == 0))
            {
                var check = ProcessRunner.Tool("sh", new[] { "-c", $"openssl enc -d -aes-256-cbc -md md5 -pass file:'{dir.File("key")}' -in '{Path.Combine(live, name)}' | gzip -dc" });
                var got = Encoding.UTF8.GetBytes(check.StdOut);
                Assert.True(check.ExitCode == 0 && (got.AsSpan().SequenceEqual(newPlain[name]) || got.AsSpan().SequenceEqual(oldPlain[name])), $"{context}: openssl on {name}: {check}");
            }
            context += $"; {AssertTemporaryFilesNotServed(dir, live, context)} temporary files left";
            _output.WriteLine(context);
            AgeTemporaryFiles(live);
            r = ProcessRunner.Pprov(Protect(), env);
            Assert.True(r.ExitCode == 0, $"{context}\n{r}");
            Assert.Empty(Directory.EnumerateFiles(live, ".*"));
            var after = Snapshot(live);
            Assert.Equal(Phones, after.Count);
            foreach (var (name, bytes) in after)
                Assert.True(unprotector.Unprotect(bytes, key, name, out _, out _).AsSpan().SequenceEqual(newPlain[name]), $"{context}: after the re-run {name} does not decrypt to its source");
        }
    }
}
