using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PrivateProvisioning.Core.Security
{
    /// <summary>What a certificate in an ITL/CTL file is trusted for (record tag 4, spec §4.2).</summary>
    public enum ItlRole
    {
        Sast = 0,
        Ccm = 1,
        CcmTftp = 2,
        Tftp = 3,
        Capf = 4,
        AppServer = 7,
        Tvs = 21,
    }

    /// <summary>One certificate and the role it gets in a trust list.</summary>
    public sealed class ItlEntry
    {
        public ItlEntry(X509Certificate2 certificate, ItlRole role)
        {
            Certificate = certificate ?? throw new ArgumentNullException(nameof(certificate));
            Role = role;
        }

        public X509Certificate2 Certificate { get; }
        public ItlRole Role { get; }
    }

    /// <summary>A record of a parsed ITL/CTL file. CUCM omits fields freely, so most may be empty.</summary>
    public sealed class ItlRecordInfo
    {
        internal ItlRecordInfo(int offset, int recordLength, int? roleCode, string? subject, string? issuer, byte[]? serial, string? dnsName,
            string? ipAddress, int publicKeyLength, int signatureLength, X509Certificate2? certificate)
        {
            Offset = offset;
            RecordLength = recordLength;
            RoleCode = roleCode;
            Role = roleCode.HasValue && Enum.IsDefined(typeof(ItlRole), roleCode.Value) ? (ItlRole)roleCode.Value : (ItlRole?)null;
            RoleName = ItlFile.RoleName(roleCode);
            Subject = subject;
            Issuer = issuer;
            SerialNumberBytes = serial;
            SerialNumber = serial == null ? null : HexText.Lower(serial);
            DnsName = dnsName;
            IPAddress = ipAddress;
            PublicKeyLength = publicKeyLength;
            SignatureLength = signatureLength;
            Certificate = certificate;
            if (certificate != null)
            {
                KeyAlgorithm = PemCredential.AlgorithmOf(certificate, subject ?? "record");
                Thumbprint = certificate.Thumbprint.ToLowerInvariant();
            }
        }

        public int Offset { get; }
        public int RecordLength { get; }
        /// <summary>The role, or null for a code the format does not define (see RoleCode).</summary>
        public ItlRole? Role { get; }
        public int? RoleCode { get; }
        /// <summary>SAST, CCM, CCM+TFTP, TFTP, CAPF, APP-SERVER, TVS, or the number.</summary>
        public string RoleName { get; }
        public string? Subject { get; }
        public string? Issuer { get; }
        public string? SerialNumber { get; }
        internal byte[]? SerialNumberBytes { get; }
        public string? DnsName { get; }
        public string? IPAddress { get; }
        public int PublicKeyLength { get; }
        public int SignatureLength { get; }
        public CertificateKeyAlgorithm? KeyAlgorithm { get; }
        /// <summary>SHA-1 of the certificate DER, lower-case hex (certutils' "Certificate Hash").</summary>
        public string? Thumbprint { get; }
        public X509Certificate2? Certificate { get; }
    }

    /// <summary>A parsed (and verified) ITLFile.tlv / CTLFile.tlv, or the result of writing one.</summary>
    public sealed class ItlFileInfo
    {
        internal ItlFileInfo(string path, CiscoHeader header, IReadOnlyList<ItlRecordInfo> records, bool signatureValid, ItlRecordInfo? signer, int length, WriteStatus? status)
        {
            Path = path;
            FileName = header.FileName;
            Version = $"{header.Major}.{header.Minor}";
            SignerVersion = header.SignerVersion == null ? null : $"{header.SignerVersion.Value.Major}.{header.SignerVersion.Value.Minor}";
            HeaderLength = header.HeaderLength;
            SignerName = header.SignerName;
            IssuerName = header.IssuerName;
            SerialNumber = header.SerialHex;
            Digest = (CiscoDigest)header.Digest!.Value;
            SignatureLength = header.SignatureLength;
            Timestamp = header.Time;
            SignatureValid = signatureValid;
            Signer = signer;
            Records = records;
            Length = length;
            Status = status;
        }

        public string Path { get; }
        /// <summary>The file name in the header (tag 14): ITLFile.tlv even for ITLSEP&lt;MAC&gt;.tlv.</summary>
        public string? FileName { get; }
        public string Version { get; }
        public string? SignerVersion { get; }
        public int HeaderLength { get; }
        public string? SignerName { get; }
        public string? IssuerName { get; }
        public string SerialNumber { get; }
        public CiscoDigest Digest { get; }
        public int SignatureLength { get; }
        public DateTimeOffset? Timestamp { get; }
        public bool SignatureValid { get; }
        /// <summary>The SAST record whose serial matches the header (the signer).</summary>
        public ItlRecordInfo? Signer { get; }
        public IReadOnlyList<ItlRecordInfo> Records { get; }
        public int Length { get; }
        /// <summary>What writing did (New-ItlFile); null when the file was only read.</summary>
        public WriteStatus? Status { get; }
    }

    /// <summary>Builds and reads ITLFile.tlv / CTLFile.tlv trust lists (spec §4), byte-compatible with certutils' tlvfile.</summary>
    public static class ItlFile
    {
        private const byte RecordLength = 1, RecordDnsName = 2, RecordSubject = 3, RecordRole = 4, RecordIssuer = 5, RecordSerial = 6,
            RecordPublicKey = 7, RecordSignature = 8, RecordCertificate = 9, RecordIpAddress = 10, RecordCertificateHash = 11, RecordHashAlgorithm = 12;

        /// <summary>
        /// Builds a trust list signed by <paramref name="signer"/> (the SAST). Records are written in the order
        /// given; when no SAST record holds the signer's certificate, one is put first (as tlvfile does).
        /// At most 2 SAST records (phones refuse more); EC certificates are allowed as records, not as signer.
        /// </summary>
        /// <param name="signerVersion">"1.0" (default) or "1.1" (needed for EC certificates).</param>
        public static byte[] Build(CiscoSigner signer, IEnumerable<ItlEntry> entries, string fileName, string signerVersion, DateTimeOffset timestamp)
        {
            if (signer == null) throw new ArgumentNullException(nameof(signer));
            var list = (entries ?? throw new ArgumentNullException(nameof(entries))).ToList();
            var version = ParseSignerVersion(signerVersion);
            if (!list.Any(e => e.Role == ItlRole.Sast && e.Certificate.RawData.SequenceEqual(signer.Certificate.RawData)))
                list.Insert(0, new ItlEntry(signer.Certificate, ItlRole.Sast));
            int sastCount = list.Count(e => e.Role == ItlRole.Sast);
            if (sastCount > 2)
                throw new ProvisioningException(ErrorIds.TooManySast, ErrorKind.InvalidArgument,
                    $"The trust list has {sastCount} SAST certificates; phones accept at most 2.", fileName);
            if (string.IsNullOrEmpty(fileName))
                throw new ProvisioningException(ErrorIds.FileNameRequired, ErrorKind.InvalidArgument, "The file name stored in the header is empty.");

            var body = new TlvWriter(list.Count * 1600);
            foreach (var entry in list) WriteRecord(body, entry);
            return SignedHeaderWriter.Write(signer, 1, 2, version, fileName, ToUnixTime(timestamp), null, body.Buffer_, 0, body.Length);
        }

        /// <summary>Builds and writes atomically. The header file name defaults to the output's base name.</summary>
        public static ItlFileInfo Write(string path, CiscoSigner signer, IEnumerable<ItlEntry> entries, string? fileName = null,
            string signerVersion = "1.0", DateTimeOffset? timestamp = null, bool whatIf = false, bool force = false)
        {
            var bytes = Build(signer, entries, fileName ?? System.IO.Path.GetFileName(path), signerVersion, timestamp ?? DateTimeOffset.UtcNow);
            // The writers' one rule: an existing file with other content is kept unless force (a trust list phones already
            // hold is not replaced by accident); the same bytes again are simply Unchanged.
            if (!force && AtomicFile.Probe(path, bytes, 0, bytes.Length) == WriteStatus.Updated)
                throw new ProvisioningException(ErrorIds.ItlFileExists, ErrorKind.ResourceExists,
                    $"'{path}' already exists with other content; phones may already trust it. Choose another name, or use -Force (--force) to replace it.", path);
            var status = AtomicFile.Write(path, bytes, whatIf: whatIf);
            return Read(bytes, path, requireValidSignature: true, status);
        }

        /// <summary>Reads a trust list from disk and verifies its signature.</summary>
        public static ItlFileInfo Load(string path, bool requireValidSignature = true)
        {
            var data = SignedFile.ReadAllBytes(path);
            return Read(data, path, requireValidSignature);
        }

        /// <summary>
        /// Parses any field order and subset (CUCM, older and current certutils), then verifies the signature
        /// with the SAST record whose serial matches the header. With <paramref name="requireValidSignature"/>
        /// an invalid signature is an error; otherwise it is reported in SignatureValid.
        /// </summary>
        public static ItlFileInfo Read(byte[] data, string source, bool requireValidSignature = true) => Read(data, source, requireValidSignature, null);

        private static ItlFileInfo Read(byte[] data, string source, bool requireValidSignature, WriteStatus? status)
        {
            var header = SignedHeaderReader.Read(data, source);
            var records = new List<ItlRecordInfo>();
            int at = header.HeaderLength;
            while (at < data.Length) records.Add(ReadRecord(data, ref at, source));

            ItlRecordInfo? signer = null;
            foreach (var r in records)
                if (r.RoleCode == (int)ItlRole.Sast && r.SerialNumberBytes != null && r.SerialNumberBytes.SequenceEqual(header.SerialNumber!))
                    signer = r; // the last match, as tlvfile
            if (signer?.Certificate == null)
                throw new ProvisioningException(ErrorIds.ItlSignerMissing, ErrorKind.InvalidData,
                    $"'{source}': no SAST record with a certificate matches the header's signer serial {header.SerialHex}, so the signature cannot be checked.", source);
            bool valid;
            RSA? signerKey;
            try { signerKey = signer.Certificate.GetRSAPublicKey(); }
            catch (CryptographicException ex)
            {
                // The certificate parsed but its key did not (a damaged SubjectPublicKeyInfo): the file is corrupt.
                throw new ProvisioningException(ErrorIds.ItlSignerKeyInvalid, ErrorKind.InvalidData,
                    $"'{source}': the public key of the signer's SAST certificate {signer.Subject} (record at offset {signer.Offset}) cannot be read ({ex.Message}); the file is damaged.", source, ex);
            }
            using (var rsa = signerKey)
            {
                if (rsa == null)
                    throw new ProvisioningException(ErrorIds.RsaKeyRequired, ErrorKind.InvalidData,
                        $"'{source}': the signer's SAST certificate {signer.Subject} has an EC key; trust lists are signed with RSA only.", source);
                valid = header.Verify(data, rsa, source);
            }
            if (!valid && requireValidSignature)
                throw new ProvisioningException(ErrorIds.SignatureInvalid, ErrorKind.SecurityError,
                    $"'{source}': the signature does not verify with the SAST certificate {signer.Subject} (serial {signer.SerialNumber}); the file was altered or signed by another key.", source);
            return new ItlFileInfo(source, header, records, valid, signer, data.Length, status);
        }

        internal static string RoleName(int? code)
        {
            switch (code)
            {
                case null: return "";
                case 0: return "SAST";
                case 1: return "CCM";
                case 2: return "CCM+TFTP";
                case 3: return "TFTP";
                case 4: return "CAPF";
                case 7: return "APP-SERVER";
                case 21: return "TVS";
                default: return code.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        /// <summary>Parses a role as admins and tlvfile spell it: SAST, CCM, CCM+TFTP, TFTP, CAPF, APP-SERVER (HTTPS), TVS.</summary>
        public static ItlRole ParseRole(string text)
        {
            switch (text.Trim().ToUpperInvariant().Replace("_", "-"))
            {
                case "SAST": return ItlRole.Sast;
                case "CCM": return ItlRole.Ccm;
                case "CCM+TFTP": case "CCM-TFTP": case "CCMTFTP": return ItlRole.CcmTftp;
                case "TFTP": return ItlRole.Tftp;
                case "CAPF": return ItlRole.Capf;
                case "APP-SERVER": case "APPSERVER": case "HTTPS": return ItlRole.AppServer;
                case "TVS": return ItlRole.Tvs;
            }
            throw new ProvisioningException(ErrorIds.InvalidRole, ErrorKind.InvalidArgument,
                $"'{text}' is not a trust-list role; use SAST, CCM, CCM+TFTP, TFTP, CAPF, APP-SERVER or TVS.", text);
        }

        private static (byte, byte) ParseSignerVersion(string? text)
        {
            switch (text)
            {
                case null: case "1.0": return (1, 0);
                case "1.1": return (1, 1);
            }
            throw new ProvisioningException(ErrorIds.InvalidSignerVersion, ErrorKind.InvalidArgument,
                $"The signer version '{text}' is not supported; use 1.0 or 1.1 (1.1 for EC certificates).", text);
        }

        private static uint ToUnixTime(DateTimeOffset time)
        {
            var seconds = time.ToUnixTimeSeconds();
            if (seconds < 0 || seconds > uint.MaxValue)
                throw new ProvisioningException(ErrorIds.InvalidTimestamp, ErrorKind.InvalidArgument, $"The timestamp {time:u} cannot be stored in the 32-bit header field.");
            return (uint)seconds;
        }

        internal static uint Timestamp(DateTimeOffset time) => ToUnixTime(time);

        private static void WriteRecord(TlvWriter body, ItlEntry entry)
        {
            var certificate = entry.Certificate;
            var subject = CiscoSigner.NulTerminated(CertificateNames.Format(certificate.SubjectName));
            var issuer = CiscoSigner.NulTerminated(CertificateNames.Format(certificate.IssuerName));
            var serial = CertificateNames.SerialBytes(certificate);
            var publicKey = PublicKeyBytes(certificate);
            var signature = CertificateSignature(certificate.RawData);
            int start = body.Length;
            body.UInt16(RecordLength, 0);
            body.Element(RecordSubject, subject);
            body.Element(RecordIssuer, issuer);
            body.Element(RecordSerial, serial);
            body.UInt16(RecordRole, (int)entry.Role);
            body.Element(RecordPublicKey, publicKey);
            body.Element(RecordSignature, signature);
            body.Element(RecordCertificate, certificate.RawData);
            body.PatchUInt16(start + 3, body.Length - start);
        }

        /// <summary>RSA: PKCS#1 RSAPublicKey DER; EC: the uncompressed point 04‖X‖Y (spec §2.1).</summary>
        internal static byte[] PublicKeyBytes(X509Certificate2 certificate)
        {
            using (var rsa = certificate.GetRSAPublicKey())
            {
                if (rsa != null)
                {
                    var p = rsa.ExportParameters(false);
                    var content = DerInteger(p.Modulus!).Concat(DerInteger(p.Exponent!)).ToArray();
                    return DerHeader(0x30, content.Length).Concat(content).ToArray();
                }
            }
            using (var ec = certificate.GetECDsaPublicKey())
            {
                if (ec != null)
                {
                    var q = ec.ExportParameters(false).Q;
                    var point = new byte[1 + q.X!.Length + q.Y!.Length];
                    point[0] = 4;
                    Buffer.BlockCopy(q.X, 0, point, 1, q.X.Length);
                    Buffer.BlockCopy(q.Y, 0, point, 1 + q.X.Length, q.Y.Length);
                    return point;
                }
            }
            throw new ProvisioningException(ErrorIds.KeyAlgorithmUnsupported, ErrorKind.InvalidArgument,
                $"The certificate '{CertificateNames.Format(certificate.SubjectName)}' has neither an RSA nor an EC key.", certificate.Subject);
        }

        /// <summary>The certificate's signatureValue (the BIT STRING after TBSCertificate and the algorithm).</summary>
        internal static byte[] CertificateSignature(byte[] der)
        {
            var certificate = new DerReader(der).ReadSequence();
            certificate.ReadSequence();
            certificate.ReadSequence();
            var (tag, bits) = certificate.ReadAny();
            if (tag != 0x03 || bits.Length < 1) throw new CryptographicException("The certificate has no signature bit string.");
            return bits.Skip(1).ToArray();
        }

        private static byte[] DerInteger(byte[] unsigned)
        {
            int skip = 0;
            while (skip < unsigned.Length - 1 && unsigned[skip] == 0) skip++;
            bool pad = (unsigned[skip] & 0x80) != 0;
            var value = new byte[unsigned.Length - skip + (pad ? 1 : 0)];
            Buffer.BlockCopy(unsigned, skip, value, pad ? 1 : 0, unsigned.Length - skip);
            return DerHeader(0x02, value.Length).Concat(value).ToArray();
        }

        private static byte[] DerHeader(byte tag, int length)
        {
            if (length < 0x80) return new[] { tag, (byte)length };
            if (length < 0x100) return new[] { tag, (byte)0x81, (byte)length };
            return new[] { tag, (byte)0x82, (byte)(length >> 8), (byte)length };
        }

        private static ItlRecordInfo ReadRecord(byte[] data, ref int at, string source)
        {
            int start = at;
            if (at + 5 > data.Length) throw SignedHeaderReader.Bad(source, "a record is cut off (fewer than 5 bytes left)", at);
            if (data[at] != RecordLength)
                throw SignedHeaderReader.Bad(source, $"a record must start with its length (tag 1), found tag {data[at]}", at);
            int lengthOfLength = (data[at + 1] << 8) | data[at + 2];
            if (lengthOfLength != 2) throw SignedHeaderReader.Bad(source, $"the record length element has length {lengthOfLength}; expected 2", at);
            int recordLength = (data[at + 3] << 8) | data[at + 4];
            int end = start + recordLength;
            if (recordLength < 5 || end > data.Length)
                throw SignedHeaderReader.Bad(source, $"the record of {recordLength} bytes runs past the end of the file ({data.Length} bytes); the file is truncated", at);
            at += 5;
            int? role = null;
            string? subject = null, issuer = null, dns = null, ip = null;
            byte[]? serial = null;
            int publicKeyLength = 0, signatureLength = 0;
            X509Certificate2? certificate = null;
            while (at < end)
            {
                int fieldStart = at;
                if (at + 3 > end) throw SignedHeaderReader.Bad(source, "a record field is cut off by the end of its record", at);
                byte tag = data[at];
                int length = (data[at + 1] << 8) | data[at + 2];
                at += 3;
                if (at + length > end)
                    throw SignedHeaderReader.Bad(source, $"the record field tag {tag} ({length} bytes) runs past the end of its record", fieldStart);
                switch (tag)
                {
                    case RecordDnsName: dns = SignedHeaderReader.Text(data, at, length); break;
                    case RecordSubject: subject = SignedHeaderReader.Text(data, at, length); break;
                    case RecordRole:
                        if (length != 2) throw SignedHeaderReader.Bad(source, $"the role field (tag 4) has length {length}; expected 2", fieldStart);
                        role = (data[at] << 8) | data[at + 1];
                        break;
                    case RecordIssuer: issuer = SignedHeaderReader.Text(data, at, length); break;
                    case RecordSerial: serial = SignedHeaderReader.Slice(data, at, length); break;
                    case RecordPublicKey: publicKeyLength = length; break;
                    case RecordSignature: signatureLength = length; break;
                    case RecordCertificate:
                        try
                        {
                            certificate = PemCredential.CertificateFromDer(SignedHeaderReader.Slice(data, at, length), source);
                        }
                        catch (ProvisioningException)
                        {
                            throw SignedHeaderReader.Bad(source, "the record's certificate (tag 9) is not a valid X.509 certificate", fieldStart);
                        }
                        break;
                    case RecordIpAddress:
                        ip = length == 4 || length == 16 ? new IPAddress(SignedHeaderReader.Slice(data, at, length)).ToString() : null;
                        break;
                    case RecordCertificateHash:
                    case RecordHashAlgorithm:
                        break;
                    default:
                        throw SignedHeaderReader.Bad(source, $"unknown record tag {tag}", fieldStart);
                }
                at += length;
            }
            return new ItlRecordInfo(start, recordLength, role, subject, issuer, serial, dns, ip, publicKeyLength, signatureLength, certificate);
        }
    }
}
