using System;
using System.Text;
using PrivateProvisioning.Core.Security;

namespace PrivateProvisioning.Cli
{
    /// <summary>
    /// How pprov hands a certificate to Core: the file goes to <see cref="CertificateSource"/> (Core's one loader), and the
    /// password of an encrypted key comes from a file or the environment only (<see cref="SecretInput"/>), never argv.
    /// </summary>
    internal static class CliCertificates
    {
        /// <summary>The key password as characters the caller wipes, or null when neither source is given.</summary>
        public static char[]? ReadPassword(string? passwordFile, string? passwordEnv)
        {
            var bytes = SecretInput.Read(passwordFile, passwordEnv, "key password");
            if (bytes == null) return null;
            try { return Encoding.UTF8.GetChars(bytes); }
            finally { Array.Clear(bytes, 0, bytes.Length); }
        }

        /// <summary>Loads a certificate file; with <paramref name="keyPurpose"/> its private key is required.</summary>
        public static PemCredential Load(string path, string? keyPath, string? passwordFile, string? passwordEnv, string? keyPurpose = null)
        {
            return Load(CertificateSource.FromFile(path, keyPath), passwordFile, passwordEnv, keyPurpose);
        }

        /// <summary>Loads <paramref name="source"/>, the password read from its file or variable and wiped after.</summary>
        public static PemCredential Load(CertificateSource source, string? passwordFile, string? passwordEnv, string? keyPurpose = null)
        {
            var password = ReadPassword(passwordFile, passwordEnv);
            try { return source.Load(password, keyPurpose); }
            finally { if (password != null) Array.Clear(password, 0, password.Length); }
        }
    }
}
