using System;
using System.Collections.Generic;
using System.Threading;

namespace PrivateProvisioning.Core.Serving
{
    /// <summary>
    /// The last N request records in a ring buffer, so that a server left running for days keeps a flat
    /// memory footprint however many phones resync. Thread-safe; Total counts every request ever added.
    /// </summary>
    public sealed class RequestLog
    {
        private readonly ServedRequest?[] _ring;
        private readonly object _gate = new object();
        private long _total;

        public RequestLog(int capacity = 10000)
        {
            if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity));
            _ring = new ServedRequest?[capacity];
        }

        public int Capacity => _ring.Length;

        /// <summary>Every request recorded since the server started, including those the ring has dropped.</summary>
        public long Total => Interlocked.Read(ref _total);

        /// <summary>Raised after a record is stored, on the thread that finished the request.</summary>
        public event Action<ServedRequest>? Added;

        public void Add(ServedRequest request)
        {
            lock (_gate)
            {
                _ring[_total % _ring.Length] = request;
                _total++;
            }
            Added?.Invoke(request);
        }

        /// <summary>The retained records, oldest first; only those after sequence number <paramref name="after"/> when given.</summary>
        public IReadOnlyList<ServedRequest> Snapshot(long after = -1) => Snapshot(after, out _);

        /// <summary>As Snapshot, and returns the sequence number of the last record for a later incremental read.</summary>
        public IReadOnlyList<ServedRequest> Snapshot(long after, out long last)
        {
            lock (_gate)
            {
                long first = Math.Max(Math.Max(0, _total - _ring.Length), after + 1);
                var list = new List<ServedRequest>((int)Math.Max(0, _total - first));
                for (long i = first; i < _total; i++) list.Add(_ring[i % _ring.Length]!);
                last = _total - 1;
                return list;
            }
        }
    }
}
