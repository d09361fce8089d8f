using System;
using System.IO;
using System.Linq;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Core.Templates;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Templates
{
    /// <summary>The store folder: one readable JSON file per template, one groups file, atomic and byte-stable writes.</summary>
    public class TemplateStoreTests
    {
        [Fact]
        public void A_template_round_trips_through_a_readable_byte_stable_file()
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            store.Add(Stores.Template("office", description: "Desk phones", settings: new[] { ("PinCacheTimeout", "300"), ("Pin", "mandatory") },
                parameters: new[] { ("Resync_Periodic", "3600"), ("Dial_Plan_1_", "(S0 <:18005551212>)") }));
            var file = dir.File("templates/office.json");
            var expected = "{\n  \"name\": \"office\",\n  \"description\": \"Desk phones\",\n  \"settings\": {\n    \"Pin\": \"MANDATORY\",\n    \"PinCacheTimeout\": 300\n  },\n" +
                           "  \"parameters\": {\n    \"CiscoSpa\": {\n      \"Resync_Periodic\": \"3600\",\n      \"Dial_Plan_1_\": \"(S0 <:18005551212>)\"\n    }\n  }\n}\n";
            Assert.Equal(expected, File.ReadAllText(file));

            var reread = TemplateStore.Open(dir.Path).Get("OFFICE");
            Assert.Equal("office", reread.Name);
            Assert.Equal("MANDATORY", reread.Settings["Pin"]);
            Assert.Equal("(S0 <:18005551212>)", reread.Parameters[ProfileFormat.CiscoSpa]["Dial_Plan_1_"]);
            Assert.Equal(file, reread.Path);
        }

        [Fact]
        public void Writes_leave_no_temporary_files_and_an_unchanged_template_is_not_rewritten()
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            store.Add(Stores.Template("office", settings: new[] { ("Pin", "MANDATORY") }));
            store.SetGroup("sales", "office");
            var file = dir.File("templates/office.json");
            var before = DateTime.UtcNow.AddHours(-1);
            File.SetLastWriteTimeUtc(file, before);
            store.Update(store.Get("office").With(settings: new[] { new System.Collections.Generic.KeyValuePair<string, string?>("Pin", "mandatory") }));
            Assert.Equal(before, File.GetLastWriteTimeUtc(file));
            Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp", SearchOption.AllDirectories));
            Assert.Equal(new[] { "groups.json", "templates/office.json" },
                Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir.Path, f).Replace('\\', '/')).OrderBy(f => f));
        }

        [Fact]
        public async System.Threading.Tasks.Task A_reader_never_sees_a_half_written_template_while_it_is_rewritten()
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            store.Add(Stores.Template("office", description: "v0"));
            var file = dir.File("templates/office.json");
            using var stop = new System.Threading.CancellationTokenSource();
            int reads = 0, bad = 0;
            using var firstRead = new System.Threading.ManualResetEventSlim();
            var reader = System.Threading.Tasks.Task.Run(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        var t = TemplateStore.Open(dir.Path).Get("office");
                        if (!t.Description.StartsWith("v", StringComparison.Ordinal)) bad++;
                        System.Threading.Interlocked.Increment(ref reads);
                        firstRead.Set();
                    }
                    catch (ProvisioningException) { System.Threading.Interlocked.Increment(ref bad); }
                }
            });
            Assert.True(firstRead.Wait(TimeSpan.FromSeconds(30)), "the reader never started");
            for (int i = 1; i <= 200; i++)
                store.Update(store.Get("office").With(description: "v" + i + new string('x', (i % 4) * 300)));
            stop.Cancel();
            await reader.WaitAsync(TimeSpan.FromSeconds(30));   // throws TimeoutException when the reader hangs
            Assert.True(System.Threading.Volatile.Read(ref reads) >= 1);
            Assert.Equal(0, System.Threading.Volatile.Read(ref bad));
            Assert.StartsWith("v200", TemplateStore.Open(dir.Path).Get("office").Description);
        }

        [Fact]
        public void A_failed_write_keeps_the_old_file_whole()
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            store.Add(Stores.Template("office", settings: new[] { ("Pin", "MANDATORY") }));
            var before = File.ReadAllBytes(dir.File("templates/office.json"));
            Assert.Throws<ProvisioningException>(() => store.Update(store.Get("office").With(settings: new[] { new System.Collections.Generic.KeyValuePair<string, string?>("PinMaxRetries", "-1") })));
            Assert.Equal(before, File.ReadAllBytes(dir.File("templates/office.json")));
        }

        [Fact]
        public void Without_a_store_only_the_shipped_default_exists_and_writes_are_refused()
        {
            var saved = Environment.GetEnvironmentVariable(TemplateStore.EnvironmentVariable);
            Environment.SetEnvironmentVariable(TemplateStore.EnvironmentVariable, null);
            try
            {
                var store = TemplateStore.Open(null);
                Assert.Null(store.Folder);
                Assert.Equal(new[] { "default" }, store.Templates.Select(t => t.Name));
                Assert.Equal("StoreRequired", Assert.Throws<ProvisioningException>(() => store.Add(Stores.Template("x"))).ErrorId);
            }
            finally { Environment.SetEnvironmentVariable(TemplateStore.EnvironmentVariable, saved); }
        }

        [Fact]
        public void The_store_folder_comes_from_the_environment_when_not_given()
        {
            using var dir = new TempDirectory();
            TemplateStore.Open(dir.Path, create: true).Add(Stores.Template("office"));
            var saved = Environment.GetEnvironmentVariable(TemplateStore.EnvironmentVariable);
            Environment.SetEnvironmentVariable(TemplateStore.EnvironmentVariable, dir.Path);
            try { Assert.NotNull(TemplateStore.Open(null).Find("office")); }
            finally { Environment.SetEnvironmentVariable(TemplateStore.EnvironmentVariable, saved); }
        }

        [Fact]
        public void A_missing_store_folder_is_an_error_when_reading()
        {
            var ex = Assert.Throws<ProvisioningException>(() => TemplateStore.Open("/nonexistent/pprov-store"));
            Assert.Equal("StoreNotFound", ex.ErrorId);
        }

        [Fact]
        public void Wildcards_match_names_case_insensitively()
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            foreach (var n in new[] { "office", "office-tls", "branch", "lab1" }) store.Add(Stores.Template(n));
            Assert.Equal(new[] { "office", "office-tls" }, store.Match(new[] { "OFF*" }).Select(t => t.Name));
            Assert.Equal(new[] { "lab1" }, store.Match(new[] { "lab?" }).Select(t => t.Name));
            Assert.Equal(new[] { "default", "branch" }, store.Match(new[] { "[bd]*" }).Select(t => t.Name));
            Assert.Equal(5, store.Match(null).Count);
        }

        [Fact]
        public void Adding_an_existing_name_or_an_unknown_base_is_refused()
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            store.Add(Stores.Template("office"));
            Assert.Equal("TemplateExists", Assert.Throws<ProvisioningException>(() => store.Add(Stores.Template("OFFICE"))).ErrorId);
            Assert.Equal("BaseTemplateNotFound", Assert.Throws<ProvisioningException>(() => store.Add(Stores.Template("x", basedOn: "nosuch"))).ErrorId);
            Assert.Equal("TemplateNotFound", Assert.Throws<ProvisioningException>(() => store.SetGroup("sales", "nosuch")).ErrorId);
        }

        [Fact]
        public void Remove_refuses_default_and_templates_in_use_unless_forced()
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            store.Add(Stores.Template("office"));
            store.Add(Stores.Template("office-tls", basedOn: "office"));
            store.SetGroup("sales", "office");

            Assert.Equal("DefaultTemplateRequired", Assert.Throws<ProvisioningException>(() => store.Remove("default", force: true)).ErrorId);
            var ex = Assert.Throws<ProvisioningException>(() => store.Remove("office", force: false));
            Assert.Equal("TemplateInUse", ex.ErrorId);
            Assert.Contains("sales", ex.Message);
            Assert.Contains("office-tls", ex.Message);
            Assert.True(File.Exists(dir.File("templates/office.json")));

            var detached = store.Remove("office", force: true);
            Assert.Equal(new[] { "sales" }, detached.Groups);
            Assert.False(File.Exists(dir.File("templates/office.json")));
            var reopened = TemplateStore.Open(dir.Path);
            Assert.Null(reopened.Find("office"));
            Assert.Null(reopened.Get("office-tls").BasedOn);
            Assert.Empty(reopened.Groups);
        }

        [Fact]
        public void Groups_are_set_replaced_and_removed_in_one_sorted_file()
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            store.Add(Stores.Template("office"));
            store.Add(Stores.Template("lab"));
            Assert.Equal(WriteStatus.Created, store.SetGroup("sales", "office"));
            Assert.Equal(WriteStatus.Created, store.SetGroup("Engineering", "lab"));
            Assert.Equal(WriteStatus.Unchanged, store.SetGroup("SALES", "Office"));
            Assert.Equal(WriteStatus.Updated, store.SetGroup("sales", "lab"));
            Assert.Equal("{\n  \"groups\": {\n    \"Engineering\": \"lab\",\n    \"sales\": \"lab\"\n  }\n}\n", File.ReadAllText(dir.File("groups.json")));
            Assert.Equal(WriteStatus.Updated, store.SetGroup("sales", null));
            Assert.Equal(new[] { "Engineering" }, TemplateStore.Open(dir.Path).Groups.Select(g => g.Key));
        }

        [Fact]
        public void A_store_default_overrides_the_shipped_one()
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            store.Update(store.Get("default").With(settings: new[] { new System.Collections.Generic.KeyValuePair<string, string?>("PinLockTime", "60") }));
            var d = TemplateStore.Open(dir.Path).Get("default");
            Assert.False(d.IsShipped);
            Assert.Equal("60", d.Settings["PinLockTime"]);
        }
    }
}
