using System;
using System.CommandLine;
using PrivateProvisioning.Core.Protection;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>pprov unprotect: recover plain profiles, detecting and peeling gzip, openssl (raw or Base64) and RFC 8188 layers.</summary>
    public sealed class UnprotectCommand : ICliCommand
    {
        public Command Build()
        {
            var files = ProtectionCli.Files();
            var kdf = new Option<string>("--kdf") { Description = "Key derivation of openssl files: md5, sha256 or pbkdf2 (default: try all three)." };
            kdf.AcceptOnlyFromAmong("md5", "sha256", "pbkdf2");
            var iter = new Option<int?>("--iter") { Description = "PBKDF2 iterations (default 10000, as openssl)." };
            var rfc8188 = new Option<bool>("--rfc8188") { Description = "Treat the files as RFC 8188 (aes128gcm) bodies even if they do not look like one." };
            var keyFile = ProtectionCli.KeyFile();
            var keyEnv = ProtectionCli.KeyEnv();
            var outDir = ProtectionCli.Out();
            var extension = ProtectionCli.Extension();
            var force = ProtectionCli.Force();
            var json = ProtectionCli.Json();
            var command = new Command("unprotect", "Recover the plain profile from gzip, openssl enc (raw or Base64) and RFC 8188 files, peeling every layer. A gzip layer may expand to 64 MiB at most (environment PRIVATEPROVISIONING_MAX_PROFILE_SIZE, bytes or e.g. 256M).")
            {
                files, kdf, iter, rfc8188, keyFile, keyEnv, outDir, extension, force, json,
            };
            var cisco = CiscoProtectionCli.ForUnprotect(command);
            command.SetAction(parse => ProtectionCli.Guard(parse.GetValue(json), output =>
            {
                var key = SecretInput.Read(parse.GetValue(keyFile), parse.GetValue(keyEnv));
                try
                {
                    var request = new UnprotectRequest
                    {
                        KeyDerivation = ProtectionCli.ParseKdf(parse.GetValue(kdf)),
                        Iterations = parse.GetValue(iter),
                        AssumeRfc8188 = parse.GetValue(rfc8188),
                        DestinationFolder = parse.GetValue(outDir),
                        Extension = parse.GetValue(extension),
                        Force = parse.GetValue(force),
                    };
                    cisco.MapOnto(parse, request);
                    return ProtectionCli.OpenAndRun(password => ProfileFileProtection.ForUnprotect(request, password), cisco.ReadPassword(parse),
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
