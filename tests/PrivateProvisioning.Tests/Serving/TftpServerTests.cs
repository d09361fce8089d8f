using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Serving;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Serving
{
    public class TftpServerTests
    {
        private static readonly IPEndPoint Loopback0 = new IPEndPoint(IPAddress.Loopback, 0);

        internal static byte[] RandomBytes(int length, int seed)
        {
            var bytes = new byte[length];
            new Random(seed).NextBytes(bytes);
            return bytes;
        }

        internal static ProvisioningServer StartTftp(string root, TftpServerSettings? settings = null) =>
            ProvisioningServer.Start(new ProvisioningServerOptions(root) { TftpEndPoint = Loopback0, Tftp = settings ?? new TftpServerSettings() });

        /// <summary>Records are added when a transfer ends, a moment after the client has its last block.</summary>
        internal static ServedRequest WaitForRecord(ProvisioningServer server, Func<ServedRequest, bool> match)
        {
            for (int i = 0; i < 100; i++)
            {
                var found = server.GetLog().FirstOrDefault(match);
                if (found != null) return found;
                Thread.Sleep(50);
            }
            throw new Xunit.Sdk.XunitException("No matching request record; log: " + string.Join("; ", server.GetLog().Select(r => $"{r.File} {r.Outcome} {r.Detail}")));
        }

        [Theory]
        [InlineData(3000)]
        [InlineData(1024)] // an exact multiple of 512: the transfer must end with an empty block
        [InlineData(0)]
        public void TftpHpaClientDownloadsByteEqual(int size)
        {
            using var dir = new TempDirectory();
            var content = RandomBytes(size, size);
            File.WriteAllBytes(dir.File("SEP000E08ABCDEF.cnf.xml"), content);
            using var server = StartTftp(dir.Path);
            var local = dir.File("got.bin");
            var result = ProcessRunner.Tool("tftp", new[] { "127.0.0.1", server.TftpPort!.Value.ToString(), "-m", "binary", "-c", "get", "SEP000E08ABCDEF.cnf.xml", local }, timeoutSeconds: 30);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(content, File.ReadAllBytes(local));
            var record = WaitForRecord(server, r => r.File == "SEP000E08ABCDEF.cnf.xml");
            Assert.Equal(RequestOutcome.Served, record.Outcome);
            Assert.Equal(ServingProtocol.Tftp, record.Protocol);
            Assert.Equal("000E08ABCDEF", record.MacAddress);
            Assert.Equal(size, record.Bytes);
            Assert.Equal("127.0.0.1", record.ClientAddress);
        }

        [Fact]
        public void TftpHpaNetasciiRoundTripsLineEnds()
        {
            using var dir = new TempDirectory();
            var text = "<flat-profile>\n  <Line_Enable_1_>Yes</Line_Enable_1_>\n</flat-profile>\n";
            File.WriteAllText(dir.File("spa942.cfg"), text);
            using var server = StartTftp(dir.Path);
            var local = dir.File("got.txt");
            var result = ProcessRunner.Tool("tftp", new[] { "127.0.0.1", server.TftpPort!.Value.ToString(), "-m", "netascii", "-c", "get", "/spa942.cfg", local }, timeoutSeconds: 30);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(text, File.ReadAllText(local));
            var record = WaitForRecord(server, r => r.File == "/spa942.cfg");
            Assert.Equal(RequestOutcome.Served, record.Outcome);
            Assert.Equal(text.Length + text.Count(c => c == '\n'), record.Bytes); // CR LF on the wire
        }

        [Theory]
        [InlineData(null)]
        [InlineData("1468")]
        [InlineData("65464")]
        public void CurlWithOptionsDownloadsByteEqual(string? blockSize)
        {
            using var dir = new TempDirectory();
            var content = RandomBytes(200_000, 7);
            File.WriteAllBytes(dir.File("firmware.loads"), content);
            using var server = StartTftp(dir.Path);
            var local = dir.File("got.bin");
            var args = new[] { "-s", "-S", "-o", local, $"tftp://127.0.0.1:{server.TftpPort}/firmware.loads" }.ToList();
            if (blockSize != null) args.AddRange(new[] { "--tftp-blksize", blockSize });
            var result = ProcessRunner.Tool("curl", args, timeoutSeconds: 60);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(content, File.ReadAllBytes(local));
            var record = WaitForRecord(server, r => r.File == "firmware.loads");
            Assert.Equal(RequestOutcome.Served, record.Outcome);
            Assert.Contains("tsize=200000", record.Detail);
            if (blockSize != null) Assert.Contains("blksize=" + blockSize, record.Detail);
        }

        [Theory]
        [InlineData(8, 16, 600_000)] // 75,000 blocks: block numbers roll over past 65535
        [InlineData(1024, 8, 100_000)]
        [InlineData(65464, 4, 300_000)]
        public async Task OurClientWithWindowsizeDownloadsByteEqual(int blockSize, int windowSize, int size)
        {
            using var dir = new TempDirectory();
            var content = RandomBytes(size, blockSize);
            File.WriteAllBytes(dir.File("big.bin"), content);
            using var server = StartTftp(dir.Path);
            var got = await TftpClient.DownloadAsync(new IPEndPoint(IPAddress.Loopback, server.TftpPort!.Value), "big.bin",
                new TftpClientOptions { BlockSize = blockSize, WindowSize = windowSize, RequestTransferSize = true });
            Assert.Equal(content, got);
            var record = WaitForRecord(server, r => r.File == "big.bin");
            Assert.Contains($"windowsize={windowSize}", record.Detail);
        }

        [Fact]
        public async Task ManyClientsAtOnceAllSucceed()
        {
            using var dir = new TempDirectory();
            var content = RandomBytes(4096, 3);
            File.WriteAllBytes(dir.File("profile.xml"), content);
            using var server = StartTftp(dir.Path);
            var endpoint = new IPEndPoint(IPAddress.Loopback, server.TftpPort!.Value);
            var downloads = Enumerable.Range(0, 200).Select(_ => TftpClient.DownloadAsync(endpoint, "profile.xml")).ToArray();
            var results = await Task.WhenAll(downloads);
            Assert.All(results, r => Assert.Equal(content, r));
            for (int i = 0; i < 100 && server.RequestCount < 200; i++) Thread.Sleep(50);
            Assert.Equal(200, server.GetLog().Count(r => r.Outcome == RequestOutcome.Served));
        }

        [Theory]
        [InlineData("../outside.txt")]
        [InlineData("sub/../../outside.txt")]
        [InlineData("..\\outside.txt")]
        [InlineData("C:\\Windows\\win.ini")]
        [InlineData("link-out/outside.txt")]
        [InlineData("file-link-out")]
        public async Task TraversalIsRefusedAndLogged(string name)
        {
            using var parent = new TempDirectory();
            var root = Directory.CreateDirectory(parent.File("root")).FullName;
            Directory.CreateDirectory(Path.Combine(root, "sub"));
            File.WriteAllText(parent.File("outside.txt"), "secret");
            File.CreateSymbolicLink(Path.Combine(root, "file-link-out"), parent.File("outside.txt"));
            Directory.CreateSymbolicLink(Path.Combine(root, "link-out"), parent.Path);
            using var server = StartTftp(root);
            var error = await Assert.ThrowsAsync<ProvisioningException>(() =>
                TftpClient.DownloadAsync(new IPEndPoint(IPAddress.Loopback, server.TftpPort!.Value), name));
            Assert.Equal("RemoteAccessDenied", error.ErrorId);
            var record = WaitForRecord(server, r => r.Outcome == RequestOutcome.Refused);
            Assert.Equal(name, record.File);
            Assert.Equal(2, record.StatusCode);
            Assert.Contains("refused", record.Detail);
        }

        [Fact]
        public async Task SymbolicLinkInsideTheRootIsServedAndLeadingSlashIsRootRelative()
        {
            using var dir = new TempDirectory();
            Directory.CreateDirectory(dir.File("profiles"));
            File.WriteAllText(dir.File("profiles/real.xml"), "inside");
            File.CreateSymbolicLink(dir.File("alias.xml"), dir.File("profiles/real.xml"));
            using var server = StartTftp(dir.Path);
            var endpoint = new IPEndPoint(IPAddress.Loopback, server.TftpPort!.Value);
            Assert.Equal("inside", Encoding.ASCII.GetString(await TftpClient.DownloadAsync(endpoint, "/alias.xml")));
            Assert.Equal("inside", Encoding.ASCII.GetString(await TftpClient.DownloadAsync(endpoint, "/profiles/real.xml")));
            var missing = await Assert.ThrowsAsync<ProvisioningException>(() => TftpClient.DownloadAsync(endpoint, "/etc/passwd"));
            Assert.Equal("RemoteFileNotFound", missing.ErrorId);
        }

        [Fact]
        public void WriteRequestFromTftpHpaIsRefusedAndLogged()
        {
            using var dir = new TempDirectory();
            var upload = dir.File("upload.txt");
            File.WriteAllText(upload, "overwrite attempt");
            var root = Directory.CreateDirectory(dir.File("root")).FullName;
            using var server = StartTftp(root);
            var result = ProcessRunner.Tool("tftp", new[] { "127.0.0.1", server.TftpPort!.Value.ToString(), "-m", "binary", "-c", "put", upload, "upload.txt" }, timeoutSeconds: 30);
            Assert.Contains("Error code 2", result.StdOut + result.StdErr);
            Assert.False(File.Exists(Path.Combine(root, "upload.txt")));
            var record = WaitForRecord(server, r => r.Outcome == RequestOutcome.WriteRefused);
            Assert.Equal("upload.txt", record.File);
        }

        [Fact]
        public void LostAcksAreRetransmittedThenTheTransferTimesOut()
        {
            using var dir = new TempDirectory();
            File.WriteAllBytes(dir.File("x.bin"), RandomBytes(2000, 1));
            using var server = StartTftp(dir.Path, new TftpServerSettings { Timeout = TimeSpan.FromMilliseconds(200), MaxRetries = 2 });
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            client.Bind(Loopback0);
            client.ReceiveTimeout = 3000;
            var rrq = new byte[] { 0, 1 }.Concat(Encoding.ASCII.GetBytes("x.bin\0octet\0")).ToArray();
            client.SendTo(rrq, new IPEndPoint(IPAddress.Loopback, server.TftpPort!.Value));
            client.SendTo(rrq, new IPEndPoint(IPAddress.Loopback, server.TftpPort!.Value)); // a duplicate RRQ must not start a second transfer
            var buffer = new byte[600];
            int copies = 0;
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            try
            {
                while (true)
                {
                    int n = client.ReceiveFrom(buffer, ref from);
                    Assert.Equal(516, n);
                    Assert.Equal(1, buffer[3]); // always block 1: we never acknowledge it
                    copies++;
                }
            }
            catch (SocketException) { }
            Assert.Equal(3, copies); // the first send and MaxRetries retransmissions
            var record = WaitForRecord(server, r => r.File == "x.bin");
            Assert.Equal(RequestOutcome.TimedOut, record.Outcome);
            Assert.Single(server.GetLog());
        }

        [Fact]
        public void UnsupportedModeAndMalformedRequestsGetAnError()
        {
            using var dir = new TempDirectory();
            using var server = StartTftp(dir.Path);
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            client.Bind(Loopback0);
            client.ReceiveTimeout = 3000;
            var target = new IPEndPoint(IPAddress.Loopback, server.TftpPort!.Value);
            var buffer = new byte[600];
            client.SendTo(new byte[] { 0, 1 }.Concat(Encoding.ASCII.GetBytes("a\0mail\0")).ToArray(), target);
            int n = client.Receive(buffer);
            Assert.Equal(5, buffer[1]);
            Assert.Equal(4, buffer[3]);
            client.SendTo(new byte[] { 0, 1, (byte)'a', (byte)'b' }, target);
            n = client.Receive(buffer);
            Assert.Equal(5, buffer[1]);
            Assert.Contains("NUL", Encoding.ASCII.GetString(buffer, 4, n - 5));
            WaitForRecord(server, r => r.Outcome == RequestOutcome.BadRequest && r.File == "a");
        }

        [Fact]
        public void OptionsAreAcknowledgedCappedOrIgnoredAndARefusalEndsTheTransfer()
        {
            using var dir = new TempDirectory();
            File.WriteAllBytes(dir.File("p.xml"), RandomBytes(4096, 9));
            using var server = StartTftp(dir.Path);
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            client.Bind(Loopback0);
            client.ReceiveTimeout = 3000;
            var rrq = new byte[] { 0, 1 }.Concat(Encoding.ASCII.GetBytes("p.xml\0octet\0BLKSIZE\070000\0tsize\00\0timeout\03\0windowsize\04\0colour\0blue\0")).ToArray();
            client.SendTo(rrq, new IPEndPoint(IPAddress.Loopback, server.TftpPort!.Value));
            var buffer = new byte[600];
            EndPoint transfer = new IPEndPoint(IPAddress.Any, 0);
            int n = client.ReceiveFrom(buffer, ref transfer);
            Assert.Equal(6, buffer[1]); // OACK
            Assert.NotEqual(server.TftpPort!.Value, ((IPEndPoint)transfer).Port); // a new TID per transfer
            var fields = Encoding.ASCII.GetString(buffer, 2, n - 3).Split('\0');
            Assert.Equal(new[] { "blksize", "65464", "tsize", "4096", "timeout", "3", "windowsize", "4" }, fields);
            client.SendTo(new byte[] { 0, 5, 0, 8, (byte)'n', (byte)'o', 0 }, transfer); // RFC 2347: the client declines the options
            var record = WaitForRecord(server, r => r.File == "p.xml");
            Assert.Equal(RequestOutcome.ClientAborted, record.Outcome);
            Assert.Contains("error 8", record.Detail);
            Assert.Equal(0, record.Bytes);
        }

        [Fact]
        public void TftpHpaVerboseReportsTheSizeAndAMissingFileIsError1()
        {
            using var dir = new TempDirectory();
            File.WriteAllBytes(dir.File("Config0080F0C8C381.cfg"), RandomBytes(70_000, 70)); // 137 blocks
            using var server = StartTftp(dir.Path);
            var port = server.TftpPort!.Value.ToString();
            var got = ProcessRunner.Tool("tftp", new[] { "-v", "127.0.0.1", port, "-m", "binary", "-c", "get", "Config0080F0C8C381.cfg", dir.File("got") }, timeoutSeconds: 30);
            Assert.Contains("Received 70000 bytes", got.StdOut);
            Assert.Equal(File.ReadAllBytes(dir.File("Config0080F0C8C381.cfg")), File.ReadAllBytes(dir.File("got")));
            var missing = ProcessRunner.Tool("tftp", new[] { "127.0.0.1", port, "-m", "binary", "-c", "get", "Config001122334455.cfg", dir.File("none") }, timeoutSeconds: 30);
            Assert.Contains("Error code 1: File not found", missing.StdOut + missing.StdErr);
            var record = WaitForRecord(server, r => r.Outcome == RequestOutcome.NotFound);
            Assert.Equal("001122334455", record.MacAddress);
            Assert.Equal(1, record.StatusCode);
            Assert.Equal("0080F0C8C381", WaitForRecord(server, r => r.Outcome == RequestOutcome.Served).MacAddress);
        }

        /// <summary>
        /// A UDP relay between our client and our server that drops the first copy of every 7th DATA block: the
        /// transfer must still arrive whole, through the server's retransmission (and, with windows, the
        /// client's ACK of the last good block, RFC 7440).
        /// </summary>
        [Theory]
        [InlineData(1)]
        [InlineData(4)]
        public async Task LostDataBlocksAreRetransmitted(int windowSize)
        {
            using var dir = new TempDirectory();
            var content = RandomBytes(60_000, windowSize);
            File.WriteAllBytes(dir.File("lossy.bin"), content);
            using var server = StartTftp(dir.Path, new TftpServerSettings { Timeout = TimeSpan.FromMilliseconds(150), MaxRetries = 10 });
            using var clientSide = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            using var serverSide = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            clientSide.Bind(Loopback0);
            serverSide.Bind(Loopback0);
            IPEndPoint? client = null;
            var listening = new IPEndPoint(IPAddress.Loopback, server.TftpPort!.Value);
            IPEndPoint serverTid = listening;
            var dropped = new System.Collections.Concurrent.ConcurrentDictionary<int, bool>();
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var toServer = Task.Run(async () =>
            {
                var buffer = new byte[70000];
                while (!stop.IsCancellationRequested)
                {
                    var r = await clientSide.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), stop.Token);
                    client = (IPEndPoint)r.RemoteEndPoint;
                    // A repeated read request goes to the listening port, as a real client's does: on a loaded machine
                    // the client may repeat it after the transfer's own port has answered.
                    var to = buffer[1] == 1 ? listening : serverTid;
                    await serverSide.SendToAsync(buffer.AsMemory(0, r.ReceivedBytes), SocketFlags.None, to, stop.Token);
                }
            });
            var toClient = Task.Run(async () =>
            {
                var buffer = new byte[70000];
                while (!stop.IsCancellationRequested)
                {
                    var r = await serverSide.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), stop.Token);
                    serverTid = (IPEndPoint)r.RemoteEndPoint;
                    int block = (buffer[2] << 8) | buffer[3];
                    if (buffer[1] == 3 && block % 7 == 0 && dropped.TryAdd(block, true)) continue;
                    await clientSide.SendToAsync(buffer.AsMemory(0, r.ReceivedBytes), SocketFlags.None, client!, stop.Token);
                }
            });
            var got = await TftpClient.DownloadAsync((IPEndPoint)clientSide.LocalEndPoint!, "lossy.bin",
                new TftpClientOptions { WindowSize = windowSize == 1 ? null : windowSize, Timeout = TimeSpan.FromMilliseconds(400), MaxRetries = 10 });
            Assert.Equal(content, got);
            Assert.True(dropped.Count >= 16, $"only {dropped.Count} blocks were dropped");
            var record = WaitForRecord(server, r => r.File == "lossy.bin"); // the relay still carries the last ACK
            stop.Cancel();
            Assert.Equal(RequestOutcome.Served, record.Outcome);
        }

        [Fact]
        public void CurlWithoutOptionsGetsPlainRfc1350()
        {
            using var dir = new TempDirectory();
            var content = RandomBytes(5000, 12);
            File.WriteAllBytes(dir.File("plain.cfg"), content);
            using var server = StartTftp(dir.Path);
            var local = dir.File("got.bin");
            var result = ProcessRunner.Tool("curl", new[] { "-s", "-S", "--tftp-no-options", "-o", local, $"tftp://127.0.0.1:{server.TftpPort}/plain.cfg" }, timeoutSeconds: 60);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(content, File.ReadAllBytes(local));
            Assert.Equal("no options", WaitForRecord(server, r => r.File == "plain.cfg").Detail);
        }
    }
}
