using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using PrivateProvisioning.Core.Resync;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Resync
{
    /// <summary>SIP NOTIFY against sipp playing the phone (Scenarios/*.xml).</summary>
    [Collection(TimingSensitive.Name)]
    public class SipNotifyTests
    {
        private const string Qop = "qop=\"auth\", algorithm=MD5";

        private static ResyncOptions Line(string password = "s3cret-1001", ResyncTransport transport = ResyncTransport.Udp, double timeout = 5) => new ResyncOptions
        {
            Method = ResyncMethod.SipNotify,
            UserName = "1001",
            Password = Encoding.UTF8.GetBytes(password),
            Transport = transport,
            Timeout = TimeSpan.FromSeconds(timeout),
        };

        private static ResyncResult RunOne(ResyncTarget target, ResyncOptions options) =>
            ResyncRunner.RunOneAsync(target, options, CancellationToken.None).GetAwaiter().GetResult()!;

        private static string Header(string message, string name) =>
            Regex.Match(message, "^" + Regex.Escape(name) + ": (.*)$", RegexOptions.Multiline).Groups[1].Value;

        [Fact]
        public void A_challenged_notify_is_answered_with_digest_and_accepted()
        {
            using var phone = new SippPeer("notify-digest-uas.xml", "u1", 1, "-key", "authparams", Qop);
            var result = RunOne(new ResyncTarget("127.0.0.1", phone.Port, "000E08ABCDEF", "Panasonic"), Line());
            Assert.Equal(ResyncOutcome.Accepted, result.Outcome);
            Assert.Equal(200, result.StatusCode);
            Assert.Equal(0, phone.WaitForExit()); // sipp: the verifyauth branch passed

            var sent = phone.ReceivedMessages();
            Assert.Equal(2, sent.Length);
            var (first, second) = (sent[0], sent[1]);
            Assert.StartsWith($"NOTIFY sip:1001@127.0.0.1:{phone.Port} SIP/2.0", first);
            Assert.Matches(@"^SIP/2\.0/UDP 127\.0\.0\.1:\d+;branch=z9hG4bK[0-9a-f]+;rport$", Header(first, "Via"));
            Assert.Equal("70", Header(first, "Max-Forwards"));
            Assert.Matches(@"^<sip:provisioning@127\.0\.0\.1>;tag=\w+$", Header(first, "From"));
            Assert.Equal("<sip:1001@127.0.0.1>", Header(first, "To"));
            Assert.Equal("1 NOTIFY", Header(first, "CSeq"));
            Assert.Equal("check-sync", Header(first, "Event"));
            Assert.Equal("terminated", Header(first, "Subscription-State"));
            Assert.Equal("0", Header(first, "Content-Length"));
            Assert.Matches(@"^<sip:provisioning@127\.0\.0\.1:\d+>$", Header(first, "Contact"));
            Assert.Empty(Header(first, "Authorization"));

            // The retry: same dialog identifiers, CSeq+1, a new branch, and the digest.
            Assert.Equal("2 NOTIFY", Header(second, "CSeq"));
            Assert.Equal(Header(first, "Call-ID"), Header(second, "Call-ID"));
            Assert.Equal(Header(first, "From"), Header(second, "From"));
            Assert.NotEqual(Header(first, "Via"), Header(second, "Via"));
            Assert.Matches($"^Digest username=\"1001\", realm=\"phone.example\", nonce=\"[^\"]+\", uri=\"sip:1001@127.0.0.1:{phone.Port}\", response=\"[0-9a-f]{{32}}\", algorithm=MD5, cnonce=\"\\w+\", qop=auth, nc=00000001$",
                Header(second, "Authorization"));
            Assert.DoesNotContain("s3cret", string.Join("\n", sent));
        }

        [Fact]
        public void A_wrong_password_is_AuthFailed_because_sipp_rejects_the_digest()
        {
            using var phone = new SippPeer("notify-digest-uas.xml", "u1", 1, "-key", "authparams", Qop);
            var result = RunOne(new ResyncTarget("127.0.0.1", phone.Port), Line("wrong-password"));
            Assert.Equal(ResyncOutcome.AuthFailed, result.Outcome);
            Assert.Equal(401, result.StatusCode);
            Assert.Contains("refused the credentials of user '1001'", result.Reason);
            Assert.DoesNotContain("wrong-password", result.Reason);
        }

        [Fact]
        public void A_challenge_without_qop_is_answered_in_the_RFC_2069_form()
        {
            using var phone = new SippPeer("notify-digest-uas.xml", "u1", 1, "-key", "authparams", "algorithm=MD5");
            var result = RunOne(new ResyncTarget("127.0.0.1", phone.Port), Line());
            Assert.Equal(ResyncOutcome.Accepted, result.Outcome);
            phone.WaitForExit();
            Assert.DoesNotContain("qop=", Header(phone.ReceivedMessages()[1], "Authorization"));
        }

        [Fact]
        public void Without_credentials_a_challenge_is_AuthFailed_and_says_what_is_missing()
        {
            using var phone = new SippPeer("notify-digest-uas.xml", "u1", 1, "-key", "authparams", Qop);
            var result = RunOne(new ResyncTarget("127.0.0.1", phone.Port), new ResyncOptions { Method = ResyncMethod.SipNotify });
            Assert.Equal(ResyncOutcome.AuthFailed, result.Outcome);
            Assert.Contains("give the line's User ID and password", result.Reason);
        }

        [Fact]
        public void Over_TCP_the_same_exchange_is_accepted_on_one_connection()
        {
            using var phone = new SippPeer("notify-digest-uas.xml", "t1", 1, "-key", "authparams", Qop);
            var result = RunOne(new ResyncTarget("127.0.0.1", phone.Port, vendor: "CiscoSpa"), Line(transport: ResyncTransport.Tcp));
            Assert.Equal(ResyncOutcome.Accepted, result.Outcome);
            phone.WaitForExit();
            var sent = phone.ReceivedMessages();
            Assert.Equal(2, sent.Length);
            Assert.StartsWith($"NOTIFY sip:1001@127.0.0.1:{phone.Port};transport=tcp SIP/2.0", sent[0]);
            Assert.StartsWith("SIP/2.0/TCP ", Header(sent[0], "Via"));
            Assert.Equal("resync", Header(sent[0], "Event"));
        }

        [Fact]
        public void Over_TLS_the_phone_certificate_is_accepted_or_pinned()
        {
            using var dir = new TempDirectory();
            using (var phone = new SippPeer("notify-digest-uas.xml", "t1", 1, "-key", "authparams", Qop))
            using (var tls = new TlsRelay(phone.Port, dir))
            {
                var options = Line(transport: ResyncTransport.Tls);
                options.CertificateSha256 = tls.Sha256;
                var result = RunOne(new ResyncTarget("127.0.0.1", tls.Port), options);
                Assert.Equal(ResyncOutcome.Accepted, result.Outcome);
                phone.WaitForExit();
                Assert.StartsWith("SIP/2.0/TLS ", Header(phone.ReceivedMessages()[0], "Via"));
            }
            using (var phone = new SippPeer("notify-digest-uas.xml", "t1", 1, "-key", "authparams", Qop))
            using (var tls = new TlsRelay(phone.Port, dir))
            {
                var options = Line(transport: ResyncTransport.Tls);
                options.CertificateSha256 = new string('A', 64);
                var result = RunOne(new ResyncTarget("127.0.0.1", tls.Port), options);
                Assert.Equal(ResyncOutcome.Unreachable, result.Outcome);
                Assert.Contains("not the pinned", result.Reason);
            }
        }

        [Fact]
        public void A_phone_that_never_answers_is_a_Timeout_after_timer_E_retransmissions()
        {
            using var phone = new SippPeer("notify-silent-uas.xml");
            var watch = Stopwatch.StartNew();
            var result = RunOne(new ResyncTarget("127.0.0.1", phone.Port), Line(timeout: 2.2));
            Assert.Equal(ResyncOutcome.Timeout, result.Outcome);
            Assert.InRange(watch.Elapsed.TotalSeconds, 2.0, 4.0);
            // Sent at 0, 0.5, 1.5 s (T1 doubling): three copies within 2.2 s, all the same transaction. sipp logs what it
            // received on its own schedule: wait (bounded) for the log rather than read it at once.
            var sent = phone.ReceivedMessages();
            for (var deadline = DateTime.UtcNow.AddSeconds(10); sent.Length < 3 && DateTime.UtcNow < deadline; sent = phone.ReceivedMessages())
                Thread.Sleep(50);
            Assert.True(sent.Length >= 3, $"expected 3 retransmissions, sipp saw {sent.Length}");
            Assert.Single(sent.Select(m => Header(m, "Via")).Distinct());
        }

        [Fact]
        public void A_provisional_answer_holds_retransmissions_until_the_final_200()
        {
            using var phone = new SippPeer("notify-trying-uas.xml");
            var result = RunOne(new ResyncTarget("127.0.0.1", phone.Port), Line());
            Assert.Equal(ResyncOutcome.Accepted, result.Outcome);
            Assert.True(result.Elapsed >= TimeSpan.FromSeconds(2.4), $"accepted after {result.Elapsed}");
            phone.WaitForExit();
            // Timer E armed before the 100 still fires once in Proceeding, then is reset to T2 (4 s): at most one copy
            // after the 100 until the 200 (2.5 s later); a UAC ignoring the 100 sends two more (0.5 and 1.5 s). The
            // copies are counted from sipp's own clock, from 0.3 s after it sent the 100: on a loaded machine sipp
            // can answer after timer E's first firing, which moves that firing before the 100, not the rule.
            var log = new SippPeerLog(phone.MessageLog);
            var trying = log.Entries.First(e => !e.Received).Time;
            var copiesAfterTrying = log.Entries.Count(e => e.Received && e.Time > trying.AddSeconds(0.3));
            Assert.True(copiesAfterTrying <= 1, $"{copiesAfterTrying} NOTIFYs after the 100 Trying: {string.Join(", ", log.Entries.Select(e => e.ToString()))}");
            if (trying - log.Entries[0].Time < TimeSpan.FromSeconds(0.4))
                Assert.Equal(2, log.Received.Length); // answered at once: the NOTIFY and the one copy at 0.5 s
        }

        [Fact]
        public void A_silent_phone_over_TCP_is_a_Timeout()
        {
            using var phone = new SippPeer("notify-silent-uas.xml", "t1");
            var result = RunOne(new ResyncTarget("127.0.0.1", phone.Port), Line(transport: ResyncTransport.Tcp, timeout: 1.5));
            Assert.Equal(ResyncOutcome.Timeout, result.Outcome);
        }

        [Fact]
        public void A_closed_port_and_an_unresolvable_host_are_Unreachable()
        {
            var closed = RunOne(new ResyncTarget("127.0.0.1", SippPeer.FreePort(false)), Line());
            Assert.Equal(ResyncOutcome.Unreachable, closed.Outcome);
            Assert.True(closed.Elapsed < TimeSpan.FromSeconds(2), "ICMP port unreachable must end the attempt at once");
            var tcp = RunOne(new ResyncTarget("127.0.0.1", SippPeer.FreePort(true)), Line(transport: ResyncTransport.Tcp));
            Assert.Equal(ResyncOutcome.Unreachable, tcp.Outcome);
            var unknown = RunOne(new ResyncTarget("phone-17.invalid"), Line());
            Assert.Equal(ResyncOutcome.Unreachable, unknown.Outcome);
            Assert.Contains("'phone-17.invalid' does not resolve", unknown.Reason);
        }

        [Fact]
        public async Task An_answer_that_is_not_SIP_is_a_ProtocolError_naming_what_came_back()
        {
            using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
            var responder = Task.Run(async () =>
            {
                var got = await udp.ReceiveAsync(new CancellationTokenSource(5000).Token);
                var answer = Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
                await udp.SendAsync(answer, answer.Length, got.RemoteEndPoint);
            });
            var result = RunOne(new ResyncTarget("127.0.0.1", port), Line());
            await responder;
            Assert.Equal(ResyncOutcome.ProtocolError, result.Outcome);
            Assert.Contains("not SIP: 'HTTP/1.1 400 Bad Request'", result.Reason);
        }

        [Fact]
        public async Task Tshark_dissects_the_NOTIFY_as_well_formed_SIP()
        {
            // Capture the exact datagram we send, wrap it in a pcap with text2pcap, and let Wireshark's SIP dissector judge it.
            using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
            var capture = udp.ReceiveAsync(new CancellationTokenSource(5000).Token).AsTask();
            var options = Line(timeout: 0.3);
            options.Reboot = true;
            RunOne(new ResyncTarget("127.0.0.1", port, vendor: "Panasonic"), options);
            var datagram = (await capture).Buffer;

            using var dir = new TempDirectory();
            var hex = new StringBuilder();
            for (int i = 0; i < datagram.Length; i += 16)
                hex.Append(i.ToString("x6")).Append(' ').AppendJoin(' ', datagram.Skip(i).Take(16).Select(b => b.ToString("x2"))).Append('\n');
            System.IO.File.WriteAllText(dir.File("notify.txt"), hex.ToString());
            ProcessRunner.Tool("text2pcap", new[] { "-q", "-u", "5060,5060", dir.File("notify.txt"), dir.File("notify.pcap") });
            var fields = ProcessRunner.Tool("tshark", new[] { "-r", dir.File("notify.pcap"), "-T", "fields", "-E", "separator=|",
                "-e", "sip.Method", "-e", "sip.r-uri.user", "-e", "sip.Via.branch", "-e", "sip.Via.rport", "-e", "sip.CSeq.seq", "-e", "sip.Max-Forwards",
                "-e", "sip.Event", "-e", "sip.Content-Length", "-e", "sip.from.tag", "-e", "sip.Call-ID" });
            var columns = fields.StdOut.Trim().Split('|');
            Assert.True(columns.Length == 10, fields.ToString());
            Assert.Equal("NOTIFY", columns[0]);
            Assert.Equal("1001", columns[1]);
            Assert.StartsWith("z9hG4bK", columns[2]);
            Assert.Equal("1", columns[4]);
            Assert.Equal("70", columns[5]);
            Assert.Equal("check-sync;reboot=true", columns[6]);
            Assert.Equal("0", columns[7]);
            Assert.NotEmpty(columns[8]);
            Assert.NotEmpty(columns[9]);
            var malformed = ProcessRunner.Tool("tshark", new[] { "-r", dir.File("notify.pcap"), "-Y", "_ws.malformed || _ws.expert.severity >= warning" });
            Assert.True(malformed.StdOut.Trim().Length == 0, "tshark flags the packet: " + malformed.StdOut);
        }
    }

    /// <summary>Reads a sipp message log after sipp is gone.</summary>
    public sealed class SippPeerLog
    {
        public SippPeerLog(string path)
        {
            var log = System.IO.File.Exists(path) ? System.IO.File.ReadAllText(path) : "";
            // Each message is headed by a line of dashes and sipp's clock, then "UDP message received/sent ...".
            Entries = Regex.Matches(log, @"-{20,} (\d{4}-\d\d-\d\d[ \t]\d\d:\d\d:\d\d\.\d+)[^\n]*\n\s*(?:UDP|TCP) message (received|sent)")
                .Select(m => new Entry(DateTime.Parse(m.Groups[1].Value.Replace('\t', ' '), System.Globalization.CultureInfo.InvariantCulture),
                    m.Groups[2].Value == "received"))
                .ToArray();
            Received = Regex.Split(log, @"-{20,} [^\n]*\n")
                .Where(block => Regex.IsMatch(block, @"^\s*(UDP|TCP) message received"))
                .Select(block => block.Substring(block.IndexOf('\n') + 1).Trim('\n', ' ').Replace("\r", ""))
                .ToArray();
        }

        public string[] Received { get; }

        /// <summary>Every message in the log's order, with sipp's time.</summary>
        public Entry[] Entries { get; }

        public readonly record struct Entry(DateTime Time, bool Received)
        {
            public override string ToString() => $"{(Received ? "received" : "sent")} {Time:HH:mm:ss.fff}";
        }
    }
}
