using System;

namespace PrivateProvisioning.Core.Protection
{
    /// <summary>
    /// What Protect does to each file. The order the caller sets things in does not matter: the pipeline is
    /// always gzip first, then the method's encryption (phones recognise only that order).
    /// </summary>
    public sealed class ProtectionOptions
    {
        /// <summary>openssl's default PBKDF2 iteration count (openssl enc -pbkdf2 without -iter).</summary>
        public const int DefaultIterations = 10000;

        /// <summary>gzip the profile before any encryption.</summary>
        public bool Compress { get; set; }

        /// <summary>How hard gzip works: Optimal (gzip's own default, level 6), Fastest or SmallestSize.</summary>
        public ProfileCompressionLevel CompressionLevel { get; set; } = ProfileCompressionLevel.Optimal;

        public ProtectionMethod Method { get; set; } = ProtectionMethod.None;

        /// <summary>Key derivation for the openssl-compatible methods (OpenSslAes256Cbc, PanasonicEnc).</summary>
        public KeyDerivation KeyDerivation { get; set; } = KeyDerivation.Md5;

        /// <summary>PBKDF2 iteration count; used only with <see cref="Protection.KeyDerivation.Pbkdf2"/>.</summary>
        public int Iterations { get; set; } = DefaultIterations;

        /// <summary>AES key size in bits for PanasonicEnc (its CFG_FILE_KEY_LENGTH: 128, 192 or 256).</summary>
        public int KeySize { get; set; } = 256;

        /// <summary>RFC 8188 record size; 0 puts the whole body in one record (the safe choice for Cisco MPP).</summary>
        public int RecordSize { get; set; }

        /// <summary>True when the method needs a key.</summary>
        public bool NeedsKey => Method != ProtectionMethod.None;

        /// <summary>Throws a ProvisioningException (InvalidArgument) for a combination that cannot work.</summary>
        public void Validate()
        {
            if (!Compress && Method == ProtectionMethod.None)
                throw Invalid(ErrorIds.NothingToDo, "Nothing to do: ask for compression (-Compress / --gzip), a method (-Method / --method), or both.");
            if (!Enum.IsDefined(typeof(ProtectionMethod), Method))
                throw Invalid(ErrorIds.UnknownProtectionMethod, $"Unknown protection method {(int)Method}.");
            if (!Enum.IsDefined(typeof(KeyDerivation), KeyDerivation))
                throw Invalid(ErrorIds.UnknownKeyDerivation, $"Unknown key derivation {(int)KeyDerivation}.");
            if (Iterations < 1)
                throw Invalid(ErrorIds.InvalidIterations, $"The PBKDF2 iteration count must be at least 1, not {Iterations}.");
            if (KeySize != 128 && KeySize != 192 && KeySize != 256)
                throw Invalid(ErrorIds.InvalidKeySize, $"The AES key size must be 128, 192 or 256 bits, not {KeySize}.");
            if (KeySize != 256 && Method != ProtectionMethod.PanasonicEnc)
                throw Invalid(ErrorIds.InvalidKeySize, $"A key size other than 256 applies only to PanasonicEnc; {Method} has a fixed key size.");
            if (RecordSize != 0 && RecordSize < Rfc8188Layer.MinimumRecordSize)
                throw Invalid(ErrorIds.InvalidRecordSize, $"The RFC 8188 record size must be at least {Rfc8188Layer.MinimumRecordSize} bytes (or 0 for one record), not {RecordSize}.");
        }

        internal ProtectionOptions Clone() => (ProtectionOptions)MemberwiseClone();

        private static ProvisioningException Invalid(string id, string message) =>
            new ProvisioningException(id, ErrorKind.InvalidArgument, message);
    }

    /// <summary>
    /// gzip's effort. Every level gives a gzip member that the phones and `gzip -d` read; they differ in size and
    /// time (a ~2 KB Cisco profile: Optimal 538 bytes in ~10 µs, Fastest 742 bytes in ~5 µs). Changing it changes
    /// the protected bytes, so each file is rewritten once.
    /// </summary>
    public enum ProfileCompressionLevel
    {
        Optimal,
        Fastest,
        SmallestSize,
    }

    /// <summary>What Unprotect may assume; everything left unset is detected from the file.</summary>
    public sealed class UnprotectionOptions
    {
        /// <summary>The key derivation to use; null tries MD5, SHA-256 and PBKDF2 and keeps the one whose plaintext is a profile.</summary>
        public KeyDerivation? KeyDerivation { get; set; }

        /// <summary>PBKDF2 iteration count tried for PBKDF2 files.</summary>
        public int Iterations { get; set; } = ProtectionOptions.DefaultIterations;

        /// <summary>AES key size in bits of openssl files; null tries 256, 128 and 192 (with an explicit derivation, raw Salted__ files are taken as 256).</summary>
        public int? KeySize { get; set; }

        /// <summary>Treat the outermost layer as RFC 8188 even when the file does not look like it.</summary>
        public bool AssumeRfc8188 { get; set; }

        /// <summary>
        /// The most bytes a gzip layer may expand to; null takes <see cref="ProfileSizeLimit.Current"/>
        /// (64 MiB, or PRIVATEPROVISIONING_MAX_PROFILE_SIZE).
        /// </summary>
        public long? MaxProfileSize { get; set; }

        internal long EffectiveMaxProfileSize => MaxProfileSize ?? ProfileSizeLimit.Current;

        public void Validate()
        {
            if (MaxProfileSize.HasValue && MaxProfileSize < 1)
                throw new ProvisioningException(ErrorIds.InvalidProfileSizeLimit, ErrorKind.InvalidArgument, $"The profile size limit must be at least 1 byte, not {MaxProfileSize}.");
            if (Iterations < 1)
                throw new ProvisioningException(ErrorIds.InvalidIterations, ErrorKind.InvalidArgument,
                    $"The PBKDF2 iteration count must be at least 1, not {Iterations}.");
            if (KeySize.HasValue && KeySize != 128 && KeySize != 192 && KeySize != 256)
                throw new ProvisioningException(ErrorIds.InvalidKeySize, ErrorKind.InvalidArgument, $"The AES key size must be 128, 192 or 256 bits, not {KeySize}.");
        }

        internal UnprotectionOptions Clone() => (UnprotectionOptions)MemberwiseClone();
    }
}
