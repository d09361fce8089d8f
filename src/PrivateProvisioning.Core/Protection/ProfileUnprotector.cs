using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace PrivateProvisioning.Core.Protection
{
    /// <summary>
    /// Recovers the plain profile from a protected file for troubleshooting: detects each layer from the bytes
    /// (gzip magic, "Salted__", Base64 of "Salted__", an RFC 8188 header) and peels them all, outermost first.
    /// The source is never modified; on any error nothing is written.
    /// </summary>
    public sealed class ProfileUnprotector
    {
        private const int MaxLayers = 8;
        private static readonly KeyDerivation[] AllDerivations = { KeyDerivation.Md5, KeyDerivation.Sha256, KeyDerivation.Pbkdf2 };
        private static readonly int[] AllKeySizes = { 256, 128, 192 };
        private static readonly int[] Aes256 = { 256 };

        private readonly UnprotectionOptions _options;

        public ProfileUnprotector(UnprotectionOptions? options = null)
        {
            _options = (options ?? new UnprotectionOptions()).Clone();
            _options.Validate();
        }

        public string DestinationFor(string source, string? destinationFolder, string? extension) =>
            ProtectionNaming.UnprotectedPath(source, destinationFolder, extension);

        public ProtectionOutcome[] UnprotectFiles(IReadOnlyList<ProtectionJob> jobs, byte[]? key, bool allowReplaceSource = false, bool whatIf = false) =>
            ParallelJobs.Run(jobs, job => UnprotectFile(job.Source, job.Destination, key, allowReplaceSource, whatIf));

        public ProtectionResult UnprotectFile(string source, string destination, byte[]? key, bool allowReplaceSource = false, bool whatIf = false)
        {
            source = Path.GetFullPath(source);
            destination = Path.GetFullPath(destination);
            ProtectionMethods.RefuseUnpublishedFormat(source);
            if (ProtectionNaming.SamePath(source, destination) && !allowReplaceSource)
                throw new ProvisioningException(ErrorIds.DestinationIsSource, ErrorKind.InvalidArgument,
                    $"'{source}' would be replaced by its plain form; write to another folder (-Destination / --out) or allow it explicitly (-Force / --force).", source);
            if (!whatIf)
            {
                using var input = SourceFiles.OpenRead(source);
                if (input.Length > ProfileProtector.StreamingThreshold && StreamingUnprotector.CanStream(input))
                    return StreamingUnprotector.Run(input, source, destination, key, Derivations(), _options.Iterations, KeySizes(raw: true), _options.EffectiveMaxProfileSize);
            }
            var data = SourceFiles.ReadAll(source);
            var plain = Unprotect(data, key, source, out var method, out var derivation);
            WriteStatus status;
            try { status = AtomicFile.Write(destination, plain, 0, plain.Length, ownerOnly: false, whatIf: whatIf); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                Array.Clear(plain, 0, plain.Length);
                throw new ProvisioningException(ErrorIds.FileWriteFailed, ErrorKind.WriteError, $"Cannot write '{destination}' from '{source}': {ex.Message}", destination, ex);
            }
            var result = new ProtectionResult(destination, source, method, derivation, status, HexText.Sha256(plain, 0, plain.Length), plain.Length);
            Array.Clear(plain, 0, plain.Length);
            return result;
        }

        /// <summary>Peels every layer off <paramref name="data"/>; <paramref name="method"/> names them in the order they were applied.</summary>
        public byte[] Unprotect(byte[] data, byte[]? key, string file, out string method, out KeyDerivation? derivation)
        {
            var peeled = new List<string>();
            derivation = null;
            var current = data;
            for (int depth = 0; depth < MaxLayers; depth++)
            {
                var kind = Detect(current, depth == 0, key != null);
                if (kind == LayerKind.None) break;
                byte[] next;
                switch (kind)
                {
                    case LayerKind.Gzip:
                        next = GzipLayer.Decompress(current, 0, current.Length, file, _options.EffectiveMaxProfileSize);
                        peeled.Add(GzipLayer.Instance.Name);
                        break;
                    case LayerKind.Salted:
                        next = OpenSslCbcLayer.Decrypt(current, 0, current.Length, key, Derivations(), _options.Iterations, KeySizes(raw: true), file,
                            "OpenSslAes256Cbc", out var used, out var bits);
                        peeled.Add(bits == 256 ? "OpenSslAes256Cbc" : $"OpenSslAes{bits}Cbc");
                        derivation = used;
                        break;
                    case LayerKind.Base64Salted:
                        var decoded = DecodeBase64(current, file);
                        next = OpenSslCbcLayer.Decrypt(decoded, 0, decoded.Length, key, Derivations(), _options.Iterations, KeySizes(raw: false), file,
                            "PanasonicEnc", out var usedP, out _);
                        peeled.Add("PanasonicEnc");
                        derivation = usedP;
                        break;
                    case LayerKind.Rfc8188:
                        next = Rfc8188Layer.Decrypt(current, 0, current.Length, key, file);
                        peeled.Add("Rfc8188");
                        break;
                    default:
                        throw new InvalidOperationException(kind.ToString());
                }
                if (!ReferenceEquals(current, data)) Array.Clear(current, 0, current.Length);
                current = next;
            }
            if (peeled.Count == 0)
                throw new ProvisioningException(ErrorIds.NotProtected, ErrorKind.InvalidData,
                    $"'{file}' is not a protected profile: it has no gzip header, no openssl \"Salted__\" header (raw or Base64){(key == null ? "" : " and no RFC 8188 header")}. " +
                    (key == null && !LooksLikeText(data) ? "If it is RFC 8188 (aes128gcm), give the key." : "It may already be plain."), file);
            peeled.Reverse();
            method = string.Join("+", peeled);
            return current;
        }

        private enum LayerKind { None, Gzip, Salted, Base64Salted, Rfc8188 }

        private LayerKind Detect(byte[] data, bool outermost, bool haveKey)
        {
            if (outermost && _options.AssumeRfc8188) return LayerKind.Rfc8188;
            if (GzipLayer.IsGzip(data, 0, data.Length)) return LayerKind.Gzip;
            if (OpenSslCbcLayer.StartsWithMagic(data, 0, data.Length)) return LayerKind.Salted;
            if (StartsWithBase64Magic(data)) return LayerKind.Base64Salted;
            // RFC 8188 has no magic: only the outermost layer of a file that is not text and has a sane header.
            if (outermost && haveKey && !LooksLikeText(data) && Rfc8188Layer.HasPlausibleHeader(data, 0, data.Length)) return LayerKind.Rfc8188;
            return LayerKind.None;
        }

        private IReadOnlyList<KeyDerivation> Derivations() =>
            _options.KeyDerivation.HasValue ? new[] { _options.KeyDerivation.Value } : AllDerivations;

        /// <summary>
        /// Raw Salted__ files are Cisco's AES-256; with the derivation given, only that is tried, so the check is
        /// openssl's (padding only). Base64 files (Panasonic) may be any of the three sizes the phones support.
        /// </summary>
        private IReadOnlyList<int> KeySizes(bool raw) =>
            _options.KeySize.HasValue ? new[] { _options.KeySize.Value } : raw && _options.KeyDerivation.HasValue ? Aes256 : AllKeySizes;

        private static bool StartsWithBase64Magic(byte[] data)
        {
            int i = 0;
            while (i < data.Length && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) i++;
            var magic = OpenSslCbcLayer.Base64Magic;
            if (data.Length - i < magic.Length) return false;
            for (int k = 0; k < magic.Length; k++) if (data[i + k] != magic[k]) return false;
            return true;
        }

        private static byte[] DecodeBase64(byte[] data, string file)
        {
            var text = new StringBuilder(data.Length);
            foreach (var b in data)
                if (b != '\n' && b != '\r' && b != ' ' && b != '\t') text.Append((char)b);
            try { return Convert.FromBase64String(text.ToString()); }
            catch (FormatException)
            {
                throw new ProvisioningException(ErrorIds.EncryptedFileTruncated, ErrorKind.InvalidData,
                    $"'{file}' is truncated or corrupted: its Base64 (openssl enc -a) text does not decode.", file);
            }
        }

        private static bool LooksLikeText(byte[] data)
        {
            int n = Math.Min(data.Length, 16);
            return n > 0 && OpenSslCbcLayer.LooksLikeProfileStart(data, n) && !(n >= 2 && data[0] == 0x1f && data[1] == 0x8b);
        }
    }
}
