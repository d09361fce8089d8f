using System;
using System.Collections.Generic;
using PrivateProvisioning.Core.Security;

namespace PrivateProvisioning.Core.Protection
{
    /// <summary>
    /// What Protect-ProfileFile and pprov protect ask for, in the words of the operation: both front ends only map
    /// their parameters onto it. The rules between parameters (a key without a method means AES-256-CBC, a method
    /// needs a key, Cisco signing stands alone, phone certificates need a signing certificate) are decided once,
    /// in <see cref="ProfileFileProtection.ForProtect"/>.
    /// </summary>
    public sealed class ProtectRequest
    {
        /// <summary>gzip before any encryption.</summary>
        public bool Compress { get; set; }

        /// <summary>gzip's effort; null: <see cref="ProfileCompressionLevel.Optimal"/> (gzip's own level 6).</summary>
        public ProfileCompressionLevel? CompressionLevel { get; set; }

        /// <summary>The method asked for; null when none was named (then a key means <see cref="ProtectionMethod.OpenSslAes256Cbc"/>).</summary>
        public ProtectionMethod? Method { get; set; }

        /// <summary>Key derivation of the openssl methods; null: MD5 (what the SPA firmware uses).</summary>
        public KeyDerivation? KeyDerivation { get; set; }

        /// <summary>PBKDF2 iterations; null: openssl's 10,000.</summary>
        public int? Iterations { get; set; }

        /// <summary>AES key bits of PanasonicEnc; null: 256.</summary>
        public int? KeySize { get; set; }

        /// <summary>RFC 8188 record size; null or 0: one record.</summary>
        public int? RecordSize { get; set; }

        /// <summary>True when the caller holds a key (the key itself is handed over per batch and wiped by the caller).</summary>
        public bool HasKey { get; set; }

        /// <summary>Cisco: the TFTP certificate (with its key) that signs each file into .sgn.</summary>
        public CertificateSource? SigningCertificate { get; set; }

        /// <summary>Cisco: phone certificates to encrypt SEP&lt;MAC&gt;.cnf.xml into .enc.sgn for.</summary>
        public IReadOnlyList<CertificateSource> PhoneCertificates { get; set; } = Array.Empty<CertificateSource>();

        /// <summary>Cisco: the signature digest; null: SHA-1 (what every phone firmware reads).</summary>
        public CiscoDigest? Digest { get; set; }

        /// <summary>Cisco: the name in the .sgn header; ending in '/', a folder for each file.</summary>
        public string? FileName { get; set; }

        /// <summary>The folder outputs go to; null: beside each source.</summary>
        public string? DestinationFolder { get; set; }

        /// <summary>The extension appended to each output name; null: the method's own, "" keeps the name.</summary>
        public string? Extension { get; set; }

        /// <summary>Allow an output to replace its own source.</summary>
        public bool Force { get; set; }

        internal bool Signs => SigningCertificate != null || PhoneCertificates.Count > 0;

        /// <summary>The layers' options with the defaults applied (ProfileProtector validates them).</summary>
        internal ProtectionOptions ToOptions()
        {
            var options = new ProtectionOptions
            {
                Compress = Compress,
                CompressionLevel = CompressionLevel ?? ProfileCompressionLevel.Optimal,
                // A key without a method means what the Cisco/Linksys phones read.
                Method = Method ?? (HasKey ? ProtectionMethod.OpenSslAes256Cbc : ProtectionMethod.None),
                KeyDerivation = KeyDerivation ?? Protection.KeyDerivation.Md5,
                Iterations = Iterations ?? ProtectionOptions.DefaultIterations,
                KeySize = KeySize ?? 256,
                RecordSize = RecordSize ?? 0,
            };
            return options;
        }

        /// <summary>Cisco signing writes .sgn/.enc.sgn and takes no other protection; phone certificates need the signer.</summary>
        internal void ValidateSigning()
        {
            if (SigningCertificate == null)
                throw new ProvisioningException(ErrorIds.SigningCertificateRequired, ErrorKind.InvalidArgument,
                    "Encrypting for a phone certificate needs the signing certificate (the TFTP certificate that signs the .enc.sgn).")
                    .About(RequestParameter.SigningCertificate);
            if (Compress || Method != null || HasKey)
                throw new ProvisioningException(ErrorIds.SigningWithOtherProtection, ErrorKind.InvalidArgument,
                    "Signing writes Cisco .sgn/.enc.sgn files and cannot be combined with compression, a method or a key; protect in two steps if you need both.")
                    .About(RequestParameter.SigningCertificate, RequestParameter.Compress, RequestParameter.Method, RequestParameter.Key);
        }
    }

    /// <summary>What Unprotect-ProfileFile and pprov unprotect ask for; see <see cref="ProfileFileProtection.ForUnprotect"/>.</summary>
    public sealed class UnprotectRequest
    {
        /// <summary>The key derivation of openssl files; null tries MD5, SHA-256 and PBKDF2.</summary>
        public KeyDerivation? KeyDerivation { get; set; }

        /// <summary>PBKDF2 iterations tried for PBKDF2 files; null: openssl's 10,000.</summary>
        public int? Iterations { get; set; }

        /// <summary>Treat the files as RFC 8188 bodies even if they do not look like one.</summary>
        public bool AssumeRfc8188 { get; set; }

        /// <summary>Cisco: the TFTP certificate that must have signed each .sgn / .enc.sgn.</summary>
        public CertificateSource? SigningCertificate { get; set; }

        /// <summary>Cisco: the phone certificate with its private key, to decrypt .enc.sgn files (one at most).</summary>
        public IReadOnlyList<CertificateSource> PhoneCertificates { get; set; } = Array.Empty<CertificateSource>();

        public string? DestinationFolder { get; set; }

        public string? Extension { get; set; }

        public bool Force { get; set; }
    }
}
