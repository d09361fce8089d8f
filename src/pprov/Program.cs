using System;
using System.CommandLine;
using System.Linq;

namespace PrivateProvisioning.Cli
{
    /// <summary>
    /// pprov: the module's engine for shells without PowerShell. Each top-level verb is an
    /// ICliCommand in Commands/, listed in <see cref="CliCommands"/> (no reflection: pprov is published native).
    /// Exit codes: 0 every item succeeded, 1 some item failed, 2 the command line was wrong, 70 an internal error (a bug).
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            // Loading OpenSSL for the key (several ms) overlaps with building and parsing the command line.
            if (CliCommands.LoadsSigningKey(args)) Core.Security.CryptoWarmUp.Start();
            var root = BuildRootCommand(args.Length > 0 ? args[0] : null);
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0 && !IsHelpRequest(args))
            {
                foreach (var error in parse.Errors)
                    Console.Error.WriteLine("pprov: " + error.Message);
                Console.Error.WriteLine("Try 'pprov --help'.");
                return ExitCodes.Usage;
            }
            try
            {
                // Our handler, not the library's: users get "pprov: message", never a stack trace.
                return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
            }
            catch (Exception ex) when (CliErrors.IsExpected(ex))
            {
                // A command that did not run its body inside CliErrors.Guard: the same printing, the same map.
                new CliOutput(args.Contains("--json")).Failed(ex);
                return CliErrors.ExitCodeFor(ex);
            }
            catch (Exception ex)
            {
                // The one top-level rule: a bug is one clean line with an id and what to do, the trace only with --debug.
                bool debug = args.Contains(DebugOption.Name);
                Console.Error.WriteLine("pprov: " + Core.InternalErrorReport.Describe(ex, Core.InternalErrorReport.ExistingFiles(args),
                    debug ? "The stack trace follows." : "Run it again with --debug for the stack trace."));
                if (debug) Console.Error.WriteLine(ex.ToString());
                return ExitCodes.InternalError;
            }
        }

        public static RootCommand BuildRootCommand() => BuildRootCommand(null);

        /// <summary>
        /// With the verb the user typed, only that verb is built: building every verb's options was a good part of a
        /// short run's start-up. Anything else (--help, a mistyped verb) gets the whole tree. The verbs are listed in
        /// <see cref="CliCommands"/>.
        /// </summary>
        public static RootCommand BuildRootCommand(string? verb)
        {
            if (verb != null && !verb.StartsWith("-", StringComparison.Ordinal))
            {
                var only = Build(
                    CliCommands.Verbs.Where(v => string.Equals(v.Verb, verb, StringComparison.OrdinalIgnoreCase)).Select(v => v.Create()),
                    CliCommands.Subcommands.Select(create => create()).Where(s => s.Parent == verb));
                if (only.Subcommands.Any(c => c.Name == verb)) return only;
            }
            return Build(CliCommands.Verbs.Select(v => v.Create()), CliCommands.Subcommands.Select(create => create()));
        }

        private static RootCommand Build(System.Collections.Generic.IEnumerable<ICliCommand> verbs, System.Collections.Generic.IEnumerable<ICliSubcommand> subcommands)
        {
            var root = new RootCommand("pprov - bulk provisioning of VoIP phones (the PrivateProvisioning engine on the command line).");
            root.Options.Add(DebugOption);
            var commands = verbs.Select(v => v.Build()).ToDictionary(c => c.Name, StringComparer.Ordinal);
            // Subcommands from different areas share a parent ("cert new" and "cert export"): each adds
            // itself, and the parent is created when no area defines it.
            foreach (var sub in subcommands.OrderBy(s => s.Parent, StringComparer.Ordinal))
            {
                if (!commands.TryGetValue(sub.Parent, out var parent))
                    commands[sub.Parent] = parent = new Command(sub.Parent, sub.ParentDescription);
                parent.Subcommands.Add(sub.Build());
            }
            foreach (var command in commands.Values.OrderBy(c => c.Name, StringComparer.Ordinal))
                root.Subcommands.Add(command);
            return root;
        }

        /// <summary>--debug on any command: an internal error prints its stack trace.</summary>
        internal static readonly Option<bool> DebugOption = new Option<bool>("--debug")
        {
            Description = "On an internal error (a bug), print the stack trace as well.",
            Recursive = true,
        };

        private static bool IsHelpRequest(string[] args) =>
            args.Any(a => a == "--help" || a == "-h" || a == "-?" || a == "--version");
    }

    /// <summary>One top-level pprov verb (expand, generate, protect...). Implementations stay thin: parse, call Core, print.</summary>
    public interface ICliCommand
    {
        Command Build();
    }

    /// <summary>A subcommand of a shared parent verb (pprov cert new, pprov cert export, pprov template list).</summary>
    public interface ICliSubcommand
    {
        /// <summary>The parent verb, e.g. "cert".</summary>
        string Parent { get; }
        /// <summary>Description of the parent, used when no ICliCommand defines it.</summary>
        string ParentDescription { get; }
        Command Build();
    }

    /// <summary>pprov's exit codes; which failure gets which is decided in one place, <see cref="CliErrors"/>.</summary>
    public static class ExitCodes
    {
        public const int Success = 0;
        public const int ItemFailed = 1;
        public const int Usage = 2;
        /// <summary>An unexpected exception: a bug in pprov (EX_SOFTWARE of sysexits.h).</summary>
        public const int InternalError = 70;
    }
}
