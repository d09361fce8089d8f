namespace PrivateProvisioning.Core.Protection
{
    /// <summary>
    /// The encryption a phone expects around its profile. Compression (gzip) is a separate switch because it
    /// combines with every method and always comes first. Adding a method: a value here and one case in
    /// <see cref="ProtectionMethods.CreateEncryptionLayer"/>; nothing else dispatches on it.
    /// </summary>
    public enum ProtectionMethod
    {
        /// <summary>No encryption (gzip alone, or nothing).</summary>
        None,
        /// <summary>Cisco SPA/MPP/ATA and Linksys: `openssl enc -aes-256-cbc` ("Salted__" + salt + AES-256-CBC), read with [--key ...] in the rule.</summary>
        OpenSslAes256Cbc,
        /// <summary>Cisco MPP over HTTP with Content-Encoding: aes128gcm (RFC 8188 records).</summary>
        Rfc8188,
        /// <summary>Panasonic KX-UTG `.enc`: the openssl Salted__ AES-CBC file, Base64 with line breaks (openssl enc -a).</summary>
        PanasonicEnc,
    }

    /// <summary>How an openssl passphrase becomes the AES key and IV (openssl enc -md md5 | -md sha256 | -pbkdf2).</summary>
    public enum KeyDerivation
    {
        /// <summary>EVP_BytesToKey with MD5, one iteration: OpenSSL up to 1.0.2 and what the SPA firmware uses.</summary>
        Md5,
        /// <summary>EVP_BytesToKey with SHA-256, one iteration: the OpenSSL 1.1.0+ default.</summary>
        Sha256,
        /// <summary>PBKDF2-HMAC-SHA256 with an iteration count (openssl enc -pbkdf2 -iter N); not documented for any phone.</summary>
        Pbkdf2,
    }
}
