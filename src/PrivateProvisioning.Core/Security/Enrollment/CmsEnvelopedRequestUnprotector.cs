using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Oiw;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using CmsContentInfo = Org.BouncyCastle.Asn1.Cms.ContentInfo;

namespace PrivateProvisioning.Core.Security.Enrollment
{
    /// <summary>
    /// CMS EnvelopedData (RFC 5652 §6) addressed to the server certificate: what
    /// `openssl cms -encrypt -binary -aes256 -recip server.pem` writes, as DER, PEM ("BEGIN CMS" or
    /// "BEGIN PKCS7") or S/MIME. Key transport RSA PKCS#1 v1.5 or RSA-OAEP (SHA-1/256/384/512, MGF1 with
    /// the same hash, empty label); content AES-128/192/256-CBC or 3DES-CBC, or AES-GCM in AuthEnvelopedData
    /// (RFC 5083). The parsing is BouncyCastle's ASN.1; the RSA and the AES-CBC are the platform's, GCM is
    /// BouncyCastle's (netstandard2.0 has no AesGcm).
    /// </summary>
    internal sealed class CmsEnvelopedRequestUnprotector : ICertificateRequestUnprotector
    {
        public byte[] Unprotect(byte[] content, string source, PemCredential recipient)
        {
            // BouncyCastle parses lazily: a damaged field surfaces wherever it is first touched (a recipient's
            // IssuerAndSerialNumber, an algorithm's parameters), as ArgumentException, Asn1ParsingException,
            // IOException or InvalidCastException. One boundary turns all of them into the file's error.
            try { return UnprotectParsed(content, source, recipient); }
            catch (Exception ex) when (IsMalformedAsn1(ex))
            {
                throw new ProvisioningException(ErrorIds.CmsMessageMalformed, ErrorKind.InvalidData,
                    $"'{source}' is not a readable CMS message: its ASN.1 structure is damaged or truncated. Nothing was written.", source, ex);
            }
        }

        internal static bool IsMalformedAsn1(Exception ex) =>
            ex is ArgumentException || ex is System.IO.IOException || ex is InvalidCastException || ex is FormatException
            || ex is InvalidOperationException || ex is IndexOutOfRangeException || ex is OverflowException || ex is NullReferenceException;

        private byte[] UnprotectParsed(byte[] content, string source, PemCredential recipient)
        {
            var envelope = ReadEnvelope(content, source);
            var rsa = recipient.PrivateKey as RSA
                ?? throw new ProvisioningException(ErrorIds.RsaServerKeyRequired, ErrorKind.InvalidArgument,
                    $"'{source}' cannot be decrypted with the certificate '{recipient.Certificate.Subject}': its key is not RSA. " +
                    "CMS to EC certificates uses key agreement (ECDH), which is not supported; clients must encrypt to an RSA server certificate.", source);

            var certificate = Org.BouncyCastle.Asn1.X509.X509CertificateStructure.GetInstance(recipient.Certificate.RawData);
            var addressedTo = new List<string>();
            foreach (var item in envelope.Recipients)
            {
                var info = RecipientInfo.GetInstance(item).Info;
                if (!(info is KeyTransRecipientInfo keyTransport))
                {
                    addressedTo.Add($"a {info.GetType().Name.Replace("RecipientInfo", "")} recipient (not supported: only RSA key transport)");
                    continue;
                }
                if (!Matches(keyTransport.RecipientIdentifier, certificate))
                {
                    addressedTo.Add(Describe(keyTransport.RecipientIdentifier));
                    continue;
                }
                var contentKey = UnwrapKey(rsa, keyTransport, source, recipient);
                try { return DecryptContent(envelope, contentKey, source); }
                finally { Array.Clear(contentKey, 0, contentKey.Length); }
            }
            throw new ProvisioningException(ErrorIds.NotEncryptedToThisCertificate, ErrorKind.SecurityError,
                $"'{source}' is not encrypted to the certificate '{recipient.Certificate.Subject}' (serial {recipient.Certificate.SerialNumber}); " +
                $"it is addressed to {string.Join("; ", addressedTo)}. Nothing was written.", source);
        }

