using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using PrivateProvisioning.Core;

namespace PrivateProvisioning.Internal
{
    /// <summary>
    /// The small base every cmdlet of the module derives from: it turns Core's ProvisioningException into
    /// ErrorRecords with a stable id, a real category and the item as target, and gives Core a log that
    /// writes to the verbose, warning and progress streams. It also holds the module's one top-level rule: a
    /// cmdlet implements <see cref="BeginProcessingCore"/>, <see cref="ProcessRecordCore"/> and
    /// <see cref="EndProcessingCore"/>, and an exception nobody expected (a bug) leaving them becomes one terminating
    /// ErrorRecord with the id InternalError: what the cmdlet was doing, the files it was reading and how to report
    /// it, never a stack trace (-Debug, or $DebugPreference, writes the trace to the debug stream). A
    /// ProvisioningException that escapes becomes its own ErrorRecord, as <see cref="ThrowProvisioningError"/> makes it.
    /// </summary>
    public abstract class ProvisioningCmdlet : PSCmdlet
    {
        private CmdletOperationLog? _log;

        /// <summary>
        /// Test hook, internal (set by reflection from the Pester suite only): the name of a cmdlet that fails with an
        /// unexpected exception in its ProcessRecord, to prove the top-level rule.
        /// </summary>
        internal static string? InjectInternalErrorInto;

        protected sealed override void BeginProcessing() => Guard("starting", BeginProcessingCore);

