using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace PrivateProvisioning.Core.Security.Enrollment
{
    /// <summary>
    /// How a client protected its certificate request. PrivateWave's own scheme is not public; Cms is
    /// ours: CMS EnvelopedData addressed to the server certificate (RFC 5652), as
    /// `openssl cms -encrypt -aes256 -recip server.pem` makes it. New schemes are added here.
    /// </summary>
    public enum CertificateRequestProtection
    {
        Cms,
    }

    /// <summary>A certificate request after Unprotect-CertificateRequest: pipes into Approve-CertificateRequest by property name.</summary>
    public sealed class DecryptedCertificateRequest
    {
        internal DecryptedCertificateRequest(string? sourcePath, string? outputPath, byte[] request, string subject, string? commonName,
            string? userName, CertificateRequestProtection method, bool wasEncrypted, WriteStatus? status)
        {
            SourcePath = sourcePath; OutputPath = outputPath; Request = request; Subject = subject; CommonName = commonName;
            UserName = userName; Method = method; WasEncrypted = wasEncrypted; Status = status;
        }

        /// <summary>The encrypted file that was read.</summary>
        public string? SourcePath { get; }
        /// <summary>The decrypted PEM request, when one was written (-Destination / --out).</summary>
        public string? OutputPath { get; }
        /// <summary>The request in DER form (binds to Approve-CertificateRequest -Request).</summary>
        public byte[] Request { get; }
        public string Subject { get; }
        public string? CommonName { get; }
        /// <summary>The file name Approve-CertificateRequest would give the certificate (binds to -UserName).</summary>
        public string? UserName { get; }
        public CertificateRequestProtection Method { get; }
        /// <summary>False when the input was already a plain request (passed through unchanged).</summary>
        public bool WasEncrypted { get; }
        public WriteStatus? Status { get; }
    }

    /// <summary>One protection scheme: turns the protected bytes back into the request bytes (PEM or DER).</summary>
    internal interface ICertificateRequestUnprotector
    {
        byte[] Unprotect(byte[] content, string source, PemCredential recipient);
    }

    /// <summary>Decrypts encrypted certificate requests (Unprotect-CertificateRequest, pprov csr decrypt).</summary>
    public static class CertificateRequestDecryptor
    {
        /// <summary>The protection scheme when the user does not say: CMS, what PrivateWave clients send.</summary>
        public const CertificateRequestProtection DefaultMethod = CertificateRequestProtection.Cms;

        private static ICertificateRequestUnprotector For(CertificateRequestProtection method)
        {
            switch (method)
            {
                case CertificateRequestProtection.Cms: return new CmsEnvelopedRequestUnprotector();
                default:
                    throw new ProvisioningException(ErrorIds.UnsupportedProtectionMethod, ErrorKind.InvalidArgument, $"Unknown protection method {method}.");
            }
        }

        /// <summary>
        /// Decrypts one request. A file that already is a plain request is passed through (WasEncrypted
        /// false), so a folder mixing both can be piped as a whole.
        /// </summary>
        public static DecryptedCertificateRequest Decrypt(byte[] content, string source, PemCredential recipient,
            CertificateRequestProtection method = CertificateRequestProtection.Cms)
        {
            if (recipient == null) throw new ArgumentNullException(nameof(recipient));
            bool encrypted = !IsPlainRequest(content);
            var clear = encrypted ? For(method).Unprotect(content, source, recipient) : content;
            ParsedCertificateRequest parsed;
            try { parsed = CertificateRequestReader.Read(clear, source, verifySignature: false); }
            catch (ProvisioningException ex) when (encrypted && ex.ErrorId == ErrorIds.InvalidCertificateRequest)
            {
                throw new ProvisioningException(ErrorIds.DecryptedContentNotARequest, ErrorKind.InvalidData,
                    $"'{source}' decrypted, but what it holds is not a certificate request.", source, ex);
            }
            return new DecryptedCertificateRequest(source, null, parsed.Der, parsed.Subject, parsed.CommonName,
                UserNames.TryFromCommonName(parsed.CommonName), method, encrypted, null);
        }

        /// <summary>The folder a decrypted request is written to when the caller writes one without naming a folder: beside the input.</summary>
        public static string DirectoryBeside(string path) => Path.GetDirectoryName(Path.GetFullPath(path))!;

        /// <summary>
        /// Decrypts a file; with <paramref name="destinationDirectory"/> also writes the request there as
        /// PEM, named after the input with the extension .csr. An existing file is kept unless <paramref name="force"/>.
        /// </summary>
        public static DecryptedCertificateRequest DecryptFile(string path, PemCredential recipient,
            CertificateRequestProtection method = CertificateRequestProtection.Cms, string? destinationDirectory = null, bool force = false, bool whatIf = false)
        {
            var full = Path.GetFullPath(path);
            var result = Decrypt(EnrollmentPem.ReadFile(full, "certificate request"), full, recipient, method);
            if (destinationDirectory == null) return result;

            var output = SafePath.Combine(destinationDirectory, StripProtectionExtensions(Path.GetFileName(full)) + ".csr");
            if (string.Equals(output, full, StringComparison.Ordinal) && !result.WasEncrypted)
                return new DecryptedCertificateRequest(full, full, result.Request, result.Subject, result.CommonName,
                    result.UserName, method, false, WriteStatus.Unchanged); // a plain request already is its own output
            if (string.Equals(output, full, StringComparison.Ordinal))
                throw new ProvisioningException(ErrorIds.OutputIsInput, ErrorKind.InvalidArgument,
                    $"Writing the decrypted request to '{output}' would replace the encrypted file it came from; choose another destination.", full);
            var pem = Encoding.ASCII.GetBytes(EnrollmentPem.Encode("CERTIFICATE REQUEST", result.Request));
            if (!force && File.Exists(output) && AtomicFile.Probe(output, pem, 0, pem.Length) != WriteStatus.Unchanged)
                throw new ProvisioningException(ErrorIds.FileExists, ErrorKind.ResourceExists,
                    $"'{output}' already exists with other content; replace it explicitly if that is meant.", output).About(RequestParameter.Force);
            var status = AtomicFile.Write(output, pem, whatIf: whatIf);
            return new DecryptedCertificateRequest(full, output, result.Request, result.Subject, result.CommonName,
                result.UserName, method, result.WasEncrypted, status);
        }

        private static bool IsPlainRequest(byte[] content)
        {
            if (EnrollmentPem.LooksLikePem(content))
                return Encoding.ASCII.GetString(content).Contains("CERTIFICATE REQUEST-----");
            try { CertificateRequestReader.Read(content, "", verifySignature: false); return true; }
            catch (ProvisioningException) { return false; }
        }

        /// <summary>alice.csr.p7m → alice; alice.p7m → alice; alice.csr → alice.</summary>
        private static string StripProtectionExtensions(string name)
        {
            var lowered = name.ToLowerInvariant();
            foreach (var ext in new[] { ".p7m", ".cms", ".enc", ".pem", ".der", ".csr" })
                if (lowered.EndsWith(ext, StringComparison.Ordinal) && name.Length > ext.Length)
                {
                    name = name.Substring(0, name.Length - ext.Length);
                    lowered = name.ToLowerInvariant();
                }
            return name;
        }
    }

    /// <summary>The <c>&lt;username&gt;.pem</c> naming rule shared by decryption and approval.</summary>
    public static class UserNames
    {
        /// <summary>
        /// The CN made safe as a file name: letters, digits, '.', '-', '_' and '@' stay, everything else
        /// becomes '_'; a leading '.' becomes '_' so no hidden or relative name comes out.
        /// </summary>
        public static string? TryFromCommonName(string? commonName)
        {
            if (string.IsNullOrWhiteSpace(commonName)) return null;
            var sb = new StringBuilder(commonName!.Length);
            foreach (var c in commonName.Trim())
                sb.Append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' || c == '@' ? c : '_');
            if (sb[0] == '.') sb[0] = '_';
            return sb.ToString();
        }

        /// <summary>Checks a user name given explicitly (-UserName / --user-name) before it becomes a file name.</summary>
        public static string Check(string userName)
        {
            var sanitized = TryFromCommonName(userName);
            if (sanitized == null || sanitized != userName)
                throw new ProvisioningException(ErrorIds.InvalidUserName, ErrorKind.InvalidArgument,
                    $"The user name '{userName}' cannot be a file name: use letters, digits, '.', '-', '_' and '@', not starting with '.'.", userName);
            return userName;
        }
    }
}
