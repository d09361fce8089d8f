using System.Collections.Generic;
using System.Linq;
using System.Text;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using Xunit;
using static PrivateProvisioning.Tests.Formats.FormatTestData;

namespace PrivateProvisioning.Tests.Formats
{
    /// <summary>The &lt;flat-profile&gt; writer and reader against cisco-spa-mpp.md §3.</summary>
    public class CiscoFlatProfileTests
    {
        private static readonly IProfileFormatWriter Writer = ProfileFormats.GetWriter(ProfileFormat.CiscoSpa);
        private static readonly IProfileFormatReader Reader = ProfileFormats.GetReader(ProfileFormat.CiscoSpa);

        internal static ProfileDocument FullDocument()
        {
            var account = Account();
            account.UserId = "u201";
            account.AuthId = "a201";
            account.Password = "p<w&d\"'";
            account.DisplayName = "Jürgen & Co 📞";
            account.Extension = "201";
            account.SipServer = "sip.example.net";
            account.ExtraColumns = Pairs("Resync_Periodic", "7200", "Station_Name", "Front desk", "Voice_Mail_Number", "");
            return Document(account, "office", Pairs(
                "Resync_On_Reset", "Yes",
                "Resync_Periodic", "3600",
                "Resync_At__HHmm_", "0300",
                "Dial_Plan_1_", "(S0 <:18005551212>|[2-9]xxxxxxxxx)",
                "Voice_Mail_Number", ""));
        }

        [Fact]
        public void Known_answer_file_from_the_spec_byte_for_byte()
        {
            var bytes = Writer.Render(FullDocument());
            Assert.Equal(Encoding.UTF8.GetString(Expected("CiscoSpa-000e08abcdef.xml")), Encoding.UTF8.GetString(bytes));
            Assert.Equal(Expected("CiscoSpa-000e08abcdef.xml"), bytes);
        }

        [Fact]
        public void Output_is_ascii_utf8_without_bom_with_lf_line_ends()
        {
            var bytes = Writer.Render(FullDocument());
            Assert.NotEqual(0xEF, bytes[0]);
            Assert.All(bytes, b => Assert.True(b < 0x80));
            Assert.DoesNotContain((byte)'\r', bytes);
            Assert.Equal((byte)'\n', bytes[bytes.Length - 1]);
        }

        [Fact]
        public void Same_input_gives_the_same_bytes()
        {
            var a = Writer.Render(FullDocument());
            var b = Writer.Render(FullDocument());
            Assert.Equal(a, b);
        }

        [Fact]
        public void Default_file_name_rule_is_MA_xml() => Assert.Equal("$MA.xml", Writer.DefaultFileNameRule);

        [Fact]
        public void Reads_back_what_it_wrote()
        {
            var doc = FullDocument();
            var read = Reader.Parse(Writer.Render(doc), "x.xml");
            Assert.Equal(CiscoFlatProfileWriter.MergeParameters(doc), read);
            Assert.Equal("Jürgen & Co 📞", read.Single(p => p.Key == "Display_Name_1_").Value);
            Assert.Equal("p<w&d\"'", read.Single(p => p.Key == "Password_1_").Value);
            Assert.Equal("7200", read.Single(p => p.Key == "Resync_Periodic").Value);
        }

        [Fact]
        public void Template_comments_become_xml_comments()
        {
            var text = Encoding.UTF8.GetString(Writer.Render(Document(Account(), "t", Pairs("#", " Resync ", "Resync_Periodic", "60", "", ""))));
            Assert.Equal("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<flat-profile>\n  <!-- Resync -->\n  <Resync_Periodic>60</Resync_Periodic>\n\n</flat-profile>\n", text);
        }

