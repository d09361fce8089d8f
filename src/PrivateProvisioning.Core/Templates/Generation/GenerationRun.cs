using System;
using System.Collections.Generic;
using System.Globalization;
using PrivateProvisioning.Core.Formats;

namespace PrivateProvisioning.Core.Templates.Generation
{
    /// <summary>
    /// One generation run, fed a row at a time: the single road from rows to files for both front ends
    /// (`pprov generate` pulls rows from a CSV through <see cref="ProfileGenerator.Generate"/>; New-ProvisioningProfile
    /// pushes pipeline rows from ProcessRecord). Rows are batched; a full batch is rendered in parallel and comes
    /// back in row order. Under WhatIf nothing is written. With a confirmation (ShouldProcess), each file to create
    /// or update is confirmed and written on the caller's thread, in row order. The generation state (unchanged
    /// re-runs answered without rendering) is consulted and kept on either road. Progress goes to the log after
    /// each batch (a percentage when the front end knows the row count), and a group without a template
    /// assignment is warned about once, naming the group.
    /// </summary>
    public sealed class GenerationRun : IDisposable
    {
        private static readonly IReadOnlyList<GenerationOutcome> Nothing = Array.Empty<GenerationOutcome>();

        private readonly ProfileGenerator _generator;
        private readonly IOperationLog _log;
        private readonly Func<ProvisioningProfileResult, bool>? _confirm;
        private readonly List<AccountRow> _batch;
        private readonly HashSet<string> _warnedGroups = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly string _activity;
        private long _done;
        private bool _finished;

        /// <param name="confirm">Asked for each file to be created or updated (also under WhatIf, where nothing is written whatever it says); null writes without asking.</param>
        public GenerationRun(ProfileGenerator generator, IOperationLog? log = null, Func<ProvisioningProfileResult, bool>? confirm = null)
        {
            _generator = generator;
            _log = log ?? NullOperationLog.Instance;
            _confirm = confirm;
            _batch = new List<AccountRow>(generator.Options.BatchSize);
            _activity = "Generating " + generator.Format.ToString() + " profiles";
            foreach (var warning in generator.Store.LiteralSecretWarnings()) _log.Warning(warning);
            if (generator.StateProblem != null) _log.Verbose(generator.StateProblem);
            generator.SweepStaleTemporaryFiles();
        }

        /// <summary>The number of rows the run will get, when the front end knows it: progress then has a percentage.</summary>
        public long? ExpectedRows { get; set; }

        /// <summary>The activity progress is reported under ("Generating CiscoSpa profiles").</summary>
        public string Activity => _activity;

        /// <summary>Rows taken so far.</summary>
        public long RowsDone => _done + _batch.Count;

        /// <summary>True when unchanged rows are answered from a generation state.</summary>
        public bool KeepsState => _generator.KeepsState;

        /// <summary>Takes a row; returns the outcomes of a batch when this row filled one (in row order), else nothing.</summary>
        public IReadOnlyList<GenerationOutcome> Add(AccountRow row)
        {
            if (_finished) throw new InvalidOperationException("the run is complete");
            _batch.Add(row);
            return _batch.Count >= _generator.Options.BatchSize ? Flush() : Nothing;
        }

        /// <summary>Generates the last rows and keeps the generation state; the run is over.</summary>
        public IReadOnlyList<GenerationOutcome> Complete()
        {
            if (_finished) return Nothing;
            var last = Flush();
            _finished = true;
            _generator.CommitState(); // only after every row: an interrupted run keeps the last state
            if (_generator.KeepsState)
                _log.Verbose($"generation state: {_generator.StateHitCount.ToString(CultureInfo.InvariantCulture)} of {_done.ToString(CultureInfo.InvariantCulture)} rows unchanged since the last run without rendering.");
            _generator.DisposeState();
            return last;
        }

        /// <summary>Ends the run; without <see cref="Complete"/> (an error, Ctrl+C) the last state is kept as it was.</summary>
        public void Dispose()
        {
            _finished = true;
            _generator.DisposeState();
        }

        private IReadOnlyList<GenerationOutcome> Flush()
        {
            if (_batch.Count == 0) return Nothing;
            bool whatIf = _generator.Options.WhatIf;
            var outcomes = _generator.GenerateBatch(_batch, write: _confirm == null && !whatIf);
            if (_confirm != null)
            {
                foreach (var o in outcomes)
                {
                    if (o.Error != null || o.Skipped || o.Result == null || o.Result.Status == WriteStatus.Unchanged) continue;
                    if (!_confirm(o.Result)) { if (!whatIf) o.Declined = true; continue; }
                    if (whatIf) continue;
                    try { _generator.Commit(o); }
                    catch (ProvisioningException ex) { o.Error = ex; o.Result = null; }
                }
            }
            _generator.Remembered(outcomes);
            foreach (var o in outcomes)
                if (o.UnassignedGroup != null && _warnedGroups.Add(o.UnassignedGroup))
                    _log.Warning($"Group '{o.UnassignedGroup}' (row {o.RowNumber.ToString(CultureInfo.InvariantCulture)}) has no template assigned, so its rows get the template 'default'. " +
                        "Assign one (Set-ProvisioningGroup, pprov group set) or correct the Group column.");
            _done += _batch.Count;
            _batch.Clear();
            _log.Progress(_activity, _done, ExpectedRows);
            return outcomes;
        }
    }
}
