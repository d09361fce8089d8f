using System;
using PrivateProvisioning.Cli.Commands;

namespace PrivateProvisioning.Cli
{
    /// <summary>
    /// Every pprov verb and subcommand, listed by hand: a published pprov is compiled ahead of time (native AOT), where
    /// finding the commands by reflection would need metadata the compiler trims away. A new command adds one line here;
    /// PprovCommandTreeTests fails when an ICliCommand or ICliSubcommand class is missing from these lists.
    /// </summary>
    internal static class CliCommands
    {
        /// <summary>The top-level verbs, by the name the user types (the name each command's Build() gives).</summary>
        internal static readonly (string Verb, Func<ICliCommand> Create)[] Verbs =
        {
            ("csr", () => new CsrCommand()),
            ("expand", () => new ExpandCommand()),
            ("fetch", () => new FetchCommand()),
            ("generate", () => new GenerateCommand()),
            ("itl", () => new ItlCommand()),
            ("pin", () => new PinCommand()),
            ("protect", () => new ProtectCommand()),
            ("resync", () => new ResyncCommand()),
            ("serve", () => new ServeCommand()),
            ("syslog", () => new SyslogCommand()),
            ("unprotect", () => new UnprotectCommand()),
            ("webconf", () => new WebconfCommand()),
        };

        /// <summary>
        /// True when the command line signs or decrypts Cisco files with a certificate's key (--sign, --phone-cert):
        /// Program then starts the platform's cryptography on another core while it builds and parses the command line.
        /// </summary>
        internal static bool LoadsSigningKey(string[] args)
        {
            foreach (var arg in args)
                if (arg.StartsWith("--sign", StringComparison.Ordinal) || arg.StartsWith("--phone-cert", StringComparison.Ordinal)) return true;
            return false;
        }

        /// <summary>The subcommands of shared parents (cert new, template list...); each names its parent.</summary>
        internal static readonly Func<ICliSubcommand>[] Subcommands =
        {
            () => new CertExportCommand(),
            () => new CertNewCommand(),
            () => new GroupListCommand(),
            () => new GroupSetCommand(),
            () => new ProfileDiffCommand(),
            () => new ProfileShowCommand(),
            () => new TemplateListCommand(),
            () => new TemplateNewCommand(),
            () => new TemplateRemoveCommand(),
            () => new TemplateSetCommand(),
            () => new TemplateShowCommand(),
        };
    }
}
