using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Protection;
using PrivateProvisioning.Internal;

namespace PrivateProvisioning.Commands
{
    /// <summary>
    /// What Protect-ProfileFile and Unprotect-ProfileFile share: -Path/-LiteralPath binding (also from our result
    /// objects by their Path property), ShouldProcess per file, and batches that Core's <see cref="ProfileFileProtection"/>
    /// runs in parallel, each one while the pipeline thread resolves the paths of the next and writes the results of
    /// the one before in input order (<see cref="PipelinedProtection"/>).
    /// </summary>
    public abstract class ProfileFileCommandBase : ProvisioningCmdlet, IDisposable
    {
        private const int BatchSize = 256;
        private readonly List<ProtectionJob> _batch = new List<ProtectionJob>();
        private ProfileFileProtection? _protection;
        private PipelinedProtection? _batches;
        private bool _stopping;

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
            _batches = new PipelinedProtection(_protection!);
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
            try { StartBatch(); Write(_batches!.Finish()); }
            finally { Dispose(); }
        }

        protected override void StopProcessing() => _stopping = true;

        /// <summary>After the pipeline, also one a downstream Select-Object -First stopped: no batch still writing, keys closed.</summary>
        public void Dispose()
        {
            try { _batches?.Dispose(); }
            finally { _protection?.Dispose(); }
            _batches = null;
            _protection = null;
        }

        /// <summary>Starts the collected batch once the running one is done, then writes the finished one's results.</summary>
        private void StartBatch()
        {
            var jobs = _stopping ? new ProtectionJob[0] : _batch.ToArray();
            _batch.Clear();
            Write(_batches!.StartAfterPrevious(jobs, jobs.Length == 0 || Key == null ? null : SecureStrings.ToUtf8Bytes(Key)));
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
