using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PrivateProvisioning.Core.Resync;
using Xunit;

namespace PrivateProvisioning.Tests.Resync
{
    /// <summary>Bulk runs: throttling, spacing, dead phones, cancellation.</summary>
    public class ResyncRunnerTests
    {
        /// <summary>A UDP "phone" that notes when each NOTIFY source first speaks and never answers.</summary>
        private sealed class SilentUdpPhone : IDisposable
        {
            private readonly UdpClient _udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            private readonly CancellationTokenSource _stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            private readonly Stopwatch _clock = Stopwatch.StartNew();
            public SilentUdpPhone()
            {
                Port = ((IPEndPoint)_udp.Client.LocalEndPoint!).Port;
                _ = Task.Run(async () =>
                {
                    try
                    {
                        while (true)
                        {
                            var got = await _udp.ReceiveAsync(_stop.Token);
                            // One entry per NOTIFY (its Call-ID), not per source port: workers reuse their sockets.
                            var text = System.Text.Encoding.UTF8.GetString(got.Buffer);
                            var callId = System.Text.RegularExpressions.Regex.Match(text, @"(?im)^(?:Call-ID|i)\s*:\s*(\S+)").Groups[1].Value;
                            FirstSeen.TryAdd(callId.Length > 0 ? callId : got.RemoteEndPoint.Port.ToString(), _clock.Elapsed);
                        }
                    }
                    catch (Exception) { }
                });
            }
            public int Port { get; }
            public ConcurrentDictionary<string, TimeSpan> FirstSeen { get; } = new ConcurrentDictionary<string, TimeSpan>();
            public void Dispose() { _stop.Cancel(); _udp.Dispose(); }
        }

        [Fact]
        public void Many_phones_through_one_sipp_are_all_accepted()
        {
            using var phone = new SippPeer("notify-digest-uas.xml", "u1", 40, "-key", "authparams", "qop=\"auth\", algorithm=MD5");
            var targets = Enumerable.Range(0, 40).Select(i => new ResyncTarget("127.0.0.1", phone.Port, (0x000E08000000L + i).ToString("X12"))).ToArray();
            var options = new ResyncOptions { UserName = "1001", Password = Encoding.UTF8.GetBytes("s3cret-1001"), ThrottleLimit = 8, Timeout = TimeSpan.FromSeconds(10) };
            var results = ResyncRunner.Run(targets, options, CancellationToken.None).ToList();
            Assert.Equal(40, results.Count);
            Assert.All(results, r => Assert.Equal(ResyncOutcome.Accepted, r.Outcome));
            Assert.Equal(targets.Select(t => t.MacAddress).OrderBy(m => m), results.Select(r => r.MacAddress).OrderBy(m => m));
            Assert.Equal(0, phone.WaitForExit());
        }

        [Fact]
        public void A_dead_phone_between_two_live_ones_on_one_worker_ends_only_its_own_attempt()
        {
            // One worker: the UDP socket of the first phone is re-used for the dead one and then for the third;
            // the dead port's ICMP error must end its own attempt at once and never reach the next phone.
            using var phone = new SippPeer("notify-accept-uas.xml", "u1", 2);
            var dead = SippPeer.FreePort(false);
            var targets = new[]
            {
                new ResyncTarget("127.0.0.1", phone.Port, "000E08000001"),
                new ResyncTarget("127.0.0.1", dead, "000E08000002"),
                new ResyncTarget("127.0.0.1", phone.Port, "000E08000003"),
            };
            var options = new ResyncOptions { ThrottleLimit = 1, Timeout = TimeSpan.FromSeconds(5) };
            var watch = Stopwatch.StartNew();
            var results = ResyncRunner.Run(targets, options, CancellationToken.None).ToList();
            Assert.Equal(new[] { ResyncOutcome.Accepted, ResyncOutcome.Unreachable, ResyncOutcome.Accepted }, results.Select(r => r.Outcome));
            Assert.Equal(new[] { "000E08000001", "000E08000002", "000E08000003" }, results.Select(r => r.MacAddress));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(6), $"took {watch.Elapsed}"); // 2 s of timeout, with room for a loaded machine
            Assert.Equal(0, phone.WaitForExit());
        }

