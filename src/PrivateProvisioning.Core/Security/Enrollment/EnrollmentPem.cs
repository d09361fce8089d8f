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
