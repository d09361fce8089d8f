using System;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace PrivateProvisioning.Core.Security
{
    /// <summary>The two files enccnf writes for one phone: the .enc.sgn and the stub .sgn that points to it.</summary>
    public sealed class EncryptedConfigFiles
    {
        internal EncryptedConfigFiles(string encryptedFileName, byte[] encrypted, string stubFileName, byte[] stub)
        {
            EncryptedFileName = encryptedFileName;
            Encrypted = encrypted;
            StubFileName = stubFileName;
            Stub = stub;
        }

        /// <summary>&lt;name&gt;.enc.sgn</summary>
        public string EncryptedFileName { get; }
        public byte[] Encrypted { get; }
        /// <summary>&lt;name&gt;.sgn: a signed &lt;device&gt; stub with certHash and encrConfig.</summary>
        public string StubFileName { get; }
        public byte[] Stub { get; }
    }

    /// <summary>
    /// Per-phone encrypted configuration (spec §6), byte-compatible with certutils' enccnf: AES-128-CBC with
    /// 0x0D padding, the AES key wrapped with RSAES-PKCS1-v1_5 to the phone certificate, a digest of the
    /// plaintext, all under the TFTP signature; plus the stub .sgn.
    /// </summary>
    public static class EncryptedConfig
    {
        private static readonly string[] StubCopies = { "ipAddressMode", "loadInformation", "capfAuthMode", "capfList" };

        /// <summary>Encrypts <paramref name="cnfXml"/> (a &lt;device&gt; document) for the phone certificate.</summary>
        /// <param name="fileName">The cleartext's name, e.g. SEP001122334455.cnf.xml; the outputs add .enc.sgn and .sgn.</param>
        public static EncryptedConfigFiles Encrypt(CiscoSigner signer, X509Certificate2 phoneCertificate, byte[] cnfXml, string fileName, DateTimeOffset timestamp)
        {
            var key = new byte[16];
            var iv = new byte[16];
            using (var random = RandomNumberGenerator.Create())
            {
                random.GetBytes(key);
                random.GetBytes(iv);
            }
            try { return Encrypt(signer, phoneCertificate, cnfXml, fileName, timestamp, key, iv); }
            finally { Array.Clear(key, 0, key.Length); }
        }

        internal static EncryptedConfigFiles Encrypt(CiscoSigner signer, X509Certificate2 phoneCertificate, byte[] cnfXml, string fileName,
            DateTimeOffset timestamp, byte[] aesKey, byte[] iv)
        {
            if (signer == null) throw new ArgumentNullException(nameof(signer));
            if (phoneCertificate == null) throw new ArgumentNullException(nameof(phoneCertificate));
            var baseName = System.IO.Path.GetFileName(fileName);
            var stub = BuildStub(cnfXml, phoneCertificate, fileName);
            using var phoneKey = phoneCertificate.GetRSAPublicKey()
                ?? throw new ProvisioningException(ErrorIds.RsaKeyRequired, ErrorKind.InvalidArgument,
                    $"The phone certificate '{CertificateNames.Format(phoneCertificate.SubjectName)}' has an EC key; encrypted configurations need the phone's RSA certificate (MIC or RSA LSC).", fileName);

            byte[] plaintextDigest;
            using (var hash = signer.Digest == CiscoDigest.Sha1 ? (HashAlgorithm)SHA1.Create() : SHA512.Create())
                plaintextDigest = hash.ComputeHash(cnfXml);
            int pad = 16 - cnfXml.Length % 16;
            var padded = new byte[cnfXml.Length + pad];
            Buffer.BlockCopy(cnfXml, 0, padded, 0, cnfXml.Length);
            for (int i = cnfXml.Length; i < padded.Length; i++) padded[i] = 0x0D;
            byte[] ciphertext;
            using (var aes = Aes.Create())
            {
                aes.Mode = CipherMode.CBC;
                aes.Padding = PaddingMode.None;
                aes.Key = aesKey;
                aes.IV = iv;
                using var encryptor = aes.CreateEncryptor();
                ciphertext = encryptor.TransformFinalBlock(padded, 0, padded.Length);
            }
            Array.Clear(padded, 0, padded.Length);
            var wrapped = phoneKey.Encrypt(aesKey, RSAEncryptionPadding.Pkcs1);

            var fields = new TlvWriter(64 + wrapped.Length + plaintextDigest.Length);
            fields.Header(CiscoTags.EncryptionInfo, 3 + 28 + 3 + 16 + wrapped.Length);
            fields.Header(CiscoTags.EncryptionIvInfo, 28);
            fields.Byte(CiscoTags.EncryptionUnknown1, 0);
            fields.Element(CiscoTags.EncryptionIv, iv);
            fields.UInt16(CiscoTags.EncryptionPadding, pad);
            fields.Header(CiscoTags.EncryptionKeyInfo, 16 + wrapped.Length);
            fields.Byte(CiscoTags.EncryptionUnknown2, 0);
            fields.UInt16(CiscoTags.EncryptionKeySize, wrapped.Length * 8);
            fields.Byte(CiscoTags.EncryptionKeyAlgorithm, 1);
            fields.Element(CiscoTags.EncryptionKey, wrapped);
            fields.Byte(CiscoTags.EncryptionHashAlgorithm, (byte)signer.Digest);
            fields.Element(CiscoTags.EncryptionHash, plaintextDigest);

            var stamp = ItlFile.Timestamp(timestamp);
            var encrypted = SignedHeaderWriter.Write(signer, 2, 0, null, baseName + ".enc.sgn", stamp, fields.ToArray(), ciphertext, 0, ciphertext.Length);
            var stubSigned = SignedHeaderWriter.Write(signer, 1, 0, null, baseName + ".sgn", stamp, null, stub, 0, stub.Length);
            return new EncryptedConfigFiles(baseName + ".enc.sgn", encrypted, baseName + ".sgn", stubSigned);
        }

        /// <summary>
        /// Decrypts an .enc.sgn with the phone's RSA private key and checks the plaintext digest. With
        /// <paramref name="tftpCertificate"/> the signature is verified first.
        /// </summary>
        public static byte[] Decrypt(byte[] data, string source, PemCredential phone, X509Certificate2? tftpCertificate, out CiscoSignedFileInfo info)
        {
            var header = SignedHeaderReader.Read(data, source);
            if (header.Major != 2)
                throw new ProvisioningException(ErrorIds.NotEncrypted, ErrorKind.InvalidArgument,
                    $"'{source}' is not an encrypted configuration (header version {header.Major}.{header.Minor}, expected 2.0).", source);
            if (header.EncryptionIv == null || header.EncryptionKey == null || header.EncryptionHash == null || header.EncryptionPadding == null || header.EncryptionHashAlgorithm == null)
                throw SignedHeaderReader.Bad(source, "the encryption fields (IV, key, padding, digest) are incomplete", 0);
            bool? valid = null;
            if (tftpCertificate != null)
            {
                valid = SignedFile.Verify(header, data, tftpCertificate, source);
                if (valid == false) throw SignedFile.SignatureInvalid(source, header, tftpCertificate);
            }
            info = new CiscoSignedFileInfo(source, header, data.Length, valid);

            var rsa = phone.GetRsaPrivateKey("decrypting encrypted configurations");
            byte[] aesKey;
            try { aesKey = rsa.Decrypt(header.EncryptionKey, RSAEncryptionPadding.Pkcs1); }
            catch (CryptographicException) { throw WrongKey(source, phone); }
            int cipherLength = data.Length - header.HeaderLength;
            if (aesKey.Length != 16 || cipherLength % 16 != 0 || cipherLength == 0)
            {
                Array.Clear(aesKey, 0, aesKey.Length);
                if (aesKey.Length != 16) throw WrongKey(source, phone);
                throw SignedHeaderReader.Bad(source, $"the ciphertext is {cipherLength} bytes, not a whole number of AES blocks; the file is truncated", header.HeaderLength);
            }
            byte[] plain;
            using (var aes = Aes.Create())
            {
                aes.Mode = CipherMode.CBC;
                aes.Padding = PaddingMode.None;
                aes.Key = aesKey;
                aes.IV = header.EncryptionIv;
                using var decryptor = aes.CreateDecryptor();
                plain = decryptor.TransformFinalBlock(data, header.HeaderLength, cipherLength);
            }
            Array.Clear(aesKey, 0, aesKey.Length);
            int pad = header.EncryptionPadding.Value;
            if (pad < 1 || pad > 16 || pad > plain.Length) throw WrongKey(source, phone);
            var result = new byte[plain.Length - pad];
            Buffer.BlockCopy(plain, 0, result, 0, result.Length);
            Array.Clear(plain, 0, plain.Length);
            byte[] digest;
            using (var hash = header.EncryptionHashAlgorithm == (byte)CiscoDigest.Sha512 ? (HashAlgorithm)SHA512.Create() : SHA1.Create())
                digest = hash.ComputeHash(result);
            if (!digest.SequenceEqual(header.EncryptionHash))
            {
                Array.Clear(result, 0, result.Length);
                throw WrongKey(source, phone);
            }
            return result;
        }

        /// <summary>The stub's payload (spec §6.3): fullConfig false, copied elements, certHash (MD5 of the phone DER), encrConfig true.</summary>
        internal static byte[] BuildStub(byte[] cnfXml, X509Certificate2 phoneCertificate, string source)
        {
            XDocument document;
            try
            {
                using var stream = new System.IO.MemoryStream(cnfXml, false);
                using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
                document = XDocument.Load(reader, LoadOptions.None);
            }
            catch (XmlException ex)
            {
                throw new ProvisioningException(ErrorIds.ConfigNotXml, ErrorKind.InvalidData,
                    $"'{source}' is not well-formed XML (line {ex.LineNumber}, position {ex.LinePosition}): {ex.Message}", source, ex);
            }
            catch (ArgumentException ex)
            {
                // System.Xml's reader throws this for a declaration whose encoding the bytes after it break.
                throw new ProvisioningException(ErrorIds.ConfigNotXml, ErrorKind.InvalidData,
                    $"'{source}' is not well-formed XML: its XML declaration or encoding is broken.", source, ex);
            }
            if (document.Root == null || document.Root.Name != "device")
                throw new ProvisioningException(ErrorIds.ConfigNotDevice, ErrorKind.InvalidData,
                    $"'{source}' has the root element <{document.Root?.Name.LocalName}>; encrypted configurations are SEP<MAC>.cnf.xml files whose root is <device>.", source);
            string certHash;
            using (var md5 = MD5.Create()) certHash = HexText.Lower(md5.ComputeHash(phoneCertificate.RawData));

            var sb = new StringBuilder();
            sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<device>\n");
            sb.Append("  <fullConfig>false</fullConfig>\n");
            foreach (var element in document.Root.Elements())
                if (element.Name.NamespaceName.Length == 0 && StubCopies.Contains(element.Name.LocalName))
                    PrettyPrint(sb, element, 1);
            sb.Append("  <certHash>").Append(certHash).Append("</certHash>\n");
            sb.Append("  <encrConfig>true</encrConfig>\n</device>\n");
            return Encoding.UTF8.GetBytes(sb.ToString());
        }

        /// <summary>lxml's pretty_print for blank-text-free elements: 2-space indent, &lt;a/&gt; when empty.</summary>
        private static void PrettyPrint(StringBuilder sb, XElement element, int depth)
        {
            sb.Append(' ', depth * 2).Append('<').Append(element.Name.LocalName);
            foreach (var attribute in element.Attributes())
                sb.Append(' ').Append(attribute.Name.LocalName).Append("=\"").Append(Escape(attribute.Value, true)).Append('"');
            var children = element.Elements().ToList();
            if (children.Count == 0)
            {
                if (element.IsEmpty || element.Value.Length == 0) sb.Append("/>\n");
                else sb.Append('>').Append(Escape(element.Value, false)).Append("</").Append(element.Name.LocalName).Append(">\n");
                return;
            }
            sb.Append(">\n");
            foreach (var child in children) PrettyPrint(sb, child, depth + 1);
            sb.Append(' ', depth * 2).Append("</").Append(element.Name.LocalName).Append(">\n");
        }

        private static string Escape(string text, bool attribute)
        {
            var s = text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
            return attribute ? s.Replace("\"", "&quot;") : s;
        }

        private static ProvisioningException WrongKey(string source, PemCredential phone) =>
            new ProvisioningException(ErrorIds.PhoneKeyMismatch, ErrorKind.SecurityError,
                $"'{source}' cannot be decrypted with the key of '{CertificateNames.Format(phone.Certificate.SubjectName)}': it was encrypted for another phone certificate, or the file is damaged (the plaintext digest does not match).", source);
    }
}
