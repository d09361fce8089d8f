using System.IO;
using System.Linq;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Core.Security;
using PrivateProvisioning.Core.Security.Enrollment;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Reliability
{
    /// <summary>
    /// The inputs that crashed pprov when it was probed (tests/vectors/reliability, copied from shared/reliability):
    /// each must end in our typed error naming the file, from Core and from pprov (exit 1, one line, no trace).
    /// </summary>
    public class ReproducerTests
    {
        private static string Vector(string name) => Path.Combine(TestPaths.RepoRoot, "tests", "vectors", "reliability", name);

        [Fact]
        public void ItlWithACorruptSignerPublicKeyIsADamagedFile()
        {
            var ex = Assert.Throws<ProvisioningException>(() => ItlFile.Load(Vector("itl-show-crash.tlv")));
            Assert.Equal("ItlSignerKeyInvalid", ex.ErrorId);
            Assert.Equal(ErrorKind.InvalidData, ex.Kind);
            Assert.Contains("itl-show-crash.tlv", ex.Message);
            Assert.Throws<ProvisioningException>(() => ItlFile.Load(Vector("itl-show-crash.tlv"), requireValidSignature: false));
        }

        [Theory]
        [InlineData("csr-decrypt-crash1.p7m")]
        [InlineData("csr-decrypt-crash2.p7m")]
        [InlineData("csr-decrypt-crash3.p7m")]
        public void TruncatedOrAlteredCmsIsNotAReadableMessage(string file)
        {
            using var recipient = PemCredential.Load(Vector("csr-decrypt-cert.pem"));
            var ex = Assert.Throws<ProvisioningException>(() => CertificateRequestDecryptor.Decrypt(File.ReadAllBytes(Vector(file)), file, recipient));
            Assert.Equal(ErrorKind.InvalidData, ex.Kind);
            Assert.Contains(file, ex.Message);
            Assert.DoesNotContain("BouncyCastle", ex.Message);
        }

        [Fact]
        public void ACertificateWhoseValidityCannotBeReadHasNoPin()
        {
            var ex = Assert.Throws<ProvisioningException>(() => CertificatePins.FromFile(Vector("pin-crash.der")));
            Assert.Equal("CertificateInvalid", ex.ErrorId);
            Assert.Contains("pin-crash.der", ex.Message);
        }

        [Fact]
        public void JsonWithInvalidUtf8InAStringNamesLineAndByte()
        {
            var ex = Assert.Throws<ProvisioningException>(() =>
                ProfileFileReader.Read(File.ReadAllBytes(Vector("profile-show-crash.json")), "profile-show-crash.json", ProfileFormat.PrivateWave));
            Assert.Equal("InvalidSettingsJson", ex.ErrorId);
            Assert.Contains("line 2, byte 27", ex.Message);
            Assert.Contains("UTF-8", ex.Message);
        }

        [Theory]
        [InlineData("itl", "show", "itl-show-crash.tlv")]
        [InlineData("csr", "decrypt", "csr-decrypt-crash1.p7m")]
        [InlineData("csr", "decrypt", "csr-decrypt-crash2.p7m")]
        [InlineData("csr", "decrypt", "csr-decrypt-crash3.p7m")]
        [InlineData("pin", null, "pin-crash.der")]
        [InlineData("profile", "show", "profile-show-crash.json")]
        public void PprovGivesOneCleanErrorLine(string verb, string? sub, string file)
        {
            using var dir = new TempDirectory();
            var args = new[] { verb, sub, Vector(file) }.Where(a => a != null).Select(a => a!).ToList();
            if (verb == "csr") args.AddRange(new[] { "--cert", Vector("csr-decrypt-cert.pem"), "--out", dir.Path });
            var r = ProcessRunner.Pprov(args, null);
            Assert.True(r.ExitCode == 1, r.ToString());
            var lines = r.StdErr.Split('\n', System.StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length == 1, r.ToString());
            Assert.StartsWith("pprov: ", lines[0]);
            Assert.Contains(file, lines[0]);
            Assert.DoesNotContain("InternalError", lines[0]);
            Assert.Empty(Directory.GetFiles(dir.Path));
        }

        [Fact]
        public void PprovGenerateReportsTheCutOffRowAndWritesNoProfileForIt()
        {
            using var dir = new TempDirectory();
            var r = ProcessRunner.Pprov(new[] { "generate", "--accounts", Vector("csv-truncated-row.csv"), "--format", "CiscoSpa", "--out", dir.File("out"), "--no-state" }, null);
            // Its only row is cut off: nothing was done (exit code 2, the scheduled run's contract).
            Assert.True(r.ExitCode == 2, r.ToString());
            Assert.Contains("line 2", r.StdErr);
            Assert.Contains("cut off", r.StdErr);
            Assert.False(Directory.Exists(dir.File("out")) && Directory.EnumerateFiles(dir.File("out")).Any(), r.ToString());
        }
    }
}
