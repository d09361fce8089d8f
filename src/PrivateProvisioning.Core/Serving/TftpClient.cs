using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace PrivateProvisioning.Core.Serving
{
    /// <summary>Options a TFTP download asks for; null leaves an option out of the request (plain RFC 1350).</summary>
    public sealed class TftpClientOptions
    {
        public int? BlockSize { get; set; }
        public int? WindowSize { get; set; }
        /// <summary>Ask the server for the size first (tsize=0) and refuse files larger than MaxBytes early.</summary>
        public bool RequestTransferSize { get; set; }
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);
        public int MaxRetries { get; set; } = 5;
        /// <summary>Netascii mode (the server converts line ends; we convert them back).</summary>
        public bool Netascii { get; set; }
        /// <summary>Downloads stop with an error beyond this size (phones have small flash too).</summary>
        public long MaxBytes { get; set; } = 256L * 1024 * 1024;
    }

    /// <summary>
    /// Downloads a file over TFTP the way a phone does: RRQ from an ephemeral port, lock on to the server's
    /// transfer port, optional OACK (blksize, tsize, windowsize), ACK each block or window, resend the last
    /// ACK on timeout a bounded number of times.
    /// </summary>
    public static class TftpClient
    {
        public static async Task<byte[]> DownloadAsync(IPEndPoint server, string fileName, TftpClientOptions? options = null, CancellationToken cancel = default)
        {
            options ??= new TftpClientOptions();
            var requested = new List<KeyValuePair<string, string>>();
            if (options.BlockSize is int b) requested.Add(new KeyValuePair<string, string>("blksize", b.ToString(CultureInfo.InvariantCulture)));
            if (options.RequestTransferSize) requested.Add(new KeyValuePair<string, string>("tsize", "0"));
            if (options.WindowSize is int w) requested.Add(new KeyValuePair<string, string>("windowsize", w.ToString(CultureInfo.InvariantCulture)));
            var rrq = TftpPacket.BuildRequest(TftpOpcode.ReadRequest, fileName, options.Netascii ? "netascii" : "octet", requested);

            using (var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp))
            {
                TftpServer.IgnoreIcmpResets(socket);
                // A window of 64 KB blocks must fit in the socket buffer, or blocks are dropped on arrival.
                if (options.WindowSize is int window && options.BlockSize is int size && window > 1)
                    socket.ReceiveBufferSize = Math.Min(8 * 1024 * 1024, Math.Max(socket.ReceiveBufferSize, 2 * window * (size + 4)));
                socket.Bind(new IPEndPoint(server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
                var receiver = new UdpReceiver(socket, new byte[TftpServer.MaxBlockSize + 4]);
                var buffer = receiver.Buffer;
                var output = new MemoryStream();
                var ack = new byte[4];
                TftpPacket.WriteUInt16(ack, 0, (int)TftpOpcode.Ack);
                int blockSize = 512, windowSize = 1, inWindow = 0, retries = 0;
                long expected = 1, gapAckedFor = -1;
                IPEndPoint? peer = null;
                byte[] lastSent = rrq;
                IPEndPoint lastTarget = server;
                await socket.SendToAsync(new ArraySegment<byte>(rrq), SocketFlags.None, server).ConfigureAwait(false);
                while (true)
                {
                    int n = await receiver.ReceiveAsync(options.Timeout, cancel).ConfigureAwait(false);
                    if (n == UdpReceiver.Gone)
                    {
                        cancel.ThrowIfCancellationRequested();
                        throw Failure(ErrorIds.TftpServerUnreachable, ErrorKind.ConnectionError, server, fileName, "the server is unreachable (nothing listens on that port)");
                    }
                    if (n == UdpReceiver.TimedOut)
                    {
                        if (++retries > options.MaxRetries)
                            throw Failure(ErrorIds.TftpTimeout, ErrorKind.OperationTimeout, server, fileName,
                                peer == null ? $"no answer after {options.MaxRetries} retransmissions of the request" : $"no block {expected} after {options.MaxRetries} retransmissions");
                        await socket.SendToAsync(new ArraySegment<byte>(lastSent), SocketFlags.None, lastTarget).ConfigureAwait(false);
                        continue;
                    }
                    var from = receiver.From!;
                    if (!from.Address.Equals(server.Address)) continue;
                    if (peer == null) peer = from;
                    else if (!from.Equals(peer))
                    {
                        // RFC 1350: a packet from another TID gets an error and does not disturb the transfer.
                        await socket.SendToAsync(new ArraySegment<byte>(TftpPacket.BuildError(TftpErrorCode.UnknownTransferId, "Unknown transfer ID.")), SocketFlags.None, from).ConfigureAwait(false);
                        continue;
                    }
                    if (n < 4) continue;
                    var opcode = (TftpOpcode)TftpPacket.ReadUInt16(buffer, 0);
                    if (opcode == TftpOpcode.Error)
                    {
                        var code = (TftpErrorCode)TftpPacket.ReadUInt16(buffer, 2);
                        var message = ServingRoot.Printable(TftpPacket.ErrorMessage(buffer, n));
                        if (code == TftpErrorCode.FileNotFound)
                            throw Failure(ErrorIds.RemoteFileNotFound, ErrorKind.ObjectNotFound, server, fileName, $"file not found (TFTP error 1: {message})");
                        if (code == TftpErrorCode.AccessViolation)
                            throw Failure(ErrorIds.RemoteAccessDenied, ErrorKind.PermissionDenied, server, fileName, $"access violation (TFTP error 2: {message})");
                        throw Failure(ErrorIds.TftpError, ErrorKind.ConnectionError, server, fileName, $"TFTP error {(int)code}: {message}");
                    }
                    if (opcode == TftpOpcode.OptionAck && expected == 1 && output.Length == 0)
                    {
                        foreach (var o in TftpPacket.ParseOptionAck(buffer, n))
                        {
                            if (!long.TryParse(o.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) continue;
                            if (o.Key == "blksize" && value >= 8 && value <= TftpServer.MaxBlockSize) blockSize = (int)value;
                            else if (o.Key == "windowsize" && value >= 1 && value <= 65535) windowSize = (int)value;
                            else if (o.Key == "tsize" && value > options.MaxBytes)
                                throw Failure(ErrorIds.RemoteFileTooLarge, ErrorKind.InvalidData, server, fileName, $"the file is {value} bytes, more than the {options.MaxBytes} allowed");
                        }
                        TftpPacket.WriteUInt16(ack, 2, 0);
                        lastSent = (byte[])ack.Clone();
                        lastTarget = peer;
                        await socket.SendToAsync(new ArraySegment<byte>(lastSent), SocketFlags.None, peer).ConfigureAwait(false);
                        retries = 0;
                        continue;
                    }
                    if (opcode != TftpOpcode.Data) continue;
                    int wire = TftpPacket.ReadUInt16(buffer, 2);
                    int dataLength = n - 4;
                    bool inOrder = wire == (int)(expected & 0xFFFF);
                    bool last = false;
                    if (inOrder)
                    {
                        if (output.Length + dataLength > options.MaxBytes)
                            throw Failure(ErrorIds.RemoteFileTooLarge, ErrorKind.InvalidData, server, fileName, $"the file is larger than the {options.MaxBytes} bytes allowed");
                        output.Write(buffer, 4, dataLength);
                        expected++;
                        inWindow++;
                        retries = 0;
                        last = dataLength < blockSize;
                    }
                    // ACK at the end of a window, at the last block, or when a block is out of order (RFC 7440:
                    // acknowledge the last good block so the server resends from there) - once per gap with
                    // windows, since every further out-of-order block would repeat the same request.
                    if (inOrder && !last && inWindow < windowSize) continue;
                    if (!inOrder && windowSize > 1)
                    {
                        if (gapAckedFor == expected - 1) continue;
                        gapAckedFor = expected - 1;
                    }
                    inWindow = 0;
                    TftpPacket.WriteUInt16(ack, 2, (int)((expected - 1) & 0xFFFF));
                    lastSent = (byte[])ack.Clone();
                    lastTarget = peer;
                    await socket.SendToAsync(new ArraySegment<byte>(lastSent), SocketFlags.None, peer).ConfigureAwait(false);
                    if (last)
                    {
                        var bytes = output.ToArray();
                        return options.Netascii ? TftpPacket.FromNetascii(bytes) : bytes;
                    }
                }
            }
        }

        private static ProvisioningException Failure(string id, ErrorKind kind, IPEndPoint server, string fileName, string why) =>
            new ProvisioningException(id, kind, $"TFTP download of '{ServingRoot.Printable(fileName)}' from {ProvisioningServer.FormatEndPoint(server)} failed: {why}.", fileName);
    }
}
