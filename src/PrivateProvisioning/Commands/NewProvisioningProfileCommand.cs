using System;
using System.Collections.Generic;
using System.Management.Automation;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Core.Templates;
using PrivateProvisioning.Core.Templates.Generation;
using PrivateProvisioning.Internal;
using PrivateProvisioning.Templates;

namespace PrivateProvisioning.Commands
{
    /// <summary>New-ProvisioningProfile: rows (Import-Csv objects, hashtables, or -AccountsPath read by Core) in, one file per MAC out.
    /// It maps its parameters onto Core's request (FleetOptions) and pushes rows into Core's one driver (FleetRun), as pprov generate
    /// does; it adds ShouldProcess per file to write and per file to prune, in row order.</summary>
    [Cmdlet(VerbsCommon.New, "ProvisioningProfile", SupportsShouldProcess = true, DefaultParameterSetName = InputSet)]
    [OutputType(typeof(ProvisioningProfileResult), typeof(RemovedProfileFile), typeof(GenerationSummary))]
    public sealed class NewProvisioningProfileCommand : ProvisioningCmdlet, IDisposable
    {
        private const string InputSet = "InputObject", PathSet = "AccountsPath";

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputSet), AllowNull, AllowEmptyCollection]
        public PSObject?[] InputObject { get; set; } = null!;
        [Parameter(Mandatory = true, ParameterSetName = PathSet), Alias("Accounts")] public string AccountsPath { get; set; } = null!;
        [Parameter(Position = 0)] public ProfileFormat Format { get; set; } // optional: without it, each row in its own family
        [Parameter(Mandatory = true, Position = 1)] public string Destination { get; set; } = null!;
        [Parameter] public string? Store { get; set; }
        [Parameter] public string? FileName { get; set; }
        [Parameter] public string? StatePath { get; set; }
        [Parameter] public SwitchParameter NoState { get; set; }
        [Parameter] public SwitchParameter SkipOtherFormats { get; set; }
        [Parameter] public SwitchParameter Prune { get; set; }
        [Parameter] public SwitchParameter Force { get; set; }
        [Parameter, ValidateRange(0, 100)] public double PruneThreshold { get; set; } = FleetOptions.DefaultPruneThresholdPercent;
        [Parameter] public SwitchParameter Summary { get; set; }
        private FleetRun? _run;
        private GenerationProgressLog? _log;
        private int _row;
        private readonly Dictionary<int, object> _pending = new Dictionary<int, object>(); // rows not yet reported (one batch): an error's target

        protected override void BeginProcessingCore()
        {
            try
            {
                var options = new FleetOptions(GetUnresolvedProviderPathFromPSPath(Destination))
                {
                    Format = MyInvocation.BoundParameters.ContainsKey(nameof(Format)) ? Format : (ProfileFormat?)null,
                    SkipOtherFormats = SkipOtherFormats.IsPresent, FileNameRule = FileName,
                    WhatIf = ConfirmationProbe.Switch(this, "WhatIf", "WhatIfPreference"),
                    // The existing file is parsed only where the confirmation message shows which parameters change.
                    ListChangedParameters = ConfirmationProbe.Switch(this, "Confirm", null),
                    KeepState = !NoState.IsPresent, StateFile = StatePath != null ? GetUnresolvedProviderPathFromPSPath(StatePath) : null,
                    Prune = Prune.IsPresent, Force = Force.IsPresent, PruneThresholdPercent = PruneThreshold,
                };
                // Without a question to ask per file, rows are written in parallel as pprov writes them.
                _run = new FleetRun(TemplateCmdletSupport.OpenStore(this, Store), options, _log = new GenerationProgressLog(this), ConfirmationProbe.AsksEachItem(this) ? ConfirmFile : (Func<ProvisioningProfileResult, bool>?)null);
                // Given as an argument (not piped), the array is the whole input: progress can show a percentage.
                if (ParameterSetName == InputSet && MyInvocation.BoundParameters.ContainsKey(nameof(InputObject))) _run.ExpectedRows = InputObject?.Length ?? 0;
            }
            catch (ProvisioningException ex) { ThrowProvisioningError(ex, Destination); }
        }

        protected override void ProcessRecordCore()
        {
            if (ParameterSetName == PathSet)
            {
                // Core reads the file as a stream (no PSObject per row), counted first; or its run memo answers a re-run.
                try { foreach (var row in _run!.ReadAccounts(GetUnresolvedProviderPathFromPSPath(AccountsPath), countFirst: true, replayed: Report)) Take(row, row); }
                catch (ProvisioningException ex) { ThrowProvisioningError(ex, AccountsPath); }
                catch (Exception ex) when (ex is ItemNotFoundException || ex is DriveNotFoundException || ex is ProviderNotFoundException)
                {
                    ThrowProvisioningError(new ProvisioningException(ErrorIds.CsvFileUnreadable, ErrorKind.ObjectNotFound, $"Cannot read the CSV file '{AccountsPath}': {ex.Message}", AccountsPath), AccountsPath);
                }
                return;
            }
            foreach (var item in InputObject ?? Array.Empty<PSObject?>())
                if (item != null) Take(new AccountRow(++_row, RowCells.Of(item)), item);
        }

        protected override void EndProcessingCore()
        {
            if (_run == null) return;
            Report(_run.Complete()); _log!.Completed(_run.Activity);
            try
            {
                var plan = _run.PlanPrune();
                if (plan.Refusal != null) WriteProvisioningError(plan.Refusal, Destination);
                foreach (var file in plan.Files)
                {
                    var action = $"Remove the file of retired phone {file.MacAddress}" + (file.NeedsForce ? " (only with -Force: the prune is refused)" : "");
                    if (!ShouldProcess(file.Path, action) && !_run.Options.WhatIf) continue;
                    try { if (_run.Remove(file) is RemovedProfileFile removed) WriteObject(removed); }
                    catch (ProvisioningException ex) { WriteProvisioningError(ex, file.Path); }
                }
                var summary = _run.Finish();
                WriteVerbose(summary.ToString()); if (Summary.IsPresent) WriteObject(summary);
            }
            catch (ProvisioningException ex) { WriteProvisioningError(ex, Destination); }
        }

        public void Dispose() => _run?.Dispose();

        private void Take(AccountRow row, object input) { _pending[row.RowNumber] = input; Report(_run!.Add(row)); }

        private bool ConfirmFile(ProvisioningProfileResult r) => ShouldProcess(r.Path, (r.Status == WriteStatus.Created ? "Create" : "Update") + $" {r.Format} profile for {r.MacAddress}"
            + (r.ChangedParameters.Length > 0 ? " (parameters differ: " + string.Join(", ", r.ChangedParameters) + ")" : ""));

        private void Report(IEnumerable<GenerationOutcome> outcomes)
        {
            foreach (var outcome in outcomes)
            {
                _pending.TryGetValue(outcome.RowNumber, out var input); _pending.Remove(outcome.RowNumber);
                if (outcome.Skipped) { WriteVerbose($"Row {outcome.RowNumber}: a phone of another format; skipped."); continue; }
                if (outcome.Error != null) { WriteProvisioningError(outcome.Error, RowCells.Masked(input, AccountsPath)); continue; }
                if (!outcome.Declined && outcome.Result != null) WriteObject(outcome.Result);
            }
        }
    }
}
