using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace PrivateProvisioning.Core.Protection
{
    /// <summary>
    /// Batches of protection jobs run one after another on the worker threads while the caller's thread prepares the
    /// next batch and hands on the outcomes of the one before (a PowerShell pipeline thread resolving paths and
    /// writing results): waiting for each batch before taking the next paths left both cores idle for a third of a
    /// 10,000-file run. Not thread-safe: one caller thread.
    /// </summary>
    public sealed class PipelinedProtection : IDisposable
    {
        private readonly ProfileFileProtection _protection;
        private Task<ProtectionOutcome[]>? _running;
        private byte[]? _runningKey;

        public PipelinedProtection(ProfileFileProtection protection)
        {
            _protection = protection ?? throw new ArgumentNullException(nameof(protection));
        }

        /// <summary>
        /// Waits for the running batch, starts <paramref name="jobs"/> (none: nothing starts), and returns the outcomes
        /// of the batch that was running, in job order. <paramref name="key"/> (the passphrase or key bytes, or null)
        /// belongs to this object from now on: it is cleared once its batch is done.
        /// </summary>
        public ProtectionOutcome[] StartAfterPrevious(IReadOnlyList<ProtectionJob> jobs, byte[]? key)
        {
            var finished = Finish();
            if (jobs.Count == 0)
            {
                if (key != null) Array.Clear(key, 0, key.Length);
                return finished;
            }
            var protection = _protection;
            _runningKey = key;
            _running = Task.Run(() => protection.Run(jobs, key));
            return finished;
        }

        /// <summary>The running batch's outcomes once it is done (none when no batch runs); an exception in it (a bug) is rethrown here.</summary>
        public ProtectionOutcome[] Finish()
        {
            var running = _running;
            if (running == null) return Array.Empty<ProtectionOutcome>();
            _running = null;
            try { return running.GetAwaiter().GetResult(); }
            finally { ClearKey(); }
        }

        /// <summary>
        /// Waits for a batch still running (its outcomes no longer wanted: the pipeline was stopped), so that no file is
        /// being written once the caller is done, and clears its key.
        /// </summary>
        public void Dispose()
        {
            try { _running?.Wait(); }
            catch (AggregateException) { } // unwanted outcomes; a bug in them was the caller's to see while it waited
            finally
            {
                _running = null;
                ClearKey();
            }
        }

        private void ClearKey()
        {
            if (_runningKey != null) Array.Clear(_runningKey, 0, _runningKey.Length);
            _runningKey = null;
        }
    }
}
