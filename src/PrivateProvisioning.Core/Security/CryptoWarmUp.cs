using System;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Threading;

namespace PrivateProvisioning.Core.Security
{
    /// <summary>
    /// Starts the platform's cryptography on a pool thread. On Linux the first certificate or key a process loads
    /// waits for OpenSSL: loading libssl and libcrypto, reading openssl.cnf and activating the default provider,
    /// several milliseconds of a short run's start-up, all on the one thread that is loading the key while the other
    /// cores are idle. Started as soon as a front end knows it will need a key, that work overlaps with whatever comes
    /// before (building and parsing the command line, reading the key file); the first real use waits only for what is
    /// left of it. Nothing happens elsewhere than Linux (Windows' CNG and macOS load with the process).
    /// </summary>
    public static class CryptoWarmUp
    {
        private static int _started;

        /// <summary>Starts the warm-up once per process; returns at once.</summary>
        public static void Start()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || Interlocked.Exchange(ref _started, 1) != 0) return;
            ThreadPool.UnsafeQueueUserWorkItem(_ => Run(), null);
        }

        private static void Run()
        {
            try
            {
                // A digest loads the libraries and the provider (the signing digests themselves, SHA-1 and SHA-256 of
                // each output, come next anyway).
                using (var sha1 = SHA1.Create()) sha1.ComputeHash(Array.Empty<byte>());
                using (var sha256 = SHA256.Create()) sha256.ComputeHash(Array.Empty<byte>());
            }
            catch (Exception ex) when (ex is CryptographicException || ex is PlatformNotSupportedException || ex is TypeInitializationException || ex is DllNotFoundException)
            {
                // The real use reports the problem with its own context.
            }
        }
    }
}
