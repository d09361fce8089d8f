using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using System.Threading.Tasks;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Protection;
using PrivateProvisioning.Internal;

namespace PrivateProvisioning.Commands
{
    /// <summary>
    /// What Protect-ProfileFile and Unprotect-ProfileFile share: -Path/-LiteralPath binding (also from our result
    /// objects by their Path property), ShouldProcess per file, and batches that Core's <see cref="ProfileFileProtection"/>
    /// runs in parallel while results are written in input order on the pipeline thread. A batch runs on the worker
    /// threads while the pipeline thread resolves the paths of the next one and writes the results of the one before:
    /// waiting for each batch before taking the next paths left both cores idle for a third of a 10,000-file run.
    /// </summary>
    public abstract class ProfileFileCommandBase : ProvisioningCmdlet, IDisposable
    {
        private const int BatchSize = 256;
        private readonly List<ProtectionJob> _batch = new List<ProtectionJob>();
        private ProfileFileProtection? _protection;
        private bool _stopping;
        /// <summary>The batch on the worker threads, and its key bytes (cleared once it is done).</summary>
        private Task<ProtectionOutcome[]>? _running;
        private byte[]? _runningKey;

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Path", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        [Parameter(Mandatory = true, ParameterSetName = "LiteralPath", ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>The piped object itself: when -Path came from its Path property, the path is taken literally.</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>The key: an openssl passphrase, or the RFC 8188 input keying material.</summary>
        [Parameter]
        public SecureString? Key { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Destination { get; set; }

        [Parameter]
        [AllowEmptyString]
        public string? Extension { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>"Protect" / "Unprotect" for the ShouldProcess sentence.</summary>
        protected abstract string ActionVerb { get; }

        /// <summary>Maps the parameters onto Core's request and opens it (rules and defaults are Core's).</summary>
        protected abstract ProfileFileProtection Open(string? destinationFolder);

        protected override void BeginProcessingCore()
        {
            try { _protection = Open(Destination == null ? null : GetUnresolvedProviderPathFromPSPath(Destination)); }
            catch (ProvisioningException ex) { ThrowProvisioningError(ex); }
        }

        protected override void ProcessRecordCore()
        {
            foreach (var source in ResolveFilePaths(ParameterSetName == "LiteralPath" ? null : Path, ParameterSetName == "LiteralPath" ? LiteralPath : null, ErrorIds.SourceNotFound, InputObject))
            {
                string destination;
                try { destination = _protection!.DestinationFor(source); }
                catch (ProvisioningException ex) { WriteProvisioningError(ex, source); continue; }
                if (!ShouldProcess(destination, $"{ActionVerb} '{source}' into")) continue;
                _batch.Add(new ProtectionJob(source, destination));
                if (_batch.Count >= BatchSize) StartBatch();
            }
        }

        protected override void EndProcessingCore()
        {
            try
            {
                StartBatch();
                Write(TakeFinished());
            }
            finally { Dispose(); }
        }

        protected override void StopProcessing() => _stopping = true;

        /// <summary>
        /// After the pipeline (also when a downstream command stopped it, as Select-Object -First does): waits for a
        /// batch still running, so no file is being written once the command is over, then closes the keys.
        /// </summary>
        public void Dispose()
        {
            try { _running?.Wait(); }
            catch (AggregateException) { } // its outcomes are no longer wanted; its error was a bug already reported or moot
            finally
            {
                _running = null;
                ClearRunningKey();
                _protection?.Dispose();
                _protection = null;
            }
        }

        /// <summary>Waits for the running batch, starts the collected one, then writes the finished one's results while the new one runs.</summary>
        private void StartBatch()
        {
            var finished = TakeFinished();
            if (_batch.Count > 0 && !_stopping)
            {
                var jobs = _batch.ToArray();
                var protection = _protection!;
                var key = _runningKey = Key == null ? null : SecureStrings.ToUtf8Bytes(Key);
                _running = Task.Run(() => protection.Run(jobs, key));
            }
            _batch.Clear();
            Write(finished);
        }

        /// <summary>The running batch's outcomes once it is done (none when no batch runs); a bug in it is rethrown here.</summary>
        private ProtectionOutcome[] TakeFinished()
        {
            var running = _running;
            if (running == null) return Array.Empty<ProtectionOutcome>();
            _running = null;
            try { return running.GetAwaiter().GetResult(); }
            finally { ClearRunningKey(); }
        }

        private void ClearRunningKey()
        {
            if (_runningKey != null) Array.Clear(_runningKey, 0, _runningKey.Length);
            _runningKey = null;
        }

        private void Write(ProtectionOutcome[] outcomes)
        {
            foreach (var outcome in outcomes)
            {
                if (outcome.Error != null) WriteProvisioningError(outcome.Error, outcome.Job.Source);
                else
                {
                    WriteVerbose($"{outcome.Result!.Status} '{outcome.Result.Path}' ({outcome.Result.Method}).");
                    WriteObject(outcome.Result);
                }
            }
        }
    }
}
