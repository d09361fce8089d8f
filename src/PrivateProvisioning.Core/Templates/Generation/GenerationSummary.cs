using System;

namespace PrivateProvisioning.Core.Templates.Generation
{
    /// <summary>
    /// The last word of a generation run, for a scheduler: what it did to the destination and the exit code
    /// to act on (0 all good, 1 some rows or the prune failed, 2 nothing done).
    /// </summary>
    public sealed class GenerationSummary
    {
        internal GenerationSummary(int created, int updated, int unchanged, int removed, int failed, int skipped, TimeSpan elapsed, bool whatIf, bool pruneRefused)
        {
            Created = created;
            Updated = updated;
            Unchanged = unchanged;
            Removed = removed;
            Failed = failed;
            Skipped = skipped;
            Elapsed = elapsed;
            WhatIf = whatIf;
            PruneRefused = pruneRefused;
        }

        public int Created { get; }
        public int Updated { get; }
        public int Unchanged { get; }
        /// <summary>Files of retired phones removed (or, under WhatIf, that would be), derived copies included.</summary>
        public int Removed { get; }
        /// <summary>Rows that produced no file (each reported as an error), plus files a prune could not remove.</summary>
        public int Failed { get; }
        /// <summary>Rows of other formats skipped on request.</summary>
        public int Skipped { get; }
        public TimeSpan Elapsed { get; }
        public bool WhatIf { get; }
        /// <summary>A prune was asked for and refused (threshold, unreadable rows, no record): nothing was removed.</summary>
        public bool PruneRefused { get; }

        /// <summary>0: every row and the prune succeeded; 1: some failed but something was done; 2: nothing done (no row generated, nothing removed).</summary>
        public int ExitCode
        {
            get
            {
                int done = Created + Updated + Unchanged + Removed;
                if (Failed == 0 && !PruneRefused && done + Skipped > 0) return 0;
                return done > 0 ? 1 : 2;
            }
        }

        public override string ToString() =>
            $"{(WhatIf ? "what-if: " : "")}{Created} created, {Updated} updated, {Unchanged} unchanged, {Failed} failed, {Removed} removed" +
            (Skipped > 0 ? $", {Skipped} rows of other formats skipped" : "") + $" in {Elapsed.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} s";
    }
}
