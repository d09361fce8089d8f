using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Net;
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
        public static async Task<ResyncResult?> RunOneAsync(ResyncTarget target, ResyncOptions options, CancellationToken cancel)
        {
            using (var udp = UsesUdp(options) ? new SipUdpTransport(options.T1, 1, cancel) : null)
                return await RunOneAsync(target, options, udp, cancel).ConfigureAwait(false);
        }

        private static bool UsesUdp(ResyncOptions options) =>
            options.Method == ResyncMethod.SipNotify && (options.Transport ?? ResyncTransport.Udp) == ResyncTransport.Udp;

        /// <summary>The reason of a phone that outlived its own timeout.</summary>
        internal static string NoAnswer(ResyncTarget target, TimeSpan timeout) =>
            $"No answer from {target} within {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s.";

        private static async Task<ResyncResult?> RunOneAsync(ResyncTarget target, ResyncOptions options, SipUdpTransport? udp, CancellationToken cancel)
        {
            long started = Stopwatch.GetTimestamp();
            // Over UDP the run's transport bounds each phone by its own timeout (one timer for the run); a linked token
            // source with a timer of its own is needed only around a name look-up, TCP and TLS.
            bool literal = udp != null && IPAddress.TryParse(target.IPAddress.Trim('[', ']'), out _);
            using (var deadline = literal ? null : CancellationTokenSource.CreateLinkedTokenSource(cancel))
            {
                deadline?.CancelAfter(options.Timeout);
                var token = deadline?.Token ?? cancel;
                try
                {
                    int status;
                    string reason;
                    if (options.Method == ResyncMethod.SipNotify)
                    {
                        var eventHeader = ResyncRequestRules.EventHeader(options.Event, target.Vendor, options.Reboot);
                        (status, reason) = await SipNotifySender.SendAsync(target, options, eventHeader, token, udp,
                            SipUdpTransport.After(started, options.Timeout)).ConfigureAwait(false);
                    }
                    else
                    {
                        (status, reason) = await HttpTrigger.SendAsync(target, options, token).ConfigureAwait(false);
                    }
                    var outcome = status >= 200 && status < 300 ? ResyncOutcome.Accepted : ResyncOutcome.Rejected;
                    return new ResyncResult(target, options.Method, outcome, status, reason, Since(started));
                }
                catch (ResyncFailure failure) when (deadline == null || !deadline.IsCancellationRequested || failure.Outcome == ResyncOutcome.Timeout)
                {
                    return new ResyncResult(target, options.Method, failure.Outcome, failure.StatusCode, failure.Message, Since(started));
                }
                catch (Exception ex) when (ex is ResyncFailure || ex is OperationCanceledException || ex is ObjectDisposedException || ex is SocketException || ex is System.IO.IOException)
                {
                    if (cancel.IsCancellationRequested) return null;
                    if (deadline != null && deadline.IsCancellationRequested)
                        return new ResyncResult(target, options.Method, ResyncOutcome.Timeout, 0, NoAnswer(target, options.Timeout), Since(started));
                    return new ResyncResult(target, options.Method, ResyncOutcome.Unreachable, 0,
                        $"{target}: {PeerConnection.Describe(ex is System.IO.IOException && ex.InnerException != null ? ex.InnerException : ex)}.", Since(started));
                }
                catch (ProvisioningException ex)
                {
                    // A per-phone input problem (an invalid event for this vendor): this phone only.
                    return new ResyncResult(target, options.Method, ResyncOutcome.Rejected, 0, ex.Message, Since(started));
                }
            }
        }

        private static TimeSpan Since(long started) =>
            TimeSpan.FromTicks((long)((Stopwatch.GetTimestamp() - started) * (double)TimeSpan.TicksPerSecond / Stopwatch.Frequency));

        /// <summary>Runs every target and hands each result to <paramref name="onResult"/> (from a pool thread) as it completes.</summary>
        public static async Task RunAsync(IReadOnlyList<ResyncTarget> targets, ResyncOptions options, Action<ResyncResult> onResult, CancellationToken cancel)
        {
            Validate(options);
            // ThrottleLimit workers each take the next target (in order) until none is left: no task, semaphore
            // wait or socket per phone. With a delay, one start gate spaces the starts. SIP over UDP goes through one
            // transport for the run (sockets per phone address, one receive loop each, one timer).
            int next = -1;
            int workers = Math.Min(options.ThrottleLimit, targets.Count);
            using (var udp = UsesUdp(options) ? new SipUdpTransport(options.T1, workers, cancel) : null)
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
                        var result = await RunOneAsync(targets[i], options, udp, cancel).ConfigureAwait(false);
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
