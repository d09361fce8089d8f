using System;
using System.Security.Cryptography;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Templates.Generation;
using Xunit;

namespace PrivateProvisioning.Tests.Common
{
    public class Sha256DigestTests
    {
        [Fact]
        public void The_digest_of_abc_is_the_published_one()
        {
            // FIPS 180-2, appendix B.1.
            var digest = new byte[32];
            Sha256Digest.HashData("abc"u8, digest);
            Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Convert.ToHexStringLower(digest));
        }

        [Fact]
        public void Every_length_gives_what_dotnet_gives()
        {
            var rng = new Random(7);
            var data = new byte[5000];
            rng.NextBytes(data);
            var ours = new byte[32];
            foreach (var length in new[] { 0, 1, 55, 56, 63, 64, 65, 200, 1000, 4096, 5000 })
            {
                Sha256Digest.HashData(data.AsSpan(0, length), ours);
                Assert.Equal(SHA256.HashData(data.AsSpan(0, length)), ours);
            }
        }

        [Fact]
        public void On_linux_with_openssl_3_it_goes_straight_through_libcrypto()
        {
            if (!OperatingSystem.IsLinux() || SafeEvpPKeyHandle.OpenSslVersion < 0x30000000L
                || Environment.GetEnvironmentVariable("PRIVATEPROVISIONING_PORTABLE_CRYPTO") == "1") return;
            Assert.True(Sha256Digest.ThroughLibCrypto);
        }

        [Fact]
        public void A_rows_inputs_are_fingerprinted_by_the_first_half_of_their_sha256()
        {
            // The rows hold SIP passwords: their fingerprint in the state must not be a hash that runs backwards.
            var fingerprint = new byte[16];
            TextDigest.Start().Add("secret row").FinishFingerprint(fingerprint);
            var whole = new byte[32];
            TextDigest.Start().Add("secret row").Finish(whole);
            Assert.Equal(whole.AsSpan(0, 16).ToArray(), fingerprint);
            var expected = new byte[4 + 20];
            BitConverter.TryWriteBytes(expected, 10);
            System.Text.Encoding.Unicode.GetBytes("secret row").CopyTo(expected, 4);
            Assert.Equal(SHA256.HashData(expected).AsSpan(0, 16).ToArray(), fingerprint);
        }
    }
}