        /// <summary>The parts of an EnvelopedData or AuthEnvelopedData (AES-GCM) that decryption needs.</summary>
        private sealed class Envelope
        {
            public Envelope(Asn1Set recipients, EncryptedContentInfo content, byte[]? mac, Asn1Set? authenticatedAttributes)
            {
                Recipients = recipients; Content = content; Mac = mac; AuthenticatedAttributes = authenticatedAttributes;
            }
            public Asn1Set Recipients { get; }
            public EncryptedContentInfo Content { get; }
            /// <summary>The GCM tag, for AuthEnvelopedData only.</summary>
            public byte[]? Mac { get; }
            public Asn1Set? AuthenticatedAttributes { get; }
        }

        private static Envelope ReadEnvelope(byte[] content, string source)
        {
            var der = Unwrap(content, source);
            CmsContentInfo info;
            try { info = CmsContentInfo.GetInstance(Asn1Object.FromByteArray(der)); }
            catch (Exception ex) when (ex is ArgumentException || ex is System.IO.IOException || ex is InvalidCastException)
            {
                throw NotCms(source, "it is neither a certificate request nor a CMS message (DER, PEM or S/MIME)");
            }
            if (info?.ContentType == null) throw NotCms(source, "it is neither a certificate request nor a CMS message (DER, PEM or S/MIME)");
            try
            {
                if (info.ContentType.Equals(CmsObjectIdentifiers.EnvelopedData))
                {
                    var enveloped = EnvelopedData.GetInstance(info.Content);
                    return new Envelope(enveloped.RecipientInfos, enveloped.EncryptedContentInfo, null, null);
                }
                if (info.ContentType.Equals(CmsObjectIdentifiers.AuthEnvelopedData))
                {
                    var authEnveloped = AuthEnvelopedData.GetInstance(info.Content);
                    return new Envelope(authEnveloped.RecipientInfos, authEnveloped.AuthEncryptedContentInfo, authEnveloped.Mac.GetOctets(), authEnveloped.AuthAttrs);
                }
            }
            catch (Exception ex) when (ex is ArgumentException || ex is InvalidCastException || ex is NullReferenceException)
            {
                throw NotCms(source, "its EnvelopedData is malformed");
            }
            throw NotCms(source, $"it is CMS content of type {info.ContentType.Id}, not EnvelopedData (openssl cms -encrypt)");
        }

        /// <summary>DER as is; PEM "CMS"/"PKCS7" blocks and S/MIME bodies decoded from Base64.</summary>
        private static byte[] Unwrap(byte[] content, string source)
        {
            if (content.Length > 0 && content[0] == 0x30) return content;
            var text = Encoding.ASCII.GetString(content);
            if (text.Contains("-----BEGIN "))
            {
                foreach (var block in EnrollmentPem.Decode(content, source))
                    if (block.Label == "CMS" || block.Label == "PKCS7" || block.Label == "PKCS #7 SIGNED DATA") return block.Data;
                throw NotCms(source, "its PEM blocks hold no CMS message (expected '-----BEGIN CMS-----')");
            }
            // S/MIME (openssl cms -encrypt's default output): MIME headers, a blank line, Base64.
            var normalised = text.Replace("\r\n", "\n");
            int body = normalised.IndexOf("\n\n", StringComparison.Ordinal);
            if (body > 0 && normalised.IndexOf("pkcs7-mime", StringComparison.OrdinalIgnoreCase) >= 0 && normalised.IndexOf("pkcs7-mime", StringComparison.OrdinalIgnoreCase) < body)
            {
                try { return Convert.FromBase64String(string.Concat(normalised.Substring(body + 2).Split('\n').Select(l => l.Trim()))); }
                catch (FormatException) { throw NotCms(source, "its S/MIME body is not valid Base64"); }
            }
            throw NotCms(source, "it is neither a certificate request nor a CMS message (DER, PEM or S/MIME)");
        }

