using System;
using System.Collections.Generic;

namespace PrivateProvisioning.Core.Templates.Generation
{
    /// <summary>
    /// A run over one prepared <see cref="ProfileGenerator"/> (one family, its own options), fed a row at a time.
    /// Not a second road: it is <see cref="FleetRun"/>, the one driver both front ends use, over that generator
    /// (batches rendered in parallel and returned in row order, a confirmation per file on the caller's thread,
    /// the generation state, progress and the warning per group without a template), without routing rows to
    /// families and without a record of written files.
    /// </summary>
    public sealed class GenerationRun : IDisposable
    {
        private readonly FleetRun _run;

        /// <param name="confirm">Asked for each file to be created or updated (also under WhatIf, where nothing is written whatever it says); null writes without asking.</param>
        public GenerationRun(ProfileGenerator generator, IOperationLog? log = null, Func<ProvisioningProfileResult, bool>? confirm = null)
        {
            _run = new FleetRun(generator, log, confirm);
        }

        /// <summary>The number of rows the run will get, when the front end knows it: progress then has a percentage.</summary>
        public long? ExpectedRows { get => _run.ExpectedRows; set => _run.ExpectedRows = value; }

        /// <summary>The activity progress is reported under ("Generating CiscoSpa profiles").</summary>
        public string Activity => _run.Activity;

        /// <summary>Rows taken so far.</summary>
        public long RowsDone => _run.RowsDone;

        /// <summary>True when unchanged rows are answered from a generation state.</summary>
        public bool KeepsState => _run.KeepsState;

        /// <summary>Takes a row; returns the outcomes of a batch when this row filled one (in row order), else nothing.</summary>
        public IReadOnlyList<GenerationOutcome> Add(AccountRow row) => _run.Add(row);

        /// <summary>Generates the last rows and keeps the generation state; the run is over.</summary>
        public IReadOnlyList<GenerationOutcome> Complete() => _run.Complete();

        /// <summary>Ends the run; without <see cref="Complete"/> (an error, Ctrl+C) the last state is kept as it was.</summary>
        public void Dispose() => _run.Dispose();
    }
}
