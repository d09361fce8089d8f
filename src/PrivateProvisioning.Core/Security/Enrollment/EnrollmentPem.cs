using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Pkcs;

namespace PrivateProvisioning.Core.Security.Enrollment
{
    /// <summary>One "-----BEGIN X-----" block of a PEM file, decoded.</summary>
    internal sealed class PemBlock
    {
        public PemBlock(string label, byte[] data, string text) { Label = label; Data = data; Text = text; }
        public string Label { get; }
        public byte[] Data { get; }
        /// <summary>The block as written, headers included (BouncyCastle's reader needs them for legacy encrypted keys).</summary>
        public string Text { get; }
    }

    /// <summary>PEM encoding and decoding, and loading certificates and keys the way openssl writes them.</summary>
    internal static class EnrollmentPem
    {
        public static string Encode(string label, byte[] der)
        {
            var b64 = Convert.ToBase64String(der);
            var sb = new StringBuilder(b64.Length + b64.Length / 64 + 64);
            sb.Append("-----BEGIN ").Append(label).Append("-----\n");
            for (int i = 0; i < b64.Length; i += 64)
                sb.Append(b64, i, Math.Min(64, b64.Length - i)).Append('\n');
            sb.Append("-----END ").Append(label).Append("-----\n");
            return sb.ToString();
        }

        /// <summary>True when the bytes look like PEM text rather than DER.</summary>
        public static bool LooksLikePem(byte[] data) =>
            data.Length > 0 && data[0] != 0x30 && Encoding.ASCII.GetString(data, 0, Math.Min(data.Length, 4096)).Contains("-----BEGIN ");

        public static List<PemBlock> Decode(string text, string source)
        {
            var blocks = new List<PemBlock>();
            int pos = 0;
            while (true)
            {
                int begin = text.IndexOf("-----BEGIN ", pos, StringComparison.Ordinal);
                if (begin < 0) break;
                int labelEnd = text.IndexOf("-----", begin + 11, StringComparison.Ordinal);
                if (labelEnd < 0) throw Malformed(source, LineOf(text, begin), "a BEGIN line is not closed with '-----'");
                var label = text.Substring(begin + 11, labelEnd - begin - 11);
                var endMarker = "-----END " + label + "-----";
                int end = text.IndexOf(endMarker, labelEnd, StringComparison.Ordinal);
                if (end < 0) throw Malformed(source, LineOf(text, begin), $"the {label} block has no '{endMarker}' line");
                var body = text.Substring(labelEnd + 5, end - labelEnd - 5);
                var b64 = new StringBuilder(body.Length);
                foreach (var rawLine in body.Split('\n'))
                {
                    var line = rawLine.Trim();
                    if (line.Length == 0 || line.IndexOf(':') >= 0) continue; // RFC 1421 headers (Proc-Type, DEK-Info)
                    b64.Append(line);
                }
                byte[] data;
                try { data = Convert.FromBase64String(b64.ToString()); }
                catch (FormatException) { throw Malformed(source, LineOf(text, begin), $"the {label} block is not valid Base64"); }
                blocks.Add(new PemBlock(label, data, text.Substring(begin, end + endMarker.Length - begin)));
                pos = end + endMarker.Length;
            }
            return blocks;
        }

        /// <summary>Every certificate in a PEM or DER file, in file order.</summary>
        public static List<X509Certificate2> ReadCertificates(byte[] content, string source)
        {
            var result = new List<X509Certificate2>();
            if (!LooksLikePem(content))
            {
                result.Add(CertificateFromDer(content, source));
                return result;
            }
            foreach (var block in Decode(Encoding.ASCII.GetString(content), source))
                if (block.Label == "CERTIFICATE" || block.Label == "X509 CERTIFICATE" || block.Label == "TRUSTED CERTIFICATE")
                    result.Add(CertificateFromDer(block.Data, source));
            return result;
        }

