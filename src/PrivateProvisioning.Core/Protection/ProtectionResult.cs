namespace PrivateProvisioning.Core.Protection
{
    /// <summary>
    /// One file Protect or Unprotect wrote. <see cref="Path"/> is the file written, so the object pipes into
    /// the next cmdlet (Unprotect-ProfileFile, a signing step) by property name.
    /// </summary>
    public sealed class ProtectionResult
    {
        public ProtectionResult(string path, string source, string method, KeyDerivation? keyDerivation, WriteStatus status, string sha256, long length)
        {
            Path = path;
            Source = source;
            Method = method;
            KeyDerivation = keyDerivation;
            Status = status;
            Sha256 = sha256;
            Length = length;
        }

        /// <summary>The file written (or that would be written, with -WhatIf).</summary>
        public string Path { get; }

        /// <summary>The file it was made from; never modified.</summary>
        public string Source { get; }

        /// <summary>The layers in the order they are applied, e.g. "Gzip+OpenSslAes256Cbc".</summary>
        public string Method { get; }

        /// <summary>The key derivation used or detected; null when no openssl-compatible layer is involved.</summary>
        public KeyDerivation? KeyDerivation { get; }

        public WriteStatus Status { get; }

        /// <summary>SHA-256 of the bytes written (lower-case hex): what the phone downloads, or the recovered plaintext.</summary>
        public string Sha256 { get; }

        /// <summary>Size in bytes of the file written.</summary>
        public long Length { get; }

        public override string ToString() => Path;
    }
}
