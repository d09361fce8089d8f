using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace PrivateProvisioning.Core.Serving
{
    /// <summary>What was agreed with the client (RFC 2347): the values in force and the OACK to send, if any.</summary>
    internal sealed class TftpNegotiation
    {
        public int BlockSize { get; set; } = 512;
        public int WindowSize { get; set; } = 1;
        public TimeSpan Timeout { get; set; }
        public List<KeyValuePair<string, string>> Acknowledged { get; } = new List<KeyValuePair<string, string>>();

        public string Describe()
        {
            if (Acknowledged.Count == 0) return "no options";
            var sb = new StringBuilder();
            foreach (var o in Acknowledged) sb.Append(sb.Length == 0 ? "" : " ").Append(o.Key).Append('=').Append(o.Value);
            return sb.ToString();
        }
    }

    internal readonly struct TftpSendResult
    {
        public TftpSendResult(RequestOutcome outcome, TftpErrorCode errorCode, long bytesSent, string? detail)
        {
            Outcome = outcome; ErrorCode = errorCode; BytesSent = bytesSent; Detail = detail;
        }
        public RequestOutcome Outcome { get; }
        public TftpErrorCode ErrorCode { get; }
        public long BytesSent { get; }
        public string? Detail { get; }
    }

    /// <summary>
    /// Sends one file over a connected UDP socket: optional OACK, then DATA blocks in windows of
    /// windowsize (RFC 7440), each window resent on timeout up to MaxRetries times. Block numbers roll over
    /// to 0 after 65535, as tftp-hpa and curl expect for large files.
    /// </summary>
    internal sealed class TftpSendSession
    {
        private readonly Socket _socket;
        private readonly FileContent _content;
        private readonly TftpServerSettings _settings;
        private readonly CancellationToken _stop;
        private readonly byte[] _receiveBuffer = new byte[1024];
        private readonly UdpReceiver _receiver;

        public TftpSendSession(Socket socket, FileContent content, TftpServerSettings settings, CancellationToken stop)
        {
            _socket = socket;
            _content = content;
            _settings = settings;
            _stop = stop;
            _receiver = new UdpReceiver(socket, _receiveBuffer);
        }

        public TftpNegotiation Negotiate(IReadOnlyList<KeyValuePair<string, string>> options)
        {
            var result = new TftpNegotiation { Timeout = _settings.Timeout };
            foreach (var option in options)
            {
                if (!long.TryParse(option.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) continue;
                switch (option.Key)
                {
                    case "blksize" when value >= 8:
                        result.BlockSize = (int)Math.Min(value, TftpServer.MaxBlockSize);
                        result.Acknowledged.Add(new KeyValuePair<string, string>("blksize", result.BlockSize.ToString(CultureInfo.InvariantCulture)));
                        break;
                    case "tsize":
                        result.Acknowledged.Add(new KeyValuePair<string, string>("tsize", _content.Length.ToString(CultureInfo.InvariantCulture)));
                        break;
                    case "timeout" when value >= 1 && value <= 255:
                        result.Timeout = TimeSpan.FromSeconds(value);
                        result.Acknowledged.Add(new KeyValuePair<string, string>("timeout", value.ToString(CultureInfo.InvariantCulture)));
                        break;
                    case "windowsize" when value >= 1 && value <= 65535:
                        result.WindowSize = (int)Math.Min(value, 64);
                        result.Acknowledged.Add(new KeyValuePair<string, string>("windowsize", result.WindowSize.ToString(CultureInfo.InvariantCulture)));
                        break;
                }
            }
            return result;
        }

        public async Task<TftpSendResult> RunAsync(TftpNegotiation negotiation)
        {
            string options = negotiation.Describe();
            if (negotiation.Acknowledged.Count > 0)
            {
                var oack = TftpPacket.BuildOptionAck(negotiation.Acknowledged);
                var oackResult = await SendAndAwaitAck(oack, oack.Length, 0, negotiation.Timeout).ConfigureAwait(false);
                if (oackResult.Failure is TftpSendResult failed)
                    return new TftpSendResult(failed.Outcome, failed.ErrorCode, 0, failed.Detail + " (after OACK " + options + ")");
            }

            int blockSize = negotiation.BlockSize;
            long lastBlock = _content.Length / blockSize + 1; // the final block is short, possibly empty
            var packet = new byte[blockSize + 4];
            long acked = 0;
            int retries = 0, repeats = 0;
            long resentFor = -1;
            bool send = true;
            while (acked < lastBlock)
            {
                long windowEnd = Math.Min(lastBlock, acked + negotiation.WindowSize);
                if (send)
                    for (long block = acked + 1; block <= windowEnd; block++)
                    {
                        int n = _content.Read((block - 1) * blockSize, packet, 4, blockSize);
                        TftpPacket.WriteUInt16(packet, 0, (int)TftpOpcode.Data);
                        TftpPacket.WriteUInt16(packet, 2, (int)(block & 0xFFFF));
                        // A send can fail with the ICMP error of an earlier datagram (the client closed after its
                        // last ACK); the ACK may still be queued, so read on instead of giving up here.
                        if (!await TrySendAsync(packet, n + 4).ConfigureAwait(false)) break;
                    }
                // With windows, a repeated ACK of the last good block is the client asking for the rest again (RFC 7440 §4).
                long lowest = negotiation.WindowSize > 1 ? acked : acked + 1;
                var reply = await AwaitAck(lowest, windowEnd, negotiation.Timeout).ConfigureAwait(false);
                long sentBytes = Math.Min(_content.Length, acked * blockSize);
                if (reply.Failure is TftpSendResult failure)
                    return new TftpSendResult(failure.Outcome, failure.ErrorCode, sentBytes, failure.Detail + " (" + options + ")");
                if (reply.AckedBlock < 0)
                {
                    if (++retries > _settings.MaxRetries)
                        return new TftpSendResult(RequestOutcome.TimedOut, TftpErrorCode.NotDefined, sentBytes,
                            $"no acknowledgement after {_settings.MaxRetries} retransmissions of block {acked + 1} ({options})");
                    send = true;
                    continue;
                }
                if (reply.AckedBlock == acked)
                {
                    // One resend per gap: the client may ACK every out-of-order block it sees, and answering each
                    // with a whole window would snowball. A client that only repeats itself is cut off.
                    if (++repeats > 8 * (_settings.MaxRetries + 1))
                        return new TftpSendResult(RequestOutcome.BadRequest, TftpErrorCode.NotDefined, sentBytes, $"the client repeated its acknowledgement of block {acked} too often ({options})");
                    send = resentFor != acked;
                    resentFor = acked;
                    continue;
                }
                // Progress (even a partial window, RFC 7440 §4) resets the counts; the next window starts after it.
                retries = 0;
                repeats = 0;
                acked = reply.AckedBlock;
                send = true;
            }
            return new TftpSendResult(RequestOutcome.Served, 0, _content.Length, options);
        }

        private async Task<bool> TrySendAsync(byte[] packet, int length)
        {
            try
            {
                await _socket.SendAsync(new ArraySegment<byte>(packet, 0, length), SocketFlags.None).ConfigureAwait(false);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }

        private readonly struct AckResult
        {
            public AckResult(long ackedBlock, TftpSendResult? failure) { AckedBlock = ackedBlock; Failure = failure; }
            /// <summary>The absolute block acknowledged, or -1 on timeout.</summary>
            public long AckedBlock { get; }
            public TftpSendResult? Failure { get; }
        }

        /// <summary>
        /// Waits for an ACK of a block in [low, high]; anything older is a stale duplicate and is ignored, so it
        /// cannot double the traffic (the Sorcerer's Apprentice bug of RFC 1350).
        /// </summary>
        private async Task<AckResult> AwaitAck(long low, long high, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                var remaining = deadline - DateTime.UtcNow;
                if (remaining <= TimeSpan.Zero) return new AckResult(-1, null);
                int n = await _receiver.ReceiveAsync(remaining, _stop).ConfigureAwait(false);
                if (n == UdpReceiver.TimedOut) return new AckResult(-1, null);
                if (n == UdpReceiver.Gone)
                    return new AckResult(0, _stop.IsCancellationRequested
                        ? new TftpSendResult(RequestOutcome.Failed, 0, 0, "the server was stopped during the transfer")
                        : new TftpSendResult(RequestOutcome.ClientAborted, 0, 0, "the client is unreachable (ICMP port unreachable)"));
                if (n < 4) continue;
                var opcode = (TftpOpcode)TftpPacket.ReadUInt16(_receiveBuffer, 0);
                if (opcode == TftpOpcode.Error)
                {
                    var code = (TftpErrorCode)TftpPacket.ReadUInt16(_receiveBuffer, 2);
                    return new AckResult(0, new TftpSendResult(RequestOutcome.ClientAborted, 0, 0, $"the client sent error {(int)code}: {ServingRoot.Printable(TftpPacket.ErrorMessage(_receiveBuffer, n))}"));
                }
                if (opcode != TftpOpcode.Ack)
                {
                    var error = TftpPacket.BuildError(TftpErrorCode.IllegalOperation, "Expected an ACK.");
                    await TrySendAsync(error, error.Length).ConfigureAwait(false);
                    return new AckResult(0, new TftpSendResult(RequestOutcome.BadRequest, TftpErrorCode.IllegalOperation, 0, $"the client sent opcode {(int)opcode} instead of an ACK"));
                }
                int wire = TftpPacket.ReadUInt16(_receiveBuffer, 2);
                // Map the 16-bit block number back into the window (block numbers roll over).
                for (long candidate = high; candidate >= low; candidate--)
                    if ((candidate & 0xFFFF) == wire)
                        return new AckResult(candidate, null);
            }
        }

        private async Task<AckResult> SendAndAwaitAck(byte[] packet, int length, long expected, TimeSpan timeout)
        {
            for (int attempt = 0; attempt <= _settings.MaxRetries; attempt++)
            {
                await TrySendAsync(packet, length).ConfigureAwait(false);
                var reply = await AwaitAck(expected, expected, timeout).ConfigureAwait(false);
                if (reply.Failure != null || reply.AckedBlock >= 0) return reply;
            }
            return new AckResult(-1, new TftpSendResult(RequestOutcome.TimedOut, 0, 0, $"no acknowledgement of the OACK after {_settings.MaxRetries} retransmissions"));
        }
    }
}
