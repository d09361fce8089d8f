using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PrivateProvisioning.Core.Security
{
    /// <summary>A parsed Cisco signed header (all file kinds), with the offsets needed to verify it.</summary>
    internal sealed class CiscoHeader
    {
        public byte Major, Minor;
        public int HeaderLength;
        public (byte Major, byte Minor)? SignerVersion;
        public string? SignerName, IssuerName, FileName;
        public byte[]? SerialNumber;
        public byte? Digest;
        public byte? SignatureAlgorithm, ModulusCode;
        public int SignatureOffset = -1, SignatureLength;
        public uint? Timestamp;
        // .enc.sgn
        public byte[]? EncryptionIv, EncryptionKey, EncryptionHash;
        public int? EncryptionPadding, EncryptionKeySize;
        public byte? EncryptionKeyAlgorithm, EncryptionHashAlgorithm;

        public CiscoDigest RequireDigest(string source)
        {
            if (Digest == null) throw SignedHeaderReader.Bad(source, "the header has no hash algorithm (tag 8)", 0);
            if (Digest != (byte)CiscoDigest.Sha1 && Digest != (byte)CiscoDigest.Sha512)
                throw SignedHeaderReader.Bad(source, $"the hash algorithm {Digest} is not supported (1 = SHA-1, 3 = SHA-512)", 0);
            return (CiscoDigest)Digest.Value;
        }

        /// <summary>Checks the RSA PKCS#1 v1.5 signature over the file minus the signature element (spec §3.4).</summary>
        public bool Verify(byte[] data, RSA publicKey, string source)
        {
            var digest = RequireDigest(source);
            if (SignatureOffset < 0) throw SignedHeaderReader.Bad(source, "the header has no signature (tag 12)", 0);
            var name = digest == CiscoDigest.Sha1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA512;
            using var hash = IncrementalHash.CreateHash(name);
            hash.AppendData(data, 0, SignatureOffset);
            int after = SignatureOffset + 3 + SignatureLength;
            hash.AppendData(data, after, data.Length - after);
            var signature = new byte[SignatureLength];
            Buffer.BlockCopy(data, SignatureOffset + 3, signature, 0, SignatureLength);
            try { return publicKey.VerifyHash(hash.GetHashAndReset(), signature, name, RSASignaturePadding.Pkcs1); }
            catch (CryptographicException) { return false; }
        }

        public DateTimeOffset? Time => Timestamp == null ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeSeconds(Timestamp.Value);

        public string SerialHex => SerialNumber == null ? "" : HexText.Lower(SerialNumber);
    }

    /// <summary>
    /// Reads the signed header in any field order (CUCM and older certutils differ from v4.13), descending
    /// into containers, and reports truncation, wrong lengths and unknown tags with their byte offset.
    /// </summary>
    internal static class SignedHeaderReader
    {
        public static CiscoHeader Read(byte[] data, string source)
        {
            var h = new CiscoHeader();
            int at = 0;
            ExpectFirst(data, ref at, CiscoTags.Version, source);
            h.Major = data[at]; h.Minor = data[at + 1]; at += 2;
            ExpectFirst(data, ref at, CiscoTags.HeaderLength, source);
            h.HeaderLength = (data[at] << 8) | data[at + 1]; at += 2;
            if (h.HeaderLength > data.Length)
                throw Bad(source, $"the header length {h.HeaderLength} is larger than the file ({data.Length} bytes); the file is truncated", 5);
            if (h.HeaderLength < at)
                throw Bad(source, $"the header length {h.HeaderLength} is too small", 5);

            while (at < h.HeaderLength)
            {
                int start = at;
                byte tag = data[at++];
                if (tag == CiscoTags.Padding) continue;
                if (at + 2 > h.HeaderLength) throw Bad(source, $"the {CiscoTags.Name(tag)} element is cut off by the end of the header", start);
                int length = (data[at] << 8) | data[at + 1];
                at += 2;
                if (CiscoTags.IsContainer(tag))
                {
                    if (at + length > h.HeaderLength) throw Bad(source, $"the {CiscoTags.Name(tag)} container ({length} bytes) runs past the end of the header", start);
                    continue; // descend
                }
                if (at + length > h.HeaderLength)
                    throw Bad(source, $"the {CiscoTags.Name(tag)} element ({length} bytes) runs past the end of the header ({h.HeaderLength} bytes)", start);
                switch (tag)
                {
                    case CiscoTags.SignerVersion: Fixed(tag, length, 2, start, source); h.SignerVersion = (data[at], data[at + 1]); break;
                    case CiscoTags.SignerName: h.SignerName = Text(data, at, length); break;
                    case CiscoTags.IssuerName: h.IssuerName = Text(data, at, length); break;
                    case CiscoTags.SerialNumber: h.SerialNumber = Slice(data, at, length); break;
                    case CiscoTags.HashAlgorithm: Fixed(tag, length, 1, start, source); h.Digest = data[at]; break;
                    case CiscoTags.SignatureAlgorithm: Fixed(tag, length, 1, start, source); h.SignatureAlgorithm = data[at]; break;
                    case CiscoTags.SignatureModulus: Fixed(tag, length, 1, start, source); h.ModulusCode = data[at]; break;
                    case CiscoTags.Signature: h.SignatureOffset = start; h.SignatureLength = length; break;
                    case CiscoTags.FileName: h.FileName = Text(data, at, length); break;
                    case CiscoTags.Timestamp: Fixed(tag, length, 4, start, source); h.Timestamp = (uint)((data[at] << 24) | (data[at + 1] << 16) | (data[at + 2] << 8) | data[at + 3]); break;
                    case CiscoTags.EncryptionUnknown1:
                    case CiscoTags.EncryptionUnknown2: break;
                    case CiscoTags.EncryptionIv: Fixed(tag, length, 16, start, source); h.EncryptionIv = Slice(data, at, length); break;
                    case CiscoTags.EncryptionPadding: Fixed(tag, length, 2, start, source); h.EncryptionPadding = (data[at] << 8) | data[at + 1]; break;
                    case CiscoTags.EncryptionKeySize: Fixed(tag, length, 2, start, source); h.EncryptionKeySize = (data[at] << 8) | data[at + 1]; break;
                    case CiscoTags.EncryptionKeyAlgorithm: Fixed(tag, length, 1, start, source); h.EncryptionKeyAlgorithm = data[at]; break;
                    case CiscoTags.EncryptionKey: h.EncryptionKey = Slice(data, at, length); break;
                    case CiscoTags.EncryptionHashAlgorithm: Fixed(tag, length, 1, start, source); h.EncryptionHashAlgorithm = data[at]; break;
                    case CiscoTags.EncryptionHash: h.EncryptionHash = Slice(data, at, length); break;
                    case CiscoTags.Version:
                    case CiscoTags.HeaderLength:
                        throw Bad(source, $"a second {CiscoTags.Name(tag)} element appears", start);
                    default:
                        throw Bad(source, $"unknown header tag {tag}", start);
                }
                at += length;
            }
            if (h.SerialNumber == null) throw Bad(source, "the header has no signer serial number (tag 5)", 0);
            h.RequireDigest(source);
            if (h.SignatureOffset < 0) throw Bad(source, "the header has no signature (tag 12)", 0);
            return h;
        }

        private static void ExpectFirst(byte[] data, ref int at, byte tag, string source)
        {
            if (data.Length < at + 5) throw Bad(source, $"the file is too short ({data.Length} bytes) to hold a Cisco signed header", at);
            if (data[at] != tag)
                throw Bad(source, $"expected the {CiscoTags.Name(tag)} element (tag {tag}) but found tag {data[at]}; this is not a Cisco signed file", at);
            int length = (data[at + 1] << 8) | data[at + 2];
            if (length != 2) throw Bad(source, $"the {CiscoTags.Name(tag)} element has length {length}; expected 2", at);
            at += 3;
        }

        private static void Fixed(byte tag, int length, int expected, int offset, string source)
        {
            if (length != expected) throw Bad(source, $"the {CiscoTags.Name(tag)} element (tag {tag}) has length {length}; expected {expected}", offset);
        }

        internal static string Text(byte[] data, int at, int length)
        {
            int n = length > 0 && data[at + length - 1] == 0 ? length - 1 : length;
            return Encoding.UTF8.GetString(data, at, n);
        }

        internal static byte[] Slice(byte[] data, int at, int length)
        {
            var value = new byte[length];
            Buffer.BlockCopy(data, at, value, 0, length);
            return value;
        }

        internal static ProvisioningException Bad(string source, string why, int offset) =>
            new ProvisioningException(ErrorIds.CiscoFileInvalid, ErrorKind.InvalidData, $"'{source}' at byte {offset}: {why}.", source);
    }
}
