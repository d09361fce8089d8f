using System.Collections.Generic;
using PrivateProvisioning.Core.Templates.Generation;
using Xunit;

namespace PrivateProvisioning.Tests.Templates
{
    /// <summary>The run's table of each phone's first row: what a duplicate-MAC error and the prune read back.</summary>
    public class MacRowTableTests
    {
        [Fact]
        public void Every_phone_keeps_its_row_through_growth_and_unknown_ones_are_absent()
        {
            var table = new MacRowTable();
            var expected = new Dictionary<long, int>();
            // Sequential MACs of one vendor (the common list), then scattered ones, past several growths.
            for (int i = 0; i < 5000; i++) { long mac = 0x000E08000000L + i; table.Set(mac, i + 1); expected[mac] = i + 1; }
            for (int i = 0; i < 5000; i++) { long mac = (0x0000FFFFFFFFFFFFL / 5003) * i + 7; if (expected.ContainsKey(mac)) continue; table.Set(mac, -i); expected[mac] = -i; }
            Assert.Equal(expected.Count, table.Count);
            foreach (var kv in expected)
            {
                Assert.True(table.TryGetValue(kv.Key, out var row), kv.Key.ToString("X12", System.Globalization.CultureInfo.InvariantCulture));
                Assert.Equal(kv.Value, row);
            }
            Assert.False(table.TryGetValue(0x000E08FFFFFFL, out _));
            Assert.False(table.TryGetValue(-1, out _)); // a damaged record's value, never the empty marker

            table.Set(0x000E08000000L, ~1); // the prune's mark on a listed phone
            Assert.True(table.TryGetValue(0x000E08000000L, out var marked));
            Assert.Equal(~1, marked);
            Assert.Equal(expected.Count, table.Count);
        }
    }
}
