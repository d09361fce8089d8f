using System;
using System.IO;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using PrivateProvisioning.Core.Protection;
using Xunit;
using static PrivateProvisioning.Tests.Protection.ProtectionTestSupport;

namespace PrivateProvisioning.Tests.Protection
{
    /// <summary>Round trips over random contents and sizes: 0 bytes, exact multiples of 16, odd sizes, large.</summary>
    public class ProtectionPropertyTests
    {
        private static readonly Gen<int> Sizes = Gen.OneOf(
            Gen.Elements(0, 1, 15, 16, 17, 31, 32, 33, 4096, 65536, 300_000),
            Gen.Choose(0, 64).Select(k => k * 16),
            Gen.Choose(0, 20_000));

        private static readonly Arbitrary<(int Size, int Seed)> Inputs =
            Sizes.SelectMany(size => Gen.Choose(0, int.MaxValue).Select(seed => (size, seed))).ToArbitrary();

        private static byte[] Bytes(int size, int seed)
        {
            var bytes = new byte[size];
            new Random(seed).NextBytes(bytes);
            return bytes;
        }

        [Theory]
        [InlineData(false, ProtectionMethod.OpenSslAes256Cbc, KeyDerivation.Md5)]
        [InlineData(true, ProtectionMethod.OpenSslAes256Cbc, KeyDerivation.Sha256)]
        [InlineData(true, ProtectionMethod.None, KeyDerivation.Md5)]
        [InlineData(false, ProtectionMethod.Rfc8188, KeyDerivation.Md5)]
        [InlineData(true, ProtectionMethod.PanasonicEnc, KeyDerivation.Md5)]
        public void Unprotect_inverts_protect_for_any_content_and_size(bool compress, ProtectionMethod method, KeyDerivation kdf)
        {
            var options = Options(compress, method, kdf);
            var unprotector = new ProfileUnprotector(new UnprotectionOptions { KeyDerivation = kdf, AssumeRfc8188 = method == ProtectionMethod.Rfc8188 });
            Prop.ForAll(Inputs, input =>
            {
                var plain = Bytes(input.Size, input.Seed);
                var file = new ProfileProtector(options).Method;
                var bytes = ProtectFileBytes(options, plain);
                var back = unprotector.Unprotect(bytes, Key, "prop", out var peeled, out _);
                return back.AsSpan().SequenceEqual(plain) && peeled == file;
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(40));
        }

        [Fact]
        public void AES_output_length_is_header_plus_padded_blocks_for_every_size()
        {
            var options = Options(false, ProtectionMethod.OpenSslAes256Cbc);
            Prop.ForAll(Inputs, input =>
            {
                var bytes = ProtectFileBytes(options, Bytes(input.Size, input.Seed));
                return bytes.Length == 16 + 16 * (input.Size / 16 + 1);
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(60));
        }

        /// <summary>Through the real file path (memory or streaming, chosen by size), as users run it.</summary>
        private static byte[] ProtectFileBytes(ProtectionOptions options, byte[] plain)
        {
            using var dir = new Support.TempDirectory();
            File.WriteAllBytes(dir.File("in.bin"), plain);
            new ProfileProtector(options).ProtectFile(dir.File("in.bin"), dir.File("out.bin"), Key);
            return File.ReadAllBytes(dir.File("out.bin"));
        }
    }
}
