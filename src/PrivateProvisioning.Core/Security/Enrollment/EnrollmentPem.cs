using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace PrivateProvisioning.Core.Security.Enrollment
{
    /// <summary>Reading the files enrollment deals with (PEM or DER), on top of the shared PemDocument and PemCredential.</summary>
    internal static class EnrollmentPem
    {
        public static string Encode(string label, byte[] der) => PemDocument.Encode(label, der);

        /// <summary>True when the bytes look like PEM text rather than DER.</summary>
        public static bool LooksLikePem(byte[] data) =>
            data.Length > 0 && data[0] != 0x30 && Encoding.ASCII.GetString(data, 0, Math.Min(data.Length, 64 * 1024)).Contains("-----BEGIN ");

        public static List<PemBlock> Decode(byte[] content, string source) => PemDocument.Parse(Encoding.ASCII.GetString(content), source);

        /// <summary>A certificate and its key (see <see cref="CertificateSource.Load(byte[], string)"/>: key file, same file, NAME.key beside it, or PFX).</summary>
        public static PemCredential LoadWithKey(string certificatePath, string? keyPath, byte[]? keyPassword, string purpose) =>
            CertificateSource.FromFile(certificatePath, keyPath).Load(keyPassword, purpose);

        public static byte[] ReadFile(string path, string what)
        {
            try { return File.ReadAllBytes(path); }
            catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException)
            {
                throw new ProvisioningException(ErrorIds.FileNotFound, ErrorKind.ObjectNotFound, $"The {what} '{path}' does not exist.", path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new ProvisioningException(ErrorIds.FileReadFailed, ErrorKind.ReadError, $"Cannot read the {what} '{path}': {ex.Message}", path);
            }
        }
    }
}

namespace PrivateProvisioning.Core.Security.Enrollment
{
    /// <summary>Loads the certificates enrollment signs or decrypts with: <see cref="CertificateSource"/> with the key required.</summary>
    public static class EnrollmentCredentials
    {
        /// <summary>
        /// A certificate with its private key: the key from <paramref name="keyPath"/>, else from the
        /// certificate file (PEM or PFX), else from the .key file beside it. <paramref name="purpose"/> appears in the
        /// error when no key is found ("approving requests needs the key").
        /// </summary>
        public static PemCredential Load(string certificatePath, string? keyPath, byte[]? keyPassword, string purpose) =>
            CertificateSource.FromFile(certificatePath, keyPath).Load(keyPassword, purpose);
    }
}
