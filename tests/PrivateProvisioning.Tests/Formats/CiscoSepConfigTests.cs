using System.IO;
using System.Linq;
using System.Text;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Tests.Support;
using Xunit;
using static PrivateProvisioning.Tests.Formats.FormatTestData;

namespace PrivateProvisioning.Tests.Formats
{
    /// <summary>SEP&lt;MAC&gt;.cnf.xml against the usecallmanager vector (vectors/cisco/sgn) it was signed from.</summary>
    public class CiscoSepConfigTests
    {
        private static readonly IProfileFormatWriter Writer = ProfileFormats.GetWriter(ProfileFormat.CiscoSep);
        private static readonly IProfileFormatReader Reader = ProfileFormats.GetReader(ProfileFormat.CiscoSep);

        private static byte[] Vector(params string[] parts) =>
            File.ReadAllBytes(Path.Combine(new[] { TestPaths.Vectors, "cisco" }.Concat(parts).ToArray()));

        private static System.Collections.Generic.List<System.Collections.Generic.KeyValuePair<string, string>> SecureTemplate(string mode = "1") => Pairs(
            "fullConfig", "true",
            "deviceProtocol", "SIP",
            "ipAddressMode", "0",
            "loadInformation", "sip88xx.14-2-1-0001-14",
            "capfAuthMode", "0",
            "capfList/capf/phonePort", "3804",
            "deviceSecurityMode", mode,
            "transportLayerProtocol", "2");

        [Fact]
        public void Reproduces_the_usecallmanager_vector_byte_for_byte()
        {
            var account = Account(row: 1, mac: "001122334455");
            account.UserId = "100";
            account.Password = "test-only-secret";
            var bytes = Writer.Render(Document(account, "secure-88xx", SecureTemplate()));
            Assert.Equal(Encoding.UTF8.GetString(Vector("sgn", "SEP001122334455.cnf.xml")), Encoding.UTF8.GetString(bytes));
            Assert.Equal(Vector("sgn", "SEP001122334455.cnf.xml"), bytes);
            Assert.Equal("SEP$MAU.cnf.xml", Writer.DefaultFileNameRule);
        }

        [Fact]
        public void Security_mode_names_become_the_numbers_the_phone_reads()
        {
            var account = Account(row: 1, mac: "001122334455");
            account.UserId = "100";
            account.Password = "test-only-secret";
            Assert.Equal(Vector("sgn", "SEP001122334455.cnf.xml"), Writer.Render(Document(account, "t", SecureTemplate("NonSecure"))));
            var encrypted = Reader.Parse(Writer.Render(Document(account, "t", SecureTemplate("Encrypted"))), "x");
            Assert.Equal("3", encrypted.Single(p => p.Key == "deviceSecurityMode").Value);
        }

        [Fact]
        public void Reads_the_vector_and_the_enccnf_stub()
        {
            var read = Reader.Parse(Vector("sgn", "SEP001122334455.cnf.xml"), "SEP001122334455.cnf.xml");
            Assert.Equal(Pairs(
                "fullConfig", "true", "deviceProtocol", "SIP", "ipAddressMode", "0", "loadInformation", "sip88xx.14-2-1-0001-14",
                "capfAuthMode", "0", "capfList/capf/phonePort", "3804", "deviceSecurityMode", "1", "transportLayerProtocol", "2",
                "sipProfile/sipLines/line[button=1]/featureID", "9", "sipProfile/sipLines/line[button=1]/name", "100",
                "sipProfile/sipLines/line[button=1]/authName", "100", "sipProfile/sipLines/line[button=1]/authPassword", "test-only-secret"), read);
            var stub = Reader.Parse(Vector("enc", "stub-payload", "SEP001122334455.cnf.xml"), "stub");
            Assert.Equal("true", stub.Single(p => p.Key == "encrConfig").Value);
            Assert.Equal("be508ef5168900da7738a17a4a283c48", stub.Single(p => p.Key == "certHash").Value);
        }

