using System;
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
    /// The UDP side of one run's SIP NOTIFYs (RFC 3261 §17.1.2 non-INVITE client transactions):
    /// - one connected socket per phone address in flight, shared by every transaction to that address: an ICMP
    ///   port-unreachable still ends the attempts to that address at once (a connected socket is told, an
    ///   unconnected one is not), and phones behind one address (lines of one base station, a test rig) share one
    ///   socket and one receive loop instead of a socket, a connect and an event-loop registration each;
    /// - one receive loop per socket handing each answer to its transaction by the top Via branch;
    /// - one timer for the whole run driving timer E retransmissions (T1 doubling to T2, T2 once provisional),
    ///   timer F (64*T1) and each phone's own timeout, instead of three timers and a linked token per phone.
    /// Sockets whose address has no transaction left are kept (up to the run's parallelism) and re-connected to
    /// the next address.
    /// </summary>
    internal sealed class SipUdpTransport : IDisposable
    {
        private const int MaxDatagram = 65535;
        private const int MaxQueuedAfterError = 1024;
        private readonly object _lock = new object();
        private readonly Dictionary<IPEndPoint, PeerSocket> _bound = new Dictionary<IPEndPoint, PeerSocket>();
        private readonly Stack<PeerSocket> _idle = new Stack<PeerSocket>();
        private readonly Dictionary<string, UdpTransaction> _pending = new Dictionary<string, UdpTransaction>(StringComparer.Ordinal);
        private readonly List<UdpTransaction> _due = new List<UdpTransaction>();
        private readonly int _idleCapacity;
        private readonly TimeSpan _t1;
        private readonly long _t1Ticks;
        private readonly long _t2Ticks;
        private readonly Timer _timer;
        private readonly CancellationToken _cancel;
        private readonly CancellationTokenRegistration _cancelRegistration;
        private int _ticking;
        private bool _disposed;

        /// <param name="t1">RFC 3261 T1; T2 is 8*T1 and timer F 64*T1.</param>
        /// <param name="idleCapacity">How many sockets without a transaction are kept for the next phone addresses.</param>
        /// <param name="cancel">Stops the run: every transaction in flight ends with OperationCanceledException.</param>
        public SipUdpTransport(TimeSpan t1, int idleCapacity, CancellationToken cancel)
        {
            _t1 = t1;
            _t1Ticks = ToStopwatchTicks(t1);
            _t2Ticks = _t1Ticks * 8;
            _idleCapacity = Math.Max(1, idleCapacity);
            _cancel = cancel;
            // A tenth of T1 (50 ms): retransmissions and timeouts land within that of their time, and the timer costs
            // twenty wake-ups a second whatever the number of phones in flight.
            long period = Math.Max(1, Math.Min(50, (long)t1.TotalMilliseconds / 10));
            _timer = new Timer(_ => Tick(), null, period, period);
            _cancelRegistration = cancel.Register(() => FailWhere(null, () => new OperationCanceledException(cancel)));
        }

        /// <summary>A socket connected to <paramref name="remote"/> for one phone; give it back with <see cref="Release"/>.</summary>
        public PeerSocket Acquire(IPEndPoint remote)
        {
            lock (_lock)
            {
                if (_disposed) throw new ObjectDisposedException(nameof(SipUdpTransport));
                if (_bound.TryGetValue(remote, out var shared) && !shared.Broken)
                {
                    shared.Users++;
                    return shared;
                }
                while (_idle.Count > 0)
                {
                    var idle = _idle.Pop();
                    idle.InIdle = false;
                    if (idle.Users > 0 || idle.Closed) continue; // taken again through _bound since it was pushed
                    if (idle.Broken || idle.Socket.AddressFamily != remote.AddressFamily) { Close(idle); continue; }
                    try
                    {
                        // A late ICMP error of the previous address would end the next phone's attempt: clear it first.
                        idle.Socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error);
                        idle.Socket.Connect(remote);
                    }
                    catch (Exception ex) when (ex is SocketException || ex is InvalidOperationException)
                    {
                        // Some platforms refuse to re-connect a UDP socket: fall back to a new one.
                        Close(idle);
                        break;
                    }
                    if (idle.Remote != null && _bound.TryGetValue(idle.Remote, out var old) && old == idle) _bound.Remove(idle.Remote);
                    idle.Bind(remote);
                    _bound[remote] = idle;
                    idle.Users = 1;
                    return idle;
                }
                var udp = new Socket(remote.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                try { udp.Connect(remote); }
                catch (SocketException ex)
                {
                    udp.Dispose();
                    throw new ResyncFailure(ResyncOutcome.Unreachable, $"Cannot send to {PeerConnection.Format(remote)}: {PeerConnection.Describe(ex)}.");
                }
                var socket = new PeerSocket(udp);
                socket.Bind(remote);
                _bound[remote] = socket;
                socket.Users = 1;
                _ = ReceiveLoopAsync(socket);
                return socket;
            }
        }

        /// <summary>Ends one phone's use of a socket; the last user of an address leaves the socket for the next address.</summary>
        public void Release(PeerSocket socket)
        {
            lock (_lock)
            {
                if (--socket.Users > 0) return;
                if (!socket.Broken && !_disposed && !socket.InIdle && _idle.Count < _idleCapacity)
                {
                    // Still bound to its address: the next phone there takes it back without a connect.
                    socket.InIdle = true;
                    _idle.Push(socket);
                    return;
                }
                if (socket.InIdle) return;
                if (socket.Remote != null && _bound.TryGetValue(socket.Remote, out var bound) && bound == socket) _bound.Remove(socket.Remote);
                Close(socket);
            }
        }

        /// <summary>
        /// Sends <paramref name="request"/> and waits for its final answer, retransmitting per timer E; ends with a
        /// ResyncFailure (Timeout) at timer F or at <paramref name="phoneDeadline"/> (a Stopwatch timestamp).
        /// </summary>
        public Task<SipResponse> TransactAsync(PeerSocket socket, byte[] request, string branch, long phoneDeadline, ResyncTarget target, TimeSpan phoneTimeout)
        {
            long now = Stopwatch.GetTimestamp();
            long timerF = now + _t1Ticks * 64;
            var tx = new UdpTransaction(socket, request, branch, now + _t1Ticks, _t1Ticks, Math.Min(timerF, phoneDeadline),
                phoneDeadline <= timerF ? target : null, phoneTimeout);
            lock (_lock)
            {
                if (_cancel.IsCancellationRequested) throw new OperationCanceledException(_cancel);
                if (_disposed) throw new ObjectDisposedException(nameof(SipUdpTransport));
                if (socket.Broken) throw Copy(socket.Failure!);
                _pending.Add(branch, tx);
            }
            try { socket.Socket.Send(request, SocketFlags.None); }
            catch (SocketException ex) { Break(socket, Unreachable(ex)); }
            catch (ObjectDisposedException ex) { Fail(tx, ex); }
            return tx.Done.Task;
        }

        private async Task ReceiveLoopAsync(PeerSocket socket)
        {
            var buffer = socket.Buffer;
            while (true)
            {
                int n;
                try
                {
#if NET
                    n = await socket.Socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
#else
                    n = await socket.Socket.ReceiveAsync(new ArraySegment<byte>(buffer), SocketFlags.None).ConfigureAwait(false);
#endif
                }
                catch (ObjectDisposedException) { return; }
                catch (SocketException ex)
                {
                    // ICMP port or host unreachable (or the socket closed under us): every attempt to this address ends,
                    // but first the answers that came before it (Linux reports the error ahead of queued datagrams: a phone
                    // that answered and then closed its port answered).
                    if (!socket.Closed)
                    {
                        DispatchQueued(socket, buffer);
                        Break(socket, Unreachable(ex));
                    }
                    return;
                }
                Dispatch(socket, buffer, n);
            }
        }

        // Only the socket's receive loop calls this, so a datagram counted by Available is still there to read.
        private void DispatchQueued(PeerSocket socket, byte[] buffer)
        {
            for (int i = 0; i < MaxQueuedAfterError; i++)
            {
                int n;
                try
                {
                    if (socket.Closed || socket.Socket.Available == 0) return;
                    n = socket.Socket.Receive(buffer, SocketFlags.None);
                }
                catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException) { return; }
                Dispatch(socket, buffer, n);
            }
        }

        private void Dispatch(PeerSocket socket, byte[] buffer, int count)
        {
            SipResponse? response;
            try
            {
                response = SipResponse.ParseDatagram(buffer, count, socket.RemoteText);
            }
            catch (ResyncFailure failure)
            {
                // Not SIP, or a broken status line: what answers on that address is no phone; its attempts end with that.
                FailWhere(socket, () => Copy(failure));
                return;
            }
            if (response == null) return; // a request (the phone's own NOTIFY or OPTIONS): not an answer
            var branch = response.TopViaBranch;
            if (branch == null) return;
            UdpTransaction? tx;
            lock (_lock)
            {
                // RFC 3261 §17.1.3: branch and CSeq method; a 200 to another method is not the NOTIFY's answer.
                if (!_pending.TryGetValue(branch, out tx) || tx.Socket != socket || !string.Equals(response.CSeqMethod, "NOTIFY", StringComparison.Ordinal)) return;
                if (response.StatusCode < 200)
                {
                    // A provisional answer: the phone has it; retransmit at T2 until the final one (§17.1.2.2).
                    tx.Provisional = true;
                    return;
                }
                _pending.Remove(branch);
            }
            tx.Done.TrySetResult(response);
        }

        private void Tick()
        {
            if (Interlocked.Exchange(ref _ticking, 1) == 1) return;
            try
            {
                long now = Stopwatch.GetTimestamp();
                lock (_lock)
                {
                    if (_pending.Count == 0) return;
                    foreach (var tx in _pending.Values)
                    {
                        if (now >= tx.Expires)
                        {
                            tx.Expired = true;
                            _due.Add(tx);
                        }
                        else if (now >= tx.NextSend)
                        {
                            tx.Interval = tx.Provisional ? _t2Ticks : Math.Min(tx.Interval * 2, _t2Ticks);
                            tx.NextSend = now + tx.Interval;
                            _due.Add(tx);
                        }
                    }
                    foreach (var tx in _due)
                        if (tx.Expired) _pending.Remove(tx.Branch);
                }
                foreach (var tx in _due)
                {
                    if (tx.Expired)
                    {
                        var message = tx.Phone != null ? ResyncRunner.NoAnswer(tx.Phone, tx.PhoneTimeout)
                            : $"{tx.Socket.RemoteText} did not answer the NOTIFY within 64*T1 ({(_t1.TotalSeconds * 64).ToString("0.#", CultureInfo.InvariantCulture)} s).";
                        tx.Done.TrySetException(new ResyncFailure(ResyncOutcome.Timeout, message));
                        continue;
                    }
                    try { tx.Socket.Socket.Send(tx.Request, SocketFlags.None); }
                    // A refused retransmission reports an earlier datagram's ICMP error; the answer may be queued behind
                    // it, so the receive loop decides (the next retransmission's ICMP error reaches it).
                    catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused) { }
                    catch (SocketException ex) { Break(tx.Socket, Unreachable(ex)); }
                    catch (ObjectDisposedException ex) { Fail(tx, ex); }
                }
            }
            finally
            {
                _due.Clear();
                Volatile.Write(ref _ticking, 0);
            }
        }

        /// <summary>The socket cannot be used any more: its address's attempts end with <paramref name="failure"/>; the next phone there gets a new socket.</summary>
        private void Break(PeerSocket socket, Exception failure)
        {
            lock (_lock)
            {
                if (!socket.Broken)
                {
                    socket.Broken = true;
                    socket.Failure = failure;
                    if (socket.Remote != null && _bound.TryGetValue(socket.Remote, out var bound) && bound == socket) _bound.Remove(socket.Remote);
                    if (socket.Users == 0 && !socket.InIdle) Close(socket);
                }
            }
            FailWhere(socket, () => Copy(failure));
        }

        /// <summary>Ends the transactions on <paramref name="socket"/> (all of them when null) with the given exception.</summary>
        private void FailWhere(PeerSocket? socket, Func<Exception> failure)
        {
            List<UdpTransaction>? ended = null;
            lock (_lock)
            {
                foreach (var tx in _pending.Values)
                    if (socket == null || tx.Socket == socket) (ended ??= new List<UdpTransaction>()).Add(tx);
                if (ended != null) foreach (var tx in ended) _pending.Remove(tx.Branch);
            }
            // Outside the lock: completing a transaction runs its phone's next steps on this thread.
            if (ended != null) foreach (var tx in ended) tx.Done.TrySetException(failure());
        }

        private void Fail(UdpTransaction tx, Exception failure)
        {
            lock (_lock) _pending.Remove(tx.Branch);
            tx.Done.TrySetException(failure);
        }

        // Each phone's attempt ends with an exception of its own: one instance thrown on several threads would share a stack trace.
        private static Exception Copy(Exception failure) =>
            failure is ResyncFailure f ? new ResyncFailure(f.Outcome, f.Message, f.StatusCode) : failure;

        private static void Close(PeerSocket socket)
        {
            socket.Closed = true;
            socket.Socket.Dispose();
        }

        private static ResyncFailure Unreachable(SocketException ex) =>
            new ResyncFailure(ResyncOutcome.Unreachable, $"The phone cannot be reached: {PeerConnection.Describe(ex)}.");

        private static long ToStopwatchTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

        /// <summary>A Stopwatch timestamp <paramref name="span"/> after <paramref name="start"/>.</summary>
        public static long After(long start, TimeSpan span) => start + ToStopwatchTicks(span);

        public void Dispose()
        {
            var sockets = new List<PeerSocket>();
            lock (_lock)
            {
                if (_disposed) return;
                _disposed = true;
                sockets.AddRange(_bound.Values);
                sockets.AddRange(_idle);
                _bound.Clear();
                _idle.Clear();
            }
            _timer.Dispose();
            _cancelRegistration.Dispose();
            FailWhere(null, () => new ObjectDisposedException(nameof(SipUdpTransport)));
            foreach (var socket in sockets) Close(socket);
        }

        /// <summary>A UDP socket of the run, connected to one phone address at a time, with its receive buffer.</summary>
        internal sealed class PeerSocket
        {
            public PeerSocket(Socket socket) { Socket = socket; }
            public Socket Socket { get; }
            public byte[] Buffer { get; } = new byte[MaxDatagram];
            public IPEndPoint? Remote { get; private set; }
            /// <summary>The address the phone sees us at (Via, Contact, From).</summary>
            public IPEndPoint Local { get; private set; } = new IPEndPoint(IPAddress.Any, 0);
            public string RemoteText { get; private set; } = "";
            // Guarded by the transport's lock.
            public int Users;
            public bool InIdle;
            public bool Broken;
            public Exception? Failure;
            public volatile bool Closed;

            public void Bind(IPEndPoint remote)
            {
                Remote = remote;
                RemoteText = PeerConnection.Format(remote);
                Local = (IPEndPoint)Socket.LocalEndPoint!;
            }
        }

        private sealed class UdpTransaction
        {
            public UdpTransaction(PeerSocket socket, byte[] request, string branch, long nextSend, long interval, long expires, ResyncTarget? phone, TimeSpan phoneTimeout)
            {
                Socket = socket;
                Request = request;
                Branch = branch;
                NextSend = nextSend;
                Interval = interval;
                Expires = expires;
                Phone = phone;
                PhoneTimeout = phoneTimeout;
            }

            public PeerSocket Socket { get; }
            public byte[] Request { get; }
            public string Branch { get; }
            /// <summary>Timer F or the phone's own timeout, whichever comes first; <see cref="Phone"/> is set when it is the phone's.</summary>
            public long Expires { get; }
            public ResyncTarget? Phone { get; }
            public TimeSpan PhoneTimeout { get; }
            public TaskCompletionSource<SipResponse> Done { get; } = new TaskCompletionSource<SipResponse>();
            // Guarded by the transport's lock.
            public long NextSend;
            public long Interval;
            public bool Provisional;
            public bool Expired;
        }
    }
}
