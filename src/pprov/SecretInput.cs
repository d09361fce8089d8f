using System;
using System.IO;
using System.Text;
using PrivateProvisioning.Core;

namespace PrivateProvisioning.Cli
{
    /// <summary>
    /// Secrets reach pprov through a file or an environment variable, never through the command line
    /// (where ps and shell history would show them). One trailing newline in a key file is ignored,
    /// since `echo secret > key` writes one.
    /// </summary>
    public static class SecretInput
    {
        /// <summary>Returns the secret's UTF-8 bytes, or null when neither source is given. The caller wipes them.</summary>
        public static byte[]? Read(string? keyFile, string? keyEnv, string what = "key")
        {
            if (keyFile != null && keyEnv != null)
                throw new ProvisioningException(ErrorIds.AmbiguousSecret, ErrorKind.InvalidArgument,
                    $"Give the {what} either with a file or with an environment variable, not both.");
            if (keyFile != null)
            {
                byte[] bytes;
                try { bytes = File.ReadAllBytes(keyFile); }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    throw new ProvisioningException(ErrorIds.SecretFileUnreadable, ErrorKind.ReadError,
                        $"Cannot read the {what} file '{keyFile}': {ex.Message}", keyFile);
                }
                int length = bytes.Length;
                if (length > 0 && bytes[length - 1] == (byte)'\n') length--;
                if (length > 0 && bytes[length - 1] == (byte)'\r') length--;
                if (length == 0)
                    throw new ProvisioningException(ErrorIds.SecretEmpty, ErrorKind.InvalidArgument, $"The {what} file '{keyFile}' is empty.", keyFile);
                if (length == bytes.Length) return bytes;
                var trimmed = new byte[length];
                Buffer.BlockCopy(bytes, 0, trimmed, 0, length);
                Array.Clear(bytes, 0, bytes.Length);
                return trimmed;
            }
            if (keyEnv != null)
            {
                var value = Environment.GetEnvironmentVariable(keyEnv);
                if (string.IsNullOrEmpty(value))
                    throw new ProvisioningException(ErrorIds.SecretEnvironmentEmpty, ErrorKind.InvalidArgument,
                        $"The environment variable '{keyEnv}' that should hold the {what} is not set or empty.", keyEnv);
                return Encoding.UTF8.GetBytes(value);
            }
            return null;
        }
    }
}
