using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Tests.Support;
using Xunit;
using static PrivateProvisioning.Tests.Formats.FormatTestData;

namespace PrivateProvisioning.Tests.Formats
{
    /// <summary>Reading any profile for troubleshooting: Core's ProfileFileReader and pprov profile show/diff end to end.</summary>
    public class ProfileFileReaderTests
    {
        private static string Vector(params string[] parts) => Path.Combine(new[] { TestPaths.Vectors }.Concat(parts).ToArray());

        [Theory]
        [InlineData(ProfileFormat.CiscoSpa)]
        [InlineData(ProfileFormat.CiscoSep)]
        [InlineData(ProfileFormat.Panasonic)]
        [InlineData(ProfileFormat.PrivateWave)]
        [InlineData(ProfileFormat.Linphone)]
        public void Detects_the_format_of_what_each_writer_writes(ProfileFormat format)
        {
            var account = Account();
            account.UserId = "1";
            account.SipServer = "pbx";
            var bytes = ProfileFormats.GetWriter(format).Render(Document(account));
            Assert.Equal(format, ProfileFileReader.Detect(bytes, "x"));
        }

        [Fact]
        public void Detects_the_vectors_and_wrapped_cisco_profiles()
        {
            Assert.Equal(ProfileFormat.Panasonic, ProfileFileReader.Detect(File.ReadAllBytes(Vector("panasonic", "ConfigCommon.cfg")), "c"));
            Assert.Equal(ProfileFormat.CiscoSep, ProfileFileReader.Detect(File.ReadAllBytes(Vector("cisco", "sgn", "SEP001122334455.cnf.xml")), "s"));
            Assert.Equal(ProfileFormat.CiscoSpa, ProfileFileReader.Detect(Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><!-- x --><device><flat-profile/></device>"), "d"));
            var ex = Assert.Throws<ProvisioningException>(() => ProfileFileReader.Detect(Encoding.UTF8.GetBytes("PROFILE 1"), "odd.bin"));
            Assert.Equal("UnknownProfileFormat", ex.ErrorId);
        }

        [Fact]
        public void Hides_secrets_unless_asked()
        {
            var content = File.ReadAllBytes(Vector("panasonic", "Config0080F0A1B2C3.cfg"));
            var hidden = ProfileFileReader.Read(content, "p.cfg");
            var pass = hidden.Single(p => p.Name == "SIP_PASS_1");
            Assert.True(pass.IsSecret);
            Assert.Null(pass.Value);
            Assert.Null(hidden.Single(p => p.Name == "ADMIN_PASS").Value);
            Assert.Equal("Alice Example", hidden.Single(p => p.Name == "DISPLAY_NAME_1").Value);
            Assert.Equal("Xq7-example-1001", ProfileFileReader.Read(content, "p.cfg", revealSecrets: true).Single(p => p.Name == "SIP_PASS_1").Value);
        }

        [Fact]
        public void An_alias_map_only_applies_to_cisco_xml()
        {
            var ex = Assert.Throws<ProvisioningException>(() =>
                ProfileFileReader.Read(File.ReadAllBytes(Vector("panasonic", "ConfigCommon.cfg")), "c.cfg", aliasMap: "/a = /flat-profile/B"));
            Assert.Equal("AliasMapNotApplicable", ex.ErrorId);
        }

        [Fact]
        public void Pprov_profile_show_prints_parameters_without_secrets()
        {
            var result = ProcessRunner.Pprov("profile", "show", Vector("panasonic", "Config0080F0A1B2C3.cfg"));
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("DISPLAY_NAME_1 = Alice Example", result.StdOut);
            Assert.Contains("SIP_PASS_1 = (secret)", result.StdOut);
            Assert.DoesNotContain("Xq7-example-1001", result.StdOut + result.StdErr);

            var json = ProcessRunner.Pprov("profile", "show", "--json", "--show-secrets", Vector("cisco", "sgn", "SEP001122334455.cnf.xml"));
            Assert.Equal(0, json.ExitCode);
            var lines = json.StdOut.Split('\n', System.StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            var password = lines.Single(l => l.GetProperty("name").GetString()!.EndsWith("authPassword"));
            Assert.Equal("test-only-secret", password.GetProperty("value").GetString());
            Assert.Equal("CiscoSep", password.GetProperty("format").GetString());
        }

        [Fact]
        public void Pprov_profile_show_reports_a_bad_file_and_goes_on()
        {
            using var dir = new TempDirectory();
            File.WriteAllText(dir.File("bad.xml"), "<flat-profile><A>1</flat-profile>");
            File.WriteAllText(dir.File("good.xml"), "<flat-profile><A>1</A></flat-profile>");
            var result = ProcessRunner.Pprov("profile", "show", dir.File("bad.xml"), dir.File("good.xml"));
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("bad.xml: line 1", result.StdErr);
            Assert.Contains("A = 1", result.StdOut);
            Assert.Equal(2, ProcessRunner.Pprov("profile", "show", "--format", "Yealink", dir.File("good.xml")).ExitCode);
        }

        [Fact]
        public void Pprov_profile_diff_names_changes_and_hides_secret_values()
        {
            using var dir = new TempDirectory();
            File.WriteAllText(dir.File("old.xml"), "<flat-profile><Resync_Periodic>3600</Resync_Periodic><Password_1_>oldpw</Password_1_></flat-profile>");
            File.WriteAllText(dir.File("new.xml"), "<device><flat-profile><Resync_Periodic>60</Resync_Periodic><Password_1_>newpw</Password_1_></flat-profile></device>");
            var result = ProcessRunner.Pprov("profile", "diff", dir.File("old.xml"), dir.File("new.xml"));
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("~ Resync_Periodic: '3600' -> '60'", result.StdOut);
            Assert.Contains("~ Password_1_ (secret, changed)", result.StdOut);
            Assert.DoesNotContain("pw", result.StdOut.Replace("Password", ""));
            Assert.Equal(0, ProcessRunner.Pprov("profile", "diff", dir.File("old.xml"), dir.File("old.xml")).ExitCode);
        }
    }
}