        [Fact]
        public void Nested_router_settings_of_the_ATAs_are_written_as_elements_and_read_back()
        {
            var account = Account();
            account.UserId = "300";
            var doc = Document(account, "ata", Pairs("Resync_Periodic", "60", "router-configuration/Time_Setup/Time_Zone", "GMT+12:00",
                "router-configuration/Web_Login_Admin_Name", "admin", "router-configuration/Time_Setup/Auto_Adjust_Clock", "yes"));
            var text = Encoding.UTF8.GetString(Writer.Render(doc));
            Assert.Equal("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<flat-profile>\n  <Resync_Periodic>60</Resync_Periodic>\n" +
                         "  <router-configuration>\n    <Time_Setup>\n      <Time_Zone>GMT+12:00</Time_Zone>\n      <Auto_Adjust_Clock>yes</Auto_Adjust_Clock>\n" +
                         "    </Time_Setup>\n    <Web_Login_Admin_Name>admin</Web_Login_Admin_Name>\n  </router-configuration>\n" +
                         "  <Line_Enable_1_>Yes</Line_Enable_1_>\n  <User_ID_1_>300</User_ID_1_>\n</flat-profile>\n", text);
            Assert.Equal(ProfileFormats.ExpectedParameters(ProfileFormat.CiscoSpa, doc), Reader.Parse(Encoding.UTF8.GetBytes(text), "a.xml"));
            account.ExtraColumns = Pairs("router-configuration", "x");
            Assert.Contains("already holds other elements", Assert.Throws<ProvisioningException>(() => Writer.Render(doc)).Message);
        }

        [Fact]
        public void Extension_stands_in_for_a_missing_user_id()
        {
            var account = Account();
            account.Extension = "305";
            var read = Reader.Parse(Writer.Render(Document(account)), "x.xml");
            Assert.Equal(Pairs("Line_Enable_1_", "Yes", "Short_Name_1_", "305", "User_ID_1_", "305"), read);
        }

        [Theory]
        [InlineData("DisplayName", "Ann\nBerg", 4, "U+000A")]
        [InlineData("DisplayName", "Ann\u0007", 4, "U+0007")]
        public void A_value_with_a_character_the_profile_cannot_hold_names_row_column_and_position(string column, string value, int position, string code)
        {
            var account = Account(row: 17);
            account.DisplayName = value;
            var ex = Assert.Throws<ProvisioningException>(() => Writer.Render(Document(account)));
            Assert.Equal("ValueNotRepresentable", ex.ErrorId);
            Assert.Equal(ErrorKind.InvalidData, ex.Kind);
            Assert.Contains("Row 17", ex.Message);
            Assert.Contains($"column '{column}'", ex.Message);
            Assert.Contains($"character {position}", ex.Message);
            Assert.Contains(code, ex.Message);
        }

        [Fact]
        public void An_unpaired_surrogate_is_refused()
        {
            var account = Account(row: 4);
            account.DisplayName = "Ann" + (char)0xD800 + "x";
            var ex = Assert.Throws<ProvisioningException>(() => Writer.Render(Document(account)));
            Assert.Contains("Row 4, column 'DisplayName' (Display_Name_1_): character 4", ex.Message);
            Assert.Contains("U+D800", ex.Message);
        }

        [Fact]
        public void A_bad_password_is_named_but_never_shown()
        {
            var account = Account(row: 3);
            account.Password = "Secr3t\nTail";
            var ex = Assert.Throws<ProvisioningException>(() => Writer.Render(Document(account)));
            Assert.Contains("Row 3, column 'Password' (Password_1_)", ex.Message);
            Assert.DoesNotContain("Secr3t", ex.Message);
            Assert.DoesNotContain("Tail", ex.Message);
            Assert.DoesNotContain("U+000A", ex.Message);
        }

        [Fact]
        public void Edge_spaces_are_refused_because_the_phone_strips_them()
        {
            var account = Account(row: 5);
            account.ExtraColumns = Pairs("Station_Name", "Lobby ");
            var ex = Assert.Throws<ProvisioningException>(() => Writer.Render(Document(account)));
            Assert.Contains("Row 5, column 'Station_Name'", ex.Message);
            Assert.Contains("starts or ends with a space", ex.Message);
        }

        [Fact]
        public void A_template_value_error_names_the_template_parameter()
        {
            var ex = Assert.Throws<ProvisioningException>(() => Writer.Render(Document(Account(row: 9), "lobby", Pairs("Text_Logo", "a\tb"))));
            Assert.Contains("Row 9, template 'lobby' parameter 'Text_Logo'", ex.Message);
        }