        private static bool Matches(RecipientIdentifier rid, X509CertificateStructure certificate)
        {
            if (rid.IsTagged)
            {
                var wanted = Asn1OctetString.GetInstance(rid.ID).GetOctets();
                var ski = certificate.TbsCertificate.Extensions?.GetExtension(X509Extensions.SubjectKeyIdentifier);
                return ski != null && SubjectKeyIdentifier.GetInstance(ski.GetParsedValue()).GetKeyIdentifier().SequenceEqual(wanted);
            }
            var issuerAndSerial = Org.BouncyCastle.Asn1.Cms.IssuerAndSerialNumber.GetInstance(rid.ID);
            return issuerAndSerial.SerialNumber.Value.Equals(certificate.SerialNumber.Value)
                   && issuerAndSerial.Issuer.Equivalent(certificate.Issuer);
        }

        private static string Describe(RecipientIdentifier rid)
        {
            if (rid.IsTagged)
                return "the key identifier " + BitConverter.ToString(Asn1OctetString.GetInstance(rid.ID).GetOctets()).Replace("-", "").ToLowerInvariant();
            var issuerAndSerial = Org.BouncyCastle.Asn1.Cms.IssuerAndSerialNumber.GetInstance(rid.ID);
            return $"serial {issuerAndSerial.SerialNumber.Value.ToString(16).ToUpperInvariant()} of '{new X500DistinguishedName(issuerAndSerial.Issuer.GetDerEncoded()).Name}'";
        }

        private static byte[] UnwrapKey(RSA rsa, KeyTransRecipientInfo info, string source, PemCredential recipient)
        {
            var padding = KeyTransportPadding(info.KeyEncryptionAlgorithm, source);
            try { return rsa.Decrypt(info.EncryptedKey.GetOctets(), padding); }
            catch (CryptographicException) when (padding.Mode == RSAEncryptionPaddingMode.Oaep && padding.OaepHashAlgorithm != HashAlgorithmName.SHA1)
            {
                // RSACryptoServiceProvider (Windows PowerShell 5.1) knows OAEP with SHA-1 only: BouncyCastle's OAEP with
                // the key's parameters. Not inside an exception filter: what it throws must reach the user.
                return OaepWithBouncyCastle(rsa, padding.OaepHashAlgorithm, info.EncryptedKey.GetOctets(), source, recipient);
            }
            catch (CryptographicException)
            {
                throw WrongKey(source);
            }
        }

        private static ProvisioningException WrongKey(string source) =>
            new ProvisioningException(ErrorIds.ContentKeyDecryptionFailed, ErrorKind.SecurityError,
                $"'{source}' names this certificate as recipient, but its key does not decrypt the content key: the file was altered or made for another key pair.", source);

        private static byte[] OaepWithBouncyCastle(RSA rsa, HashAlgorithmName hash, byte[] wrapped, string source, PemCredential recipient)
        {
            Org.BouncyCastle.Crypto.IDigest Digest() =>
                hash == HashAlgorithmName.SHA256 ? new Org.BouncyCastle.Crypto.Digests.Sha256Digest()
                : hash == HashAlgorithmName.SHA384 ? new Org.BouncyCastle.Crypto.Digests.Sha384Digest()
                : (Org.BouncyCastle.Crypto.IDigest)new Org.BouncyCastle.Crypto.Digests.Sha512Digest();
            var key = BouncyCastleBridge.ToPrivateKey(rsa,
                $"decrypting '{source}' (RSA-OAEP with {hash.Name}, which the key's provider could not do itself; or the file was made for another key pair)",
                recipient.DescribeKey());
            try
            {
                var oaep = new Org.BouncyCastle.Crypto.Encodings.OaepEncoding(new Org.BouncyCastle.Crypto.Engines.RsaEngine(), Digest(), Digest(), null);
                oaep.Init(false, key);
                return oaep.ProcessBlock(wrapped, 0, wrapped.Length);
            }
            catch (Exception ex) when (ex is CryptographicException || ex is Org.BouncyCastle.Crypto.InvalidCipherTextException || ex is Org.BouncyCastle.Crypto.DataLengthException)
            {
                throw WrongKey(source);
            }
        }

