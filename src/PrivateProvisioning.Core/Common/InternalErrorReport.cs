using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace PrivateProvisioning.Core
{
    /// <summary>
    /// The one rule for an exception nobody expected (a bug, by definition): both front ends turn it into one clean
    /// line with the id InternalError, the files the command was reading and how to report it, never a stack trace
    /// unless asked for (pprov --debug, a cmdlet's -Debug).
    /// </summary>
    public static class InternalErrorReport
    {
        public const string ErrorId = ErrorIds.InternalError;

        /// <summary>Where to send a report.</summary>
        public const string ReportTo = "https://github.com/PrivateProvisioning/PrivateProvisioning/issues";

        /// <summary>
        /// The message: the exception's type and message (escaped, it may quote input), the input files, and what to do.
        /// The exception's message never carries secrets: Core keeps secrets out of every exception it creates, and
        /// the framework's messages name types and positions, not values.
        /// </summary>
        public static string Describe(Exception ex, IEnumerable<string>? inputFiles, string debugHint)
        {
            if (ex == null) throw new ArgumentNullException(nameof(ex));
            var inner = Unwrap(ex);
            var files = (inputFiles ?? Enumerable.Empty<string>()).Where(f => !string.IsNullOrEmpty(f)).Distinct().ToList();
            var reading = files.Count == 0 ? string.Empty : " while reading " + string.Join(", ", files.Select(f => "'" + TerminalText.Escape(f) + "'"));
            var message = TerminalText.Escape(inner.Message).TrimEnd('.', ' ');
            if (message.Length > 300) message = message.Substring(0, 300) + "...";
            return $"internal error ({ErrorId}): {inner.GetType().Name}: {message}{reading}. " +
                   $"This is a bug: please report it at {ReportTo} with the command and, if you can share it, the input file. {debugHint}";
        }

        /// <summary>The arguments of a command line that name existing files: the best guess at what was being read.</summary>
        public static IEnumerable<string> ExistingFiles(IEnumerable<string> args)
        {
            foreach (var a in args)
            {
                if (string.IsNullOrEmpty(a) || a.StartsWith("-", StringComparison.Ordinal)) continue;
                bool exists;
                try { exists = File.Exists(a); } catch (Exception) { exists = false; }
                if (exists) yield return a;
            }
        }

        private static Exception Unwrap(Exception ex)
        {
            while ((ex is AggregateException || ex is System.Reflection.TargetInvocationException || ex is TypeInitializationException) && ex.InnerException != null)
                ex = ex.InnerException;
            return ex;
        }
    }
}
