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
    /// What Protect-ProfileFile and Unprotect-ProfileFile share: -Path/-LiteralPath binding (also from our
    /// result objects by their Path property), ShouldProcess per file, and batches that Core runs in
    /// parallel while results are written in input order on the pipeline thread.
    /// </summary>
    public abstract class ProfileFileCommandBase : ProvisioningCmdlet
    {
        private const int BatchSize = 256;
        private readonly List<ProtectionJob> _batch = new List<ProtectionJob>();
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

        /// <summary>The output path for one resolved source (Core's naming rules).</summary>
        protected abstract string DestinationFor(string source, string? destinationFolder);

        /// <summary>"Protect" / "Unprotect" for the ShouldProcess sentence.</summary>
        protected abstract string ActionVerb { get; }

        /// <summary>Runs one batch in Core with the unwrapped key.</summary>
        protected abstract ProtectionOutcome[] Run(IReadOnlyList<ProtectionJob> jobs, byte[]? key);

        protected override void ProcessRecordCore()
        {
            string? destinationFolder = Destination == null ? null : GetUnresolvedProviderPathFromPSPath(Destination);
            foreach (var source in ResolveSources())
            {
                string destination;
                try { destination = DestinationFor(source, destinationFolder); }
                catch (ProvisioningException ex) { WriteProvisioningError(ex, source); continue; }
                if (!ShouldProcess(destination, $"{ActionVerb} '{source}' into")) continue;
                _batch.Add(new ProtectionJob(source, destination));
                if (_batch.Count >= BatchSize) Flush();
            }
        }

        protected override void EndProcessingCore() => Flush();

        protected override void StopProcessing() => _stopping = true;

        private void Flush()
        {
            if (_batch.Count == 0 || _stopping) { _batch.Clear(); return; }
            byte[]? key = Key == null ? null : SecureStrings.ToUtf8Bytes(Key);
            ProtectionOutcome[] outcomes;
            try { outcomes = Run(_batch.ToArray(), key); }
            finally
            {
                if (key != null) Array.Clear(key, 0, key.Length);
                _batch.Clear();
            }
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

        private IEnumerable<string> ResolveSources()
        {
            bool literal = ParameterSetName == "LiteralPath" || PathCameFromPipedObject(InputObject, Path);
            foreach (var path in ParameterSetName == "LiteralPath" ? LiteralPath : Path)
            {
                var resolved = new List<string>();
                try
                {
                    if (literal)
                    {
                        var full = GetUnresolvedProviderPathFromPSPath(path);
                        if (!System.IO.File.Exists(full))
                            throw new ProvisioningException(ErrorIds.SourceNotFound, ErrorKind.ObjectNotFound, $"'{full}' does not exist.", full);
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
                            throw new ProvisioningException(ErrorIds.SourceNotFound, ErrorKind.ObjectNotFound, $"'{path}' is not a file.", path);
                    }
                }
                catch (ProvisioningException ex) { WriteProvisioningError(ex, path); continue; }
                catch (ItemNotFoundException)
                {
                    WriteProvisioningError(new ProvisioningException(ErrorIds.SourceNotFound, ErrorKind.ObjectNotFound, $"'{path}' does not exist.", path), path);
                    continue;
                }
                foreach (var r in resolved) yield return r;
            }
        }
    }
}