        [Fact]
        public void ThrottleLimit_bounds_the_phones_in_flight()
        {
            using var phone = new SilentUdpPhone();
            var targets = Enumerable.Range(0, 9).Select(_ => new ResyncTarget("127.0.0.1", phone.Port)).ToArray();
            var options = new ResyncOptions { ThrottleLimit = 3, Timeout = TimeSpan.FromSeconds(1) };
            var results = ResyncRunner.Run(targets, options, CancellationToken.None).ToList();
            Assert.All(results, r => Assert.Equal(ResyncOutcome.Timeout, r.Outcome));
            var starts = phone.FirstSeen.Values.OrderBy(t => t).ToArray();
            Assert.Equal(9, starts.Length);
            // Three waves of three: the fourth phone starts only when one of the first three has timed out.
            Assert.True(starts[3] - starts[0] > TimeSpan.FromMilliseconds(900), $"4th start {starts[3]} vs 1st {starts[0]}");
            Assert.True(starts[2] - starts[0] < TimeSpan.FromMilliseconds(800), "the first three start together");
        }

        [Fact]
        public void DelayMilliseconds_spaces_the_starts()
        {
            using var phone = new SilentUdpPhone();
            var targets = Enumerable.Range(0, 3).Select(_ => new ResyncTarget("127.0.0.1", phone.Port)).ToArray();
            var options = new ResyncOptions { ThrottleLimit = 10, DelayMilliseconds = 400, Timeout = TimeSpan.FromSeconds(1.2) };
            ResyncRunner.Run(targets, options, CancellationToken.None).ToList();
            var starts = phone.FirstSeen.Values.OrderBy(t => t).ToArray();
            Assert.Equal(3, starts.Length);
            // Arrival times carry the receiving thread's scheduling noise on a loaded machine: without the delay the
            // three NOTIFYs arrive within a few milliseconds, with it 400 ms apart.
            Assert.True(starts[1] - starts[0] >= TimeSpan.FromMilliseconds(250), $"{starts[0]} {starts[1]}");
            Assert.True(starts[2] - starts[1] >= TimeSpan.FromMilliseconds(250), $"{starts[1]} {starts[2]}");
            Assert.True(starts[2] - starts[0] >= TimeSpan.FromMilliseconds(700), $"{starts[0]} {starts[2]}");
        }

        [Fact]
        public void A_dead_phone_costs_its_own_timeout_not_the_run()
        {
            using var dead = new SilentUdpPhone();
            using var live = new SippPeer("notify-accept-uas.xml", "u1", 12);
            var targets = Enumerable.Range(0, 2).Select(_ => new ResyncTarget("127.0.0.1", dead.Port))
                .Concat(Enumerable.Range(0, 12).Select(_ => new ResyncTarget("127.0.0.1", live.Port))).ToArray();
            var watch = Stopwatch.StartNew();
            var results = ResyncRunner.Run(targets, new ResyncOptions { ThrottleLimit = 4, Timeout = TimeSpan.FromSeconds(2) }, CancellationToken.None).ToList();
            Assert.Equal(12, results.Count(r => r.Outcome == ResyncOutcome.Accepted));
            Assert.Equal(2, results.Count(r => r.Outcome == ResyncOutcome.Timeout));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(6), $"took {watch.Elapsed}"); // 2 s of timeout, with room for a loaded machine
            // The live phones finished long before the dead ones gave up.
            Assert.True(results.Take(12).All(r => r.Outcome == ResyncOutcome.Accepted));
        }

        [Fact]
        public async Task Cancelling_stops_the_run_quickly_and_cleanly()
        {
            using var dead = new SilentUdpPhone();
            var targets = Enumerable.Range(0, 20).Select(_ => new ResyncTarget("127.0.0.1", dead.Port)).ToArray();
            using var stop = new CancellationTokenSource();
            var cancelledAt = TimeSpan.Zero;
            var watch = Stopwatch.StartNew();
            // Cancel once the first wave is on the wire, not after a fixed delay: a loaded CI machine may not
            // have sent anything 300 ms in.
            var canceller = Task.Run(async () =>
            {
                for (var i = 0; i < 1000 && dead.FirstSeen.Count < 5; i++) await Task.Delay(10);
                cancelledAt = watch.Elapsed;
                stop.Cancel();
            });
            var results = ResyncRunner.Run(targets, new ResyncOptions { ThrottleLimit = 5, Timeout = TimeSpan.FromSeconds(30) }, stop.Token).ToList();
            await canceller;
            Assert.True(watch.Elapsed - cancelledAt < TimeSpan.FromSeconds(3), $"took {watch.Elapsed - cancelledAt} after cancelling");
            Assert.Empty(results);
            await Task.Delay(200); // a late second wave would have reached the phone by now
            Assert.Equal(5, dead.FirstSeen.Count); // only the first wave was ever started
        }
    }
}
