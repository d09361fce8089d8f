using System;
using System.Collections.Generic;
using System.IO;

namespace PrivateProvisioning.Core.Protection
{
    /// <summary>
    /// The one place that turns options into layers and names into methods. Compression always comes
    /// first and encryption last, whatever order the switches were given in: phones only recognise that order.
    /// A new method (for example Cisco signing) is a new case here and a new layer class.
    /// </summary>
    public static class ProtectionMethods
    {
        /// <summary>Panasonic KX-UT/HDV/TGP extensions whose encryption Panasonic has not published.</summary>
        private static readonly string[] UnpublishedPanasonicExtensions = { ".e1c", ".e2c", ".e3c" };

        /// <summary>The layers for these options, innermost (applied first) first.</summary>
        public static IReadOnlyList<IProtectionLayer> CreateLayers(ProtectionOptions options)
        {
            options.Validate();
            var layers = new List<IProtectionLayer>(2);
            if (options.Compress) layers.Add(GzipLayer.For(options.CompressionLevel));
            var encryption = CreateEncryptionLayer(options);
            if (encryption != null) layers.Add(encryption);
            return layers;
        }

        /// <summary>The encryption layer of a method, or null for <see cref="ProtectionMethod.None"/>.</summary>
        public static IProtectionLayer? CreateEncryptionLayer(ProtectionOptions options)
        {
            switch (options.Method)
            {
                case ProtectionMethod.None:
                    return null;
                case ProtectionMethod.OpenSslAes256Cbc:
                    return new OpenSslCbcLayer("OpenSslAes256Cbc", options.KeyDerivation, options.Iterations, 256, base64: false, ".enc");
                case ProtectionMethod.PanasonicEnc:
                    return new OpenSslCbcLayer("PanasonicEnc", options.KeyDerivation, options.Iterations, options.KeySize, base64: true, ".enc");
                case ProtectionMethod.Rfc8188:
                    return new Rfc8188Layer(options.RecordSize);
                default:
                    throw new ProvisioningException(ErrorIds.UnknownProtectionMethod, ErrorKind.InvalidArgument, $"Unknown protection method '{options.Method}'.");
            }
        }

        /// <summary>"Gzip+OpenSslAes256Cbc": the layers in the order they are applied.</summary>
        public static string Describe(IReadOnlyList<IProtectionLayer> layers)
        {
            var names = new string[layers.Count];
            for (int i = 0; i < layers.Count; i++) names[i] = layers[i].Name;
            return string.Join("+", names);
        }

        /// <summary>
        /// Parses a method name as pprov takes it (case-insensitive; "openssl", "cisco", "aes128gcm", "panasonic-enc"
        /// and the enum names). The unpublished Panasonic formats are refused with the reason and the alternative.
        /// </summary>
        public static ProtectionMethod Parse(string text)
        {
            var t = (text ?? string.Empty).Trim().ToLowerInvariant().Replace("-", "").Replace("_", "");
            switch (t)
            {
                case "none": return ProtectionMethod.None;
                case "openssl": case "opensslaes256cbc": case "aes256cbc": case "cisco": return ProtectionMethod.OpenSslAes256Cbc;
                case "rfc8188": case "aes128gcm": return ProtectionMethod.Rfc8188;
                case "panasonicenc": case "enc": case "panasonic": return ProtectionMethod.PanasonicEnc;
                case "e1c": case "e2c": case "e3c": case "panasonice1c": case "panasonice2c": case "panasonice3c":
                    throw UnpublishedPanasonic(text!);
                default:
                    throw new ProvisioningException(ErrorIds.UnknownProtectionMethod, ErrorKind.InvalidArgument,
                        $"Unknown protection method '{text}'; use OpenSslAes256Cbc (Cisco/Linksys), Rfc8188 (Cisco MPP aes128gcm) or PanasonicEnc (KX-UTG .enc).", text);
            }
        }

        /// <summary>Refuses a Panasonic .e1c/.e2c/.e3c file name: its encryption is not public and we never emit a guess.</summary>
        public static void RefuseUnpublishedFormat(string path)
        {
            var extension = Path.GetExtension(path);
            foreach (var refused in UnpublishedPanasonicExtensions)
                if (string.Equals(extension, refused, StringComparison.OrdinalIgnoreCase))
                    throw UnpublishedPanasonic(path);
        }

        private static ProvisioningException UnpublishedPanasonic(string what) =>
            new ProvisioningException(ErrorIds.UnpublishedEncryption, ErrorKind.NotImplemented,
                $"'{what}': Panasonic has not published the .e1c/.e2c/.e3c encryption (its guides say to ask Panasonic), so PrivateProvisioning neither writes nor reads it rather than guess. " +
                "Serve the plain Config{MAC}.cfg over HTTPS instead (CFG_STANDARD_FILE_PATH=\"https://...\"), or use PanasonicEnc for KX-UTG phones.", what);
    }
}
