using System.IO;
using PrivateProvisioning.Cli;
using PrivateProvisioning.Core.Resync;
using Xunit;

namespace PrivateProvisioning.Tests.Reliability
{
    /// <summary>Text from phones and files reaches the terminal escaped; a SIP answer must match our transaction.</summary>
    public class OutsideTextTests
    {
        [Fact]
        public void PprovOutputEscapesControlCharactersFromOutside()
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var cli = new CliOutput(false, stdout, stderr);
            cli.Result(new object(), "000E08ABCDEF  Rejected  486 Busy\u001b[2J\u0000Here");
            cli.Error("accounts.csv line 3: column 'DisplayName' value 'x\r\nforged: ok'");
            cli.Warning("bell\u0007");
            Assert.Equal("000E08ABCDEF  Rejected  486 Busy\\x1B[2J\\0Here\n", stdout.ToString().Replace("\r\n", "\n"));
            var err = stderr.ToString();
            Assert.Contains("value 'x\\r\\nforged: ok'", err);
            Assert.Contains("bell\\x07", err);
            Assert.False(err.Contains((char)0x1b) || err.Contains((char)7) || err.TrimEnd('\n').Split('\n').Length != 2, err);
        }

        [Fact]
        public void A200WhoseCSeqMethodIsNotNotifyDoesNotAnswerTheNotify()
        {
            const string head = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKabc\r\nCall-ID: x\r\nCSeq: 1 {0}\r\nContent-Length: 0";
            var ok = SipResponse.ParseHead(string.Format(head, "NOTIFY"), "peer")!;
            Assert.True(ok.Answers("z9hG4bKabc", "NOTIFY"));
            var other = SipResponse.ParseHead(string.Format(head, "OPTIONS"), "peer")!;
            Assert.Equal("OPTIONS", other.CSeqMethod);
            Assert.False(other.Answers("z9hG4bKabc", "NOTIFY"));
            var none = SipResponse.ParseHead("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKabc", "peer")!;
            Assert.False(none.Answers("z9hG4bKabc", "NOTIFY"));
        }
    }
}
