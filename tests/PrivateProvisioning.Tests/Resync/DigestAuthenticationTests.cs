using System.Linq;
using System.Text;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Resync;
using Xunit;

namespace PrivateProvisioning.Tests.Resync
{
    /// <summary>Known answers from the RFCs' own examples, and the parsing of real-world challenge headers.</summary>
    public class DigestAuthenticationTests
    {
        private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

        [Fact]
        public void Rfc2617_section_3_5_example_gives_the_printed_response()
        {
            var response = DigestAuthentication.ComputeResponse("MD5", "Mufasa", "testrealm@host.com", Utf8("Circle Of Life"), "GET", "/dir/index.html",
                "dcd98b7102dd2f0e8b11d0f600bfb0c093", "auth", "00000001", "0a4f113b");
            Assert.Equal("6629fae49393a05397450978507c4ef1", response);
        }

        [Theory]
        [InlineData("MD5", "8ca523f5e9506fed4657c9700eebdbec")]
        [InlineData("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
        public void Rfc7616_section_3_9_1_examples_give_the_printed_responses(string algorithm, string expected)
        {
            var response = DigestAuthentication.ComputeResponse(algorithm, "Mufasa", "http-auth@example.org", Utf8("Circle of Life"), "GET", "/dir/index.html",
                "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "auth", "00000001", "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");
            Assert.Equal(expected, response);
        }

        [Fact]
        public void Without_qop_the_response_is_the_RFC_2069_form()
        {
            // RFC 2069 §2.4 inputs; MD5(HA1:nonce:HA2) (the RFC's printed value is a known erratum).
            var response = DigestAuthentication.ComputeResponse("MD5", "Mufasa", "testrealm@host.com", Utf8("CircleOfLife"), "GET", "/dir/index.html",
                "dcd98b7102dd2f0e8b11d0f600bfb0c093", null, "00000001", "ignored");
            Assert.Equal("1949323746fe6a43ef61f9606e7febea", response);
        }

        [Fact]
        public void The_authorization_header_echoes_realm_nonce_opaque_and_carries_qop_nc_cnonce()
        {
            var challenge = DigestAuthentication.ParseChallenges(new[] {
                "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=SHA-256, nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"" }).Single();
            var header = DigestAuthentication.Authorize(challenge, "GET", "/dir/index.html", "Mufasa", Utf8("Circle of Life"), 1, "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");
            Assert.Equal("Digest username=\"Mufasa\", realm=\"http-auth@example.org\", nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", uri=\"/dir/index.html\", " +
                         "response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\", algorithm=SHA-256, cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", " +
                         "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\", qop=auth, nc=00000001", header);
        }

        [Fact]
        public void Md5_sess_hashes_the_session_key_with_nonce_and_cnonce()
        {
            string Md5(string s) => System.Convert.ToHexString(System.Security.Cryptography.MD5.HashData(Utf8(s))).ToLowerInvariant();
            var ha1 = Md5(Md5("u:r:p") + ":n:c");
            var expected = Md5(ha1 + ":n:00000001:c:auth:" + Md5("NOTIFY:sip:u@h"));
            Assert.Equal(expected, DigestAuthentication.ComputeResponse("MD5-sess", "u", "r", Utf8("p"), "NOTIFY", "sip:u@h", "n", "auth", "00000001", "c"));
        }

        [Fact]
        public void Several_challenges_in_one_header_are_split_and_the_strongest_is_picked()
        {
            var challenges = DigestAuthentication.ParseChallenges(new[] {
                "Basic realm=\"phone\", Digest realm=\"a, b\", nonce=\"n1\", algorithm=MD5, qop=\"auth,auth-int\"",
                "Digest realm=\"a\", nonce=\"n2\", algorithm=SHA-256", "Negotiate abc==", "Digest realm=\"x\", nonce=\"n3\", algorithm=SHA-512-256" });
            Assert.Equal(new[] { "Basic", "Digest", "Digest", "Negotiate", "Digest" }, challenges.Select(c => c.Scheme));
            Assert.Equal("a, b", challenges[1].Realm);
            Assert.Equal("auth,auth-int", challenges[1].Qop);
            var best = DigestAuthentication.PickStrongest(challenges)!;
            Assert.Equal("n2", best.Nonce);
            Assert.False(challenges[4].IsSupported);
        }

        [Fact]
        public void Basic_is_base64_of_user_colon_password()
        {
            Assert.Equal("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", DigestAuthentication.Basic("Aladdin", Utf8("open sesame")));
        }

        [Fact]
        public void An_unsupported_algorithm_is_a_clear_error()
        {
            var challenge = DigestAuthentication.ParseChallenges(new[] { "Digest realm=\"x\", nonce=\"n\", algorithm=SHA-512-256" }).Single();
            var ex = Assert.Throws<ProvisioningException>(() => DigestAuthentication.Authorize(challenge, "GET", "/", "u", Utf8("p")));
            Assert.Equal("UnsupportedDigestAlgorithm", ex.ErrorId);
        }
    }
}
