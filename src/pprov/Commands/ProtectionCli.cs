using System;
using System.Collections.Generic;
using System.CommandLine;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Protection;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>What pprov protect and pprov unprotect share: the file loop in parallel batches, printing, exit codes.</summary>
    internal static class ProtectionCli
    {
        private const int BatchSize = 1024;

        public static Option<string> KeyFile() => new Option<string>("--key-file") { Description = "File holding the key (passphrase or RFC 8188 IKM); one trailing newline is ignored." };
        public static Option<string> KeyEnv() => new Option<string>("--key-env") { Description = "Environment variable holding the key." };
        public static Option<string> Out() => new Option<string>("--out") { Description = "Folder to write into (files keep their names); default: beside each source, with an extension." };
        public static Option<string> Extension() => new Option<string>("--extension") { Description = "Extension to append to each output name (\"\" keeps the name)." };
        public static Option<bool> Force() => new Option<bool>("--force") { Description = "Allow replacing a source file by its output (same folder, same name)." };
        public static Option<bool> Json() => new Option<bool>("--json") { Description = "One JSON object per file and line." };
        public static Argument<string[]> Files() => new Argument<string[]>("FILE") { Description = "Files to process.", Arity = ArgumentArity.OneOrMore };

        public static int Guard(bool json, Func<CliOutput, int> body)
        {
            var output = new CliOutput(json);
            return CliErrors.Guard(output, () => body(output));
        }

        /// <summary>Runs every file through Core's protection (in parallel batches), prints each result or error in input order; true when all succeeded.</summary>
        /// <summary>Opens Core's protection with the certificate password (wiped once opened) and runs it over the files.</summary>
        public static int OpenAndRun(Func<char[]?, ProfileFileProtection> open, char[]? certificatePassword, IReadOnlyList<string> files, byte[]? key, CliOutput output)
        {
            ProfileFileProtection protection;
            try { protection = open(certificatePassword); }
            finally { if (certificatePassword != null) Array.Clear(certificatePassword, 0, certificatePassword.Length); }
            using (protection)
                return Run(files, protection, key, output) ? ExitCodes.Success : ExitCodes.ItemFailed;
        }

        public static bool Run(IReadOnlyList<string> files, ProfileFileProtection protection, byte[]? key, CliOutput output)
        {
            bool allOk = true;
            var batch = new List<ProtectionJob>(Math.Min(files.Count, BatchSize));
            void Flush()
            {
                if (batch.Count == 0) return;
                foreach (var outcome in protection.Run(batch, key))
                {
                    if (outcome.Error != null) { output.Error(outcome.Error); allOk = false; continue; }
                    var r = outcome.Result!;
                    output.Result(r, $"{r.Status,-9} {r.Path}  ({r.Method}{(r.KeyDerivation.HasValue ? ", " + r.KeyDerivation.Value.ToString().ToLowerInvariant() : "")}, {r.Length} bytes, sha256 {r.Sha256})");
                }
                batch.Clear();
            }
            using var batched = output.Batched();
            foreach (var file in files)
            {
                string destination;
                try { destination = protection.DestinationFor(file); }
                catch (ProvisioningException ex) { output.Error(ex); allOk = false; continue; }
                batch.Add(new ProtectionJob(file, destination));
                if (batch.Count >= BatchSize) Flush();
            }
            Flush();
            return allOk;
        }

        /// <summary>--kdf's spelling; null when not given (Core's default then applies).</summary>
        public static KeyDerivation? ParseKdf(string? text) => text switch
        {
            null => null,
            "md5" => KeyDerivation.Md5,
            "sha256" => KeyDerivation.Sha256,
            _ => KeyDerivation.Pbkdf2,
        };
    }
}
