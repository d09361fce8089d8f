using System.Text;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using Xunit;
using static PrivateProvisioning.Tests.Formats.FormatTestData;

namespace PrivateProvisioning.Tests.Formats
{
    /// <summary>Alias maps, cisco-spa-mpp.md §6.1.</summary>
    public class CiscoAliasMapTests
    {
        private static byte[] Customer => Encoding.UTF8.GetBytes(
            "<customer-account><SIP-number>5551234</SIP-number><SIP-password>pw&amp;1</SIP-password>" +
            "<SIP-Credentials><name>alice</name></SIP-Credentials><other><name>ignored</name></other>" +
            "<flat-profile><Resync_Periodic>60</Resync_Periodic></flat-profile></customer-account>");

        [Fact]
        public void The_spec_example_maps_customer_elements_to_line_parameters()
        {
            var map = "/customer-account/SIP-number = /flat-profile/User_ID_1_ ; /customer-account/SIP-password = /flat-profile/Password_1_ ;";
            var parameters = CiscoAliasMap.Apply(map, Customer, "customer.xml");
            Assert.Equal(Pairs("User_ID_1_", "5551234", "Password_1_", "pw&1", "Resync_Periodic", "60"), parameters);
        }

        [Fact]
        public void Matching_is_on_the_trailing_path_and_the_longest_item_wins()
        {
            var map = CiscoAliasMap.Parse("/name = /flat-profile/Display_Name_1_; /SIP-Credentials/name = /flat-profile/Auth_ID_1_; /missing = /flat-profile/X;");
            var result = map.Apply(Customer, "customer.xml");
            Assert.Equal(Pairs("Auth_ID_1_", "alice", "Display_Name_1_", "ignored", "Resync_Periodic", "60"), result.Parameters);
            Assert.Equal(new[] { "/missing" }, result.UnmatchedSources);
        }

        [Theory]
        [InlineData("/a/b /flat-profile/X", "item 1")]
        [InlineData("/a = /b = /flat-profile/X", "item 1")]
        [InlineData("/a = /flat-profile/X; b = /flat-profile/Y", "item 2")]
        [InlineData("/a = /other/X", "/flat-profile/<Parameter_Name>")]
        [InlineData("/a = /flat-profile/Bad Name", "item 1")]
        public void A_malformed_map_names_the_item(string map, string fragment)
        {
            var ex = Assert.Throws<ProvisioningException>(() => CiscoAliasMap.Parse(map));
            Assert.Equal("InvalidAliasMap", ex.ErrorId);
            Assert.Contains(fragment, ex.Message);
        }

        [Fact]
        public void More_than_thirty_items_are_refused()
        {
            var sb = new StringBuilder();
            for (int i = 0; i < 31; i++) sb.Append("/a").Append(i).Append(" = /flat-profile/P").Append(i).Append(" ;");
            var ex = Assert.Throws<ProvisioningException>(() => CiscoAliasMap.Parse(sb.ToString()));
            Assert.Contains("at most 30", ex.Message);
            Assert.Equal(30, CiscoAliasMap.Parse(sb.ToString().Substring(0, sb.ToString().LastIndexOf("/a30"))).Entries.Count);
        }
    }
}
