using System;
using System.IO;
using System.Text;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Protection;
using Xunit;

namespace PrivateProvisioning.Tests.Protection
{
    /// <summary>The key/IV table of cisco-spa-mpp.md §4.2 and the RFC 8188 §3.1/§3.2 examples.</summary>
    public class KnownAnswerTests
    {
        private static readonly byte[] SpecSalt = Convert.FromHexString("0011223344556677");
        private static readonly byte[] SpecPass = Encoding.ASCII.GetBytes("SecretPhrase1234");

        [Theory]
        [InlineData(KeyDerivation.Md5, "73832BE2F1182DC3B17F2353E13DB1273B38F1F2C765636BD8C7513BDFF6F49E", "70CB6B2D5CAC27F19AFB4F408A40C82A")]
        [InlineData(KeyDerivation.Sha256, "169327D8AEA5F83924E5AD2897E6B28B77D424AFDFBAECDBB6ACE23D2C4E331C", "3A933CF8F76FEC9C592E0F38E903F2A9")]
        [InlineData(KeyDerivation.Pbkdf2, "E4065D1EDAFFCD50414B017F32AD56B2A43E66EE3274E7D50A798A10968A8029", "BFBE66796AF4E804283BE1F4F046B9A6")]
        public void Key_and_IV_match_the_spec_table(KeyDerivation kdf, string keyHex, string ivHex)
        {
            OpenSslKeyDerivation.Derive(kdf, 10000, SpecPass, SpecSalt, 32, out var key, out var iv);
            Assert.Equal(keyHex, Convert.ToHexString(key));
            Assert.Equal(ivHex, Convert.ToHexString(iv));
        }

        [Fact]
        public void Key_and_IV_match_openssl_enc_P_for_128_bit_keys()
        {
            // openssl enc -aes-128-cbc -md md5 -k SecretPhrase1234 -S 0011223344556677 -P
            var r = Support.ProcessRunner.Tool("openssl", new[] { "enc", "-aes-128-cbc", "-md", "md5", "-pass", "pass:SecretPhrase1234", "-S", "0011223344556677", "-P" });
            OpenSslKeyDerivation.Derive(KeyDerivation.Md5, 1, SpecPass, SpecSalt, 16, out var key, out var iv);
            Assert.Contains("key=" + Convert.ToHexString(key), r.StdOut);
            Assert.Contains("iv =" + Convert.ToHexString(iv), r.StdOut);
        }

        private static byte[] B64Url(string s)
        {
            s = s.Replace('-', '+').Replace('_', '/');
            return Convert.FromBase64String(s.PadRight((s.Length + 3) / 4 * 4, '='));
        }

        private const string Example1 = "I1BsxtFttlv3u_Oo94xnmwAAEAAA-NAVub2qFgBEuQKRapoZu-IxkIva3MEB1PD-ly8Thjg";
        private const string Example2 = "uNCkWiNYzKTnBN9ji3-qWAAAABkCYTHOG8chz_gnvgOqdGYovxyjuqRyJFjEDyoF1Fvkj6hQPdPHI51OEUKEpgz3SsLWIqS_uA";

        [Fact]
        public void Rfc8188_section_3_1_decrypts_and_derives_the_published_CEK_and_nonce()
        {
            var ikm = B64Url("yqdlZ-tYemfogSmv7Ws5PQ");
            Rfc8188Layer.DeriveKeys(ikm, B64Url("I1BsxtFttlv3u_Oo94xnmw"), out var cek, out var nonce);
            Assert.Equal(B64Url("_wniytB-ofscZDh4tbSjHw"), cek);
            Assert.Equal(B64Url("Bcs8gkIRKLI8GeI8"), nonce);
            var plain = Rfc8188Layer.Decrypt(B64Url(Example1), 0, B64Url(Example1).Length, ikm, "example-3.1");
            Assert.Equal("I am the walrus", Encoding.ASCII.GetString(plain));
        }

        [Fact]
        public void Rfc8188_section_3_1_is_reproduced_byte_for_byte_by_our_encoder()
        {
            var output = new MemoryStream();
            var layer = new Rfc8188Layer(4096);
            using (var s = layer.Protect(output, new LayerContext(B64Url("yqdlZ-tYemfogSmv7Ws5PQ"), 15, B64Url("I1BsxtFttlv3u_Oo94xnmw"))))
                s.Write(Encoding.ASCII.GetBytes("I am the walrus"));
            Assert.Equal(B64Url(Example1), output.ToArray());
        }

        [Fact]
        public void Rfc8188_section_3_2_two_records_with_keyid_and_padding_decrypt()
        {
            var body = B64Url(Example2);
            Assert.Equal(25, body[19]);          // rs = 25
            Assert.Equal(2, body[20]);           // idlen 2, keyid "a1"
            var plain = Rfc8188Layer.Decrypt(body, 0, body.Length, B64Url("BO3ZVPxUlnLORbVGMpbT1Q"), "example-3.2");
            Assert.Equal("I am the walrus", Encoding.ASCII.GetString(plain));
        }

        [Fact]
        public void Rfc8188_missing_last_record_is_reported_as_truncated()
        {
            var body = B64Url(Example2);
            var cut = body.AsSpan(0, 21 + 2 + 25).ToArray(); // header + first record only
            var ex = Assert.Throws<ProvisioningException>(() => Rfc8188Layer.Decrypt(cut, 0, cut.Length, B64Url("BO3ZVPxUlnLORbVGMpbT1Q"), "cut.bin"));
            Assert.Equal("EncryptedFileTruncated", ex.ErrorId);
            Assert.Contains("cut.bin", ex.Message);
        }

        [Fact]
        public void Rfc8188_wrong_key_fails_the_tag()
        {
            var body = B64Url(Example1);
            var ex = Assert.Throws<ProvisioningException>(() => Rfc8188Layer.Decrypt(body, 0, body.Length, Encoding.ASCII.GetBytes("wrong"), "walrus.bin"));
            Assert.Equal("WrongKey", ex.ErrorId);
            Assert.Contains("walrus.bin", ex.Message);
        }
    }
}
