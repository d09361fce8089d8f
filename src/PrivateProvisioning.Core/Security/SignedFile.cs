using System;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PrivateProvisioning.Core.Security
{
    /// <summary>Which Cisco signed file kind a header belongs to.</summary>
    public enum CiscoFileKind
    {
        /// <summary>.sgn: header + the original bytes (version 1.0).</summary>
        Signed,
        /// <summary>.enc.sgn: header + AES-128-CBC ciphertext (version 2.0).</summary>
        Encrypted,
        /// <summary>.tlv trust list (version 1.2).</summary>
        TrustList,
    }

    /// <summary>The header of a parsed .sgn or .enc.sgn file, and whether its signature verified.</summary>
    public sealed class CiscoSignedFileInfo
    {
        internal CiscoSignedFileInfo(string path, CiscoHeader h, int length, bool? signatureValid)
        {
            Path = path;
            Kind = h.Major == 2 ? CiscoFileKind.Encrypted : h.Major == 1 && h.Minor == 2 ? CiscoFileKind.TrustList : CiscoFileKind.Signed;
            FileName = h.FileName;
            Version = $"{h.Major}.{h.Minor}";
            HeaderLength = h.HeaderLength;
            SignerName = h.SignerName;
            IssuerName = h.IssuerName;
            SerialNumber = h.SerialHex;
            Digest = (CiscoDigest)h.Digest!.Value;
            SignatureLength = h.SignatureLength;
            Timestamp = h.Time;
            PayloadLength = length - h.HeaderLength;
            SignatureValid = signatureValid;
            if (h.EncryptionIv != null) EncryptionIV = HexText.Lower(h.EncryptionIv);
            EncryptionKeySize = h.EncryptionKeySize;
            if (h.EncryptionHash != null) PlaintextDigest = HexText.Lower(h.EncryptionHash);
        }

        public string Path { get; }
        public CiscoFileKind Kind { get; }
        /// <summary>The file name in the header (tag 14), e.g. New_Zealand/g3-tones.xml.sgn.</summary>
        public string? FileName { get; }
        public string Version { get; }
        public int HeaderLength { get; }
        public string? SignerName { get; }
        public string? IssuerName { get; }
        public string SerialNumber { get; }
        public CiscoDigest Digest { get; }
        public int SignatureLength { get; }
        public DateTimeOffset? Timestamp { get; }
        /// <summary>Bytes after the header: the original file (.sgn) or the ciphertext (.enc.sgn).</summary>
        public int PayloadLength { get; }
        /// <summary>True/false when checked against a TFTP certificate; null when no certificate was given.</summary>
        public bool? SignatureValid { get; }
        public string? EncryptionIV { get; }
        public int? EncryptionKeySize { get; }
        /// <summary>Hex digest of the plaintext stored in an .enc.sgn (tag 27).</summary>
        public string? PlaintextDigest { get; }
    }

    /// <summary>Cisco .sgn files (spec §5): a signed header followed by the original file, byte-compatible with certutils' sgnfile.</summary>
    public static class SignedFile
    {
        /// <summary>
        /// Signs <paramref name="payload"/> with the TFTP certificate. <paramref name="headerFileName"/> is
        /// what the phone requests, normally "&lt;name&gt;.sgn" or a path under the TFTP root such as
        /// "New_Zealand/g3-tones.xml.sgn".
        /// </summary>
        public static byte[] Sign(CiscoSigner signer, byte[] payload, string headerFileName, DateTimeOffset timestamp) =>
            Sign(signer, payload, 0, payload.Length, headerFileName, timestamp);

        public static byte[] Sign(CiscoSigner signer, byte[] payload, int offset, int count, string headerFileName, DateTimeOffset timestamp)
        {
            if (signer == null) throw new ArgumentNullException(nameof(signer));
            if (string.IsNullOrEmpty(headerFileName))
                throw new ProvisioningException(ErrorIds.FileNameRequired, ErrorKind.InvalidArgument, "The file name stored in the .sgn header is empty.");
            return SignedHeaderWriter.Write(signer, 1, 0, null, headerFileName, ItlFile.Timestamp(timestamp), null, payload, offset, count);
        }

        /// <summary>
        /// <see cref="Sign(CiscoSigner, byte[], int, int, string, DateTimeOffset)"/> into <paramref name="output"/> (replaced
        /// by a larger array when too small): the .sgn is its first bytes, their count returned.
        /// </summary>
        internal static int SignInto(CiscoSigner signer, byte[] payload, int offset, int count, string headerFileName, DateTimeOffset timestamp, ref byte[]? output)
        {
            if (string.IsNullOrEmpty(headerFileName))
                throw new ProvisioningException(ErrorIds.FileNameRequired, ErrorKind.InvalidArgument, "The file name stored in the .sgn header is empty.");
            return SignedHeaderWriter.WriteTo(signer, 1, 0, null, headerFileName, ItlFile.Timestamp(timestamp), null, payload, offset, count, ref output);
        }

        /// <summary>Parses the header of a .sgn or .enc.sgn; verifies the signature when the TFTP certificate is given.</summary>
        public static CiscoSignedFileInfo Read(byte[] data, string source, X509Certificate2? tftpCertificate = null)
        {
            var header = SignedHeaderReader.Read(data, source);
            bool? valid = tftpCertificate == null ? (bool?)null : Verify(header, data, tftpCertificate, source);
            return new CiscoSignedFileInfo(source, header, data.Length, valid);
        }

        /// <summary>
        /// The original bytes of a .sgn (stripsgn). With <paramref name="tftpCertificate"/> the signature must
        /// verify first, else this throws SignatureInvalid and nothing is returned.
        /// </summary>
        public static byte[] Strip(byte[] data, string source, X509Certificate2? tftpCertificate, out CiscoSignedFileInfo info)
        {
            var header = SignedHeaderReader.Read(data, source);
            if (header.Major == 2)
                throw new ProvisioningException(ErrorIds.EncryptedNotSigned, ErrorKind.InvalidArgument,
                    $"'{source}' is an encrypted configuration (.enc.sgn, version 2.0); decrypt it with the phone's private key instead.", source);
            bool? valid = null;
            if (tftpCertificate != null)
            {
                valid = Verify(header, data, tftpCertificate, source);
                if (valid == false) throw SignatureInvalid(source, header, tftpCertificate);
            }
            info = new CiscoSignedFileInfo(source, header, data.Length, valid);
            var payload = new byte[data.Length - header.HeaderLength];
            Buffer.BlockCopy(data, header.HeaderLength, payload, 0, payload.Length);
            return payload;
        }

        /// <summary>Reads a file for the functions above, with the errors the module uses.</summary>
        public static byte[] ReadAllBytes(string path)
        {
            try { return File.ReadAllBytes(path); }
            catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException)
            {
                throw new ProvisioningException(ErrorIds.FileNotFound, ErrorKind.ObjectNotFound, $"The file '{path}' does not exist.", path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new ProvisioningException(ErrorIds.FileUnreadable, ErrorKind.ReadError, $"Cannot read '{path}': {ex.Message}", path, ex);
            }
        }

        internal static bool Verify(CiscoHeader header, byte[] data, X509Certificate2 tftpCertificate, string source)
        {
            using var rsa = tftpCertificate.GetRSAPublicKey()
                ?? throw new ProvisioningException(ErrorIds.RsaKeyRequired, ErrorKind.InvalidArgument,
                    $"The certificate '{CertificateNames.Format(tftpCertificate.SubjectName)}' has an EC key, but signed Cisco files are verified with RSA only.", source);
            return header.Verify(data, rsa, source);
        }

        internal static ProvisioningException SignatureInvalid(string source, CiscoHeader header, X509Certificate2 certificate)
        {
            var expected = HexText.Lower(CertificateNames.SerialBytes(certificate));
            var why = expected == header.SerialHex
                ? "the file was altered after signing"
                : $"it was signed by '{header.SignerName}' (serial {header.SerialHex}), not by the given certificate '{CertificateNames.Format(certificate.SubjectName)}' (serial {expected})";
            return new ProvisioningException(ErrorIds.SignatureInvalid, ErrorKind.SecurityError, $"'{source}': the signature does not verify: {why}.", source);
        }
    }
}
