using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Protection;
using PrivateProvisioning.Core.Security;
using PrivateProvisioning.Internal;

namespace PrivateProvisioning.Commands
{
    /// <summary>
    /// Protect-ProfileFile: gzip and/or encrypt profile files the way the phones read them (openssl enc
    /// AES-256-CBC for Cisco/Linksys, RFC 8188 for Cisco MPP, Panasonic KX-UTG .enc). Compression always
    /// precedes encryption.
    /// </summary>
    [Cmdlet(VerbsSecurity.Protect, "ProfileFile", SupportsShouldProcess = true, DefaultParameterSetName = "Path")]
    [OutputType(typeof(ProtectionResult))]
    public sealed class ProtectProfileFileCommand : ProfileFileCommandBase
    {
        [Parameter]
        public SwitchParameter Compress { get; set; }

        [Parameter]
        public ProfileCompressionLevel CompressionLevel { get; set; }

        [Parameter]
        public ProtectionMethod Method { get; set; }

        [Parameter]
        public KeyDerivation KeyDerivation { get; set; }

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Iterations { get; set; }

        [Parameter]
        [ValidateSet("128", "192", "256")]
        public int KeySize { get; set; }

        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int RecordSize { get; set; }

        /// <summary>Cisco: sign each file into &lt;name&gt;.sgn with this TFTP certificate (PEM path or X509Certificate2 with its key).</summary>
        [Parameter]
        public object? SigningCertificate { get; set; }

        /// <summary>Cisco: encrypt into &lt;name&gt;.enc.sgn (+ stub .sgn) for this phone certificate; several: matched by SEP&lt;MAC&gt;.</summary>
        [Parameter]
        public object[]? PhoneCertificate { get; set; }

        /// <summary>Password of an encrypted -SigningCertificate key.</summary>
        [Parameter]
        public SecureString? CertificatePassword { get; set; }

        [Parameter]
        public CiscoDigest Digest { get; set; }

        /// <summary>Cisco: the name in the .sgn header (New_Zealand/g3-tones.xml.sgn); ending in '/', a folder for each file.</summary>
        [Parameter]
        public string? FileName { get; set; }

        protected override string ActionVerb => "Protect";

        protected override ProfileFileProtection Open(string? destinationFolder)
        {
            var request = new ProtectRequest
            {
                Compress = Compress.IsPresent,
                CompressionLevel = Bound(nameof(CompressionLevel)) ? CompressionLevel : (ProfileCompressionLevel?)null,
                Method = Bound(nameof(Method)) ? Method : (ProtectionMethod?)null,
                KeyDerivation = Bound(nameof(KeyDerivation)) ? KeyDerivation : (KeyDerivation?)null,
                Iterations = Bound(nameof(Iterations)) ? Iterations : (int?)null,
                KeySize = Bound(nameof(KeySize)) ? KeySize : (int?)null,
                RecordSize = Bound(nameof(RecordSize)) ? RecordSize : (int?)null,
                HasKey = Key != null,
                SigningCertificate = SigningCertificate == null ? null : CertificateArgument.ToSource(this, SigningCertificate),
                PhoneCertificates = (PhoneCertificate ?? Array.Empty<object>()).Select(p => CertificateArgument.ToSource(this, p)).ToList(),
                Digest = Bound(nameof(Digest)) ? Digest : (CiscoDigest?)null,
                FileName = FileName,
                DestinationFolder = destinationFolder,
                Extension = Extension,
                Force = Force.IsPresent,
            };
            var password = CertificatePassword == null ? null : SecureStrings.ToChars(CertificatePassword);
            try { return ProfileFileProtection.ForProtect(request, password); }
            finally { if (password != null) Array.Clear(password, 0, password.Length); }
        }
    }
}
