using System.CommandLine;
using PrivateProvisioning.Core.Protection;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>The options pprov protect and pprov unprotect share, spelled once (the flag contract of both verbs).</summary>
    internal static partial class ProtectionCli
    {
        public static Option<string> KeyFile() => new Option<string>("--key-file") { Description = "File holding the key (passphrase or RFC 8188 IKM); one trailing newline is ignored." };
        public static Option<string> KeyEnv() => new Option<string>("--key-env") { Description = "Environment variable holding the key." };
        public static Option<string> Out() => new Option<string>("--out") { Description = "Folder to write into (files keep their names); default: beside each source, with an extension." };
        public static Option<string> Extension() => new Option<string>("--extension") { Description = "Extension to append to each output name (\"\" keeps the name)." };
        public static Option<bool> Force() => new Option<bool>("--force") { Description = "Allow replacing a source file by its output (same folder, same name)." };
        public static Option<bool> Json() => new Option<bool>("--json") { Description = "One JSON object per file and line." };
        public static Argument<string[]> Files() => new Argument<string[]>("FILE") { Description = "Files to process.", Arity = ArgumentArity.OneOrMore };

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
