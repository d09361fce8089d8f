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
    /// New-ProvisioningProfile: whole CSV rows (Import-Csv) in, one configuration file per MAC address out, each
    /// row in its own family unless -Format names one. Rows are rendered in batches in parallel; each file is
    /// confirmed (ShouldProcess) and written on the pipeline thread, in row order; -Prune then removes the
    /// files of retired phones, each confirmed.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "ProvisioningProfile", SupportsShouldProcess = true)]
    [OutputType(typeof(ProvisioningProfileResult), typeof(RemovedProfileFile), typeof(GenerationSummary))]
    public sealed class NewProvisioningProfileCommand : ProvisioningCmdlet
    {
        private const int BatchSize = 256;

        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public PSObject InputObject { get; set; } = null!;

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
        private readonly List<AccountRow> _batch = new List<AccountRow>(BatchSize);
        private int _row;
        private bool _whatIf;

        protected override void BeginProcessing()
        {
            try
            {
                var store = TemplateCmdletSupport.OpenStore(this, Store);
                _whatIf = (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && ((SwitchParameter)w).IsPresent)
                    || (!MyInvocation.BoundParameters.ContainsKey("WhatIf") && LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference")));
                var options = new FleetOptions(GetUnresolvedProviderPathFromPSPath(Destination))
                {
                    Format = MyInvocation.BoundParameters.ContainsKey(nameof(Format)) ? Format : (ProfileFormat?)null,
                    SkipOtherFormats = SkipOtherFormats.IsPresent,
                    FileNameRule = FileName,
                    WhatIf = _whatIf,
                    Prune = Prune.IsPresent,
                    Force = Force.IsPresent,
                    PruneThreshold = PruneThreshold / 100,
                };
                _run = new FleetRun(store, options, Log);
            }
            catch (ProvisioningException ex) { ThrowProvisioningError(ex, Destination); }
        }

        protected override void ProcessRecord()
        {
            _batch.Add(new AccountRow(++_row, Cells(InputObject)));
            if (_batch.Count >= BatchSize) Flush();
        }

        protected override void EndProcessing()
        {
            try
            {
                Flush();
                var plan = _run!.PlanPrune();
                if (plan.Refusal != null) WriteProvisioningError(plan.Refusal, Destination);
                foreach (var file in plan.Files)
                {
                    if (!ShouldProcess(file.Path, $"Remove the file of retired phone {file.MacAddress}") && !_whatIf) continue;
                    try { if (_run.Remove(file) is RemovedProfileFile removed) WriteObject(removed); }
                    catch (ProvisioningException ex) { WriteProvisioningError(ex, file.Path); }
                }
                var summary = _run.Finish();
                WriteVerbose(summary.ToString());
                if (Summary.IsPresent) WriteObject(summary);
            }
            catch (ProvisioningException ex) { WriteProvisioningError(ex, Destination); }
            finally { _run?.Dispose(); }
        }

        protected override void StopProcessing() => _run?.Dispose();

        private void Flush()
        {
            if (_batch.Count == 0) return;
            foreach (var outcome in _run!.GenerateBatch(_batch))
            {
                if (outcome.Skipped) { WriteVerbose($"Row {outcome.RowNumber}: a phone of another format; skipped."); continue; }
                if (outcome.Error != null) { WriteProvisioningError(outcome.Error, "row " + outcome.RowNumber); continue; }
                var result = outcome.Result!;
                if (result.Status == WriteStatus.Unchanged) { WriteObject(result); continue; }
                var changed = result.ChangedParameters.Length > 0 ? " (parameters differ: " + string.Join(", ", result.ChangedParameters) + ")" : "";
                var action = (result.Status == WriteStatus.Created ? "Create" : "Update") + $" {result.Format} profile for {result.MacAddress}{changed}";
                if (ShouldProcess(result.Path, action))
                {
                    try { WriteObject(_run.Commit(outcome)); }
                    catch (ProvisioningException ex) { WriteProvisioningError(ex, result.Path); }
                }
                else if (_whatIf) WriteObject(result);
            }
            Log.Progress("Generating profiles", _row, null);
            _batch.Clear();
        }

        /// <summary>The row's columns: an Import-Csv object's properties, or a hashtable's entries.</summary>
        private static IReadOnlyList<KeyValuePair<string, string>> Cells(PSObject input)
        {
            var cells = new List<KeyValuePair<string, string>>();
            if (input.BaseObject is IDictionary table)
            {
                foreach (DictionaryEntry e in table)
                    cells.Add(new KeyValuePair<string, string>(LanguagePrimitives.ConvertTo<string>(e.Key), e.Value == null ? string.Empty : LanguagePrimitives.ConvertTo<string>(e.Value)));
                return cells;
            }
            foreach (var p in input.Properties)
            {
                if (!p.IsGettable) continue;
                object? value;
                try { value = p.Value; } catch (GetValueException) { continue; }
                cells.Add(new KeyValuePair<string, string>(p.Name, value == null ? string.Empty : LanguagePrimitives.ConvertTo<string>(value)));
            }
            return cells;
        }
    }
}
