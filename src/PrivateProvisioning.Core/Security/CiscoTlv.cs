using System;
using System.Security.Cryptography;

namespace PrivateProvisioning.Core.Security
{
    /// <summary>Header tag numbers (spec §3.1, §6.1).</summary>
    internal static class CiscoTags
    {
        public const byte Version = 1, HeaderLength = 2, SignerInfo = 3, SignerName = 4, SerialNumber = 5, IssuerName = 6,
            SignatureInfo = 7, HashAlgorithm = 8, SignatureAlgorithmInfo = 9, SignatureAlgorithm = 10, SignatureModulus = 11,
            Signature = 12, Padding = 13, FileName = 14, Timestamp = 15,
            EncryptionInfo = 16, EncryptionIvInfo = 17, EncryptionUnknown1 = 18, EncryptionIv = 19, EncryptionPadding = 20,
            EncryptionKeyInfo = 21, EncryptionUnknown2 = 22, EncryptionKeySize = 23, EncryptionKeyAlgorithm = 24, EncryptionKey = 25,
            EncryptionHashAlgorithm = 26, EncryptionHash = 27, SignerVersion = 28;

        public static bool IsContainer(byte tag) => tag == SignerInfo || tag == SignatureInfo || tag == SignatureAlgorithmInfo
            || tag == EncryptionInfo || tag == EncryptionIvInfo || tag == EncryptionKeyInfo;

        public static string Name(byte tag)
        {
            switch (tag)
            {
                case Version: return "version";
                case HeaderLength: return "header length";
                case SignerInfo: return "signer info";
                case SignerName: return "signer name";
                case SerialNumber: return "serial number";
                case IssuerName: return "issuer name";
                case SignatureInfo: return "signature info";
                case HashAlgorithm: return "hash algorithm";
                case SignatureAlgorithmInfo: return "signature algorithm info";
                case SignatureAlgorithm: return "signature algorithm";
                case SignatureModulus: return "signature modulus";
                case Signature: return "signature";
                case FileName: return "file name";
                case Timestamp: return "timestamp";
                case EncryptionIv: return "encryption IV";
                case EncryptionPadding: return "encryption padding";
                case EncryptionKeySize: return "encryption key size";
                case EncryptionKey: return "encryption key";
                case EncryptionHashAlgorithm: return "encryption hash algorithm";
                case EncryptionHash: return "encryption hash";
                case SignerVersion: return "signer version";
                default: return "tag " + tag;
            }
        }
    }

    /// <summary>Appends tag/length/value elements to a growable buffer (big-endian lengths).</summary>
    internal sealed class TlvWriter
    {
        private byte[] _buffer;

        public TlvWriter(int capacity) { _buffer = new byte[Math.Max(16, capacity)]; }

        public int Length { get; private set; }

        public void Header(byte tag, int length)
        {
            if (length > ushort.MaxValue)
                throw new ProvisioningException(ErrorIds.TlvTooLarge, ErrorKind.InvalidData,
                    $"A {CiscoTags.Name(tag)} element of {length} bytes does not fit the 16-bit length of the Cisco format.");
            Ensure(3);
            _buffer[Length++] = tag;
            _buffer[Length++] = (byte)(length >> 8);
            _buffer[Length++] = (byte)length;
        }

        public void Element(byte tag, byte[] value)
        {
            Header(tag, value.Length);
            Raw(value, 0, value.Length);
        }

        public void Byte(byte tag, byte value) { Header(tag, 1); RawByte(value); }

        public void UInt16(byte tag, int value) { Header(tag, 2); RawByte((byte)(value >> 8)); RawByte((byte)value); }

        public void UInt32(byte tag, uint value)
        {
            Header(tag, 4);
            RawByte((byte)(value >> 24)); RawByte((byte)(value >> 16)); RawByte((byte)(value >> 8)); RawByte((byte)value);
        }

        public void Raw(byte[] bytes, int offset, int count)
        {
            Ensure(count);
            Buffer.BlockCopy(bytes, offset, _buffer, Length, count);
            Length += count;
        }

        public void RawByte(byte value) { Ensure(1); _buffer[Length++] = value; }

        public void PatchUInt16(int offset, int value)
        {
            if (value > ushort.MaxValue)
                throw new ProvisioningException(ErrorIds.TlvTooLarge, ErrorKind.InvalidData, $"A length of {value} bytes does not fit the 16-bit field of the Cisco format.");
            _buffer[offset] = (byte)(value >> 8);
            _buffer[offset + 1] = (byte)value;
        }

