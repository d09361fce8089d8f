using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Protection;
using PrivateProvisioning.Core.Security;

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
        private ProfileProtector? _protector;

        [Parameter]
        public SwitchParameter Compress { get; set; }

        [Parameter]
        public ProfileCompressionLevel CompressionLevel { get; set; } = ProfileCompressionLevel.Optimal;

        [Parameter]
        public ProtectionMethod Method { get; set; } = ProtectionMethod.None;

        [Parameter]
        public KeyDerivation KeyDerivation { get; set; } = KeyDerivation.Md5;

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Iterations { get; set; } = ProtectionOptions.DefaultIterations;

        [Parameter]
        [ValidateSet("128", "192", "256")]
        public int KeySize { get; set; } = 256;

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
        public CiscoDigest Digest { get; set; } = CiscoDigest.Sha1;

        /// <summary>Cisco: the name in the .sgn header (New_Zealand/g3-tones.xml.sgn); ending in '/', a folder for each file.</summary>
        [Parameter]
        public string? FileName { get; set; }

        private CiscoProtectionSupport? _cisco;

        protected override string ActionVerb => "Protect";

        protected override void BeginProcessingCore()
        {
            if (SigningCertificate != null || PhoneCertificate != null)
            {
                try
                {
                    if (SigningCertificate == null)
                        throw new ProvisioningException(ErrorIds.SigningCertificateRequired, ErrorKind.InvalidArgument, "-PhoneCertificate needs -SigningCertificate (the TFTP certificate that signs the .enc.sgn).");
                    _cisco = CiscoProtectionSupport.ForProtect(this, SigningCertificate, PhoneCertificate, CertificatePassword, Digest, FileName,
                        Compress.IsPresent || Key != null || MyInvocation.BoundParameters.ContainsKey(nameof(Method)));
                }
                catch (ProvisioningException ex) { ThrowProvisioningError(ex); }
                return;
            }
            // -Key given without -Method means the default: what the Cisco/Linksys phones read.
            var method = Method == ProtectionMethod.None && Key != null && !MyInvocation.BoundParameters.ContainsKey(nameof(Method))
                ? ProtectionMethod.OpenSslAes256Cbc : Method;
            var options = new ProtectionOptions
            {
                Compress = Compress.IsPresent,
                CompressionLevel = CompressionLevel,
                Method = method,
                KeyDerivation = KeyDerivation,
                Iterations = Iterations,
                KeySize = KeySize,
                RecordSize = RecordSize,
            };
            try
            {
                _protector = new ProfileProtector(options);
                if (options.NeedsKey && Key == null)
                    throw new ProvisioningException(ErrorIds.KeyRequired, ErrorKind.InvalidArgument, $"-Method {method} needs -Key (a SecureString, e.g. from Read-Host -AsSecureString or Get-Secret).");
            }
            catch (ProvisioningException ex) { ThrowProvisioningError(ex); }
        }

        protected override string DestinationFor(string source, string? destinationFolder) =>
            _cisco != null ? _cisco.Protector!.DestinationFor(source, destinationFolder, Extension) : _protector!.DestinationFor(source, destinationFolder, Extension);

        protected override ProtectionOutcome[] Run(IReadOnlyList<ProtectionJob> jobs, byte[]? key) =>
            _cisco != null ? _cisco.Protector!.ProtectFiles(jobs) : _protector!.ProtectFiles(jobs, key, allowReplaceSource: Force.IsPresent);

        protected override void EndProcessingCore()
        {
            try { base.EndProcessingCore(); }
            finally { _cisco?.Dispose(); }
        }
    }
}