        private static RSAEncryptionPadding KeyTransportPadding(AlgorithmIdentifier algorithm, string source)
        {
            if (algorithm.Algorithm.Equals(PkcsObjectIdentifiers.RsaEncryption)) return RSAEncryptionPadding.Pkcs1;
            if (!algorithm.Algorithm.Equals(PkcsObjectIdentifiers.IdRsaesOaep))
                throw Unsupported(source, $"the key transport algorithm {algorithm.Algorithm.Id}; use RSA PKCS#1 v1.5 or RSA-OAEP");
            var parameters = algorithm.Parameters == null || algorithm.Parameters is Asn1Null
                ? new RsaesOaepParameters()
                : RsaesOaepParameters.GetInstance(algorithm.Parameters);
            var hash = HashName(parameters.HashAlgorithm.Algorithm)
                       ?? throw Unsupported(source, $"RSA-OAEP with the hash {parameters.HashAlgorithm.Algorithm.Id}");
            if (!parameters.MaskGenAlgorithm.Algorithm.Equals(PkcsObjectIdentifiers.IdMgf1)
                || HashName(AlgorithmIdentifier.GetInstance(parameters.MaskGenAlgorithm.Parameters).Algorithm) != hash)
                throw Unsupported(source, "RSA-OAEP whose MGF1 hash differs from its hash");
            var label = parameters.PSourceAlgorithm.Parameters as Asn1OctetString;
            if (label != null && label.GetOctets().Length > 0)
                throw Unsupported(source, "RSA-OAEP with a non-empty label");
            return RSAEncryptionPadding.CreateOaep(hash);
        }

        private static HashAlgorithmName? HashName(DerObjectIdentifier oid)
        {
            if (oid.Equals(OiwObjectIdentifiers.IdSha1)) return HashAlgorithmName.SHA1;
            if (oid.Equals(NistObjectIdentifiers.IdSha256)) return HashAlgorithmName.SHA256;
            if (oid.Equals(NistObjectIdentifiers.IdSha384)) return HashAlgorithmName.SHA384;
            if (oid.Equals(NistObjectIdentifiers.IdSha512)) return HashAlgorithmName.SHA512;
            return null;
        }

        private static byte[] DecryptContent(Envelope envelope, byte[] key, string source)
        {
            var info = envelope.Content;
            var algorithm = info.ContentEncryptionAlgorithm;
            if (envelope.Mac != null) return DecryptGcm(envelope, key, source);
            SymmetricAlgorithm cipher;
            int keyLength;
            var oid = algorithm.Algorithm;
            if (oid.Equals(NistObjectIdentifiers.IdAes128Cbc)) { cipher = Aes.Create(); keyLength = 16; }
            else if (oid.Equals(NistObjectIdentifiers.IdAes192Cbc)) { cipher = Aes.Create(); keyLength = 24; }
            else if (oid.Equals(NistObjectIdentifiers.IdAes256Cbc)) { cipher = Aes.Create(); keyLength = 32; }
            else if (oid.Equals(PkcsObjectIdentifiers.DesEde3Cbc)) { cipher = TripleDES.Create(); keyLength = 24; }
            else throw Unsupported(source, $"the content cipher {oid.Id}; use AES-128/192/256-CBC or 3DES-CBC");
            using (cipher)
            {
                if (key.Length != keyLength)
                    throw new ProvisioningException(ErrorIds.ContentKeyDecryptionFailed, ErrorKind.SecurityError,
                        $"'{source}': the decrypted content key has {key.Length} bytes where the cipher needs {keyLength}; the file was altered or made for another key pair.", source);
                var iv = algorithm.Parameters is Asn1OctetString ivString ? ivString.GetOctets() : null;
                if (iv == null || iv.Length != cipher.BlockSize / 8)
                    throw NotCms(source, "its content cipher has no valid IV");
                var encrypted = info.EncryptedContent?.GetOctets()
                                ?? throw NotCms(source, "it carries no encrypted content (detached content is not supported)");
                cipher.Mode = CipherMode.CBC;
                cipher.Padding = PaddingMode.PKCS7;
                try
                {
                    using var decryptor = cipher.CreateDecryptor(key, iv);
                    return decryptor.TransformFinalBlock(encrypted, 0, encrypted.Length);
                }
                catch (CryptographicException)
                {
                    throw new ProvisioningException(ErrorIds.ContentDecryptionFailed, ErrorKind.SecurityError,
                        $"'{source}': the content does not decrypt with the recovered key (bad padding); the file was altered or made for another key pair.", source);
                }
            }
        }

