namespace PrivateProvisioning.Core.Protection
{
    /// <summary>CRC-32 (IEEE 802.3, reflected 0xEDB88320) as the gzip trailer stores it.</summary>
    internal static class Crc32
    {
        private static readonly uint[] Table = BuildTable();

        public static uint Compute(byte[] data, int offset, int count) => Append(0, data, offset, count);

        /// <summary>Continues a CRC over more data (start with 0).</summary>
        public static uint Append(uint crc, byte[] data, int offset, int count)
        {
            crc = ~crc;
            var table = Table;
            int end = offset + count;
            for (int i = offset; i < end; i++)
                crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
            return ~crc;
        }

        private static uint[] BuildTable()
        {
            var table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                table[n] = c;
            }
            return table;
        }
    }
}
