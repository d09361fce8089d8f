using System;
using System.Linq;
using PrivateProvisioning.Core.Serving;
using Xunit;

namespace PrivateProvisioning.Tests.Serving
{
    public class RequestLogTests
    {
        [Theory]
        [InlineData("000e08abcdef.xml", "000E08ABCDEF")]
        [InlineData("/$MA.cfg", null)]
        [InlineData("/000E08ABCDEF.cfg", "000E08ABCDEF")]
        [InlineData("SEP000E08ABCDEF.cnf.xml", "000E08ABCDEF")]
        [InlineData("Config0080F0C8C381.cfg", "0080F0C8C381")]
        [InlineData("/spa000e08abcdef.xml", "000E08ABCDEF")]
        [InlineData("/Cisco/CP-8851-3PCC/001234ab45de.cfg", "001234AB45DE")]
        [InlineData("CP-8841-3PCC000e08abcdef.cfg", "000E08ABCDEF")]
        [InlineData("ATA000E08ABCDEF.cnf.xml", "000E08ABCDEF")]
        [InlineData("/app/provision/?mac=000e08abcdef", "000E08ABCDEF")]
        [InlineData("spa942.cfg", null)]
        [InlineData("8851-3PCC.xml", null)]
        [InlineData("deadbeefcafe0.bin", null)] // 13 hex digits without a known prefix: not a MAC
        public void RecognisesTheMacInCommonNames(string name, string? expected)
        {
            Assert.Equal(expected, MacAddressInName.Find(name));
        }

        [Fact]
        public void RingBufferKeepsTheLastRecordsAndCountsAll()
        {
            var log = new RequestLog(100);
            for (int i = 0; i < 100_000; i++)
                log.Add(new ServedRequest(DateTimeOffset.Now, "127.0.0.1", i, ServingProtocol.Tftp, "f", null, 0, RequestOutcome.Served, 0, null, null, TimeSpan.Zero));
            var kept = log.Snapshot();
            Assert.Equal(100_000, log.Total);
            Assert.Equal(100, kept.Count);
            Assert.Equal(Enumerable.Range(99_900, 100), kept.Select(r => r.ClientPort));
            var since = log.Snapshot(99_994, out var last);
            Assert.Equal(new[] { 99_995, 99_996, 99_997, 99_998, 99_999 }, since.Select(r => r.ClientPort));
            Assert.Equal(99_999, last);
        }

        [Fact]
        public void StoppedServersKeepTheirLogForAWhile()
        {
            using var dir = new PrivateProvisioning.Tests.Support.TempDirectory();
            var first = TftpServerTests.StartTftp(dir.Path);
            first.Stop();
            Assert.DoesNotContain(ProvisioningServer.Running, s => s.Id == first.Id);
            Assert.Contains(ProvisioningServer.Known, s => s.Id == first.Id);
            for (int i = 0; i < 9; i++) TftpServerTests.StartTftp(dir.Path).Stop();
            Assert.DoesNotContain(ProvisioningServer.Known, s => s.Id == first.Id);
            Assert.Equal(ProvisioningServerState.Stopped, first.State);
        }
    }
}
