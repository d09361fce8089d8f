using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace PrivateProvisioning.Core.Resync
{
    /// <summary>
    /// Triggers many phones: at most ThrottleLimit in flight, DelayMilliseconds between two starts, each phone
    /// bounded by its own timeout (a dead phone costs only that), cancellation stopping new starts and
    /// aborting the ones in flight. Results come back in completion order on the caller's thread.
    /// </summary>
    public static class ResyncRunner
    {
        /// <summary>Checks the run's settings once, before any phone is contacted. Throws ProvisioningException (InvalidArgument).</summary>
        public static void Validate(ResyncOptions options)
        {
            if (options.ThrottleLimit < 1)
                throw Invalid(ErrorIds.InvalidThrottleLimit, $"ThrottleLimit {options.ThrottleLimit} must be at least 1.");
            if (options.DelayMilliseconds < 0)
                throw Invalid(ErrorIds.InvalidDelay, $"DelayMilliseconds {options.DelayMilliseconds} cannot be negative.");
            if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromHours(1))
                throw Invalid(ErrorIds.InvalidTimeout, $"The timeout {options.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s must be above 0 and at most 3600 s.");
            if (options.Method != ResyncMethod.SipNotify && options.Transport == ResyncTransport.Udp)
                throw Invalid(ErrorIds.TransportNotSupported, $"{options.Method} runs over HTTP: use Transport Tcp (http) or Tls (https), not Udp.");
            if (options.ProfileUrl != null) ResyncRequestRules.ValidateProfileUrl(options.ProfileUrl);
            if (options.Event != null) ResyncRequestRules.ValidateEvent(options.Event);
            if (options.Password != null && string.IsNullOrEmpty(options.UserName))
                throw Invalid(ErrorIds.MissingUserName, "A password was given without a user name.");
            if (options.UserName != null && options.UserName.IndexOfAny(new[] { '\r', '\n', '"', '\0' }) >= 0)
                throw Invalid(ErrorIds.InvalidUserName, "The user name contains a quote, a NUL or a line break.");
        }

        /// <summary>Triggers one phone. Returns null only when <paramref name="cancel"/> was signalled (the user stopped the run).</summary>
        public static Task<ResyncResult?> RunOneAsync(ResyncTarget target, ResyncOptions options, CancellationToken cancel) =>
            RunOneAsync(target, options, null, cancel);

        private static async Task<ResyncResult?> RunOneAsync(ResyncTarget target, ResyncOptions options, UdpSocketPool? sockets, CancellationToken cancel)
        {
            var watch = Stopwatch.StartNew();
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel))
            {
                deadline.CancelAfter(options.Timeout);
                try
                {
                    int status;
                    string reason;
                    if (options.Method == ResyncMethod.SipNotify)
                    {
                        var eventHeader = ResyncRequestRules.EventHeader(options.Event, target.Vendor, options.Reboot);
                        (status, reason) = await SipNotifySender.SendAsync(target, options, eventHeader, deadline.Token, sockets).ConfigureAwait(false);
                    }
                    else
                    {
                        (status, reason) = await HttpTrigger.SendAsync(target, options, deadline.Token).ConfigureAwait(false);
                    }
                    var outcome = status >= 200 && status < 300 ? ResyncOutcome.Accepted : ResyncOutcome.Rejected;
                    return new ResyncResult(target, options.Method, outcome, status, reason, watch.Elapsed);
                }
                catch (ResyncFailure failure) when (!deadline.IsCancellationRequested || failure.Outcome == ResyncOutcome.Timeout)
                {
                    return new ResyncResult(target, options.Method, failure.Outcome, failure.StatusCode, failure.Message, watch.Elapsed);
                }
                catch (Exception ex) when (ex is ResyncFailure || ex is OperationCanceledException || ex is ObjectDisposedException || ex is SocketException || ex is System.IO.IOException)
                {
                    if (cancel.IsCancellationRequested) return null;
                    if (deadline.IsCancellationRequested)
                        return new ResyncResult(target, options.Method, ResyncOutcome.Timeout, 0,
                            $"No answer from {target} within {options.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s.", watch.Elapsed);
                    return new ResyncResult(target, options.Method, ResyncOutcome.Unreachable, 0,
                        $"{target}: {PeerConnection.Describe(ex is System.IO.IOException && ex.InnerException != null ? ex.InnerException : ex)}.", watch.Elapsed);
                }
                catch (ProvisioningException ex)
                {
                    // A per-phone input problem (an invalid event for this vendor): this phone only.
                    return new ResyncResult(target, options.Method, ResyncOutcome.Rejected, 0, ex.Message, watch.Elapsed);
                }
            }
        }

        /// <summary>Runs every target and hands each result to <paramref name="onResult"/> (from a pool thread) as it completes.</summary>
        public static async Task RunAsync(IReadOnlyList<ResyncTarget> targets, ResyncOptions options, Action<ResyncResult> onResult, CancellationToken cancel)
        {
            Validate(options);
            // ThrottleLimit workers each take the next target (in order) until none is left: no task, semaphore
            // wait or socket per phone. With a delay, one start gate spaces the starts.
            int next = -1;
            int workers = Math.Min(options.ThrottleLimit, targets.Count);
            using (var sockets = new UdpSocketPool(workers))
            using (var startGate = options.DelayMilliseconds > 0 ? new SemaphoreSlim(1) : null)
            {
                async Task Work()
                {
                    while (true)
                    {
                        int i;
                        if (startGate == null)
                        {
                            if (cancel.IsCancellationRequested) return;
                            i = Interlocked.Increment(ref next);
                        }
                        else
                        {
                            try { await startGate.WaitAsync(cancel).ConfigureAwait(false); }
                            catch (OperationCanceledException) { return; }
                            try
                            {
                                i = Interlocked.Increment(ref next);
                                if (i > 0 && i < targets.Count) await Task.Delay(options.DelayMilliseconds, cancel).ConfigureAwait(false);
                            }
                            catch (OperationCanceledException) { return; }
                            finally { startGate.Release(); }
                        }
                        if (i >= targets.Count) return;
                        var result = await RunOneAsync(targets[i], options, sockets, cancel).ConfigureAwait(false);
                        if (result != null) onResult(result);
                    }
                }

                var running = new Task[workers];
                for (int w = 0; w < workers; w++) running[w] = Task.Run(Work);
                await Task.WhenAll(running).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Runs every target and yields the results on the calling thread as they complete (the cmdlet writes
        /// them from the pipeline thread). After cancellation the phones in flight are aborted, produce no
        /// result, and the enumeration ends.
        /// </summary>
        public static IEnumerable<ResyncResult> Run(IReadOnlyList<ResyncTarget> targets, ResyncOptions options, CancellationToken cancel)
        {
            Validate(options);
            var results = new BlockingCollection<ResyncResult>();
            var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            var run = Task.Run(() => RunAsync(targets, options, results.Add, stop.Token))
                .ContinueWith(t => results.CompleteAdding(), TaskScheduler.Default);
            try
            {
                foreach (var result in results.GetConsumingEnumerable())
                    yield return result;
            }
            finally
            {
                // The consumer may stop early (Select-Object -First): abort the rest before letting go of the queue.
                stop.Cancel();
                run.Wait();
                results.Dispose();
                stop.Dispose();
            }
        }

        private static ProvisioningException Invalid(string id, string message) =>
            new ProvisioningException(id, ErrorKind.InvalidArgument, message);
    }
}
