using System.Collections.Generic;
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
    /// <summary>The Panasonic standard format (panasonic.md §1, §7) against ../shared/vectors/panasonic.</summary>
    public class PanasonicConfigTests
    {
        private static readonly IProfileFormatWriter Writer = ProfileFormats.GetWriter(ProfileFormat.Panasonic);
        private static readonly IProfileFormatReader Reader = ProfileFormats.GetReader(ProfileFormat.Panasonic);

        private static byte[] Vector(string name) => File.ReadAllBytes(Path.Combine(TestPaths.Vectors, "panasonic", name));

        /// <summary>Template entries written compactly: "" is a blank line, "#text" a comment, "NAME=value" a parameter (no quotes).</summary>
        private static List<KeyValuePair<string, string>> Template(params string[] lines)
        {
            var list = new List<KeyValuePair<string, string>>();
            foreach (var line in lines)
            {
                if (line.Length == 0) list.Add(new KeyValuePair<string, string>("", ""));
                else if (line[0] == '#') list.Add(new KeyValuePair<string, string>("#", line.Substring(1)));
                else
                {
                    int eq = line.IndexOf('=');
                    list.Add(new KeyValuePair<string, string>(line.Substring(0, eq), line.Substring(eq + 1)));
                }
            }
            return list;
        }

        private static readonly string[] LinePlaceholders = { "PHONE_NUMBER_1=", "SIP_URI_1=", "DISPLAY_NAME_1=", "SIP_AUTHID_1=", "SIP_PASS_1=", "SIP_RGSTR_ADDR_1=" };

        [Fact]
        public void Reproduces_the_KX_HDV230_vector_byte_for_byte()
        {
            var template = Template(new[]
            {
                "# PrivateProvisioning sample vector (illustrative data, not from a real site)",
                "# Role: standard (per-device) file, fetched via CFG_STANDARD_FILE_PATH=.../Config{MAC}.cfg",
                "# Model: KX-HDV230   MAC: 0080F0A1B2C3   Lines used: 2",
                "",
                "## Provisioning",
                "CFG_STANDARD_FILE_PATH=https://prov.example.com/panasonic/Config{MAC}.cfg",
                "CFG_MASTER_FILE_PATH=https://prov.example.com/panasonic/ConfigCommon.cfg",
                "CFG_RESYNC_FROM_SIP=check-sync",
                "",
                "## Line 1 - personal extension",
            }.Concat(LinePlaceholders).Concat(new[]
            {
                "SIP_RGSTR_PORT_1=5060", "SIP_PRXY_ADDR_1=", "SIP_PRXY_PORT_1=5060", "SIP_SVCDOMAIN_1=", "SIP_TRANSPORT_1=0",
                "SIP_SRC_PORT_1=5060", "REG_EXPIRE_TIME_1=3600", "REG_INTERVAL_RATE_1=90", "VM_NUMBER_1=*97",
                "",
                "## Line 2 - sales group",
                "PHONE_NUMBER_2=", "SIP_URI_2=", "DISPLAY_NAME_2=", "SIP_AUTHID_2=", "SIP_PASS_2=",
                "SIP_RGSTR_ADDR_2=pbx.example.com", "SIP_RGSTR_PORT_2=5060", "SIP_PRXY_ADDR_2=pbx.example.com", "SIP_PRXY_PORT_2=5060",
                "SIP_SVCDOMAIN_2=pbx.example.com", "SIP_TRANSPORT_2=0", "SIP_SRC_PORT_2=5070", "REG_EXPIRE_TIME_2=3600", "VM_NUMBER_2=*97",
                "",
                "## Web user interface accounts",
                "ADMIN_ID=admin",
                "ADMIN_PASS=",
            }).ToArray());
            var account = Account(row: 1, mac: "0080F0A1B2C3");
            account.Model = "KX-HDV230";
            account.Extension = "1001";
            account.UserId = "1001";
            account.DisplayName = "Alice Example";
            account.AuthId = "1001";
            account.Password = "Xq7-example-1001";
            account.SipServer = "pbx.example.com";
            account.ExtraColumns = Pairs("PHONE_NUMBER_2", "1051", "SIP_URI_2", "1051", "DISPLAY_NAME_2", "Sales", "SIP_AUTHID_2", "1051",
                "SIP_PASS_2", "Mz4-example-1051", "ADMIN_PASS", "Adm-example-4711");
            var bytes = Writer.Render(Document(account, "hdv230", template));
            Assert.Equal(Encoding.UTF8.GetString(Vector("Config0080F0A1B2C3.cfg")), Encoding.UTF8.GetString(bytes));
            Assert.Equal(Vector("Config0080F0A1B2C3.cfg"), bytes);
        }

        [Fact]
        public void Reproduces_the_KX_TGP600_vector_byte_for_byte()
        {
            var template = Template(
                "# PrivateProvisioning sample vector (illustrative data, not from a real site)",
                "# Role: standard (per-device) file for a DECT base station",
                "# Model: KX-TGP600   MAC: 0080F0C4D5E6   Lines used: 2 (one per handset)",
                "",
                "## Provisioning",
                "CFG_STANDARD_FILE_PATH=http://prov.example.com/panasonic/Config{MAC}.cfg",
                "CFG_RESYNC_FROM_SIP=check-sync",
                "",
                "## Line 1 - warehouse handset",
                "PHONE_NUMBER_1=", "SIP_URI_1=", "DISPLAY_NAME_1=", "SIP_AUTHID_1=", "SIP_PASS_1=", "SIP_RGSTR_ADDR_1=",
                "SIP_RGSTR_PORT_1=5060", "SIP_PRXY_ADDR_1=", "SIP_PRXY_PORT_1=5060", "SIP_SVCDOMAIN_1=", "SIP_SRC_PORT_1=5060", "REG_EXPIRE_TIME_1=600",
                "",
                "## Line 2 - reception handset",
                "PHONE_NUMBER_2=", "SIP_URI_2=", "DISPLAY_NAME_2=", "SIP_AUTHID_2=", "SIP_PASS_2=",
                "SIP_RGSTR_ADDR_2=192.0.2.10", "SIP_RGSTR_PORT_2=5060", "SIP_PRXY_ADDR_2=192.0.2.10", "SIP_PRXY_PORT_2=5060",
                "SIP_SVCDOMAIN_2=192.0.2.10", "SIP_SRC_PORT_2=5070", "REG_EXPIRE_TIME_2=600",
                "",
                "## Handset-to-line mapping. Names come from the KX-TGP500-family sample file and are",
                "## NOT confirmed for KX-TGP600, so they are left commented out here.",
                "#INCOMING_CALL_GROUP_1=\"1,0,0,0,0,0,0\"",
                "#INCOMING_CALL_GROUP_2=\"0,1,0,0,0,0,0\"",
                "#DEFAULT_LINE_SELECT_HS1=\"1,0,0,0,0,0,0,0\"",
                "#DEFAULT_LINE_SELECT_HS2=\"0,1,0,0,0,0,0,0\"",
                "",
                "## Web user interface accounts",
                "ADMIN_ID=admin",
                "ADMIN_PASS=Adm-example-0815");
            var account = Account(row: 2, mac: "0080F0C4D5E6");
            account.Model = "KX-TGP600";
            account.Extension = "2101";
            account.DisplayName = "Warehouse 1";
            account.AuthId = "2101";
            account.Password = "Kd9-example-2101";
            account.SipServer = "192.0.2.10";
            account.ExtraColumns = Pairs("PHONE_NUMBER_2", "2102", "SIP_URI_2", "2102", "DISPLAY_NAME_2", "Reception", "SIP_AUTHID_2", "2102",
                "SIP_PASS_2", "Wr2-example-2102", "Notes", "");
            Assert.Equal(Vector("Config0080F0C4D5E6.cfg"), Writer.Render(Document(account, "tgp600", template)));
        }

        [Fact]
        public void Reproduces_the_master_file_vector_from_a_template_alone()
        {
            var template = Template(
                "# PrivateProvisioning sample vector (illustrative data, not from a real site)",
                "# Role: master file, common to all Panasonic units; fetched via CFG_MASTER_FILE_PATH",
                "",
                "## Provisioning timing: daily check at 03:15 (this disables CFG_CYCLIC and CFG_RTRY_INTVL)",
                "PROVISION_ENABLE=Y", "CFG_CYCLIC=N", "CFG_CYCLIC_INTVL=10080", "CFG_RTRY_INTVL=30", "CFG_RESYNC_TIME=03:15",
                "CFG_RESYNC_FROM_SIP=check-sync",
                "",
                "## HTTPS trust (root certificate delivered by URL)",
                "CFG_ROOT_CERTIFICATE_PATH=https://prov.example.com/panasonic/root-ca.pem",
                "",
                "## Time, logging, web UI",
                "NTP_ADDR=pool.ntp.org", "TIME_ZONE=60", "DST_ENABLE=Y", "SYSLOG_ADDR=", "SYSLOG_PORT=514", "HTTPD_PORTOPEN_AUTO=N",
                "VM_SUBSCRIBE_ENABLE=Y",
                "",
                "## Line 1 server defaults (standard file values take precedence)",
                "SIP_RGSTR_ADDR_1=pbx.example.com", "SIP_PRXY_ADDR_1=pbx.example.com", "SIP_DNSSRV_ENA_1=N");
            Assert.Equal(Vector("ConfigCommon.cfg"), Writer.Render(Document(Account(), "common", template)));
        }

        [Theory]
        [InlineData("Config0080F0A1B2C3.cfg", 34, "SIP_PASS_2", "Mz4-example-1051")]
        [InlineData("Config0080F0C4D5E6.cfg", 28, "DISPLAY_NAME_2", "Reception")]
        [InlineData("ConfigCommon.cfg", 17, "SYSLOG_ADDR", "")]
        public void Reads_the_vectors(string file, int count, string name, string value)
        {
            var read = PanasonicConfigReader.Read(Vector(file), file);
            Assert.Equal(PanasonicConfigWriter.StandardHeader, read.Header);
            Assert.Empty(read.Warnings);
            Assert.Equal(count, read.Parameters.Count);
            Assert.Equal(value, read.Parameters.Single(p => p.Key == name).Value);
            Assert.DoesNotContain(read.Parameters, p => p.Key.StartsWith("INCOMING", System.StringComparison.Ordinal));
        }

        [Fact]
        public void Output_has_header_crlf_only_and_ends_with_an_empty_line()
        {
            var account = Account();
            account.UserId = "7";
            var text = Encoding.UTF8.GetString(Writer.Render(Document(account)));
            Assert.StartsWith("# Panasonic SIP Phone Standard Format File #", text);
            Assert.EndsWith("\"\r\n\r\n", text);
            Assert.Equal(text.Count(c => c == '\n'), text.Count(c => c == '\r'));
            Assert.Equal("Config$MAU.cfg", Writer.DefaultFileNameRule);
        }

        [Fact]
        public void KX_TGP500_and_550_get_the_PCC_header()
        {
            var account = Account();
            account.Model = "KX-TGP550";
            Assert.StartsWith("# PCC Standard Format File # DO NOT CHANGE THIS LINE!\r\n", Encoding.UTF8.GetString(Writer.Render(Document(account))));
            var read = PanasonicConfigReader.Read(Writer.Render(Document(account)), "pcc.cfg");
            Assert.Equal(PanasonicConfigWriter.PccHeader, read.Header);
        }

        [Fact]
        public void A_double_quote_names_row_column_and_position()
        {
            var account = Account(row: 42);
            account.DisplayName = "Bob \"The Boss\"";
            var ex = Assert.Throws<ProvisioningException>(() => Writer.Render(Document(account)));
            Assert.Equal("ValueNotRepresentable", ex.ErrorId);
            Assert.Equal(ErrorKind.InvalidData, ex.Kind);
            Assert.Contains("Row 42, column 'DisplayName' (DISPLAY_NAME_1): character 5", ex.Message);
            Assert.Contains("double quote", ex.Message);
        }

        [Fact]
        public void A_password_with_a_quote_is_reported_without_the_password()
        {
            var account = Account(row: 8);
            account.Password = "abc\"defSECRET";
            var ex = Assert.Throws<ProvisioningException>(() => Writer.Render(Document(account)));
            Assert.Contains("Row 8, column 'Password' (SIP_PASS_1)", ex.Message);
            Assert.DoesNotContain("SECRET", ex.Message);
            Assert.DoesNotContain("abc", ex.Message);
        }

        [Theory]
        [InlineData("a\r\nb")]
        [InlineData("tab\there")]
        public void Line_breaks_and_controls_are_refused(string value)
        {
            var account = Account(row: 3);
            account.ExtraColumns = Pairs("VM_NUMBER_1", value);
            var ex = Assert.Throws<ProvisioningException>(() => Writer.Render(Document(account)));
            Assert.Contains("Row 3, column 'VM_NUMBER_1'", ex.Message);
        }

        [Fact]
        public void Value_limit_is_500_bytes_not_characters()
        {
            var account = Account(row: 4);
            account.ExtraColumns = Pairs("DISPLAY_NAME_1", new string('é', 250));
            var text = Encoding.UTF8.GetString(Writer.Render(Document(account)));
            Assert.Contains("DISPLAY_NAME_1=\"" + new string('é', 250) + "\"\r\n", text);
            account.ExtraColumns = Pairs("DISPLAY_NAME_1", new string('é', 251));
            var ex = Assert.Throws<ProvisioningException>(() => Writer.Render(Document(account)));
            Assert.Equal("ValueTooLong", ex.ErrorId);
            Assert.Contains("Row 4, column 'DISPLAY_NAME_1'", ex.Message);
            Assert.Contains("502 bytes", ex.Message);
            Assert.Contains("at most 500", ex.Message);
        }

        [Theory]
        [InlineData("display_name_1")]
        [InlineData("A_NAME_THAT_IS_LONGER_THAN_32_CHR")]
        [InlineData("SIP-PASS")]
        public void Names_outside_the_format_are_refused(string name)
        {
            var account = Account(row: 6);
            account.ExtraColumns = Pairs(name, "x");
            var ex = Assert.Throws<ProvisioningException>(() => Writer.Render(Document(account)));
            Assert.Equal("InvalidParameterName", ex.ErrorId);
            Assert.Contains("Row 6", ex.Message);
        }

        [Fact]
        public void A_line_the_model_does_not_have_is_refused()
        {
            var account = Account(row: 11);
            account.Model = "KX-HDV100";
            account.ExtraColumns = Pairs("PHONE_NUMBER_2", "1002");
            var ex = Assert.Throws<ProvisioningException>(() => Writer.Render(Document(account)));
            Assert.Equal("LineNotOnModel", ex.ErrorId);
            Assert.Contains("Row 11, column 'PHONE_NUMBER_2'", ex.Message);
            account.Model = "KX-HDV230";
            Writer.Render(Document(account));
        }

        [Fact]
        public void A_file_over_120_KB_is_refused_but_allowed_for_the_KX_UDS124()
        {
            var template = new List<KeyValuePair<string, string>>();
            for (int i = 0; i < 260; i++) template.Add(new KeyValuePair<string, string>("P" + i, new string('x', 480)));
            var account = Account(row: 12);
            var ex = Assert.Throws<ProvisioningException>(() => Writer.Render(Document(account, "big", template)));
            Assert.Equal("FileTooLarge", ex.ErrorId);
            Assert.Contains("Row 12", ex.Message);
            account.Model = "KX-UDS124";
            Assert.True(Writer.Render(Document(account, "big", template)).Length > 120 * 1024);
        }

        [Fact]
        public void Round_trip_and_byte_stability()
        {
            var account = Account();
            account.UserId = "u1";
            account.DisplayName = "Zoë Ünal";
            account.Password = "p=w'd<>&";
            account.SipServer = "pbx";
            account.ExtraColumns = Pairs("CFG_CYCLIC", "Y", "SIP_PRXY_ADDR_1", "proxy.example");
            var doc = Document(account, "t", Pairs("CFG_CYCLIC", "N", "NTP_ADDR", ""));
            var bytes = Writer.Render(doc);
            Assert.Equal(bytes, Writer.Render(doc));
            Assert.Equal(PanasonicConfigWriter.MergeParameters(doc), Reader.Parse(bytes, "r.cfg"));
            Assert.Equal("proxy.example", Reader.Parse(bytes, "r.cfg").Single(p => p.Key == "SIP_PRXY_ADDR_1").Value);
        }

        [Fact]
        public void Reader_requires_the_header_and_names_a_bom()
        {
            var bom = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Vector("ConfigCommon.cfg")).ToArray();
            var ex = Assert.Throws<ProvisioningException>(() => Reader.Parse(bom, "bom.cfg"));
            Assert.Equal("MissingHeader", ex.ErrorId);
            Assert.Contains("byte order mark", ex.Message);
            ex = Assert.Throws<ProvisioningException>(() => Reader.Parse(Encoding.UTF8.GetBytes("A=\"1\"\r\n"), "nohdr.cfg"));
            Assert.Equal("MissingHeader", ex.ErrorId);
            Assert.Contains("nohdr.cfg", ex.Message);
            ex = Assert.Throws<ProvisioningException>(() => Reader.Parse(
                Encoding.UTF8.GetBytes(PanasonicConfigWriter.StandardHeader + "\r\n").Concat(new byte[] { 0xC3, 0x28 }).ToArray(), "enc.cfg"));
            Assert.Equal("InvalidEncoding", ex.ErrorId);
        }

        [Fact]
        public void Reader_is_lenient_like_the_phone_and_warns_without_values()
        {
            var text = PanasonicConfigWriter.StandardHeader + "\n" +
                       "A=\"1\"\r" +
                       "SIP_PASS_1 = \"hunter2\"\n" +
                       "A=\"2\"\r\n" +
                       "LONG=\"" + new string('x', 600) + "\"\r\n" +
                       "garbage line with hunter3\n" +
                       "# comment\n\nB=\"\"";
            var file = PanasonicConfigReader.Read(Encoding.UTF8.GetBytes(text), "l.cfg");
            Assert.Equal(Pairs("A", "1", "B", ""), file.Parameters);
            Assert.Equal(4, file.Warnings.Count);
            Assert.Contains(file.Warnings, w => w.Contains("line 3 (SIP_PASS_1) is not NAME=\"value\""));
            Assert.Contains(file.Warnings, w => w.Contains("line 4 repeats A (first set on line 2)"));
            Assert.Contains(file.Warnings, w => w.Contains("line 5 is 609 bytes long"));
            Assert.All(file.Warnings, w => Assert.DoesNotContain("hunter", w));
        }
    }
}
