using System.IO;
using System.Linq;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Templates;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Templates
{
    /// <summary>Typed PrivateWave client settings are validated on write (privatewave.md §3.2) and the shipped default carries the seed values.</summary>
    public class TemplateValidationTests
    {
        [Theory]
        [InlineData("Pin", "mandatory", "MANDATORY")]
        [InlineData("MessageExpiration", "Optional", "OPTIONAL")]
        [InlineData("LoggingLevel", "debug", "DEBUG")]
        [InlineData("PinCacheTimeout", " 0 ", "0")]
        [InlineData("PTime", "20", "20")]
        [InlineData("MessagingEnabled", "No", "false")]
        [InlineData("CsrSubject.Country", "it", "IT")]
        [InlineData("ServerCertificateDownloadUrl", "https://pbx.example.com:9443/server.pem", "https://pbx.example.com:9443/server.pem")]
        [InlineData("CertificatePassword", "env:CERT_PASSWORD", "env:CERT_PASSWORD")]
        [InlineData("ClientCertificateExtension", ".P12", ".p12")]
        public void Valid_values_are_stored_in_canonical_form(string setting, string value, string expected)
        {
            var t = Stores.Template("t", settings: new[] { (setting, value) });
            Assert.Equal(expected, t.Settings[setting]);
        }

        [Theory]
        [InlineData("Pin", "ALWAYS", "not one of OPTIONAL, MANDATORY")]
        [InlineData("PTime", "25", "not a multiple of 10")]
        [InlineData("PTime", "300", "outside 10..200")]
        [InlineData("PinMaxRetries", "0", "outside 1..100")]
        [InlineData("HistoryLogSize", "ten", "not a whole number")]
        [InlineData("SipProxyPort", "70000", "outside 1..65535")]
        [InlineData("CustomerServiceEmail", "support.example.com", "not an e-mail address")]
        [InlineData("ServerCertificateDownloadUrl", "http://pbx.example.com/server.pem", "not an absolute https:// URL")]
        [InlineData("CsrSubject.Country", "ITA", "two-letter")]
        [InlineData("ReadOnlySettings", "maybe", "not a boolean")]
        [InlineData("ServerCertificateName", "../server.pem", "without a folder")]
        public void Invalid_values_are_refused_naming_template_and_setting(string setting, string value, string why)
        {
            var ex = Assert.Throws<ProvisioningException>(() => Stores.Template("office", settings: new[] { (setting, value) }));
            Assert.Equal("InvalidClientSetting", ex.ErrorId);
            Assert.Contains("Template 'office'", ex.Message);
            Assert.Contains(setting, ex.Message);
            Assert.Contains(why, ex.Message);
        }

        [Fact]
        public void A_plain_secret_is_refused_without_echoing_it()
        {
            var ex = Assert.Throws<ProvisioningException>(() => Stores.Template("t", settings: new[] { ("CertificatePassword", "hunter2") }));
            Assert.DoesNotContain("hunter2", ex.Message);
            Assert.Contains("env:VARIABLE or file:PATH", ex.Message);
        }

        [Fact]
        public void An_unknown_setting_suggests_the_closest_name()
        {
            var ex = Assert.Throws<ProvisioningException>(() => Stores.Template("t", settings: new[] { ("PinCacheTimout", "5") }));
            Assert.Equal("UnknownClientSetting", ex.ErrorId);
            Assert.Contains("did you mean 'PinCacheTimeout'", ex.Message);
        }

        [Theory]
        [InlineData("")]
        [InlineData("../evil")]
        [InlineData("a b")]
        [InlineData("-dash")]
        [InlineData("x/y")]
        public void Template_names_that_are_not_portable_file_names_are_refused(string name) =>
            Assert.Equal("InvalidTemplateName", Assert.Throws<ProvisioningException>(() => Stores.Template(name)).ErrorId);

        [Fact]
        public void The_shipped_default_holds_every_field_with_its_seed_default()
        {
            var d = ShippedDefault.Template;
            Assert.Equal("default", d.Name);
            Assert.True(d.IsShipped);
            Assert.Equal(ClientSettingSchema.All.Select(s => s.Name), d.Settings.Keys);
            foreach (var s in ClientSettingSchema.All) Assert.Equal(s.DefaultValue, d.Settings[s.Name]);
            // The seed values of privatewave.md §3.2.
            Assert.Equal("100", d.Settings["PTime"]);
            Assert.Equal("120", d.Settings["DialingTimeout"]);
            Assert.Equal("30", d.Settings["RingingTimeout"]);
            Assert.Equal("90", d.Settings["ConnectingTimeout"]);
            Assert.Equal("10", d.Settings["DisconnectingTimeout"]);
            Assert.Equal("50", d.Settings["HistoryLogSize"]);
            Assert.Equal("15", d.Settings["MessageExpirationTimeout"]);
            Assert.Equal("600", d.Settings["PinCacheTimeout"]);
            Assert.Equal("5", d.Settings["PinMaxRetries"]);
            Assert.Equal("900", d.Settings["PinLockTime"]);
            Assert.Equal("true", d.Settings["MessagingEnabled"]);
        }

        [Fact]
        public void The_store_documentation_lists_every_setting_with_its_default()
        {
            var doc = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "template-store.md"));
            foreach (var s in ClientSettingSchema.All)
                Assert.Contains($"| `{s.Name}` |", doc);
        }

        [Fact]
        public void A_hand_edited_file_with_an_error_names_the_file_and_the_problem()
        {
            using var dir = new TempDirectory();
            Directory.CreateDirectory(dir.File("templates"));
            File.WriteAllText(dir.File("templates/office.json"), "{\n  \"name\": \"office\",\n  \"settings\": { \"Pin\": \"SOMETIMES\" }\n}\n");
            var ex = Assert.Throws<ProvisioningException>(() => TemplateStore.Open(dir.Path));
            Assert.Contains("office.json", ex.Message);
            Assert.Contains("Pin", ex.Message);

            File.WriteAllText(dir.File("templates/office.json"), "{\n  \"name\": \"office\",\n  \"settings\": { \"Pin\" \"X\" }\n}\n");
            ex = Assert.Throws<ProvisioningException>(() => TemplateStore.Open(dir.Path));
            Assert.Contains("office.json", ex.Message);
            Assert.Contains("line 3", ex.Message);

            File.WriteAllText(dir.File("templates/office.json"), "{ \"name\": \"office\", \"setings\": {} }");
            Assert.Contains("unknown property 'setings'", Assert.Throws<ProvisioningException>(() => TemplateStore.Open(dir.Path)).Message);
        }
    }
}
