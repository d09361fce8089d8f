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
    /// New-ProvisioningProfile: whole CSV rows (Import-Csv) in, one configuration file per MAC address out.
    /// Rows are rendered in batches in parallel; each file is confirmed (ShouldProcess) and written on the
    /// pipeline thread, in row order.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "ProvisioningProfile", SupportsShouldProcess = true)]
    [OutputType(typeof(ProvisioningProfileResult))]
    public sealed class NewProvisioningProfileCommand : ProvisioningCmdlet
    {
        private const int BatchSize = 256;

        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public PSObject InputObject { get; set; } = null!;

        [Parameter(Mandatory = true, Position = 0)]
        public ProfileFormat Format { get; set; }

        [Parameter(Mandatory = true, Position = 1)]
        public string Destination { get; set; } = null!;

        [Parameter]
        public string? Store { get; set; }

        [Parameter]
        public string? FileName { get; set; }

        private ProfileGenerator? _generator;
        private readonly List<AccountRow> _batch = new List<AccountRow>(BatchSize);
        private int _row;
        private bool _whatIf;

        protected override void BeginProcessing()
        {
            try
            {
                var store = TemplateCmdletSupport.OpenStore(this, Store);
                var writer = ProfileFormats.GetWriter(Format);
                _whatIf = (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && ((SwitchParameter)w).IsPresent)
                    || (!MyInvocation.BoundParameters.ContainsKey("WhatIf") && LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference")));
                IProfileFormatReader? reader = null;
                try { reader = ProfileFormats.GetReader(Format); } catch (ProvisioningException) { /* no diff for this format */ }
                var options = new GenerationOptions(Format, GetUnresolvedProviderPathFromPSPath(Destination)) { FileNameRule = FileName, WhatIf = _whatIf };
                _generator = new ProfileGenerator(new TemplateResolver(store), writer, reader, options);
            }
            catch (ProvisioningException ex) { ThrowProvisioningError(ex, Destination); }
        }

        protected override void ProcessRecord()
        {
            _batch.Add(new AccountRow(++_row, Cells(InputObject)));
            if (_batch.Count >= BatchSize) Flush();
        }

        protected override void EndProcessing() => Flush();

        private void Flush()
        {
            if (_batch.Count == 0) return;
            foreach (var outcome in _generator!.GenerateBatch(_batch, write: false))
            {
                if (outcome.Skipped) { WriteVerbose($"Row {outcome.RowNumber}: its Format column names another format; skipped."); continue; }
                if (outcome.Error != null) { WriteProvisioningError(outcome.Error, "row " + outcome.RowNumber); continue; }
                var result = outcome.Result!;
                if (result.Status == WriteStatus.Unchanged) { WriteObject(result); continue; }
                var changed = result.ChangedParameters.Length > 0 ? " (parameters differ: " + string.Join(", ", result.ChangedParameters) + ")" : "";
                var action = (result.Status == WriteStatus.Created ? "Create" : "Update") + $" {Format} profile for {result.MacAddress}{changed}";
                if (ShouldProcess(result.Path, action))
                {
                    try { WriteObject(_generator.Commit(outcome)); }
                    catch (ProvisioningException ex) { WriteProvisioningError(ex, result.Path); }
                }
                else if (_whatIf) WriteObject(result);
            }
            Log.Progress("Generating " + Format + " profiles", _row, null);
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