        public static X509Certificate2 CertificateFromDer(byte[] der, string source)
        {
            try
            {
                // Parse with BouncyCastle first: it refuses trailing garbage that the platform may accept.
                new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(der);
                return new X509Certificate2(der);
            }
            catch (Exception ex) when (ex is CryptographicException || ex is IOException || ex is ArgumentException || ex is InvalidCastException || ex is Org.BouncyCastle.Security.Certificates.CertificateException || ex is NullReferenceException)
            {
                throw new ProvisioningException("InvalidCertificate", ErrorKind.InvalidData,
                    $"'{source}' does not hold a valid X.509 certificate (PEM or DER): {ex.Message}", source, ex);
            }
        }

        /// <summary>
        /// The private key in a PEM file (PKCS#8, encrypted PKCS#8, PKCS#1 RSA, SEC1 EC, or the legacy
        /// OpenSSL Proc-Type encryption), or null when the file holds none.
        /// </summary>
        public static AsymmetricAlgorithm? ReadPrivateKey(byte[] content, string source, byte[]? password)
        {
            if (!LooksLikePem(content)) return null;
            foreach (var block in Decode(Encoding.ASCII.GetString(content), source))
            {
                if (!block.Label.EndsWith("PRIVATE KEY", StringComparison.Ordinal)) continue;
                bool encrypted = block.Label == "ENCRYPTED PRIVATE KEY" || block.Text.Contains("Proc-Type: 4,ENCRYPTED");
                if (encrypted && password == null)
                    throw new ProvisioningException("KeyPasswordRequired", ErrorKind.AuthenticationError,
                        $"The private key in '{source}' is encrypted; give its password (-KeyPassword, or --key-password-env/--key-password-file).", source);
                object? parsed;
                var chars = password == null ? null : Encoding.UTF8.GetChars(password);
                try
                {
                    using var reader = new StringReader(block.Text);
                    parsed = new PemReader(reader, chars == null ? null : new Password(chars)).ReadObject();
                }
                catch (Exception ex) when (encrypted && !(ex is ProvisioningException))
                {
                    throw new ProvisioningException("KeyPasswordWrong", ErrorKind.AuthenticationError,
                        $"Cannot decrypt the private key in '{source}': the password is wrong or the encryption is not supported.", source);
                }
                catch (Exception ex) when (!(ex is ProvisioningException))
                {
                    throw new ProvisioningException("InvalidPrivateKey", ErrorKind.InvalidData,
                        $"The private key in '{source}' cannot be read: {ex.Message}", source);
                }
                finally
                {
                    if (chars != null) Array.Clear(chars, 0, chars.Length);
                }
                var key = parsed is AsymmetricCipherKeyPair pair ? pair.Private : parsed as AsymmetricKeyParameter;
                if (key == null || !key.IsPrivate)
                    throw new ProvisioningException("InvalidPrivateKey", ErrorKind.InvalidData, $"The {block.Label} block in '{source}' is not a private key.", source);
                return KeyBridge.ToPlatformKey(key);
            }
            return null;
        }

        public static byte[] ReadFile(string path, string what)
        {
            try { return File.ReadAllBytes(path); }
            catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException)
            {
                throw new ProvisioningException("FileNotFound", ErrorKind.ObjectNotFound, $"The {what} '{path}' does not exist.", path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new ProvisioningException("FileReadFailed", ErrorKind.ReadError, $"Cannot read the {what} '{path}': {ex.Message}", path);
            }
        }

        private static int LineOf(string text, int index)
        {
            int line = 1;
            for (int i = 0; i < index; i++) if (text[i] == '\n') line++;
            return line;
        }

        private static ProvisioningException Malformed(string source, int line, string why) =>
            new ProvisioningException("InvalidPem", ErrorKind.InvalidData, $"'{source}' line {line}: {why}.", source);

        private sealed class Password : IPasswordFinder
        {
            private readonly char[] _chars;
            public Password(char[] chars) { _chars = chars; }
            public char[] GetPassword() => (char[])_chars.Clone();
        }
    }
}
