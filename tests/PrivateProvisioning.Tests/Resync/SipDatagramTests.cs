using System.Linq;
using System.Text;
using PrivateProvisioning.Core.Resync;
using Xunit;

namespace PrivateProvisioning.Tests.Resync
{
    /// <summary>The byte-level reading of a UDP answer agrees with the string parser on everything a transaction uses.</summary>
    public class SipDatagramTests
    {
        [Theory]
        [InlineData("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa1;rport=5060\r\nCSeq: 1 NOTIFY\r\nContent-Length: 0\r\n\r\n")]
        [InlineData("SIP/2.0 202 Accepted for now\r\nv: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa2\r\ncseq :  2 NOTIFY\r\n\r\n")]
        [InlineData("SIP/2.0 100 Trying\r\nVIA: SIP/2.0/UDP a;branch=z9hG4bKtop, SIP/2.0/UDP b;branch=z9hG4bKsecond\r\nVia: SIP/2.0/UDP c;branch=z9hG4bKthird\r\nCSeq: 1 NOTIFY\r\n\r\nbody")]
        [InlineData("SIP/2.0 486\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKa3\r\nCSeq: 1 OPTIONS")]
        [InlineData("SIP/2.0 200 OK\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKlf\nCSeq: 1 NOTIFY\n\n")]
        [InlineData("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.1;\r\n branch=z9hG4bKfolded\r\nCSeq: 1 NOTIFY\r\n\r\n")]
        [InlineData("SIP/2.0 401 Unauthorized\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKa4\r\nCSeq: 1 NOTIFY\r\nWWW-Authenticate: Digest realm=\"r\", nonce=\"n\"\r\n\r\n")]
        [InlineData("SIP/2.0 200 Ok caf\u00e9\r\nCSeq: 1 NOTIFY\r\n\r\n")]
        public void A_datagram_reads_as_the_string_parser_reads_it(string message)
        {
            var bytes = Encoding.UTF8.GetBytes(message);
            var text = SipResponse.Decode(bytes, 0, bytes.Length);
            int end = text.IndexOf("\r\n\r\n", System.StringComparison.Ordinal);
            var expected = SipResponse.ParseHead(end >= 0 ? text.Substring(0, end) : text, "peer")!;
            var actual = SipResponse.ParseDatagram(bytes, bytes.Length, "peer")!;
            Assert.Equal(expected.StatusCode, actual.StatusCode);
            Assert.Equal(expected.ReasonPhrase, actual.ReasonPhrase);
            Assert.Equal(expected.TopViaBranch, actual.TopViaBranch);
            Assert.Equal(expected.CSeqMethod, actual.CSeqMethod);
            Assert.Equal(expected.Headers("WWW-Authenticate").ToArray(), actual.Headers("WWW-Authenticate").ToArray());
        }

        [Fact]
        public void A_request_is_no_answer_and_text_that_is_not_SIP_is_a_ProtocolError()
        {
            var request = Encoding.ASCII.GetBytes("NOTIFY sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP b;branch=z9hG4bKx\r\n\r\n");
            Assert.Null(SipResponse.ParseDatagram(request, request.Length, "peer"));
            var http = Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\n\r\n");
            var failure = Assert.ThrowsAny<System.Exception>(() => SipResponse.ParseDatagram(http, http.Length, "peer"));
            Assert.Contains("not SIP: 'HTTP/1.1 400 Bad Request'", failure.Message);
            var truncated = Encoding.ASCII.GetBytes("SIP/2.0 20");
            Assert.Contains("malformed SIP status line", Assert.ThrowsAny<System.Exception>(() => SipResponse.ParseDatagram(truncated, truncated.Length, "peer")).Message);
        }
    }
}
