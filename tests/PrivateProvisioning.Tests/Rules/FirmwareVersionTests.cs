using System;
using FsCheck;
using FsCheck.Fluent;
using PrivateProvisioning.Core.Rules;
using Xunit;

namespace PrivateProvisioning.Tests.Rules
{
    /// <summary>Version order agrees with the numeric order of (major, minor, micro, build) in both notations.</summary>
    public class FirmwareVersionOrderTests
    {
        private static readonly Gen<int[]> Parts = Gen.Choose(0, 30).ArrayOf(4);

        [Fact]
        public void Spa_and_mpp_versions_order_like_their_numbers()
        {
            Prop.ForAll(Parts.ToArbitrary(), Parts.ToArbitrary(), (a, b) =>
            {
                int expected = Compare(a, b);
                var spaA = $"{a[0]}.{a[1]}.{a[2]}.{a[3]}";
                var spaB = $"{b[0]}.{b[1]}.{b[2]}.{b[3]}";
                var mppA = $"sip88xx.{a[0]}-{a[1]}-{a[2]}MPP0001-{a[3]}";
                var mppB = $"sip78xx.{b[0]}-{b[1]}-{b[2]}MPP0001-{b[3]}";
                return Order(spaA, spaB) == expected && Order(spaB, spaA) == -expected
                    && Order(mppA, mppB) == expected && Order(mppB, mppA) == -expected;
            }).QuickCheckThrowOnFailure();
        }

        private static int Order(string a, string b)
        {
            Assert.True(FirmwareVersion.TryParse(a, out var va));
            Assert.True(FirmwareVersion.TryParse(b, out var vb));
            return Math.Sign(va!.CompareTo(vb));
        }

        private static int Compare(int[] a, int[] b)
        {
            for (int i = 0; i < 4; i++)
                if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
            return 0;
        }

        [Theory]
        [InlineData("")]
        [InlineData("2.0.6(b")]
        [InlineData("2..6")]
        [InlineData("v2.0.6")]
        [InlineData("sip88xx.11-3MPP0001-609")]
        [InlineData("2.0.6(b c)")]
        public void Non_versions_are_not_read_as_versions(string text) => Assert.False(FirmwareVersion.TryParse(text, out _));
    }
}