        [Fact]
        public void Full_account_round_trips_with_escaping_and_a_second_line()
        {
            var account = Account(row: 2);
            account.Extension = "200";
            account.AuthId = "auth200";
            account.DisplayName = "R&D <lab> \"Zoë\"";
            account.Password = "p<&>\"'";
            account.SipServer = "pbx.example.net";
            account.ExtraColumns = Pairs("sipProfile/sipLines/line[button=2]/featureID", "9", "sipProfile/sipLines/line[button=2]/name", "201",
                "sipProfile/phoneLabel", "Lab & Co");
            var doc = Document(account, "t", SecureTemplate());
            var bytes = Writer.Render(doc);
            Assert.Equal(bytes, Writer.Render(doc));
            var text = Encoding.UTF8.GetString(bytes);
            Assert.Contains("      <line button=\"2\">\n", text);
            Assert.Contains("<displayName>R&amp;D &lt;lab&gt; \"Zoë\"</displayName>", text);
            Assert.Contains("<member priority=\"0\">", text);
            Assert.Equal(CiscoSepConfigWriter.MergeParameters(doc), Reader.Parse(bytes, "x"));
        }

        [Theory]
        [InlineData("deviceSecurityMode", "4", "ValueNotRepresentable", "deviceSecurityMode must be")]
        [InlineData("transportLayerProtocol", "TLS", "ValueNotRepresentable", "transportLayerProtocol must be")]
        [InlineData("sipProfile//x", "1", "InvalidParameterName", "element path")]
        [InlineData("line[button]/name", "1", "InvalidParameterName", "element path")]
        [InlineData("fullConfig/inner", "1", "ValueNotRepresentable", "already has a value")]
        [InlineData("capfList", "1", "ValueNotRepresentable", "already holds other elements")]
        public void Bad_template_or_column_values_name_row_and_column(string column, string value, string errorId, string fragment)
        {
            var account = Account(row: 14);
            account.ExtraColumns = Pairs(column, value);
            var ex = Assert.Throws<ProvisioningException>(() => Writer.Render(Document(account, "t", SecureTemplate())));
            Assert.Equal(errorId, ex.ErrorId);
            Assert.Contains($"Row 14, column '{column}'", ex.Message);
            Assert.Contains(fragment, ex.Message);
        }

        [Fact]
        public void Template_comments_are_written_in_place_and_ignored_on_reading()
        {
            var doc = Document(Account(), "t", Pairs("#", " generated: do not edit ", "fullConfig", "true", "", "", "#", " security ", "deviceSecurityMode", "Authenticated"));
            var text = Encoding.UTF8.GetString(Writer.Render(doc));
            Assert.Equal("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<device>\n  <!-- generated: do not edit -->\n  <fullConfig>true</fullConfig>\n\n" +
                         "  <!-- security -->\n  <deviceSecurityMode>2</deviceSecurityMode>\n</device>\n", text);
            Assert.Equal(Pairs("fullConfig", "true", "deviceSecurityMode", "2"), Reader.Parse(Encoding.UTF8.GetBytes(text), "c"));
            var bad = Document(Account(row: 4), "t", Pairs("#", " a -- b "));
            Assert.Contains("Row 4, template 't' comment", Assert.Throws<ProvisioningException>(() => Writer.Render(bad)).Message);
        }

        [Fact]
        public void A_bad_password_is_not_shown()
        {
            var account = Account(row: 5);
            account.UserId = "1";
            account.Password = "topsecret\u0001";
            var ex = Assert.Throws<ProvisioningException>(() => Writer.Render(Document(account)));
            Assert.Contains("Row 5, column 'Password' (sipProfile/sipLines/line[button=1]/authPassword): character 10", ex.Message);
            Assert.DoesNotContain("topsecret", ex.Message);
        }

        [Theory]
        [InlineData("<flat-profile/>", "NotADeviceConfig")]
        [InlineData("<device><a></device>", "InvalidProfileXml")]
        [InlineData("<!DOCTYPE device SYSTEM \"http://127.0.0.1/x.dtd\"><device/>", "InvalidProfileXml")]
        public void Reader_refuses_garbage(string xml, string errorId)
        {
            var ex = Assert.Throws<ProvisioningException>(() => Reader.Parse(Encoding.UTF8.GetBytes(xml), "g.cnf.xml"));
            Assert.Equal(errorId, ex.ErrorId);
            Assert.Contains("g.cnf.xml", ex.Message);
        }
    }
}