        protected sealed override void ProcessRecord() => Guard("processing its input", () =>
        {
            if (InjectInternalErrorInto != null && string.Equals(InjectInternalErrorInto, MyInvocation.MyCommand.Name, StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException("A fault injected by the test hook ProvisioningCmdlet.InjectInternalErrorInto.");
            ProcessRecordCore();
        });

        protected sealed override void EndProcessing() => Guard("finishing", EndProcessingCore);

        /// <summary>The cmdlet's BeginProcessing, under the top-level rule.</summary>
        protected virtual void BeginProcessingCore() { }

        /// <summary>The cmdlet's ProcessRecord, under the top-level rule.</summary>
        protected virtual void ProcessRecordCore() { }

        /// <summary>The cmdlet's EndProcessing, under the top-level rule.</summary>
        protected virtual void EndProcessingCore() { }

        private void Guard(string doing, Action body)
        {
            try { body(); }
            catch (ProvisioningException ex) { ThrowTerminatingError(ToErrorRecord(ex, null)); }
            catch (Exception ex) when (IsUnexpected(ex)) { ThrowTerminatingError(InternalErrorRecord(ex, doing)); }
        }

        /// <summary>
        /// PowerShell's own exceptions (a terminating error already made, the pipeline stopping, -ErrorAction Stop, a
        /// downstream command's error) pass through, and so does anything while the pipeline is being stopped.
        /// </summary>
        private bool IsUnexpected(Exception ex) =>
            !(ex is RuntimeException) && !(ex is OutOfMemoryException) && !(ex is System.Threading.ThreadAbortException)
            && !(Stopping && ex is OperationCanceledException);

        /// <summary>The one ErrorRecord for a bug: message from Core's InternalErrorReport, the first input file as target, the trace only on the debug stream.</summary>
        internal ErrorRecord InternalErrorRecord(Exception ex, string doing)
        {
            var command = MyInvocation?.MyCommand?.Name ?? GetType().Name;
            var files = InputFiles();
            try { WriteDebug($"{command}: {ex}"); }
            catch (Exception) { } // the debug stream is best effort: the error must come out
            var message = $"{command} failed while {doing}: " + InternalErrorReport.Describe(ex, files,
                $"Run the command again with -Debug to see the stack trace.");
            var wrapped = new ProvisioningException(InternalErrorReport.ErrorId, ErrorKind.InvalidOperation, message, files.FirstOrDefault(), ex);
            return new ErrorRecord(wrapped, InternalErrorReport.ErrorId, ErrorCategory.InvalidOperation, files.FirstOrDefault());
        }

        /// <summary>The bound parameters that name existing files (-Path, -LiteralPath, -CsvPath...): what the cmdlet was reading.</summary>
        private List<string> InputFiles()
        {
            var files = new List<string>();
            var bound = MyInvocation?.BoundParameters;
            if (bound == null) return files;
            foreach (var value in bound.Values)
            {
                var item = value is PSObject pso ? pso.BaseObject : value;
                IEnumerable<object?> candidates = item is string || !(item is IEnumerable e) ? new[] { item } : e.Cast<object?>();
                foreach (var candidate in candidates)
                {
                    var text = candidate is PSObject p ? p.BaseObject as string : candidate as string ?? (candidate as System.IO.FileSystemInfo)?.FullName;
                    if (string.IsNullOrEmpty(text) || files.Count >= 3) continue;
                    try
                    {
                        var path = GetUnresolvedProviderPathFromPSPath(text);
                        if (System.IO.File.Exists(path) && !files.Contains(path)) files.Add(path);
                    }
                    catch (Exception) { } // not a path: not an input file
                }
            }
            return files;
        }

        /// <summary>Core's view of this cmdlet's streams. Use only on the pipeline thread.</summary>
        protected IOperationLog Log => _log ??= new CmdletOperationLog(this);

        /// <summary>True when the caller named the parameter: otherwise the request leaves it unset and Core applies its default.</summary>
        protected bool Bound(string name) => MyInvocation.BoundParameters.ContainsKey(name);

        /// <summary>Writes a non-terminating error for one item and lets the pipeline go on.</summary>
        protected void WriteProvisioningError(ProvisioningException ex, object? target = null) =>
            WriteError(ToErrorRecord(ex, target));

        /// <summary>Stops the whole call: for bad arguments or a missing prerequisite.</summary>
        protected void ThrowProvisioningError(ProvisioningException ex, object? target = null) =>
            ThrowTerminatingError(ToErrorRecord(ex, target));

        internal static ErrorRecord ToErrorRecord(ProvisioningException ex, object? target)
        {
            var record = new ErrorRecord(ex, ex.ErrorId, ToCategory(ex.Kind), target ?? ex.Target);
            // Core speaks of a parameter by its meaning; the module adds its own spelling ("... explicitly (-Force).").
            if (ex.Parameters.Count > 0) record.ErrorDetails = new ErrorDetails(ModuleSpelling.Message(ex));
            return record;
        }

        internal static ErrorCategory ToCategory(ErrorKind kind)
        {
            switch (kind)
            {
                case ErrorKind.InvalidArgument: return ErrorCategory.InvalidArgument;
                case ErrorKind.InvalidData: return ErrorCategory.InvalidData;
                case ErrorKind.ObjectNotFound: return ErrorCategory.ObjectNotFound;
                case ErrorKind.ResourceExists: return ErrorCategory.ResourceExists;
                case ErrorKind.ResourceBusy: return ErrorCategory.ResourceBusy;
                case ErrorKind.PermissionDenied: return ErrorCategory.PermissionDenied;
                case ErrorKind.SecurityError: return ErrorCategory.SecurityError;
                case ErrorKind.AuthenticationError: return ErrorCategory.AuthenticationError;
                case ErrorKind.ConnectionError: return ErrorCategory.ConnectionError;
                case ErrorKind.OperationTimeout: return ErrorCategory.OperationTimeout;
                case ErrorKind.NotImplemented: return ErrorCategory.NotImplemented;
                case ErrorKind.ReadError: return ErrorCategory.ReadError;
                case ErrorKind.WriteError: return ErrorCategory.WriteError;
                default: return ErrorCategory.InvalidOperation;
            }
        }

        /// <summary>
        /// The one -Path (wildcards) / -LiteralPath resolver of the module: literal paths (and paths that came from a piped
        /// result object) are taken as given, each pattern is expanded by the provider; only file-system files come out.
        /// A path that is not on the file system, does not exist or is not a file, and a pattern without wildcards that
        /// matches nothing, is a non-terminating error for that item only (<paramref name="notFoundErrorId"/>).
        /// </summary>
        protected IEnumerable<string> ResolveFilePaths(string[]? paths, string[]? literalPaths, string notFoundErrorId = ErrorIds.FileNotFound, PSObject? piped = null)
        {
            if (PathCameFromPipedObject(piped, paths)) literalPaths = paths;
            bool literal = literalPaths != null;
            bool inFileSystem = literal && CurrentLocationTakesFullPathsAsGiven();
            foreach (var path in literalPaths ?? paths ?? Array.Empty<string>())
            {
                var resolved = new List<string>();
                try
                {
                    if (literal)
                    {
                        var full = FileSystemPathAsGiven(path, inFileSystem) ?? GetUnresolvedProviderPathFromPSPath(path);
                        if (!System.IO.File.Exists(full))
                            throw new ProvisioningException(notFoundErrorId, ErrorKind.ObjectNotFound, $"'{full}' does not exist.", full);
                        resolved.Add(full);
                    }
                    else
                    {
                        foreach (var full in GetResolvedProviderPathFromPSPath(path, out var provider))
                        {
                            if (provider.Name != "FileSystem")
                                throw new ProvisioningException(ErrorIds.NotAFileSystemPath, ErrorKind.InvalidArgument, $"'{path}' is not a file-system path.", path);
                            if (System.IO.File.Exists(full)) resolved.Add(full);
                        }
                        if (resolved.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(path))
                            throw new ProvisioningException(notFoundErrorId, ErrorKind.ObjectNotFound, $"'{path}' is not a file.", path);
                    }
                }
                catch (ProvisioningException ex) { WriteProvisioningError(ex, path); continue; }
                catch (ItemNotFoundException)
                {
                    WriteProvisioningError(new ProvisioningException(notFoundErrorId, ErrorKind.ObjectNotFound,
                        WildcardPattern.ContainsWildcardCharacters(path) ? $"No file matches '{path}'." : $"'{path}' does not exist.", path), path);
                    continue;
                }
                foreach (var r in resolved) yield return r;
            }
        }

        /// <summary>
        /// The file-system path a literal path names when that needs no provider: a full path given while the current
        /// location is on the file system, or one qualified with the FileSystem provider (what Get-ChildItem's results
        /// bind as PSPath). Null for anything else (a drive, ~, a relative path), which PowerShell resolves. Asking
        /// PowerShell looked up the drive of every path, reading the mount table each time: a quarter of a 10,000-file
        /// run's time on the pipeline thread.
        /// </summary>
        internal static string? FileSystemPathAsGiven(string path, bool currentLocationIsFileSystem)
        {
            foreach (var qualifier in FileSystemQualifiers)
                if (path.StartsWith(qualifier, StringComparison.OrdinalIgnoreCase))
                {
                    var native = path.Substring(qualifier.Length);
                    return IsFullyQualified(native) ? System.IO.Path.GetFullPath(native) : null;
                }
            return currentLocationIsFileSystem && path.IndexOf("::", StringComparison.Ordinal) < 0 && IsFullyQualified(path) ? System.IO.Path.GetFullPath(path) : null;
        }

        /// <summary>On the file system, and (off Windows) on the drive of '/': a drive rooted elsewhere reads '/x' from its own root.</summary>
        private bool CurrentLocationTakesFullPathsAsGiven()
        {
            var here = SessionState.Path.CurrentLocation;
            return here.Provider.Name == "FileSystem" && (System.IO.Path.DirectorySeparatorChar != '/' || here.Drive?.Root == "/");
        }

        private static readonly string[] FileSystemQualifiers = { @"Microsoft.PowerShell.Core\FileSystem::", "FileSystem::" };

        /// <summary>Rooted with no drive or share left to resolve: /srv/tftp/a.xml; C:\tftp\a.xml or \\server\share\a.xml on Windows.</summary>
        private static bool IsFullyQualified(string path)
        {
            // Off Windows PowerShell reads '\' in a file-system path as '/': such a path is left to it.
            if (System.IO.Path.DirectorySeparatorChar == '/') return path.Length > 0 && path[0] == '/' && path.IndexOf('\\') < 0;
            if (path.Length >= 3 && char.IsLetter(path[0]) && path[1] == ':' && (path[2] == '\\' || path[2] == '/')) return true;
            return path.Length >= 3 && (path[0] == '\\' || path[0] == '/') && (path[1] == '\\' || path[1] == '/') && path[2] != '?' && path[2] != '.';
        }

        /// <summary>
        /// True when -Path was bound by property name from a piped object (our result objects name their file by a Path
        /// property): such a path names one existing file and is taken literally, so a result for 'desk[1].xml' is never
        /// read as the wildcard 'desk1.xml'. A piped string stays a pattern, as with Get-Item.
        /// </summary>
        protected static bool PathCameFromPipedObject(PSObject? piped, string[]? paths)
        {
            if (piped == null || piped.BaseObject is string || paths == null || paths.Length != 1) return false;
            var value = piped.Properties["Path"]?.Value;
            if (value is PSObject ps) value = ps.BaseObject;
            return value is string text && string.Equals(text, paths[0], StringComparison.Ordinal);
        }

        /// <summary>Converts a -Variable hashtable to string pairs (values through PowerShell's own ToString).</summary>
        protected static IEnumerable<KeyValuePair<string, string>> ToPairs(IDictionary? table)
        {
            if (table == null) yield break;
            foreach (DictionaryEntry e in table)
                yield return new KeyValuePair<string, string>(
                    LanguagePrimitives.ConvertTo<string>(e.Key), e.Value == null ? string.Empty : LanguagePrimitives.ConvertTo<string>(e.Value));
        }

        private sealed class CmdletOperationLog : IOperationLog
        {
            private readonly ProvisioningCmdlet _cmdlet;
            public CmdletOperationLog(ProvisioningCmdlet cmdlet) { _cmdlet = cmdlet; }
            public void Verbose(string message) => _cmdlet.WriteVerbose(message);
            public void Warning(string message) => _cmdlet.WriteWarning(message);
            public void Progress(string activity, long done, long? total)
            {
                var record = new ProgressRecord(Math.Abs(activity.GetHashCode() % 1000) + 1, activity,
                    total.HasValue ? $"{done} of {total}" : $"{done}");
                if (total.HasValue && total.Value > 0) record.PercentComplete = (int)Math.Min(100, done * 100 / total.Value);
                _cmdlet.WriteProgress(record);
            }
        }
    }
}
