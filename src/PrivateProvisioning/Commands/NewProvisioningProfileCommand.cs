using System;
using System.Collections;
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
    /// <summary>
    /// New-ProvisioningProfile: account rows in (Import-Csv objects or hashtables from the pipeline or -InputObject,
    /// or a CSV file read by Core with -AccountsPath), one configuration file per MAC address out. A front end over
    /// Core's GenerationRun, the same road as `pprov generate`: batches rendered in parallel, each file to write
    /// confirmed (ShouldProcess) on the pipeline thread in row order, unchanged re-runs answered from the
    /// generation state where the runtime has one. Without -Format each row goes to its own family; -Prune then
    /// removes the files of retired phones, each confirmed; -Summary writes the run's summary last.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "ProvisioningProfile", SupportsShouldProcess = true, DefaultParameterSetName = InputSet)]
    [OutputType(typeof(ProvisioningProfileResult), typeof(RemovedProfileFile), typeof(GenerationSummary))]
    public sealed class NewProvisioningProfileCommand : ProvisioningCmdlet, IDisposable
    {
        private const string InputSet = "InputObject";
        private const string PathSet = "AccountsPath";

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputSet)]
        [AllowNull, AllowEmptyCollection]
        public PSObject?[] InputObject { get; set; } = null!;

        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [Alias("Accounts")]
        public string AccountsPath { get; set; } = null!;

        /// <summary>Optional: without it every row is generated in its own family.</summary>
        [Parameter(Position = 0)]
        public ProfileFormat Format { get; set; }

        [Parameter(Mandatory = true, Position = 1)]
        public string Destination { get; set; } = null!;

        [Parameter]
        public string? Store { get; set; }

        [Parameter]
        public string? FileName { get; set; }

        [Parameter]
        public string? StatePath { get; set; }

        [Parameter]
        public SwitchParameter NoState { get; set; }

        [Parameter]
        public SwitchParameter SkipOtherFormats { get; set; }

        [Parameter]
        public SwitchParameter Prune { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        [ValidateRange(0, 100)]
        public double PruneThreshold { get; set; } = 10;

        [Parameter]
        public SwitchParameter Summary { get; set; }

        private FleetRun? _run;
        private GenerationLog? _log;
        private bool _whatIf;
        private int _row;
        /// <summary>The input objects of rows not yet reported (at most one batch): an error's target is its row.</summary>
        private readonly Dictionary<int, object> _pending = new Dictionary<int, object>();

        protected override void BeginProcessingCore()
        {
            var destination = GetUnresolvedProviderPathFromPSPath(Destination);
            try
            {
                var store = TemplateCmdletSupport.OpenStore(this, Store);
                _whatIf = Switch("WhatIf", "WhatIfPreference");
                var options = new FleetOptions(destination)
                {
                    Format = MyInvocation.BoundParameters.ContainsKey(nameof(Format)) ? Format : (ProfileFormat?)null,
                    SkipOtherFormats = SkipOtherFormats.IsPresent,
                    FileNameRule = FileName,
                    WhatIf = _whatIf,
                    // The existing file is parsed only where the confirmation message shows which parameters change.
                    ListChangedParameters = Switch("Confirm", null),
                    KeepState = !NoState.IsPresent,
                    StateFile = StatePath != null ? GetUnresolvedProviderPathFromPSPath(StatePath) : null,
                    Prune = Prune.IsPresent,
                    Force = Force.IsPresent,
                    PruneThreshold = PruneThreshold / 100,
                };
                _log = new GenerationLog(this);
                // Without a question to ask per file, rows are written in parallel as pprov writes them.
                _run = new FleetRun(store, options, _log, AsksEachFile() ? ConfirmFile : (Func<ProvisioningProfileResult, bool>?)null);
                // Given as an argument (not piped), the array is the whole input: progress can show a percentage.
                if (ParameterSetName == InputSet && MyInvocation.BoundParameters.ContainsKey(nameof(InputObject)))
                    _run.ExpectedRows = InputObject?.Length ?? 0;
            }
            catch (ProvisioningException ex) { ThrowProvisioningError(ex, Destination); }
        }

        protected override void ProcessRecordCore()
        {
            if (ParameterSetName == PathSet) { GenerateFromFile(); return; }
            if (InputObject == null) return;
            foreach (var item in InputObject)
            {
                if (item == null) continue;
                var row = new AccountRow(++_row, RowCells.Of(item));
                _pending[row.RowNumber] = item;
                Report(_run!.Add(row));
            }
        }

        protected override void EndProcessingCore()
        {
            if (_run == null) return;
            Report(_run.Complete());
            _log!.Completed(_run.Activity);
            try
            {
                var plan = _run.PlanPrune();
                if (plan.Refusal != null) WriteProvisioningError(plan.Refusal, Destination);
                foreach (var file in plan.Files)
                {
                    var action = $"Remove the file of retired phone {file.MacAddress}" + (file.NeedsForce ? " (only with -Force: the prune is refused)" : "");
                    if (!ShouldProcess(file.Path, action) && !_whatIf) continue;
                    try { if (_run.Remove(file) is RemovedProfileFile removed) WriteObject(removed); }
                    catch (ProvisioningException ex) { WriteProvisioningError(ex, file.Path); }
                }
                var summary = _run.Finish();
                WriteVerbose(summary.ToString());
                if (Summary.IsPresent) WriteObject(summary);
            }
            catch (ProvisioningException ex) { WriteProvisioningError(ex, Destination); }
        }

        public void Dispose() => _run?.Dispose();

        /// <summary>-AccountsPath: Core's streaming CSV reader, no PSObject per row; counted first for the percentage.</summary>
        private void GenerateFromFile()
        {
            string path;
            try { path = GetUnresolvedProviderPathFromPSPath(AccountsPath); }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is DriveNotFoundException || ex is ProviderNotFoundException)
            {
                ThrowProvisioningError(new ProvisioningException(ErrorIds.CsvFileUnreadable, ErrorKind.ObjectNotFound, $"Cannot read the CSV file '{AccountsPath}': {ex.Message}", AccountsPath), AccountsPath);
                return;
            }
            try
            {
                long count = 0;
                using (var counting = CsvReader.Open(path))
                    while (counting.Read() != null) count++;
                _run!.ExpectedRows = count;
                using var csv = CsvReader.Open(path);
                foreach (var record in csv.ReadAll())
                {
                    var row = AccountRow.FromCsv(csv.Header, record);
                    _pending[row.RowNumber] = row;
                    Report(_run.Add(row));
                }
            }
            catch (ProvisioningException ex) { ThrowProvisioningError(ex, AccountsPath); }
        }

        private bool ConfirmFile(ProvisioningProfileResult result)
        {
            var changed = result.ChangedParameters.Length > 0 ? " (parameters differ: " + string.Join(", ", result.ChangedParameters) + ")" : "";
            var action = (result.Status == WriteStatus.Created ? "Create" : "Update") + $" {result.Format} profile for {result.MacAddress}{changed}";
            return ShouldProcess(result.Path, action);
        }

        private void Report(IReadOnlyList<GenerationOutcome> outcomes)
        {
            foreach (var outcome in outcomes)
            {
                _pending.TryGetValue(outcome.RowNumber, out var input);
                _pending.Remove(outcome.RowNumber);
                if (outcome.Skipped) { WriteVerbose($"Row {outcome.RowNumber}: a phone of another format; skipped."); continue; }
                if (outcome.Error != null) { WriteProvisioningError(outcome.Error, RowCells.Masked(input, AccountsPath)); continue; }
                if (outcome.Declined || outcome.Result == null) continue;
                WriteObject(outcome.Result);
            }
        }

        /// <summary>
        /// Whether ShouldProcess could do anything but say yes silently: -WhatIf, -Confirm, a $ConfirmPreference at or
        /// below this cmdlet's impact (Medium), or -Verbose (its "Performing the operation" lines). When it cannot,
        /// files are written as `pprov generate` writes them, in parallel within each batch, without asking per file.
        /// </summary>
        private bool AsksEachFile()
        {
            if (_whatIf || Switch("Confirm", null) || Switch("Verbose", null)) return true;
            if (!MyInvocation.BoundParameters.ContainsKey("Verbose") && GetVariableValue("VerbosePreference") is ActionPreference verbose && verbose != ActionPreference.SilentlyContinue) return true;
            return !(GetVariableValue("ConfirmPreference") is ConfirmImpact preference) || preference <= ConfirmImpact.Medium;
        }

        /// <summary>A switch given on the command line, else its preference variable.</summary>
        private bool Switch(string name, string? preference)
        {
            if (MyInvocation.BoundParameters.TryGetValue(name, out var value)) return ((SwitchParameter)value).IsPresent;
            return preference != null && LanguagePrimitives.IsTrue(GetVariableValue(preference));
        }

        /// <summary>Core's log on this cmdlet's streams: progress with a percentage when the row count is known, then a Completed record.</summary>
        private sealed class GenerationLog : IOperationLog
        {
            private const int ActivityId = 1;
            private readonly Cmdlet _cmdlet;
            private bool _shown;

            public GenerationLog(Cmdlet cmdlet) { _cmdlet = cmdlet; }

            public void Verbose(string message) => _cmdlet.WriteVerbose(message);
            public void Warning(string message) => _cmdlet.WriteWarning(message);

            public void Progress(string activity, long done, long? total)
            {
                var record = new ProgressRecord(ActivityId, activity, total.HasValue ? $"{done} of {total} rows" : $"{done} rows");
                if (total.HasValue && total.Value > 0) record.PercentComplete = (int)Math.Min(100, done * 100 / total.Value);
                _cmdlet.WriteProgress(record);
                _shown = true;
            }

            public void Completed(string activity)
            {
                if (!_shown) return;
                _cmdlet.WriteProgress(new ProgressRecord(ActivityId, activity, "Done") { RecordType = ProgressRecordType.Completed });
            }
        }
    }
}
