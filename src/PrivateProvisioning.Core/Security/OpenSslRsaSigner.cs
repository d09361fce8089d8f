#if NET
using System;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Threading;

namespace PrivateProvisioning.Core.Security
{
    /// <summary>
    /// RSASSA-PKCS1-v1_5 signatures of a precomputed SHA-1 or SHA-512 digest straight from OpenSSL 3's libcrypto (the
    /// library .NET itself uses on Linux), with one key copy and one prepared EVP_PKEY_CTX per thread for the whole run.
    /// .NET's RSA.SignHash makes a new EVP_PKEY_CTX for every signature (fetching the algorithm, setting padding and
    /// digest, freeing it), about 7 µs of the ~285 µs of an RSA-2048 signature here; a bulk run signs 10,000 files.
    /// The signatures are the same bytes (PKCS#1 v1.5 is deterministic). Linux with OpenSSL 3 only; elsewhere
    /// <see cref="TryCreate"/> answers null and <see cref="CiscoSigner"/> signs through .NET.
    /// </summary>
    internal sealed class OpenSslRsaSigner : IDisposable
    {
        private const string LibCrypto = "libcrypto.so.3";
        private const int RsaPkcs1Padding = 1;

        private readonly SafeEvpPKeyHandle _key;
        private readonly CiscoDigest _digest;
        private readonly int _signatureLength;
        private readonly ThreadLocal<ThreadContext> _contexts;

        private OpenSslRsaSigner(SafeEvpPKeyHandle key, CiscoDigest digest, int signatureLength)
        {
            _key = key;
            _digest = digest;
            _signatureLength = signatureLength;
            _contexts = new ThreadLocal<ThreadContext>(() => new ThreadContext(_key, _digest), trackAllValues: true);
        }

        /// <summary>
        /// A signer for the private key in <paramref name="parameters"/>, or null when this process's .NET does not use
        /// OpenSSL 3 (Windows, macOS, OpenSSL 1.1), PRIVATEPROVISIONING_PORTABLE_CRYPTO=1 asks for .NET's own path, or
        /// libcrypto.so.3 is not the library .NET loaded.
        /// </summary>
        /// <param name="key">The key these parameters came from: when it is already an OpenSSL key, its handle is shared (no re-import).</param>
        public static OpenSslRsaSigner? TryCreate(RSAParameters parameters, CiscoDigest digest, RSA? key = null)
        {
            if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("PRIVATEPROVISIONING_PORTABLE_CRYPTO") == "1") return null;
            try
            {
                // The version .NET loaded (OpenSSL 3.x: 0x30000000 and up) must be the one "libcrypto.so.3" names here.
                long version = SafeEvpPKeyHandle.OpenSslVersion;
                if (version < 0x30000000L || (long)OpenSSL_version_num() != version) return null;
                SafeEvpPKeyHandle handle;
                if (key is RSAOpenSsl openSsl) handle = openSsl.DuplicateKeyHandle();
                else using (var rsa = new RSAOpenSsl(parameters)) handle = rsa.DuplicateKeyHandle();
                return new OpenSslRsaSigner(handle, digest, parameters.Modulus!.Length);
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException || ex is CryptographicException || ex is PlatformNotSupportedException)
            {
                return null;
            }
        }

        /// <summary>The signature of <paramref name="hash"/> (a digest of this signer's kind), made on the calling thread's context.</summary>
        public byte[] SignHash(byte[] hash)
        {
            var context = _contexts.Value!;
            var signature = new byte[_signatureLength];
            nuint length = (nuint)signature.Length;
            if (EVP_PKEY_sign(context.Context, signature, ref length, hash, (nuint)hash.Length) != 1 || length != (nuint)signature.Length)
            {
                ERR_clear_error();
                throw new CryptographicException("OpenSSL's EVP_PKEY_sign failed.");
            }
            return signature;
        }

        public void Dispose()
        {
            foreach (var context in _contexts.Values) context.Dispose();
            _contexts.Dispose();
            _key.Dispose();
        }

        /// <summary>A thread's own copy of the key (its own RSA blinding state, no lock shared with the other threads) and its prepared context.</summary>
        private sealed class ThreadContext : IDisposable
        {
            private IntPtr _key;
            public IntPtr Context { get; private set; }

            public ThreadContext(SafeEvpPKeyHandle key, CiscoDigest digest)
            {
                bool added = false;
                try
                {
                    key.DangerousAddRef(ref added);
                    _key = EVP_PKEY_dup(key.DangerousGetHandle());
                }
                finally { if (added) key.DangerousRelease(); }
                if (_key == IntPtr.Zero) throw Failed("EVP_PKEY_dup");
                Context = EVP_PKEY_CTX_new(_key, IntPtr.Zero);
                if (Context == IntPtr.Zero) { Dispose(); throw Failed("EVP_PKEY_CTX_new"); }
                var md = digest == CiscoDigest.Sha1 ? EVP_sha1() : EVP_sha512();
                if (EVP_PKEY_sign_init(Context) != 1 || EVP_PKEY_CTX_set_rsa_padding(Context, RsaPkcs1Padding) != 1 || EVP_PKEY_CTX_set_signature_md(Context, md) != 1)
                {
                    Dispose();
                    throw Failed("EVP_PKEY_sign_init");
                }
            }

            public void Dispose()
            {
                if (Context != IntPtr.Zero) { EVP_PKEY_CTX_free(Context); Context = IntPtr.Zero; }
                if (_key != IntPtr.Zero) { EVP_PKEY_free(_key); _key = IntPtr.Zero; }
            }

            private static CryptographicException Failed(string call)
            {
                ERR_clear_error();
                return new CryptographicException($"OpenSSL's {call} failed.");
            }
        }

        // The libcrypto.so.3 the process has loaded, by its name only: never a copy beside the program, which would be
        // another library than the one .NET's key handle comes from (on Linux, AssemblyDirectory is the flag that counts).
        [DllImport(LibCrypto), DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)] private static extern nuint OpenSSL_version_num();
        [DllImport(LibCrypto), DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)] private static extern IntPtr EVP_PKEY_dup(IntPtr key);
        [DllImport(LibCrypto), DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)] private static extern void EVP_PKEY_free(IntPtr key);
        [DllImport(LibCrypto), DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)] private static extern IntPtr EVP_PKEY_CTX_new(IntPtr key, IntPtr engine);
        [DllImport(LibCrypto), DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)] private static extern void EVP_PKEY_CTX_free(IntPtr context);
        [DllImport(LibCrypto), DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)] private static extern int EVP_PKEY_sign_init(IntPtr context);
        [DllImport(LibCrypto), DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)] private static extern int EVP_PKEY_CTX_set_rsa_padding(IntPtr context, int padding);
        [DllImport(LibCrypto), DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)] private static extern int EVP_PKEY_CTX_set_signature_md(IntPtr context, IntPtr md);
        [DllImport(LibCrypto), DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)] private static extern IntPtr EVP_sha1();
        [DllImport(LibCrypto), DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)] private static extern IntPtr EVP_sha512();
        [DllImport(LibCrypto), DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)] private static extern int EVP_PKEY_sign(IntPtr context, byte[] signature, ref nuint signatureLength, byte[] hash, nuint hashLength);
        [DllImport(LibCrypto), DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)] private static extern void ERR_clear_error();
    }
}
#endif
