using System;
using System.IO;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Rules;

namespace PrivateProvisioning.Cli
{
    /// <summary>
    /// pprov's one error guard and its one exit-code map (docs/development.md, "Exit codes"). Every command body runs
    /// inside <see cref="Guard"/>; an expected failure (Core's ProvisioningException, a file the system refuses) becomes
    /// one "pprov: message" line, with --json also an error object carrying its catalogue id, and the exit code of its
    /// kind. Anything else is a bug and rises to Program.Main, which reports it as exit 70.
    /// </summary>
    public static class CliErrors
    {
        /// <summary>
        /// The map. The whole command failed: a request that cannot be carried out as asked (InvalidArgument, and
        /// NotImplemented: an encryption or challenge we do not speak) is a usage error, 2; any other kind (a file,
        /// a peer, the data) is 1. A failed item (one row, file or phone) is always 1: see <see cref="ItemFailed"/>.
        /// </summary>
        public static int ExitCodeFor(ErrorKind kind) =>
            kind == ErrorKind.InvalidArgument || kind == ErrorKind.NotImplemented ? ExitCodes.Usage : ExitCodes.ItemFailed;

        /// <summary>The exit code of a whole command that ended in <paramref name="error"/>.</summary>
        public static int ExitCodeFor(Exception error) =>
            error is ProvisioningException p ? ExitCodeFor(p.Kind) : IsExpected(error) ? ExitCodes.ItemFailed : ExitCodes.InternalError;

        /// <summary>The exit code when some items failed and the command went on with the others.</summary>
        public const int ItemFailed = ExitCodes.ItemFailed;

        /// <summary>Failures a user can act on; anything else is a bug.</summary>
        public static bool IsExpected(Exception error) =>
            error is ProvisioningException || error is IOException || error is UnauthorizedAccessException;

        /// <summary>Runs a command body; an expected failure is printed through <paramref name="output"/> and mapped.</summary>
        public static int Guard(CliOutput output, Func<int> body)
        {
            try { return body(); }
            catch (Exception ex) when (IsExpected(ex))
            {
                output.Failed(ex);
                return ExitCodeFor(ex);
            }
        }

        /// <summary>As <see cref="Guard(CliOutput, Func{int})"/>, handing the output to the body.</summary>
        public static int Guard(CliOutput output, Func<CliOutput, int> body) => Guard(output, () => body(output));

        /// <summary>Runs one item's step; a failure is printed (with <paramref name="where"/> in front) and reported as false.</summary>
        public static bool TryItem(CliOutput output, Action step, string? where = null)
        {
            try
            {
                step();
                return true;
            }
            catch (Exception ex) when (IsExpected(ex))
            {
                output.Error(ex, where);
                return false;
            }
        }

        /// <summary>Id, kind, message and target of an expected failure, as --json prints them. A target that is text is
        /// printed with a rule's --key/--pwd masked; other targets (rows, objects) are left out.</summary>
        public static (string Id, ErrorKind Kind, string Message, string? Target) Describe(Exception error)
        {
            switch (error)
            {
                case ProvisioningException p:
                    return (p.ErrorId, p.Kind, p.Message, p.Target is string text ? RuleRedaction.Redact(text) : null);
                case UnauthorizedAccessException _:
                    return (ErrorIds.FileAccessDenied, ErrorKind.PermissionDenied, error.Message, null);
                case IOException _:
                    return (ErrorIds.FileAccessFailed, ErrorKind.ReadError, error.Message, null);
                default:
                    return (ErrorIds.InternalError, ErrorKind.InvalidOperation, error.Message, null);
            }
        }
    }
}