        public byte[] Buffer_ => _buffer;

        public byte[] ToArray()
        {
            var result = new byte[Length];
            Buffer.BlockCopy(_buffer, 0, result, 0, Length);
            return result;
        }

        private void Ensure(int more)
        {
            if (Length + more <= _buffer.Length) return;
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + more));
        }
    }

    /// <summary>
    /// The signed header every Cisco file kind shares (spec §3): version, header length, optional signer
    /// version, signer info, signature info, signature, file name, timestamp, kind-specific fields, padding.
    /// </summary>
    internal static class SignedHeaderWriter
    {
        /// <param name="extraFields">Fields after the timestamp (.enc.sgn encryption info), or null.</param>
        /// <param name="body">What follows the header (records, payload, ciphertext).</param>
        public static byte[] Write(CiscoSigner signer, byte major, byte minor, (byte, byte)? signerVersion, string fileName, uint timestamp,
            byte[]? extraFields, byte[] body, int bodyOffset, int bodyCount)
        {
            byte[]? output = null;
            WriteTo(signer, major, minor, signerVersion, fileName, timestamp, extraFields, body, bodyOffset, bodyCount, ref output, exact: true);
            return output!;
        }

        /// <summary>
        /// <see cref="Write"/> into <paramref name="output"/> when it is large enough (else a new array of at least the
        /// length, kept in <paramref name="output"/>): the signed file is its first bytes, their count returned. Bulk
        /// signing reuses one output buffer per thread instead of a new ~2.5 KB array per file.
        /// </summary>
        /// <param name="exact">A new array is exactly the file's length (what <see cref="Write"/> returns).</param>
        public static int WriteTo(CiscoSigner signer, byte major, byte minor, (byte, byte)? signerVersion, string fileName, uint timestamp,
            byte[]? extraFields, byte[] body, int bodyOffset, int bodyCount, ref byte[]? output, bool exact = false)
        {
            var fileNameBytes = CiscoSigner.NulTerminated(fileName);
            var prefix = new TlvWriter(64 + signer.SignerInfo.Length);
            prefix.Header(CiscoTags.Version, 2); prefix.RawByte(major); prefix.RawByte(minor);
            prefix.UInt16(CiscoTags.HeaderLength, 0);
            if (signerVersion != null)
            {
                prefix.Header(CiscoTags.SignerVersion, 2); prefix.RawByte(signerVersion.Value.Item1); prefix.RawByte(signerVersion.Value.Item2);
            }
            prefix.Raw(signer.SignerInfo, 0, signer.SignerInfo.Length);
            prefix.Header(CiscoTags.SignatureInfo, 15);
            prefix.Byte(CiscoTags.HashAlgorithm, (byte)signer.Digest);
            prefix.Header(CiscoTags.SignatureAlgorithmInfo, 8);
            prefix.Byte(CiscoTags.SignatureAlgorithm, 0);
            prefix.Byte(CiscoTags.SignatureModulus, signer.ModulusCode);

            var suffix = new TlvWriter(16 + fileNameBytes.Length + (extraFields?.Length ?? 0));
            suffix.Element(CiscoTags.FileName, fileNameBytes);
            suffix.UInt32(CiscoTags.Timestamp, timestamp);
            if (extraFields != null) suffix.Raw(extraFields, 0, extraFields.Length);
            int signatureElement = 3 + signer.SignatureLength;
            while ((prefix.Length + suffix.Length + signatureElement) % 4 != 0) suffix.RawByte(CiscoTags.Padding);
            int headerLength = prefix.Length + signatureElement + suffix.Length;
            prefix.PatchUInt16(8, headerLength);

            var signature = signer.SignHash(signer.HashOf(prefix.Buffer_, prefix.Length, suffix.Buffer_, suffix.Length, body, bodyOffset, bodyCount));

            int total = headerLength + bodyCount;
            if (output == null || output.Length < total) output = new byte[exact ? total : Math.Max(total, 16 * 1024)];
            Buffer.BlockCopy(prefix.Buffer_, 0, output, 0, prefix.Length);
            int at = prefix.Length;
            output[at++] = CiscoTags.Signature;
            output[at++] = (byte)(signature.Length >> 8);
            output[at++] = (byte)signature.Length;
            Buffer.BlockCopy(signature, 0, output, at, signature.Length);
            at += signature.Length;
            Buffer.BlockCopy(suffix.Buffer_, 0, output, at, suffix.Length);
            at += suffix.Length;
            Buffer.BlockCopy(body, bodyOffset, output, at, bodyCount);
            return total;
        }
    }
}
