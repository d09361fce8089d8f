using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using PrivateProvisioning.Core.Security;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Security
{
    /// <summary>The Linux signing path straight through libcrypto: the same signature bytes as .NET's RSA, verified by openssl.</summary>
    public class OpenSslRsaSignerTests
    {
        [Fact]
        public void Is_used_on_linux_and_signs_the_same_bytes_as_dotnet_on_every_thread()
        {
            using var tftp = PemCredential.Load(CiscoVectors.Asterisk);
            var key = tftp.GetRsaPrivateKey("test"); // the credential's own key: disposed with it
            var parameters = key.ExportParameters(true);
            foreach (var (digest, name, length) in new[] { (CiscoDigest.Sha1, HashAlgorithmName.SHA1, 20), (CiscoDigest.Sha512, HashAlgorithmName.SHA512, 64) })
            {
                using var native = OpenSslRsaSigner.TryCreate(parameters, digest);
                if (!OperatingSystem.IsLinux()) { Assert.Null(native); continue; }
                Assert.NotNull(native);
                var hashes = Enumerable.Range(0, 16).Select(i => RandomNumberGenerator.GetBytes(length)).ToArray();
                var signatures = new byte[hashes.Length][];
                // Several threads, so several per-thread contexts, each reused for several signatures.
                Parallel.For(0, hashes.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => signatures[i] = native!.SignHash(hashes[i]));
                for (int i = 0; i < hashes.Length; i++)
                    Assert.Equal(key.SignHash(hashes[i], name, RSASignaturePadding.Pkcs1), signatures[i]);
            }
        }

        [Fact]
        public void A_wrong_length_digest_is_a_cryptographic_error_not_a_signature()
        {
            if (!OperatingSystem.IsLinux()) return;
            using var tftp = PemCredential.Load(CiscoVectors.Asterisk);
            var key = tftp.GetRsaPrivateKey("test"); // the credential's own key: disposed with it
            using var native = OpenSslRsaSigner.TryCreate(key.ExportParameters(true), CiscoDigest.Sha1)!;
            Assert.Throws<CryptographicException>(() => native.SignHash(new byte[7]));
            Assert.Equal(256, native.SignHash(new byte[20]).Length); // the thread's context is still usable
        }

        [Fact]
        public void Openssl_verifies_a_sha1_sgn_signed_on_the_native_path()
        {
            using var dir = new TempDirectory();
            using var tftp = PemCredential.Load(CiscoVectors.Asterisk);
            using var signer = new CiscoSigner(tftp, CiscoDigest.Sha1);
            var bytes = SignedFile.Sign(signer, Encoding.UTF8.GetBytes("<device><mac>001122334455</mac></device>\n"), "SEP001122334455.cnf.xml.sgn", DateTimeOffset.UtcNow);
            var (offset, length) = SignedHeaderReaderAccess.SignatureSpan(bytes);
            File.WriteAllBytes(dir.File("sig"), bytes.Skip(offset + 3).Take(length).ToArray());
            File.WriteAllBytes(dir.File("signed"), bytes.Take(offset).Concat(bytes.Skip(offset + 3 + length)).ToArray());
            ProcessRunner.Tool("openssl", new[] { "x509", "-in", CiscoVectors.Asterisk, "-pubkey", "-noout", "-out", dir.File("pub.pem") }).AssertSuccess();
            Assert.Contains("Verified OK", ProcessRunner.Tool("openssl", new[] { "dgst", "-sha1", "-verify", dir.File("pub.pem"), "-signature", dir.File("sig"), dir.File("signed") }).StdOut);
        }
    }
}
