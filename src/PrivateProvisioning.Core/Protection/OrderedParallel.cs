using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace PrivateProvisioning.Core.Protection
{
    /// <summary>
    /// Runs items 0..count-1 on every core, the calling thread included: each worker takes the next item not yet taken,
    /// so no core waits at the end of a batch and the calling thread works from the first moment instead of waiting.
    /// Finished items are handed back on the calling thread, in item order, as soon as each one and all before it are
    /// done (between its own items, so printing them costs no thread of its own).
    /// </summary>
    internal sealed class OrderedParallel<T> : IDisposable where T : class
    {
        private readonly int _count;
        private readonly Func<int, T> _work;
        private readonly T?[] _done;
        private int _next = -1;
        private int _reported;
        private int _helpersRunning;
        private readonly ManualResetEventSlim _helpersDone = new ManualResetEventSlim(false);
        private ExceptionDispatchInfo? _failure;

        private OrderedParallel(int count, Func<int, T> work)
        {
            _count = count;
            _work = work;
            _done = new T?[count];
        }

        /// <summary>
        /// Runs <paramref name="work"/> for every item; <paramref name="finished"/> gets each item's answer on the calling
        /// thread, in order. An exception from <paramref name="work"/> (the caller turns an item's own errors into its
        /// answer) stops handing out items and is rethrown here once every worker has stopped.
        /// </summary>
        public static void Run(int count, Func<int, T> work, Action<int, T> finished)
        {
            if (count <= 0) return;
            using var run = new OrderedParallel<T>(count, work);
            run.RunAll(finished);
        }

        private void RunAll(Action<int, T> finished)
        {
            int helpers = Math.Min(Environment.ProcessorCount, _count) - 1;
            _helpersRunning = helpers;
            if (helpers == 0) _helpersDone.Set();
            // Threads of their own, not the pool's: a helper holds its thread for the whole run (long-running work, as
            // TaskCreationOptions.LongRunning would say), and the pool's threads stay free for the run's timer and I/O.
            for (int h = 0; h < helpers; h++) new Thread(Help) { IsBackground = true, Name = "OrderedParallel helper" }.Start();
            try
            {
                int i;
                while ((i = Interlocked.Increment(ref _next)) < _count)
                {
                    Do(i);
                    Report(finished);
                }
            }
            catch (Exception ex)
            {
                Fail(ex);
            }
            finally
            {
                // The helpers finish the item each one holds (one signature at most), then stop.
                _helpersDone.Wait();
            }
            _failure?.Throw();
            Report(finished);
        }

        private void Help()
        {
            try
            {
                int i;
                while ((i = Interlocked.Increment(ref _next)) < _count) Do(i);
            }
            catch (Exception ex)
            {
                Fail(ex);
            }
            finally
            {
                if (Interlocked.Decrement(ref _helpersRunning) == 0) _helpersDone.Set();
            }
        }

        private void Do(int i) => Volatile.Write(ref _done[i], _work(i));

        /// <summary>Hands back the finished items that follow the last one handed back.</summary>
        private void Report(Action<int, T> finished)
        {
            T? answer;
            while (_reported < _count && (answer = Volatile.Read(ref _done[_reported])) != null)
            {
                _done[_reported] = null; // handed on: the caller keeps what it needs
                finished(_reported++, answer);
            }
        }

        private void Fail(Exception ex)
        {
            Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(ex), null);
            Interlocked.Exchange(ref _next, _count); // nothing more is handed out
        }

        public void Dispose() => _helpersDone.Dispose();
    }
}
