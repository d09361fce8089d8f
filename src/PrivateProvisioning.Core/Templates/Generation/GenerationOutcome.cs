using PrivateProvisioning.Core.Formats;

namespace PrivateProvisioning.Core.Templates.Generation
{
    /// <summary>The outcome of one row: a result, or an error naming the row and column.</summary>
    public sealed class GenerationOutcome
    {
        internal GenerationOutcome(int rowNumber) { RowNumber = rowNumber; }

        public int RowNumber { get; }
        public ProvisioningProfileResult? Result { get; internal set; }
        public ProvisioningException? Error { get; internal set; }
        public bool Succeeded => Error == null && Result != null;
        /// <summary>The row's Format column names another format: not this run's business, not an error.</summary>
        public bool Skipped { get; internal set; }
        /// <summary>The front end's confirmation (ShouldProcess) said no: nothing was written and there is nothing to report.</summary>
        public bool Declined { get; internal set; }
        /// <summary>The row's group has no template assigned, so the row got `default` (the run warns once per group).</summary>
        public string? UnassignedGroup { get; internal set; }

        // Kept between preparation and writing; dropped once written.
        internal AccountRecord? Account;
        internal string? Template;
        internal byte[]? Content;
        internal string? Path;
#if NET
        /// <summary>The 128-bit fingerprint of the row's inputs, when a generation state is kept.</summary>
        internal byte[]? InputDigest;
        /// <summary>The record to keep for a file written or compared now (rare on a re-run: boxed, not 96 bytes in every outcome).</summary>
        internal System.Runtime.CompilerServices.StrongBox<GenerationRecord>? StateRecord;
        /// <summary>For a row the state answered: where its unchanged record is among the last run's (-1 otherwise).</summary>
        internal int StateIndex = -1;
#endif
    }
}
