using System.Linq;
using PrivateProvisioning.Core.Formats;
using Xunit;
using static PrivateProvisioning.Tests.Formats.FormatTestData;

namespace PrivateProvisioning.Tests.Formats
{
    public class ProfileDiffTests
    {
        [Fact]
        public void Reports_added_removed_and_changed_names_in_order()
        {
            var diff = ProfileDiff.Compare(
                Pairs("Resync_Periodic", "3600", "Station_Name", "Lobby", "Dial_Plan_1_", "(x.)", "Old_One", "1"),
                Pairs("Resync_Periodic", "7200", "Station_Name", "Lobby", "Dial_Plan_1_", "(xx.)", "New_One", ""));
            Assert.True(diff.HasChanges);
            Assert.Equal(new[] { "Resync_Periodic", "Dial_Plan_1_" }, diff.Changed);
            Assert.Equal(new[] { "New_One" }, diff.Added);
            Assert.Equal(new[] { "Old_One" }, diff.Removed);
            Assert.Equal("~ Resync_Periodic: '3600' -> '7200'", diff.Changes[0].ToString());
            Assert.Equal("2 changed (Resync_Periodic, Dial_Plan_1_), 1 added (New_One), 1 removed (Old_One)", diff.Summary());
        }

        [Fact]
        public void Identical_lists_have_no_changes_and_the_last_duplicate_counts()
        {
            var diff = ProfileDiff.Compare(Pairs("A", "1", "A", "2"), Pairs("A", "2"));
            Assert.False(diff.HasChanges);
            Assert.Equal("no parameter differs", diff.Summary());
        }

        [Theory]
        [InlineData("Password_1_")]
        [InlineData("SIP_PASS_1")]
        [InlineData("Admin_Passwd")]
        [InlineData("auth_info_0/passwd")]
        [InlineData("sipProfile/sipLines/line[button=1]/authPassword")]
        [InlineData("Account.Password")]
        [InlineData("CFG_FILE_KEY2")]
        public void Secret_values_never_appear(string name)
        {
            var diff = ProfileDiff.Compare(Pairs(name, "oldSecret1", "Gone_" + name, "goneSecret"), Pairs(name, "newSecret2", "New_" + name, "addedSecret"));
            Assert.All(diff.Changes, c => Assert.True(c.IsSecret));
            var text = string.Join("\n", diff.Changes.Select(c => c.ToString())) + diff.Summary();
            foreach (var secret in new[] { "oldSecret1", "newSecret2", "goneSecret", "addedSecret" }) Assert.DoesNotContain(secret, text);
            Assert.All(diff.Changes, c => { Assert.Null(c.OldValue); Assert.Null(c.NewValue); });
            Assert.Contains(name, diff.Changed);
        }

        [Fact]
        public void A_rule_carrying_a_key_is_secret_by_value()
        {
            var diff = ProfileDiff.Compare(Pairs("Profile_Rule", "[--key abc] http://x/$MA.cfg"), Pairs("Profile_Rule", "[--key def] http://x/$MA.cfg"));
            Assert.True(diff.Changes.Single().IsSecret);
            Assert.DoesNotContain("abc", diff.Changes.Single().ToString());
        }

        [Fact]
        public void Compares_files_through_the_format_reader()
        {
            var writer = ProfileFormats.GetWriter(ProfileFormat.CiscoSpa);
            var account = Account();
            account.UserId = "1";
            account.Password = "first";
            var before = writer.Render(Document(account, "t", Pairs("Resync_Periodic", "3600")));
            account.Password = "second";
            var after = writer.Render(Document(account, "t", Pairs("Resync_Periodic", "60")));
            var diff = ProfileDiff.CompareFiles(ProfileFormat.CiscoSpa, before, after, "000e08abcdef.xml");
            Assert.Equal(new[] { "Resync_Periodic", "Password_1_" }, diff.Changed);
            Assert.Equal(ProfileDiff.CompareFiles(ProfileFormat.CiscoSpa, null, after, "x").Added, ProfileFormats.ExpectedParameters(ProfileFormat.CiscoSpa,
                Document(account, "t", Pairs("Resync_Periodic", "60"))).Select(p => p.Key));
        }
    }
}
