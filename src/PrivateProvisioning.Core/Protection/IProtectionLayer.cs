using System.IO;

namespace PrivateProvisioning.Core.Protection
{
    /// <summary>
    /// One step of the protection pipeline (gzip, an encryption, later a signature). A layer turns the bytes
    /// written to the stream it returns into its protected form on the output stream. Layers are
    /// stateless and shared between threads; all per-file state lives in the returned stream.
    /// </summary>
    public interface IProtectionLayer
    {
        /// <summary>The name shown in results ("Gzip", "OpenSslAes256Cbc").</summary>
        string Name { get; }

        /// <summary>The extension this layer adds when the output is written beside its source (".gz", ".enc").</summary>
        string DefaultExtension { get; }

        /// <summary>The key derivation the layer uses, when it is openssl-compatible; else null.</summary>
        KeyDerivation? KeyDerivation { get; }

        /// <summary>
        /// Returns a write-only stream; disposing it writes the layer's final bytes. <paramref name="output"/> stays open.
        /// </summary>
        Stream Protect(Stream output, LayerContext context);

        /// <summary>
        /// The salt of an earlier output of this layer (its first bytes in <paramref name="head"/>), or null. Reusing it
        /// for the same plaintext gives identical bytes, so an unchanged profile is not rewritten; a changed
        /// one always gets a fresh salt.
        /// </summary>
        byte[]? ReadSalt(byte[] head, int count);
    }

    /// <summary>Per-file inputs of a layer.</summary>
    public sealed class LayerContext
    {
        public LayerContext(byte[]? key, long inputLength, byte[]? salt)
        {
            Key = key;
            InputLength = inputLength;
            Salt = salt;
        }

        /// <summary>The passphrase or key material (UTF-8 of the SecureString); owned and wiped by the caller.</summary>
        public byte[]? Key { get; }

        /// <summary>Length of the plaintext the layer will receive, or -1 when not known in advance.</summary>
        public long InputLength { get; }

        /// <summary>A salt to reuse (see <see cref="IProtectionLayer.ReadSalt"/>), or null for a fresh random one.</summary>
        public byte[]? Salt { get; }
    }
}
