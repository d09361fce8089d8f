using System;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Security
{
    /// <summary>The one certificate-and-key source both front ends use: PEM, PFX, an X509Certificate2, a password.</summary>
    public class CertificateSourceTests
    {
        private static string WritePfx(TempDirectory dir, string name, string? password)
        {
            using var pem = PemCredential.Load(CiscoVectors.Sast);
            using var withKey = pem.Certificate.CopyWithPrivateKey((RSA)pem.PrivateKey!);
            var path = dir.File(name);
            File.WriteAllBytes(path, withKey.Export(X509ContentType.Pfx, password));
            return path;
        }

        [Fact]
        public void An_issuer_given_as_a_file_and_as_a_certificate_is_IssuerConflict_naming_both_parameters()
        {
            using var sast = PemCredential.Load(CiscoVectors.Sast);
            var ex = Assert.Throws<ProvisioningException>(() => CertificateSource.Issuer(CiscoVectors.Sast, sast.Certificate));
            Assert.Equal(ErrorIds.IssuerConflict, ex.ErrorId);
            Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
            Assert.Equal(new[] { RequestParameter.IssuerPath, RequestParameter.IssuerCertificate }, ex.Parameters);
            Assert.EndsWith("not both ('" + CiscoVectors.Sast + "' and '" + sast.Certificate.Subject + "') (-IssuerPath, -IssuerCertificate).", ex.MessageWith(p => "-" + p));
        }

        [Fact]
        public void An_issuer_given_once_is_that_source_and_none_is_self_signed()
        {
            using var sast = PemCredential.Load(CiscoVectors.Sast);
            Assert.Equal(Path.GetFullPath(CiscoVectors.Sast), CertificateSource.Issuer(CiscoVectors.Sast, null)!.Path);
            Assert.Same(sast.Certificate, CertificateSource.Issuer(null, sast.Certificate)!.Certificate);
            Assert.Null(CertificateSource.Issuer(null, null));
        }

        [Theory]
        [InlineData("sast.pfx")]
        [InlineData("sast.p12")]
        [InlineData("sast.bin")]   // recognised by content, whatever the name
        public void A_pfx_loads_with_its_key_and_password(string name)
        {
            using var dir = new TempDirectory();
            var pfx = WritePfx(dir, name, "pfx-pass");
            using var credential = CertificateSource.FromFile(pfx).Load("pfx-pass".ToCharArray(), "signing trust lists");
            using var pem = PemCredential.Load(CiscoVectors.Sast);
            Assert.True(credential.HasPrivateKey);
            Assert.Equal(pem.Certificate.Thumbprint, credential.Certificate.Thumbprint);
            Assert.True(PemCredential.KeyMatches(credential.Certificate, credential.PrivateKey!));
        }

        [Fact]
        public void A_pfx_with_the_wrong_password_is_a_clear_error_without_the_password()
        {
            using var dir = new TempDirectory();
            var pfx = WritePfx(dir, "sast.pfx", "pfx-pass");
            var ex = Assert.Throws<ProvisioningException>(() => CertificateSource.FromFile(pfx).Load("wrong-pass".ToCharArray()));
            Assert.Equal("PfxUnreadable", ex.ErrorId);
            Assert.Equal(ErrorKind.InvalidData, ex.Kind);
            Assert.Contains(pfx, ex.Message);
            Assert.DoesNotContain("wrong-pass", ex.Message);
        }

        [Fact]
        public void A_pem_certificate_finds_its_key_beside_it_when_the_key_is_required()
        {
            using var dir = new TempDirectory();
            using (var pem = PemCredential.Load(CiscoVectors.Sast))
            {
                File.WriteAllText(dir.File("ca.pem"), pem.ExportCertificatePem());
                File.WriteAllText(dir.File("ca.key"), pem.ExportPrivateKeyPem());
            }
            using (var publicOnly = CertificateSource.FromFile(dir.File("ca.pem")).Load())
                Assert.False(publicOnly.HasPrivateKey);
            using var withKey = CertificateSource.FromFile(dir.File("ca.pem")).Load((char[]?)null, "approving requests");
            Assert.True(withKey.HasPrivateKey);
        }

        [Fact]
        public void A_certificate_object_without_a_key_is_refused_naming_the_purpose_when_one_is_needed()
        {
            using var pem = PemCredential.Load(CiscoVectors.Sast);
            using var publicOnly = X509CertificateLoader.LoadCertificate(pem.Certificate.RawData);
            using (var fine = CertificateSource.FromCertificate(publicOnly).Load())
                Assert.False(fine.HasPrivateKey);
            var ex = Assert.Throws<ProvisioningException>(() => CertificateSource.FromCertificate(publicOnly).Load((char[]?)null, "signing trust lists"));
            Assert.Equal("PrivateKeyRequired", ex.ErrorId);
            Assert.Contains("signing trust lists", ex.Message);
        }

        [Fact]
        public void Pprov_itl_build_signs_with_a_pfx_and_its_password_from_the_environment()
        {
            using var dir = new TempDirectory();
            var pfx = WritePfx(dir, "sast.pfx", "pfx-pass");
            var fromPem = ProcessRunner.Pprov("itl", "build", dir.File("pem.tlv"), "--sast", CiscoVectors.Sast, "--filename", "ITLFile.tlv", "--timestamp", "1795344868");
            Assert.True(fromPem.ExitCode == 0, fromPem.ToString());
            Environment.SetEnvironmentVariable("PPROV_TEST_PFX_PASSWORD", "pfx-pass");
            try
            {
                var fromPfx = ProcessRunner.Pprov("itl", "build", dir.File("pfx.tlv"), "--sast", pfx, "--password-env", "PPROV_TEST_PFX_PASSWORD",
                    "--filename", "ITLFile.tlv", "--timestamp", "1795344868");
                Assert.True(fromPfx.ExitCode == 0, fromPfx.ToString());
            }
            finally { Environment.SetEnvironmentVariable("PPROV_TEST_PFX_PASSWORD", null); }
            Assert.Equal(File.ReadAllBytes(dir.File("pem.tlv")), File.ReadAllBytes(dir.File("pfx.tlv")));
        }
    }
}
