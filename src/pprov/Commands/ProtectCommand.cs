using System;
using System.CommandLine;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Protection;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>pprov protect: gzip and/or encrypt profile files (openssl AES-256-CBC, RFC 8188, Panasonic .enc).</summary>
    public sealed class ProtectCommand : ICliCommand
    {
        public Command Build()
        {
            var files = ProtectionCli.Files();
            var gzip = new Option<bool>("--gzip") { Description = "gzip each file (always before any encryption)." };
            var gzipLevel = new Option<string?>("--gzip-level") { Description = "gzip's effort: optimal (default, gzip's level 6), fastest (about twice as fast, files about a third larger) or smallest." };
            gzipLevel.AcceptOnlyFromAmong("optimal", "fastest", "smallest");
            var method = new Option<string>("--method") { Description = "openssl (OpenSslAes256Cbc, Cisco/Linksys; the default with a key), rfc8188 (Cisco MPP aes128gcm) or panasonic-enc (KX-UTG .enc)." };
            var kdf = new Option<string?>("--kdf") { Description = "Key derivation for openssl methods: md5 (default; the SPA firmware's), sha256 or pbkdf2." };
            kdf.AcceptOnlyFromAmong("md5", "sha256", "pbkdf2");
            var iter = new Option<int?>("--iter") { Description = "PBKDF2 iterations (default 10000, as openssl)." };
            var keySize = new Option<int?>("--key-size") { Description = "AES key bits for panasonic-enc: 128, 192 or 256 (default)." };
            var recordSize = new Option<int?>("--record-size") { Description = "RFC 8188 record size (default: one record)." };
            var keyFile = ProtectionCli.KeyFile();
            var keyEnv = ProtectionCli.KeyEnv();
            var outDir = ProtectionCli.Out();
            var extension = ProtectionCli.Extension();
            var force = ProtectionCli.Force();
            var json = ProtectionCli.Json();
            var command = new Command("protect", "gzip and/or encrypt profile files so the phones (and openssl enc -d) read them. Keys come from --key-file or --key-env, never the command line.")
            {
                files, gzip, gzipLevel, method, kdf, iter, keySize, recordSize, keyFile, keyEnv, outDir, extension, force, json,
            };
            var cisco = CiscoProtectionCli.ForProtect(command);
            command.SetAction(parse => ProtectionCli.Guard(parse.GetValue(json), output =>
            {
                var key = SecretInput.Read(parse.GetValue(keyFile), parse.GetValue(keyEnv));
                try
                {
                    var methodText = parse.GetValue(method);
                    var request = new ProtectRequest
                    {
                        Compress = parse.GetValue(gzip),
                        CompressionLevel = parse.GetValue(gzipLevel) switch { "fastest" => ProfileCompressionLevel.Fastest, "smallest" => ProfileCompressionLevel.SmallestSize, "optimal" => ProfileCompressionLevel.Optimal, _ => (ProfileCompressionLevel?)null },
                        Method = methodText == null ? (ProtectionMethod?)null : ProtectionMethods.Parse(methodText),
                        KeyDerivation = ProtectionCli.ParseKdf(parse.GetValue(kdf)),
                        Iterations = parse.GetValue(iter),
                        KeySize = parse.GetValue(keySize),
                        RecordSize = parse.GetValue(recordSize),
                        HasKey = key != null,
                        DestinationFolder = parse.GetValue(outDir),
                        Extension = parse.GetValue(extension),
                        Force = parse.GetValue(force),
                    };
                    cisco.MapOnto(parse, request);
                    return ProtectionCli.OpenAndRun(password => ProfileFileProtection.ForProtect(request, password), cisco.ReadPassword(parse),
                        parse.GetValue(files)!, key, output);
                }
                finally
                {
                    if (key != null) Array.Clear(key, 0, key.Length);
                }
            }));
            return command;
        }
    }
}
