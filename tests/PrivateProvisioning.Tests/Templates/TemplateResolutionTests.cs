using System.IO;
using System.Linq;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Core.Templates;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Templates
{
    /// <summary>Precedence per value: CSV column > account's template > group's template > default, each with its BasedOn chain.</summary>
    public class TemplateResolutionTests
    {
        private static TemplateStore Build(TempDirectory dir)
        {
            var store = TemplateStore.Open(dir.Path, create: true);
            store.Update(ShippedDefault.Template.With(settings: new[] { Kv("PTime", "20") },
                parameters: new[] { P(ProfileFormat.CiscoSpa, ("Resync_Periodic", "3600"), ("Station_Name", "default")) }));
            store.Add(Stores.Template("base-office", settings: new[] { ("Pin", "MANDATORY"), ("PinCacheTimeout", "300") },
                parameters: new[] { ("Resync_Periodic", "1800"), ("Dial_Plan_1_", "(xx.)") }));
            store.Add(Stores.Template("office", basedOn: "base-office", settings: new[] { ("PinCacheTimeout", "120") }));
            store.Add(Stores.Template("vip", settings: new[] { ("PinMaxRetries", "3") }, parameters: new[] { ("Resync_Periodic", "600") }));
            store.SetGroup("sales", "office");
            return store;
        }

        private static System.Collections.Generic.KeyValuePair<string, string?> Kv(string k, string v) => new(k, v);
        private static System.Collections.Generic.KeyValuePair<ProfileFormat, System.Collections.Generic.IEnumerable<System.Collections.Generic.KeyValuePair<string, string?>>> P(ProfileFormat f, params (string, string)[] items) =>
            new(f, items.Select(i => Kv(i.Item1, i.Item2)).ToList());

        private static string Setting(ResolvedTemplate r, string name) => r.ClientSettings.Single(kv => kv.Key == name).Value;
        private static string Param(ResolvedTemplate r, string name) => r.ParametersFor(ProfileFormat.CiscoSpa).Single(kv => kv.Key == name).Value;

        [Fact]
        public void An_account_without_template_or_group_gets_default()
        {
            using var dir = new TempDirectory();
            var r = new TemplateResolver(Build(dir)).Resolve(null, "unassigned-group");
            Assert.Equal("default", r.Name);
            Assert.Equal("20", Setting(r, "PTime"));
            Assert.Equal("OPTIONAL", Setting(r, "Pin"));
            Assert.Equal("600", Setting(r, "PinCacheTimeout"));
            Assert.Equal("3600", Param(r, "Resync_Periodic"));
        }

        [Fact]
        public void A_group_template_overrides_default_and_follows_its_BasedOn_chain()
        {
            using var dir = new TempDirectory();
            var r = new TemplateResolver(Build(dir)).Resolve(null, "SALES");
            Assert.Equal("office", r.Name);
            Assert.Equal(new[] { "default", "base-office", "office" }, r.Layers);
            Assert.Equal("MANDATORY", Setting(r, "Pin"));          // from base-office
            Assert.Equal("120", Setting(r, "PinCacheTimeout"));     // office over base-office
            Assert.Equal("20", Setting(r, "PTime"));                // default (store copy)
            Assert.Equal("1800", Param(r, "Resync_Periodic"));      // base-office over default
            Assert.Equal("default", Param(r, "Station_Name"));
        }

        [Fact]
        public void The_account_template_wins_over_the_group_template()
        {
            using var dir = new TempDirectory();
            var r = new TemplateResolver(Build(dir)).Resolve("vip", "sales");
            Assert.Equal("vip", r.Name);
            Assert.Equal("600", Param(r, "Resync_Periodic"));
            Assert.Equal("3", Setting(r, "PinMaxRetries"));
            Assert.Equal("MANDATORY", Setting(r, "Pin"));           // still from the group's chain
            Assert.Equal("(xx.)", Param(r, "Dial_Plan_1_"));
        }

        [Fact]
        public void A_BasedOn_cycle_is_a_clear_error_naming_the_chain()
        {
            using var dir = new TempDirectory();
            Build(dir);
            // A cycle can only come from hand-edited files: the store refuses to write one.
            File.WriteAllText(Path.Combine(dir.Path, "templates", "vip.json"), "{ \"name\": \"vip\", \"basedOn\": \"office\" }");
            File.WriteAllText(Path.Combine(dir.Path, "templates", "base-office.json"), "{ \"name\": \"base-office\", \"basedOn\": \"vip\" }");
            var resolver = new TemplateResolver(TemplateStore.Open(dir.Path));
            var ex = Assert.Throws<ProvisioningException>(() => resolver.Resolve("vip", null));
            Assert.Equal("TemplateCycle", ex.ErrorId);
            Assert.Contains("vip -> office -> base-office -> vip", ex.Message);
        }

        [Fact]
        public void The_store_refuses_to_write_a_cycle()
        {
            using var dir = new TempDirectory();
            var store = Build(dir);
            var ex = Assert.Throws<ProvisioningException>(() => store.Update(store.Get("base-office").With(basedOn: "office")));
            Assert.Equal("TemplateCycle", ex.ErrorId);
            Assert.Null(TemplateStore.Open(dir.Path).Get("base-office").BasedOn);
        }

        [Fact]
        public void Unknown_account_template_and_dangling_group_are_reported()
        {
            using var dir = new TempDirectory();
            Build(dir);
            File.WriteAllText(Path.Combine(dir.Path, "groups.json"), "{ \"groups\": { \"sales\": \"gone\" } }");
            var resolver = new TemplateResolver(TemplateStore.Open(dir.Path));
            Assert.Equal("TemplateNotFound", Assert.Throws<ProvisioningException>(() => resolver.Resolve("nosuch", null)).ErrorId);
            var ex = Assert.Throws<ProvisioningException>(() => resolver.Resolve(null, "sales"));
            Assert.Equal("GroupTemplateNotFound", ex.ErrorId);
            Assert.Contains("'gone'", ex.Message);
        }
    }
}
