using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PrivateProvisioning.Core.Security
{
    /// <summary>
    /// The one way both front ends take a certificate (and its key): a file, PEM (key and certificate together as mkcert
    /// writes them, or the key in a separate file), DER or PFX/PKCS#12; or an X509Certificate2 that the caller already
    /// holds (Get-PfxCertificate, Cert:\, New-ProvisioningCertificate's Certificate), with or without an exportable key.
    /// A password (of an encrypted PEM key or of a PFX) arrives as characters the caller unwrapped at its edge and wipes.
    /// </summary>
    /// <example>
    /// <code>
    /// using var signer = CertificateSource.FromFile("sast.pfx").Load(password, keyPurpose: "signing trust lists");
    /// using var phone = CertificateSource.FromCertificate(certificate).Load();
    /// </code>
    /// </example>
    public sealed class CertificateSource
    {
        private CertificateSource(string? path, string? keyPath, X509Certificate2? certificate)
        {
            Path = path;
            KeyPath = keyPath;
            Certificate = certificate;
        }

        /// <summary>The certificate file (full path), when the source is a file.</summary>
        public string? Path { get; }

        /// <summary>A separate PEM key file, when given.</summary>
        public string? KeyPath { get; }

        /// <summary>The certificate object, when the source is one.</summary>
        public X509Certificate2? Certificate { get; }

        /// <summary>A certificate file (PEM, DER or PFX) and optionally a separate PEM key file; relative paths against the current directory.</summary>
        public static CertificateSource FromFile(string path, string? keyPath = null)
        {
            if (string.IsNullOrWhiteSpace(path))
                throw new ProvisioningException(ErrorIds.CertificateArgumentInvalid, ErrorKind.InvalidArgument, "The certificate file name is empty.");
            return new CertificateSource(System.IO.Path.GetFullPath(path), keyPath == null ? null : System.IO.Path.GetFullPath(keyPath), null);
        }

        /// <summary>A certificate object; its private key is used when it has one.</summary>
        public static CertificateSource FromCertificate(X509Certificate2 certificate) =>
            new CertificateSource(null, null, certificate ?? throw new ArgumentNullException(nameof(certificate)));

        /// <summary>
        /// The CA that signs a new certificate (New-ProvisioningCertificate, pprov cert new), given at most once: as a file
        /// or as a certificate object the caller holds. Both at once is IssuerConflict, whichever front end asked (the
        /// module's parameter sets refuse it before Core; pprov has one --issuer); neither is null: the certificate signs itself.
        /// </summary>
        /// <param name="path">The CA's PEM or PFX file, already resolved by the front end; null when not given.</param>
        /// <param name="certificate">The CA as an object with its private key; null when not given.</param>
        public static CertificateSource? Issuer(string? path, X509Certificate2? certificate)
        {
            if (path != null && certificate != null)
                throw new ProvisioningException(ErrorIds.IssuerConflict, ErrorKind.InvalidArgument,
                    $"Give the issuing CA once, as a file or as a certificate object, not both ('{path}' and '{certificate.Subject}').", path)
                    .About(RequestParameter.IssuerPath, RequestParameter.IssuerCertificate);
            return path != null ? FromFile(path) : certificate != null ? FromCertificate(certificate) : null;
        }

        public override string ToString() => Path ?? "certificate " + Certificate!.Subject;

        /// <summary>
        /// Loads the certificate and, when there is one, its key. With <paramref name="keyPurpose"/> the key is required:
        /// it is then also looked for in NAME.key beside a PEM certificate (openssl req -keyout's habit), and its absence
        /// is the error PrivateKeyRequired naming the purpose ("signing trust lists needs the key").
        /// </summary>
        /// <param name="password">Password of an encrypted PEM key or of a PFX; the caller wipes it afterwards.</param>
        public PemCredential Load(char[]? password = null, string? keyPurpose = null)
        {
            var credential = Certificate != null ? PemCredential.FromCertificate(Certificate)
                : IsPkcs12(Path!) ? LoadPkcs12(Path!, password)
                : PemCredential.Load(Path!, KeyPath, password);
            if (credential.HasPrivateKey || keyPurpose == null) return credential;

            if (Path != null && KeyPath == null && !IsPkcs12(Path))
            {
                var beside = System.IO.Path.ChangeExtension(Path, ".key");
                if (File.Exists(beside))
                {
                    credential.Dispose();
                    credential = PemCredential.Load(Path, beside, password);
                    if (credential.HasPrivateKey) return credential;
                }
            }
            credential.Dispose();
            throw new ProvisioningException(ErrorIds.PrivateKeyRequired, ErrorKind.InvalidArgument, Path == null
                ? $"The certificate '{Certificate!.Subject}' has no private key, which {keyPurpose} needs; give its PEM or PFX file with the key."
                : $"'{Path}' holds no private key and there is no '{System.IO.Path.GetFileName(System.IO.Path.ChangeExtension(Path, ".key"))}' beside it; {keyPurpose} needs the key: give the key file.",
                (object?)Path ?? Certificate);
        }

#if NET
        /// <summary>
        /// The certificate as TLS takes it: with <paramref name="keyPurpose"/> a client certificate carrying its private key
        /// (loaded and required as <see cref="Load(char[], string)"/> does), without it a certificate to trust. A certificate
        /// object is used as it is.
        /// </summary>
        public X509Certificate2 LoadForTls(string? keyPurpose = null, char[]? password = null)
        {
            if (Certificate != null && (keyPurpose == null || Certificate.HasPrivateKey)) return Certificate;
            using var credential = Load(password, keyPurpose);
            if (keyPurpose == null) return credential.Certificate;
            // The copy holds its own reference to the key, so the credential's key can go.
            return credential.PrivateKey is RSA rsa ? credential.Certificate.CopyWithPrivateKey(rsa)
                : credential.Certificate.CopyWithPrivateKey((ECDsa)credential.PrivateKey!);
        }
#endif

        /// <summary>As <see cref="Load(char[], string)"/>, with the password as UTF-8 bytes.</summary>
        public PemCredential Load(byte[]? utf8Password, string? keyPurpose = null)
        {
            var chars = utf8Password == null ? null : System.Text.Encoding.UTF8.GetChars(utf8Password);
            try { return Load(chars, keyPurpose); }
            finally { if (chars != null) Array.Clear(chars, 0, chars.Length); }
        }

        private static bool IsPkcs12(string path)
        {
            var extension = System.IO.Path.GetExtension(path);
            if (extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase))
                return true;
            // A PFX under another name: DER whose outer SEQUENCE starts with the version INTEGER 3 (a certificate starts with a SEQUENCE).
            try
            {
                using var stream = File.OpenRead(path);
                var head = new byte[8];
                int n = stream.Read(head, 0, head.Length);
                if (n < 5 || head[0] != 0x30) return false;
                int at = 1 + ((head[1] & 0x80) == 0 ? 1 : 1 + (head[1] & 0x7f));
                return at + 2 < n && head[at] == 0x02 && head[at + 1] == 0x01 && head[at + 2] == 0x03;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { return false; }
        }

        private static PemCredential LoadPkcs12(string path, char[]? password)
        {
            byte[] data;
            try { data = File.ReadAllBytes(path); }
            catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException)
            {
                throw new ProvisioningException(ErrorIds.CertificateFileNotFound, ErrorKind.ObjectNotFound, $"The certificate file '{path}' does not exist.", path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new ProvisioningException(ErrorIds.FileReadFailed, ErrorKind.ReadError, $"Cannot read the certificate file '{path}': {ex.Message}", path, ex);
            }
            string? text = password == null ? null : new string(password);
            try
            {
#if NET
                var all = X509CertificateLoader.LoadPkcs12Collection(data, text, X509KeyStorageFlags.Exportable | X509KeyStorageFlags.EphemeralKeySet);
#else
                var all = new X509Certificate2Collection();
                all.Import(data, text, X509KeyStorageFlags.Exportable);
#endif
                var withKey = all.Cast<X509Certificate2>().FirstOrDefault(c => c.HasPrivateKey) ?? all.Cast<X509Certificate2>().FirstOrDefault()
                    ?? throw new ProvisioningException(ErrorIds.CertificateNotFound, ErrorKind.InvalidData, $"The PFX file '{path}' holds no certificate.", path);
                return PemCredential.FromCertificate(withKey);
            }
            catch (CryptographicException ex)
            {
                throw new ProvisioningException(ErrorIds.PfxUnreadable, ErrorKind.InvalidData,
                    $"The PFX file '{path}' cannot be opened: the password is wrong or missing, or the file is damaged.", path, ex);
            }
            finally { Array.Clear(data, 0, data.Length); }
        }
    }
}
