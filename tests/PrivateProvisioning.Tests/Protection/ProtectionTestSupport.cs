using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using PrivateProvisioning.Core.Protection;
using PrivateProvisioning.Tests.Support;

namespace PrivateProvisioning.Tests.Protection
{
    /// <summary>Profiles, keys and the real openssl for the protection tests.</summary>
    internal static class ProtectionTestSupport
    {
        public const string Passphrase = "Sup3r-S3cret-Pass-7391";
        public static byte[] Key => Encoding.UTF8.GetBytes(Passphrase);

        public static string Profile(int n = 0) =>
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<flat-profile>\n" +
            string.Concat(Enumerable.Range(0, 40).Select(i => $"  <Param_{i}_ ua=\"na\">value {i} for phone {n}</Param_{i}_>\n")) +
            $"  <Password_1_ ua=\"na\">pw-{n}-Xy7</Password_1_>\n</flat-profile>\n";

        public static string WriteProfile(TempDirectory dir, string name, int n = 0)
        {
            var path = dir.File(name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, Profile(n));
            return path;
        }

        /// <summary>Runs `openssl enc` [-d] with the key derivation given, reading and writing files.</summary>
        public static ProcessResult Openssl(bool decrypt, string input, string output, string pass, KeyDerivation kdf,
            int iterations = ProtectionOptions.DefaultIterations, string cipher = "-aes-256-cbc", bool base64 = false)
        {
            var args = new List<string> { "enc" };
            if (decrypt) args.Add("-d");
            args.Add(cipher);
            if (kdf == KeyDerivation.Pbkdf2) args.AddRange(new[] { "-pbkdf2", "-iter", iterations.ToString() });
            else args.AddRange(new[] { "-md", kdf == KeyDerivation.Md5 ? "md5" : "sha256" });
            if (base64) args.Add("-a");
            args.AddRange(new[] { "-pass", "pass:" + pass, "-in", input, "-out", output });
            return ProcessRunner.Tool("openssl", args);
        }

        /// <summary>
        /// Protected bytes with a fixed salt, so a wrong-key test is deterministic: with a random salt a wrong key
        /// passes the PKCS#7 check about once in 256 runs (for openssl too).
        /// </summary>
        public static byte[] ProtectWithSalt(ProtectionOptions options, byte[] plain, byte[] salt)
        {
            var layers = ProtectionMethods.CreateLayers(options);
            var output = new MemoryStream();
            var chain = new List<Stream>();
            Stream next = output;
            for (int i = layers.Count - 1; i >= 0; i--)
            {
                next = layers[i].Protect(next, new LayerContext(Key, -1, i == layers.Count - 1 ? salt : null));
                chain.Insert(0, next);
            }
            chain[0].Write(plain, 0, plain.Length);
            foreach (var s in chain) s.Dispose(); // innermost first
            return output.ToArray();
        }

        public static ProtectionOptions Options(bool compress, ProtectionMethod method, KeyDerivation kdf = KeyDerivation.Md5, int iterations = ProtectionOptions.DefaultIterations) =>
            new ProtectionOptions { Compress = compress, Method = method, KeyDerivation = kdf, Iterations = iterations };
    }
}
