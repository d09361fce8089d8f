using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace PrivateProvisioning.Core.Serving
{
    /// <summary>
    /// A read-only TFTP server: RFC 1350 read requests in octet and netascii, RFC 2347 option negotiation
    /// (blksize up to 65464, tsize, timeout: RFC 2348/2349) and RFC 7440 windowsize. Each transfer runs on
    /// its own socket (its own TID) as an async task, so a thousand phones resyncing at once cost no thread
    /// each. Write requests are answered with an access-violation ERROR and logged.
    /// </summary>
    public sealed class TftpServer : IDisposable
    {
        public const int MaxBlockSize = 65464;
        private const int DefaultBlockSize = 512;
        /// <summary>Larger windows bring nothing on a LAN and let one client flood the socket buffer.</summary>
        private const int MaxWindowSize = 64;
        /// <summary>Files up to this size are read once into memory per transfer instead of block by block.</summary>
        private const int SmallFileLimit = 256 * 1024;

        private readonly ServingRoot _root;
        private readonly RequestLog _log;
        private readonly Socket _socket;
        private readonly ConcurrentDictionary<IPEndPoint, byte> _active = new ConcurrentDictionary<IPEndPoint, byte>();
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly Task _listenLoop;
        private int _running;

        public TftpServer(ServingRoot root, IPEndPoint endpoint, RequestLog log, TftpServerSettings? settings = null)
        {
            _root = root;
            _log = log;
            Settings = settings ?? new TftpServerSettings();
            _socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            IgnoreIcmpResets(_socket);
            try
            {
                _socket.ReceiveBufferSize = 4 * 1024 * 1024;
                _socket.Bind(endpoint);
            }
            catch (SocketException ex)
            {
                _socket.Dispose();
                throw new ProvisioningException(ErrorIds.ServerBindFailed, ErrorKind.ConnectionError,
                    $"Cannot listen for TFTP on {endpoint}: {ex.Message}. Choose another address or port (ports below 1024 need privileges).", endpoint, ex);
            }
            LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
            _listenLoop = Task.Run(ListenLoop);
        }

        public IPEndPoint LocalEndPoint { get; }

        public TftpServerSettings Settings { get; }

        /// <summary>Transfers in progress now.</summary>
        public int ActiveTransfers => Volatile.Read(ref _running);

        private async Task ListenLoop()
        {
            var buffer = new byte[MaxBlockSize + 4];
            EndPoint any = new IPEndPoint(LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
            while (!_stop.IsCancellationRequested)
            {
                SocketReceiveFromResult received;
                try
                {
                    received = await _socket.ReceiveFromAsync(new ArraySegment<byte>(buffer), SocketFlags.None, any).ConfigureAwait(false);
                }
                catch (ObjectDisposedException) { return; }
                catch (SocketException) when (!_stop.IsCancellationRequested) { continue; }
                catch (SocketException) { return; }
                var client = (IPEndPoint)received.RemoteEndPoint;
                try { HandleRequest(client, buffer, received.ReceivedBytes); }
                catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException) { }
            }
        }

        private void HandleRequest(IPEndPoint client, byte[] buffer, int length)
        {
            var started = DateTimeOffset.Now;
            var request = TftpPacket.ParseRequest(buffer, length, out var problem);
            if (request == null)
            {
                // A stray DATA/ACK to port 69 (late packet of a finished transfer) is not worth an entry.
                if (length >= 2 && TftpPacket.ReadUInt16(buffer, 0) is ushort op && op >= 3 && op <= 6) return;
                ReplyError(client, TftpErrorCode.IllegalOperation, "Malformed request: " + problem);
                Record(started, client, "", RequestOutcome.BadRequest, TftpErrorCode.IllegalOperation, 0, "malformed request: " + problem);
                return;
            }
            if (request.Opcode == TftpOpcode.WriteRequest)
            {
                ReplyError(client, TftpErrorCode.AccessViolation, "This server is read-only.");
                Record(started, client, request.FileName, RequestOutcome.WriteRefused, TftpErrorCode.AccessViolation, 0, "write request refused: the server is read-only");
                return;
            }
            if (request.Mode != "octet" && request.Mode != "netascii")
            {
                ReplyError(client, TftpErrorCode.IllegalOperation, $"Transfer mode '{request.Mode}' is not supported; use octet or netascii.");
                Record(started, client, request.FileName, RequestOutcome.BadRequest, TftpErrorCode.IllegalOperation, 0, $"unsupported mode '{request.Mode}'");
                return;
            }
            // A retransmitted RRQ from a client whose transfer already runs must not start a second one.
            if (!_active.TryAdd(client, 0)) return;
            if (Interlocked.Increment(ref _running) > Settings.MaxConcurrentTransfers)
            {
                Interlocked.Decrement(ref _running);
                _active.TryRemove(client, out _);
                ReplyError(client, TftpErrorCode.NotDefined, "Server busy; try again.");
                Record(started, client, request.FileName, RequestOutcome.Failed, TftpErrorCode.NotDefined, 0, "too many transfers at once");
                return;
            }
            _ = RunTransferAsync(client, request, started);
        }

        private async Task RunTransferAsync(IPEndPoint client, TftpRequest request, DateTimeOffset started)
        {
            try
            {
                await TransferAsync(client, request, started).ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                Record(started, client, request.FileName, RequestOutcome.Failed, TftpErrorCode.NotDefined, 0, ex.Message);
            }
            finally
            {
                _active.TryRemove(client, out _);
                Interlocked.Decrement(ref _running);
            }
        }

        private async Task TransferAsync(IPEndPoint client, TftpRequest request, DateTimeOffset started)
        {
            var clock = Stopwatch.StartNew();
            string path;
            try
            {
                path = _root.Resolve(request.FileName);
            }
            catch (ProvisioningException ex)
            {
                bool refused = ex.ErrorId != ErrorIds.ServedFileNotFound;
                var code = refused ? TftpErrorCode.AccessViolation : TftpErrorCode.FileNotFound;
                ReplyError(client, code, refused ? "Access violation." : "File not found.");
                Record(started, client, request.FileName, refused ? RequestOutcome.Refused : RequestOutcome.NotFound, code, 0, ServingRoot.Printable(ex.Message), clock.Elapsed);
                return;
            }

            FileContent content;
            try
            {
                content = FileContent.Open(path, request.Mode == "netascii", SmallFileLimit);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                ReplyError(client, TftpErrorCode.AccessViolation, "Cannot read the file.");
                Record(started, client, request.FileName, RequestOutcome.Failed, TftpErrorCode.AccessViolation, 0, "cannot read the file: " + ex.Message, clock.Elapsed);
                return;
            }

            using (content)
            using (var socket = new Socket(client.AddressFamily, SocketType.Dgram, ProtocolType.Udp))
            {
                IgnoreIcmpResets(socket);
                socket.Bind(new IPEndPoint(LocalEndPoint.Address, 0));
                socket.Connect(client);
                var session = new TftpSendSession(socket, content, Settings, _stop.Token);
                var negotiated = session.Negotiate(request.Options);
                var result = await session.RunAsync(negotiated).ConfigureAwait(false);
                Record(started, client, request.FileName, result.Outcome, result.ErrorCode, result.BytesSent, result.Detail, clock.Elapsed);
            }
        }

        private void ReplyError(IPEndPoint client, TftpErrorCode code, string message)
        {
            var packet = TftpPacket.BuildError(code, message);
            try { _socket.SendTo(packet, client); }
            catch (SocketException) { }
            catch (ObjectDisposedException) { }
        }

        private void Record(DateTimeOffset started, IPEndPoint client, string file, RequestOutcome outcome, TftpErrorCode code, long bytes, string? detail, TimeSpan duration = default)
        {
            _log.Add(new ServedRequest(started, client.Address.ToString(), client.Port, ServingProtocol.Tftp, ServingRoot.Printable(file),
                MacAddressInName.Find(file), bytes, outcome, outcome == RequestOutcome.Served ? 0 : (int)code, null, detail, duration));
        }

        /// <summary>On Windows an ICMP port-unreachable makes the next UDP receive fail; a server must not stop for it.</summary>
        internal static void IgnoreIcmpResets(Socket socket)
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
            const int SioUdpConnReset = -1744830452;
            try { socket.IOControl(SioUdpConnReset, new byte[] { 0 }, null); } catch (SocketException) { } catch (PlatformNotSupportedException) { }
        }

        /// <summary>Stops listening and ends every transfer in progress.</summary>
        public void Dispose()
        {
            if (_stop.IsCancellationRequested) return;
            _stop.Cancel();
            _socket.Dispose();
            try { _listenLoop.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
        }
    }

    /// <summary>Tunables of the TFTP server; the defaults suit a LAN of phones.</summary>
    public sealed class TftpServerSettings
    {
        /// <summary>How long to wait for an ACK before sending again, unless the client negotiates a timeout.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);
        /// <summary>Retransmissions of one packet before the transfer is given up.</summary>
        public int MaxRetries { get; set; } = 5;
        /// <summary>Transfers at once; more are answered "server busy" so a storm cannot exhaust the host.</summary>
        public int MaxConcurrentTransfers { get; set; } = 10000;
    }
}
