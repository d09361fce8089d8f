using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Core.Templates;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Templates
{
    /// <summary>
    /// Secrets in vendor parameters (Admin_Passwd, Password_1_, SIP_PASS_1, ...) are taken by reference only, as the
    /// typed secret settings are: the template file is kept in git. An old store file with a literal secret keeps
    /// generating, with a warning, and is shown masked.
    /// </summary>
    public class TemplateSecretTests
    {
        private static readonly Dictionary<string, string> NoStoreEnv = new() { ["PRIVATEPROVISIONING_STORE"] = "" };

        private static ProcessResult Pprov(params string[] args) => ProcessRunner.Pprov(args, NoStoreEnv);

        /// <summary>A store file as it was written before the rule: a literal admin password and SIP password.</summary>
        private static string WriteLegacyStore(TempDirectory dir)
        {
            var store = dir.File("store");
            Directory.CreateDirectory(Path.Combine(store, "templates"));
            File.WriteAllText(Path.Combine(store, "templates", "office.json"),
                "{\n  \"name\": \"office\",\n  \"settings\": {},\n  \"parameters\": {\n" +
                "    \"CiscoSpa\": { \"Admin_Passwd\": \"hunter2-admin\", \"Resync_Periodic\": \"3600\" },\n" +
                "    \"Panasonic\": { \"SIP_PASS_2\": \"hunter2-sip\" }\n  }\n}\n");
            return store;
        }

        [Theory]
        [InlineData("Admin_Passwd", "hunter2", false)]
        [InlineData("User_Password", "hunter2", false)]
        [InlineData("Password_1_", "p$ss", false)]
        [InlineData("SIP_PASS_1", "hunter2", false)]
        [InlineData("CFG_FILE_KEY2", "00112233445566778899aabbccddeeff", false)]
        [InlineData("Admin_Passwd", "env:ADMIN_PW", true)]
        [InlineData("Admin_Passwd", "file:admin.pw", true)]
        [InlineData("Admin_Passwd", "$AdminPw", true)]
        [InlineData("Admin_Passwd", "$(AdminPw)", true)]
        [InlineData("Admin_Passwd", "$(AdminPw:0:8)", true)]
        [InlineData("Admin_Passwd", "$$SA", true)]
        [InlineData("Admin_Passwd", "", true)]
        [InlineData("Admin_Passwd", "env:", false)]
        [InlineData("Admin_Passwd", "env:A B", false)]
        [InlineData("Admin_Passwd", "x$AdminPw", false)]
        [InlineData("Admin_Passwd", "$AdminPw$Other", false)]
        [InlineData("Admin_Passwd", "$(AdminPw", false)]
        [InlineData("Resync_Periodic", "3600", true)]
        public void A_secret_named_parameter_is_a_reference_or_refused(string name, string value, bool accepted)
        {
            void Create() => Stores.Template("t", parameters: new[] { (name, value) });
            if (accepted) { Create(); return; }
            var ex = Assert.Throws<ProvisioningException>(Create);
            Assert.Equal("LiteralSecretInTemplate", ex.ErrorId);
            Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
            Assert.Contains("CiscoSpa parameter " + name, ex.Message);
            Assert.Contains("env:VARIABLE", ex.Message);
            Assert.Contains("file:PATH", ex.Message);
            if (value.Length > 5) Assert.DoesNotContain(value, ex.Message);
        }

        [Fact]
        public void An_edit_refuses_a_literal_secret_but_keeps_an_old_one_it_does_not_touch()
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(WriteLegacyStore(dir));
            var office = store.Get("office");
            var ex = Assert.Throws<ProvisioningException>(() => office.With(parameters: new[] {
                new KeyValuePair<ProfileFormat, IEnumerable<KeyValuePair<string, string?>>>(ProfileFormat.Panasonic, new[] { new KeyValuePair<string, string?>("SIP_PASS_1", "s3cret") }) }));
            Assert.Equal("LiteralSecretInTemplate", ex.ErrorId);
            Assert.Equal("Panasonic:SIP_PASS_1", ex.Target);

            var changed = store.Update(office.With(description: "desk phones"));
            Assert.Contains("hunter2-admin", File.ReadAllText(changed.Path!));
            Assert.Equal(new[] { "CiscoSpa:Admin_Passwd", "Panasonic:SIP_PASS_2" }, changed.LiteralSecrets);

            var fixedTemplate = store.Update(changed.With(parameters: new[] {
                new KeyValuePair<ProfileFormat, IEnumerable<KeyValuePair<string, string?>>>(ProfileFormat.CiscoSpa, new[] { new KeyValuePair<string, string?>("Admin_Passwd", "env:ADMIN_PW") }),
                new KeyValuePair<ProfileFormat, IEnumerable<KeyValuePair<string, string?>>>(ProfileFormat.Panasonic, new[] { new KeyValuePair<string, string?>("SIP_PASS_2", null) }) }));
            Assert.Empty(fixedTemplate.LiteralSecrets);
            Assert.DoesNotContain("hunter2", File.ReadAllText(fixedTemplate.Path!));
        }

        [Fact]
        public void An_old_literal_secret_is_masked_on_the_object_and_after_resolution_but_generated_as_it_is()
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(WriteLegacyStore(dir));
            var office = store.Get("office");
            Assert.Equal(SecretReference.Mask, office.Parameters[ProfileFormat.CiscoSpa]["Admin_Passwd"]);
            Assert.Equal("3600", office.Parameters[ProfileFormat.CiscoSpa]["Resync_Periodic"]);
            Assert.Equal(3, office.ParameterCount);
            var resolved = new TemplateResolver(store).Resolve("office", null);
            Assert.Equal(SecretReference.Mask, resolved.ParametersFor(ProfileFormat.Panasonic).Single(kv => kv.Key == "SIP_PASS_2").Value);
            Assert.Single(store.LiteralSecretWarnings());
            Assert.DoesNotContain("hunter2", store.LiteralSecretWarnings()[0]);
            Assert.Contains("CiscoSpa:Admin_Passwd, Panasonic:SIP_PASS_2", store.LiteralSecretWarnings()[0]);
        }

        [Fact]
        public void Pprov_template_new_and_set_refuse_a_literal_secret_naming_the_parameter()
        {
            using var dir = new TempDirectory();
            var store = dir.File("store");
            var r = Pprov("template", "new", "office", "--store", store, "--param", "CiscoSpa:Admin_Passwd=hunter2");
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("CiscoSpa parameter Admin_Passwd holds a secret", r.StdErr);
            Assert.Contains("env:VARIABLE", r.StdErr);
            Assert.DoesNotContain("hunter2", r.StdErr + r.StdOut);
            Assert.False(File.Exists(Path.Combine(store, "templates", "office.json")));

            Assert.Equal(0, Pprov("template", "new", "office", "--store", store, "--param", "CiscoSpa:Resync_Periodic=3600").ExitCode);
            r = Pprov("template", "set", "office", "--store", store, "--param", "Panasonic:SIP_PASS_1=s3cret-sip");
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("Panasonic parameter SIP_PASS_1", r.StdErr);
            Assert.DoesNotContain("s3cret-sip", r.StdErr + r.StdOut);
            Assert.DoesNotContain("SIP_PASS_1", File.ReadAllText(Path.Combine(store, "templates", "office.json")));
        }

        [Fact]
        public void Pprov_takes_a_reference_shows_it_and_generates_the_secret()
        {
            using var dir = new TempDirectory();
            var store = dir.File("store");
            Directory.CreateDirectory(store);
            File.WriteAllText(Path.Combine(store, "sip.pw"), "fr0m-file$1\n");
            Assert.Equal(0, Pprov("template", "new", "office", "--store", store,
                "--param", "CiscoSpa:Admin_Passwd=env:PPROV_TEST_ADMIN_PW", "--param", "CiscoSpa:Password_1_=file:sip.pw").ExitCode);
            var r = Pprov("template", "show", "office", "--store", store);
            Assert.Contains("Admin_Passwd", r.StdOut);
            Assert.Contains("env:PPROV_TEST_ADMIN_PW", r.StdOut);
            Assert.Equal("", r.StdErr);

            File.WriteAllText(dir.File("a.csv"), "MAC,Template,UserId\n000E08000001,office,u1\n");
            var env = new Dictionary<string, string>(NoStoreEnv) { ["PPROV_TEST_ADMIN_PW"] = "fr0m-env" };
            r = ProcessRunner.Pprov(new[] { "generate", "--accounts", dir.File("a.csv"), "--format", "CiscoSpa", "--out", dir.File("out"), "--store", store, "--no-state" }, env);
            Assert.True(r.ExitCode == 0, r.ToString());
            var file = File.ReadAllText(Directory.GetFiles(dir.File("out")).Single(f => !Path.GetFileName(f).StartsWith(".")));
            Assert.Contains("<Admin_Passwd>fr0m-env</Admin_Passwd>", file);
            Assert.Contains("<Password_1_>fr0m-file$1</Password_1_>", file);
            Assert.DoesNotContain("fr0m", r.StdOut + r.StdErr);

            r = Pprov("generate", "--accounts", dir.File("a.csv"), "--format", "CiscoSpa", "--out", dir.File("out2"), "--store", store, "--no-state");
            Assert.NotEqual(0, r.ExitCode);
            Assert.Contains("parameter Admin_Passwd: the environment variable 'PPROV_TEST_ADMIN_PW' is not set or empty", r.StdErr);
        }

        [Fact]
        public void Pprov_with_an_old_literal_secret_generates_with_a_warning_and_shows_it_masked()
        {
            using var dir = new TempDirectory();
            var store = WriteLegacyStore(dir);
            var r = Pprov("template", "show", "office", "--store", store);
            Assert.Equal(0, r.ExitCode);
            Assert.Contains("Admin_Passwd", r.StdOut);
            Assert.Contains(SecretReference.Mask, r.StdOut);
            Assert.Contains("warning: Template 'office'", r.StdErr);
            Assert.DoesNotContain("hunter2", r.StdOut + r.StdErr);
            r = Pprov("template", "show", "office", "--store", store, "--resolved", "--json");
            Assert.Equal(SecretReference.Mask, JsonDocument.Parse(r.StdOut).RootElement.GetProperty("parameters").GetProperty("Panasonic").GetProperty("SIP_PASS_2").GetString());
            Assert.DoesNotContain("hunter2", r.StdOut + r.StdErr);
            r = Pprov("template", "show", "office", "--store", store, "--json");
            Assert.DoesNotContain("hunter2", r.StdOut + r.StdErr);
            r = Pprov("template", "list", "--store", store, "--json");
            Assert.DoesNotContain("hunter2", r.StdOut + r.StdErr);

            File.WriteAllText(dir.File("a.csv"), "MAC,Template,UserId\n000E08000001,office,u1\n");
            r = Pprov("generate", "--accounts", dir.File("a.csv"), "--format", "CiscoSpa", "--out", dir.File("out"), "--store", store, "--no-state");
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Single(r.StdErr.Split('\n'), l => l.Contains("warning: Template 'office'") && l.Contains("CiscoSpa:Admin_Passwd") && l.Contains("env:VARIABLE"));
            Assert.DoesNotContain("hunter2", r.StdOut + r.StdErr);
            var file = File.ReadAllText(Directory.GetFiles(dir.File("out")).Single(f => !Path.GetFileName(f).StartsWith(".")));
            Assert.Contains("<Admin_Passwd>hunter2-admin</Admin_Passwd>", file);
        }
    }
}
