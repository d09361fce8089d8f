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
            var iter = new Option<int>("--iter") { Description = "PBKDF2 iterations (default 10000, as openssl).", DefaultValueFactory = _ => ProtectionOptions.DefaultIterations };
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
                var credentials = new System.Collections.Generic.List<PrivateProvisioning.Core.Security.PemCredential>();
                try
                {
                    var ciscoUnprotector = cisco.Unprotector(parse, credentials);
                    var kdfText = parse.GetValue(kdf);
                    var unprotector = new ProfileUnprotector(new UnprotectionOptions
                    {
                        KeyDerivation = kdfText == null ? (KeyDerivation?)null : ProtectionCli.ParseKdf(kdfText),
                        Iterations = parse.GetValue(iter),
                        AssumeRfc8188 = parse.GetValue(rfc8188),
                    });
                    var folder = parse.GetValue(outDir);
                    var ext = parse.GetValue(extension);
                    bool replace = parse.GetValue(force);
                    // .sgn / .enc.sgn go to the Cisco unprotector, everything else to the layer detector.
                    return ProtectionCli.Run(parse.GetValue(files)!,
                        f => PrivateProvisioning.Core.Security.CiscoFileUnprotector.Handles(f) ? ciscoUnprotector.DestinationFor(f, folder, ext) : unprotector.DestinationFor(f, folder, ext),
                        jobs => ciscoUnprotector.UnprotectMixed(jobs, other => unprotector.UnprotectFiles(other, key, replace), replace), output) ? ExitCodes.Success : ExitCodes.ItemFailed;
                }
                finally
                {
                    foreach (var c in credentials) c.Dispose();
                    if (key != null) Array.Clear(key, 0, key.Length);
                }
            }));
            return command;
        }
    }
}
