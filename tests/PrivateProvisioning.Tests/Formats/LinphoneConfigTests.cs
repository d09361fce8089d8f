using System.Linq;
using System.Text;
using System.Xml;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using Xunit;
using static PrivateProvisioning.Tests.Formats.FormatTestData;

namespace PrivateProvisioning.Tests.Formats
{
    /// <summary>Linphone remote-provisioning XML (privatewave.md §4.1).</summary>
    public class LinphoneConfigTests
    {
        private static readonly IProfileFormatWriter Writer = ProfileFormats.GetWriter(ProfileFormat.Linphone);
        private static readonly IProfileFormatReader Reader = ProfileFormats.GetReader(ProfileFormat.Linphone);

        private static ProfileDocument Softphone(string readOnly = "true")
        {
            var account = Account();
            account.UserId = "ann";
            account.AuthId = "ann-auth";
            account.Password = "s3<r>t";
            account.DisplayName = "Ann \"Q\" & Co";
            account.SipServer = "sip.example.org";
            account.ExtraColumns = Pairs("proxy_0/reg_expires", "600", "PinMaxRetries", "");
            return Document(account, "softphone",
                Pairs("sip/media_encryption", "zrtp", "sip/media_encryption_mandatory", "1", "misc/transient_provisioning", "1"),
                Pairs("PTime", "20", "RingingTimeout", "45", "HistoryLogSize", "50", "SipProxyPort", "5061", "ReadOnlySettings", readOnly, "Pin", "mandatory",
                    "PinMaxRetries", "5", "CertificatePassword", "never-written"));
        }

        [Fact]
        public void Known_answer_file_byte_for_byte()
        {
            var bytes = Writer.Render(Softphone());
            Assert.Equal(Encoding.UTF8.GetString(Expected("Linphone-000e08abcdef.xml")), Encoding.UTF8.GetString(bytes));
            Assert.Equal(Expected("Linphone-000e08abcdef.xml"), bytes);
            Assert.Equal("linphone-$MA.xml", Writer.DefaultFileNameRule);
        }

        [Fact]
        public void Secrets_of_the_profile_are_not_copied_into_the_private_section() =>
            Assert.DoesNotContain("never-written", Encoding.UTF8.GetString(Writer.Render(Softphone())));

        [Fact]
        public void Is_namespace_qualified_as_the_xsd_requires()
        {
            var xml = new XmlDocument();
            xml.LoadXml(Encoding.UTF8.GetString(Writer.Render(Softphone())));
            Assert.Equal("config", xml.DocumentElement!.LocalName);
            Assert.Equal(LinphoneConfigWriter.Namespace, xml.DocumentElement.NamespaceURI);
            Assert.All(xml.GetElementsByTagName("entry").Cast<XmlElement>(), e => Assert.Equal(LinphoneConfigWriter.Namespace, e.NamespaceURI));
        }

        [Fact]
        public void Validates_against_the_lpconfig_schema()
        {
            var schemas = new System.Xml.Schema.XmlSchemaSet();
            schemas.Add(LinphoneConfigWriter.Namespace, System.IO.Path.Combine(ExpectedFolder, "lpconfig.xsd"));
            var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = schemas };
            var errors = new System.Collections.Generic.List<string>();
            settings.ValidationEventHandler += (_, e) => errors.Add(e.Message);
            using (var reader = XmlReader.Create(new System.IO.MemoryStream(Writer.Render(Softphone())), settings)) while (reader.Read()) { }
            Assert.Empty(errors);
            // The schema is strict enough to catch a wrong document.
            using (var reader = XmlReader.Create(new System.IO.StringReader("<config xmlns=\"" + LinphoneConfigWriter.Namespace + "\"><section><entry name=\"a\">1</entry></section></config>"), settings))
                while (reader.Read()) { }
            Assert.NotEmpty(errors);
        }

        [Fact]
        public void Without_read_only_settings_only_the_account_overwrites()
        {
            var text = Encoding.UTF8.GetString(Writer.Render(Softphone(readOnly: "false")));
            Assert.Contains("<entry name=\"inc_timeout\">45</entry>", text);
            Assert.Contains("<entry name=\"passwd\" overwrite=\"true\">", text);
            Assert.Contains("<entry name=\"reg_expires\">600</entry>", text);
        }

        [Fact]
        public void Reads_back_what_it_wrote_and_is_byte_stable()
        {
            var doc = Softphone();
            var bytes = Writer.Render(doc);
            Assert.Equal(bytes, Writer.Render(doc));
            var read = Reader.Parse(bytes, "l.xml");
            Assert.Equal(LinphoneConfigWriter.MergeParameters(doc), read);
            Assert.Equal("\"Ann \\\"Q\\\" & Co\" <sip:ann@sip.example.org>", read.Single(p => p.Key == "proxy_0/reg_identity").Value);
            Assert.Equal(read, ProfileFormats.ExpectedParameters(ProfileFormat.Linphone, doc));
        }

        [Fact]
        public void Reader_follows_xml2lpc_rules()
        {
            var xml = "<config><section name=\"sip\"><entry name=\"a\">1</entry><entry>no name</entry><other name=\"x\">y</other>" +
                      "<entry name=\"a\" overwrite=\"true\">2</entry><entry name=\"empty\"/></section><section><entry name=\"lost\">z</entry></section>" +
                      "<junk><entry name=\"deep\">q</entry></junk></config>";
            Assert.Equal(Pairs("sip/a", "2", "sip/empty", ""), Reader.Parse(Encoding.UTF8.GetBytes(xml), "x.xml"));
        }

        [Theory]
        [InlineData("media_encryption", "zrtp", "InvalidParameterName")]
        [InlineData("sip/", "zrtp", "InvalidParameterName")]
        [InlineData("sip/user_agent", "a\nb", "ValueNotRepresentable")]
        [InlineData("RingingTimeout", "soon", "InvalidSettingValue")]
        public void Bad_columns_name_row_and_column(string column, string value, string errorId)
        {
            var account = Account(row: 31);
            account.ExtraColumns = Pairs(column, value);
            var ex = Assert.Throws<ProvisioningException>(() => Writer.Render(Document(account)));
            Assert.Equal(errorId, ex.ErrorId);
            Assert.Contains($"Row 31, column '{column}'", ex.Message);
        }

        [Theory]
        [InlineData("<flat-profile/>", "NotLinphoneConfig")]
        [InlineData("<config><section name=\"a\"></config>", "InvalidProfileXml")]
        public void Reader_refuses_garbage(string xml, string errorId)
        {
            var ex = Assert.Throws<ProvisioningException>(() => Reader.Parse(Encoding.UTF8.GetBytes(xml), "bad.xml"));
            Assert.Equal(errorId, ex.ErrorId);
            Assert.Contains("bad.xml", ex.Message);
        }
    }
}
