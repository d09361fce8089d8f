using System.IO;
using System.Linq;
using System.Text.Json;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Templates
{
    /// <summary>Partitioned profiles: common values in one shared file per template, each phone's file with its account and Profile_Rule_B.</summary>
    public class PartitionedProfileTests
    {
        private static void Template(string store, string name, string format, string parameters)
        {
            Directory.CreateDirectory(Path.Combine(store, "templates"));
            File.WriteAllText(Path.Combine(store, "templates", name + ".json"), "{ \"name\": \"" + name + "\", \"parameters\": { \"" + format + "\": { " + parameters + " } } }");
        }

        private const string Office = "\"Profile_Rule\": \"https://prov.example.com/$$MA.xml\", \"@SharedFile\": \"common/$TEMPLATE.xml\", \"@SharedUrl\": \"https://prov.example.com/\", ";

        [Fact]
        public void A_template_change_rewrites_the_shared_file_and_no_phone_file()
        {
            using var dir = new TempDirectory();
            var store = dir.File("store");
            Template(store, "office", "CiscoSpa", Office + "\"Resync_Periodic\": \"3600\"");
            File.WriteAllText(dir.File("a.csv"), "MAC,Format,Template,UserId,Password,Station_Name\n" +
                string.Join("\n", Enumerable.Range(1, 60).Select(i => $"000E0800{i:X4},CiscoSpa,office,u{i},pw{i},Desk {i}")) + "\n");
            ProcessResult Generate() => ProcessRunner.Pprov(new[] { "generate", "--accounts", dir.File("a.csv"), "--out", dir.File("out"), "--store", store, "--json" },
                new System.Collections.Generic.Dictionary<string, string> { ["PRIVATEPROVISIONING_STORE"] = "", ["XDG_STATE_HOME"] = dir.File("state"), ["XDG_CACHE_HOME"] = dir.File("cache") });
            JsonElement Summary(ProcessResult r) => JsonDocument.Parse(r.StdOut.Split('\n', System.StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement.GetProperty("summary");

            var r = Generate();
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Equal(61, Summary(r).GetProperty("created").GetInt32());
            var shared = File.ReadAllText(dir.File("out/common/office.xml"));
            Assert.Contains("<Resync_Periodic>3600</Resync_Periodic>", shared);
            Assert.Contains("<Profile_Rule>https://prov.example.com/$MA.xml</Profile_Rule>", shared);
            Assert.DoesNotContain("User_ID", shared);
            Assert.DoesNotContain("@Shared", shared);
            var phone = File.ReadAllText(dir.File("out/000e08000001.xml"));
            Assert.Contains("<Profile_Rule_B>https://prov.example.com/common/office.xml</Profile_Rule_B>", phone);
            Assert.Contains("<User_ID_1_>u1</User_ID_1_>", phone);
            Assert.Contains("<Station_Name>Desk 1</Station_Name>", phone);
            Assert.DoesNotContain("Resync_Periodic", phone);
            Assert.DoesNotContain("Profile_Rule>", phone.Replace("Profile_Rule_B>", ""));

            var phoneTimes = Directory.GetFiles(dir.File("out"), "*.xml").ToDictionary(f => f, File.GetLastWriteTimeUtc);
            System.Threading.Thread.Sleep(20);
            Template(store, "office", "CiscoSpa", Office + "\"Resync_Periodic\": \"7200\"");
            r = Generate();
            Assert.True(r.ExitCode == 0, r.ToString());
            var summary = Summary(r);
            Assert.Equal(1, summary.GetProperty("updated").GetInt32());
            Assert.Equal(60, summary.GetProperty("unchanged").GetInt32());
            var updated = r.StdOut.Split('\n', System.StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
                .Where(e => e.TryGetProperty("status", out var s) && s.GetString() == "Updated").ToList();
            Assert.Equal(Path.Combine(dir.File("out"), "common", "office.xml"), Assert.Single(updated).GetProperty("path").GetString());
            Assert.Contains("<Resync_Periodic>7200</Resync_Periodic>", File.ReadAllText(dir.File("out/common/office.xml")));
            foreach (var kv in phoneTimes) Assert.Equal(kv.Value, File.GetLastWriteTimeUtc(kv.Key));
        }

        [Fact]
        public void A_family_without_partitions_refuses_the_setting_by_name()
        {
            using var dir = new TempDirectory();
            var store = dir.File("store");
            Template(store, "desk", "Panasonic", "\"@SharedFile\": \"common/$TEMPLATE.cfg\", \"@SharedUrl\": \"https://prov.example.com/\"");
            Template(store, "half", "CiscoSpa", "\"@SharedFile\": \"common/$TEMPLATE.xml\"");
            File.WriteAllText(dir.File("a.csv"), "MAC,Format,Template\n000E08000001,Panasonic,desk\n000E08000002,CiscoSpa,half\n000E08000003,CiscoSpa,\n");
            var r = ProcessRunner.Pprov(new[] { "generate", "--accounts", dir.File("a.csv"), "--out", dir.File("out"), "--store", store },
                new System.Collections.Generic.Dictionary<string, string> { ["PRIVATEPROVISIONING_STORE"] = "", ["XDG_STATE_HOME"] = dir.File("state") });
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("Row 1: template 'desk' parameter '@SharedFile': Panasonic phones fetch no second, shared profile", r.StdErr);
            Assert.Contains("Row 2: template 'half': a partitioned template needs both '@SharedFile'", r.StdErr);
            Assert.Contains("1 created, 0 updated, 0 unchanged, 2 failed", r.StdOut);
            Assert.False(Directory.Exists(dir.File("out/common")));
        }

        private const string Map = "/customer-account/SIP-number = /flat-profile/User_ID_1_ ; /customer-account/SIP-password = /flat-profile/Password_1_ ;";

        private static ProcessResult Pprov(TempDirectory dir, params string[] args) => ProcessRunner.Pprov(args,
            new System.Collections.Generic.Dictionary<string, string> { ["PRIVATEPROVISIONING_STORE"] = "", ["XDG_STATE_HOME"] = dir.File("state"), ["XDG_CACHE_HOME"] = dir.File("cache") });

        [Fact]
        public void With_an_alias_map_each_phone_file_is_the_customer_XML_and_reads_back_through_the_map()
        {
            using var dir = new TempDirectory();
            var store = dir.File("store");
            Template(store, "customer", "CiscoSpa", Office.Replace("https://prov.example.com/$$MA.xml", "[--alias a] https://prov.example.com/$$MA.xml") +
                "\"@Alias\": \"a\", \"GPP_A\": \"" + Map + "\", \"Resync_Periodic\": \"3600\"");
            Template(store, "plain", "CiscoSpa", "\"Profile_Rule\": \"[--alias b] https://prov.example.com/$$MA.xml\", \"@Alias\": \"b\", \"GPP_B\": \"" + Map + "\"");
            File.WriteAllText(dir.File("a.csv"), "MAC,Format,Template,UserId,Password\n000E08000001,CiscoSpa,customer,u1,pw&1\n000E08000002,CiscoSpa,customer,u2,pw2\n000E08000003,CiscoSpa,plain,u3,pw3\n");
            var r = Pprov(dir, "generate", "--accounts", dir.File("a.csv"), "--out", dir.File("out"), "--store", store);
            Assert.True(r.ExitCode == 0, r.ToString());

            // Partitioned: the map and the rule that names it in the shared file, the account in the customer's elements.
            var shared = File.ReadAllText(dir.File("out/common/customer.xml"));
            Assert.Contains("<GPP_A>" + Map + "</GPP_A>", shared);
            Assert.Contains("<Profile_Rule>[--alias a] https://prov.example.com/$MA.xml</Profile_Rule>", shared);
            Assert.DoesNotContain("@Alias", shared);
            var phone = File.ReadAllText(dir.File("out/000e08000001.xml"));
            Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<customer-account>\n", phone);
            Assert.Contains("<SIP-number>u1</SIP-number>", phone);
            Assert.Contains("<SIP-password>pw&amp;1</SIP-password>", phone);
            Assert.Contains("<Profile_Rule_B>https://prov.example.com/common/customer.xml</Profile_Rule_B>", phone);
            Assert.DoesNotContain("User_ID_1_", phone);
            Assert.DoesNotContain("Resync_Periodic", phone);

            // Read back through the map, as the phone applies it.
            r = Pprov(dir, "profile", "show", "--alias", Map, "--show-secrets", dir.File("out/000e08000001.xml"));
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Contains("User_ID_1_ = u1", r.StdOut);
            Assert.Contains("Password_1_ = pw&1", r.StdOut);
            Assert.Contains("Profile_Rule_B", r.StdOut);

            // Not partitioned: the map and the rule stay canonical, in the customer file's <flat-profile>.
            phone = File.ReadAllText(dir.File("out/000e08000003.xml"));
            Assert.Contains("<SIP-number>u3</SIP-number>", phone);
            Assert.Contains("<GPP_B>" + Map + "</GPP_B>", phone);
            Assert.Contains("<Profile_Rule>[--alias b] https://prov.example.com/$MA.xml</Profile_Rule>", phone);
        }

        [Fact]
        public void An_alias_map_is_refused_by_name_for_another_family_a_missing_GPP_and_a_rule_without_the_alias()
        {
            using var dir = new TempDirectory();
            var store = dir.File("store");
            Template(store, "desk", "Panasonic", "\"@Alias\": \"a\", \"GPP_A\": \"" + Map + "\"");
            Template(store, "nomap", "CiscoSpa", "\"@Alias\": \"c\", \"GPP_A\": \"" + Map + "\"");
            Template(store, "norule", "CiscoSpa", "\"Profile_Rule\": \"https://prov.example.com/$$MA.xml\", \"@Alias\": \"a\", \"GPP_A\": \"" + Map + "\"");
            Template(store, "badmap", "CiscoSpa", "\"@Alias\": \"a\", \"GPP_A\": \"/number = /flat-profile/User_ID_1_ ;\"");
            File.WriteAllText(dir.File("a.csv"), "MAC,Format,Template,UserId\n000E08000001,Panasonic,desk,u1\n000E08000002,CiscoSpa,nomap,u2\n000E08000003,CiscoSpa,norule,u3\n000E08000004,CiscoSpa,badmap,u4\n");
            var r = Pprov(dir, "generate", "--accounts", dir.File("a.csv"), "--out", dir.File("out"), "--store", store);
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("Row 1: template 'desk' parameter '@Alias': alias maps are read by Cisco SPA/MPP/ATA phones only", r.StdErr);
            Assert.Contains("Row 2: template 'nomap' parameter '@Alias': the template names GPP_C as the alias map but gives it no value", r.StdErr);
            Assert.Contains("Row 3: template 'norule' parameter '@Alias': no Profile_Rule of the template fetches with [--alias a]", r.StdErr);
            Assert.Contains("Row 4: template 'badmap' parameter 'GPP_A': Alias map: to write a customer XML, at least one source path must start at the document's root element", r.StdErr);
            Assert.False(Directory.Exists(dir.File("out")) && Directory.GetFiles(dir.File("out")).Length > 0);
        }
    }
}