        /// <summary>AuthEnvelopedData with AES-GCM (RFC 5083/5084): `openssl cms -encrypt -aes-256-gcm`.</summary>
        private static byte[] DecryptGcm(Envelope envelope, byte[] key, string source)
        {
            var algorithm = envelope.Content.ContentEncryptionAlgorithm;
            var oid = algorithm.Algorithm.Id;
            int keyLength = oid == "2.16.840.1.101.3.4.1.6" ? 16 : oid == "2.16.840.1.101.3.4.1.26" ? 24 : oid == "2.16.840.1.101.3.4.1.46" ? 32 : 0;
            if (keyLength == 0) throw Unsupported(source, $"the authenticated content cipher {oid}; use AES-GCM");
            if (key.Length != keyLength)
                throw new ProvisioningException(ErrorIds.ContentKeyDecryptionFailed, ErrorKind.SecurityError,
                    $"'{source}': the decrypted content key has {key.Length} bytes where the cipher needs {keyLength}; the file was altered or made for another key pair.", source);
            byte[] nonce;
            int tagLength = 12;
            try
            {
                // GCMParameters ::= SEQUENCE { aes-nonce OCTET STRING, aes-ICVlen INTEGER DEFAULT 12 }
                var parameters = Asn1Sequence.GetInstance(algorithm.Parameters);
                nonce = Asn1OctetString.GetInstance(parameters[0]).GetOctets();
                if (parameters.Count > 1) tagLength = DerInteger.GetInstance(parameters[1]).Value.IntValue;
            }
            catch (Exception ex) when (ex is ArgumentException || ex is InvalidCastException || ex is IndexOutOfRangeException || ex is NullReferenceException)
            {
                throw NotCms(source, "its AES-GCM parameters are malformed");
            }
            var mac = envelope.Mac!;
            var encrypted = envelope.Content.EncryptedContent?.GetOctets()
                            ?? throw NotCms(source, "it carries no encrypted content (detached content is not supported)");
            if (mac.Length != tagLength || tagLength < 12 || tagLength > 16)
                throw NotCms(source, $"its AES-GCM tag has {mac.Length} bytes where {tagLength} were announced");
            var gcm = new Org.BouncyCastle.Crypto.Modes.GcmBlockCipher(new Org.BouncyCastle.Crypto.Engines.AesEngine());
            var aad = envelope.AuthenticatedAttributes?.GetDerEncoded();
            gcm.Init(false, new Org.BouncyCastle.Crypto.Parameters.AeadParameters(new Org.BouncyCastle.Crypto.Parameters.KeyParameter(key), tagLength * 8, nonce, aad));
            var input = new byte[encrypted.Length + mac.Length];
            Buffer.BlockCopy(encrypted, 0, input, 0, encrypted.Length);
            Buffer.BlockCopy(mac, 0, input, encrypted.Length, mac.Length);
            var output = new byte[gcm.GetOutputSize(input.Length)];
            try
            {
                int n = gcm.ProcessBytes(input, 0, input.Length, output, 0);
                n += gcm.DoFinal(output, n);
                if (n == output.Length) return output;
                var exact = new byte[n];
                Buffer.BlockCopy(output, 0, exact, 0, n);
                return exact;
            }
            catch (Org.BouncyCastle.Crypto.InvalidCipherTextException)
            {
                throw new ProvisioningException(ErrorIds.ContentDecryptionFailed, ErrorKind.SecurityError,
                    $"'{source}': the AES-GCM tag does not match: the file was altered or made for another key pair.", source);
            }
        }

        private static ProvisioningException NotCms(string source, string why) =>
            new ProvisioningException(ErrorIds.InvalidEncryptedRequest, ErrorKind.InvalidData, $"'{source}' is refused: {why}.", source);

        private static ProvisioningException Unsupported(string source, string what) =>
            new ProvisioningException(ErrorIds.UnsupportedEncryption, ErrorKind.NotImplemented, $"'{source}' uses {what}.", source);
    }
}