        [Theory]
        [InlineData("Site Name")]
        [InlineData("1st")]
        [InlineData("a<b")]
        [InlineData("xmlThing")]
        [InlineData("router-configuration//Time_Zone")]
        public void A_column_that_is_not_an_element_name_is_refused(string name)
        {
            var account = Account(row: 2);
            account.ExtraColumns = Pairs(name, "x");
            var ex = Assert.Throws<ProvisioningException>(() => Writer.Render(Document(account)));
            Assert.Equal("InvalidParameterName", ex.ErrorId);
            Assert.Contains("Row 2", ex.Message);
        }

        [Fact]
        public void Reader_finds_the_flat_profile_inside_wrappers_and_keeps_ua_and_keep_forms()
        {
            var xml = "<?xml version=\"1.0\"?>\r\n<device><generator>x</generator><flat-profile device=\"spa\">\r\n" +
                      "<!-- comment --><Dial_Plan_1_ ua=\"ro\"> (x.)\r\n|(S0 &lt;:1&gt;) </Dial_Plan_1_>\r\n" +
                      "<Speed_Dial_2_ ua=\"rw\"/><Station_Name></Station_Name><Resync_Periodic>10</Resync_Periodic>" +
                      "<Resync_Periodic>20</Resync_Periodic><router-configuration><Time_Setup><Time_Zone>GMT&#x2e;</Time_Zone></Time_Setup></router-configuration>" +
                      "</flat-profile></device>";
            var bytes = Encoding.UTF8.GetBytes(xml);
            var detailed = CiscoFlatProfileReader.ReadParameters(bytes, "c.xml");
            Assert.Equal(FlatProfileAccess.ReadOnly, detailed[0].Access);
            Assert.Equal("(x.) |(S0 <:1>)", detailed[0].Value);
            Assert.True(detailed[1].KeepsCurrentValue);
            Assert.Equal(FlatProfileAccess.ReadWrite, detailed[1].Access);
            Assert.Equal(5, detailed[1].LineNumber);
            Assert.Equal(Pairs("Dial_Plan_1_", "(x.) |(S0 <:1>)", "Station_Name", "", "Resync_Periodic", "20",
                "router-configuration/Time_Setup/Time_Zone", "GMT."), Reader.Parse(bytes, "c.xml"));
            var topLevel = Encoding.UTF8.GetBytes("<top-level><flat-profile><A>1</A></flat-profile></top-level>");
            Assert.Equal(Pairs("A", "1"), Reader.Parse(topLevel, "t.xml"));
        }

        [Theory]
        [InlineData("<flat-profile><A>1</flat-profile>", "InvalidProfileXml", "line 1")]
        [InlineData("<device><A>1</A></device>", "NoFlatProfile", "no <flat-profile>")]
        [InlineData("<!DOCTYPE x [<!ENTITY e \"v\">]><flat-profile><A>&e;</A></flat-profile>", "InvalidProfileXml", "DTD")]
        [InlineData("<flat-profile><A ua=\"admin\">1</A></flat-profile>", "InvalidUserAccess", "ua=\"admin\"")]
        public void Reader_refuses_garbage_with_a_clean_error(string xml, string errorId, string fragment)
        {
            var ex = Assert.Throws<ProvisioningException>(() => Reader.Parse(Encoding.UTF8.GetBytes(xml), "bad.xml"));
            Assert.Equal(errorId, ex.ErrorId);
            Assert.Contains("bad.xml", ex.Message);
            Assert.Contains(fragment, ex.Message);
        }

        [Fact]
        public void Random_values_round_trip_or_fail_cleanly()
        {
            var random = new System.Random(1234);
            for (int n = 0; n < 2000; n++)
            {
                var chars = new char[random.Next(0, 12)];
                for (int i = 0; i < chars.Length; i++) chars[i] = (char)(random.Next(4) == 0 ? random.Next(0, 0x3000) : random.Next(0x20, 0x7F));
                var value = new string(chars);
                var account = Account(row: n + 1);
                account.ExtraColumns = Pairs("Station_Name", value);
                byte[] bytes;
                try { bytes = Writer.Render(Document(account)); }
                catch (ProvisioningException ex) { Assert.Equal("ValueNotRepresentable", ex.ErrorId); continue; }
                var expected = value.Length == 0 ? new List<KeyValuePair<string, string>>() : Pairs("Station_Name", value);
                Assert.Equal(expected, Reader.Parse(bytes, "r.xml"));
            }
        }
    }
}
