namespace PrivateProvisioning.Core.Templates.Generation
{
    /// <summary>
    /// Each phone's first row in a run (a 48-bit MAC address → row number), for the duplicate check and the prune.
    /// Open addressing over two arrays, 12 bytes a slot at most 70% full: a million phones take 24 MB, and 36 MB
    /// while it last grows, where a Dictionary&lt;long, int&gt; took ~60 MB and ~90 MB while growing (entries of 24
    /// bytes, twice the count, the old arrays still alive), a third of a million-row run's peak memory.
    /// </summary>
    internal sealed class MacRowTable
    {
        /// <summary>An empty slot: no 48-bit MAC address is negative.</summary>
        private const long Empty = -1;
        private long[] _keys = null!;
        private int[] _rows = null!;
        private int _mask;
        private int _limit;

        public MacRowTable() => Allocate(1024);

        public int Count { get; private set; }

        public bool TryGetValue(long mac, out int row)
        {
            row = 0;
            if (mac < 0) return false; // not a MAC address (a damaged record): never the empty slot's marker
            for (int slot = Slot(mac, _mask); ; slot = (slot + 1) & _mask)
            {
                var key = _keys[slot];
                if (key == mac) { row = _rows[slot]; return true; }
                if (key == Empty) return false;
            }
        }

        /// <summary>Adds <paramref name="mac"/> with <paramref name="row"/> unless it is there: then false, and its row in <paramref name="first"/> (one probe for both).</summary>
        public bool TryAdd(long mac, int row, out int first)
        {
            first = 0;
            if (mac < 0) throw new System.ArgumentOutOfRangeException(nameof(mac));
            if (Count >= _limit) Grow();
            for (int slot = Slot(mac, _mask); ; slot = (slot + 1) & _mask)
            {
                var key = _keys[slot];
                if (key == mac) { first = _rows[slot]; return false; }
                if (key == Empty)
                {
                    _keys[slot] = mac;
                    _rows[slot] = row;
                    Count++;
                    return true;
                }
            }
        }

        /// <summary>Room for <paramref name="count"/> phones without growing (a run that knows its size: one allocation instead of a doubling series).</summary>
        public void EnsureCapacity(int count)
        {
            if (count <= _limit) return;
            int size = _keys.Length;
            while ((int)(size * 0.7) < count && size < (1 << 30)) size <<= 1;
            Rehash(size);
        }

        /// <summary>Adds <paramref name="mac"/> (not in the table), or replaces its row.</summary>
        public void Set(long mac, int row)
        {
            if (mac < 0) throw new System.ArgumentOutOfRangeException(nameof(mac));
            if (Count >= _limit) Grow();
            for (int slot = Slot(mac, _mask); ; slot = (slot + 1) & _mask)
            {
                var key = _keys[slot];
                if (key == mac) { _rows[slot] = row; return; }
                if (key == Empty)
                {
                    _keys[slot] = mac;
                    _rows[slot] = row;
                    Count++;
                    return;
                }
            }
        }

        private void Allocate(int size)
        {
            _keys = new long[size];
            for (int i = 0; i < size; i++) _keys[i] = Empty;
            _rows = new int[size];
            _mask = size - 1;
            _limit = (int)(size * 0.7);
        }

        private void Grow() => Rehash(_keys.Length * 2);

        private void Rehash(int size)
        {
            var keys = _keys;
            var rows = _rows;
            Allocate(size);
            Count = 0;
            for (int i = 0; i < keys.Length; i++)
                if (keys[i] != Empty) Set(keys[i], rows[i]);
        }

        /// <summary>MACs of one vendor share their top bytes and often run in sequence: mix every bit into the slot.</summary>
        private static int Slot(long mac, int mask) => (int)(((ulong)mac * 0x9E3779B97F4A7C15UL) >> 32) & mask;
    }
}
