using System.Linq;
using System.Text;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using Xunit;
using static PrivateProvisioning.Tests.Formats.FormatTestData;

namespace PrivateProvisioning.Tests.Formats
{
    /// <summary>Writing a phone's profile in a customer's own XML form through an alias map (cisco-spa-mpp.md §6.1), and reading it back.</summary>
    public class CiscoAliasProfileWriterTests
    {
        /// <summary>The spec's example map, as stored in GPP_A.</summary>
        private const string SpecMap = "/customer-account/SIP-number = /flat-profile/User_ID_1_ ; /customer-account/SIP-password = /flat-profile/Password_1_ ;";

        private static AccountRecord Alice()
        {
            var account = Account();
            account.UserId = "5551234";
            account.Password = "pw&1";
            account.SipServer = "pbx.example.com";
            return account;
        }

        [Fact]
        public void The_spec_example_map_puts_the_account_in_the_customer_elements_and_the_rest_in_flat_profile()
        {
            var writer = new CiscoAliasProfileWriter(CiscoAliasMap.Parse(SpecMap));
            var document = Document(Alice(), parameters: Pairs("Resync_Periodic", "3600"));
            var text = Encoding.UTF8.GetString(writer.Render(document));
            Assert.Equal(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
                "<customer-account>\n" +
                "  <flat-profile>\n" +
                "    <Resync_Periodic>3600</Resync_Periodic>\n" +
                "    <Line_Enable_1_>Yes</Line_Enable_1_>\n" +
                "    <Proxy_1_>pbx.example.com</Proxy_1_>\n" +
                "  </flat-profile>\n" +
                "  <SIP-number>5551234</SIP-number>\n" +
                "  <SIP-password>pw&amp;1</SIP-password>\n" +
                "</customer-account>\n", text);
            Assert.Equal("customer-account", writer.RootElement);
        }

        [Fact]
        public void The_file_reads_back_through_the_map_to_what_the_canonical_writer_would_set()
        {
            var document = Document(Alice(), parameters: Pairs("Resync_Periodic", "3600", "Profile_Rule_B", "https://prov.example.com/common/office.xml"));
            var bytes = new CiscoAliasProfileWriter(CiscoAliasMap.Parse(SpecMap)).Render(document);
            var read = ProfileFileReader.Read(bytes, "000e08abcdef.xml", aliasMap: SpecMap, revealSecrets: true);
            var canonical = ProfileFileReader.Read(new CiscoFlatProfileWriter().Render(document), "canonical.xml", revealSecrets: true);
            Assert.Equal(
                canonical.Select(p => p.Name + "=" + p.Value).OrderBy(s => s, System.StringComparer.Ordinal),
                read.Select(p => p.Name + "=" + p.Value).OrderBy(s => s, System.StringComparer.Ordinal));
            Assert.Contains(read, p => p.Name == "Password_1_" && p.Value == "pw&1");
            // Without the map the customer's elements mean nothing to the phone: only the flat-profile part is read.
            var unmapped = ProfileFileReader.Read(bytes, "000e08abcdef.xml");
            Assert.DoesNotContain(unmapped, p => p.Name == "User_ID_1_");
        }

        [Fact]
        public void A_trailing_path_is_written_under_the_root_and_nested_paths_nest()
        {
            var map = "/customer-account/lines/line1/number = /flat-profile/User_ID_1_ ; /auth-secret = /flat-profile/Password_1_ ; /lines/line1/name = /flat-profile/Display_Name_1_ ;";
            var account = Alice();
            account.DisplayName = "Alice";
            var bytes = new CiscoAliasProfileWriter(CiscoAliasMap.Parse(map)).Render(Document(account));
            var text = Encoding.UTF8.GetString(bytes);
            Assert.Contains("  <lines>\n    <line1>\n      <name>Alice</name>\n      <number>5551234</number>\n    </line1>\n  </lines>\n", text);
            Assert.Contains("  <auth-secret>pw&amp;1</auth-secret>\n", text);
            var read = CiscoAliasMap.Apply(map, bytes, "x.xml");
            Assert.Contains(new System.Collections.Generic.KeyValuePair<string, string>("Display_Name_1_", "Alice"), read);
            Assert.Contains(new System.Collections.Generic.KeyValuePair<string, string>("User_ID_1_", "5551234"), read);
        }

        [Fact]
        public void A_map_the_phone_would_read_differently_is_refused_naming_the_row_and_parameter()
        {
            // Resync_Periodic is not mapped, so it goes to <flat-profile>; but the item /Resync_Periodic would turn it into Resync_Error_Retry_Delay.
            var map = "/customer-account/SIP-number = /flat-profile/User_ID_1_ ; /Resync_Periodic = /flat-profile/Resync_Error_Retry_Delay ;";
            var ex = Assert.Throws<ProvisioningException>(() => new CiscoAliasProfileWriter(CiscoAliasMap.Parse(map)).Render(Document(Alice(), parameters: Pairs("Resync_Periodic", "3600"))));
            Assert.Equal(ErrorIds.ValueNotRepresentable, ex.ErrorId);
            Assert.Contains("Row 1, template 'office' parameter 'Resync_Periodic'", ex.Message);
            Assert.Contains("would not read 'Resync_Periodic' back", ex.Message);

            // Two items on one element.
            map = "/customer-account/number = /flat-profile/User_ID_1_ ; /number = /flat-profile/Password_1_ ;";
            ex = Assert.Throws<ProvisioningException>(() => new CiscoAliasProfileWriter(CiscoAliasMap.Parse(map)).Render(Document(Alice())));
            Assert.Contains("column 'Password'", ex.Message);
            Assert.Contains("already holds another parameter", ex.Message);
            Assert.DoesNotContain("pw&1", ex.Message);
        }

        [Fact]
        public void A_map_without_a_rooted_path_cannot_be_written()
        {
            var ex = Assert.Throws<ProvisioningException>(() => new CiscoAliasProfileWriter(CiscoAliasMap.Parse("/number = /flat-profile/User_ID_1_ ;")));
            Assert.Equal(ErrorIds.InvalidAliasMap, ex.ErrorId);
            Assert.Contains("start at the document's root element", ex.Message);
        }
    }
}
