using System;
using PrivateProvisioning.Core.Formats;

namespace PrivateProvisioning.Core.Templates.Generation
{
    /// <summary>Options of one run over a whole account list (every family, or one), with the optional prune of retired phones.</summary>
    public sealed class FleetOptions
    {
        public FleetOptions(string destination) { Destination = destination; }

        public string Destination { get; }
        /// <summary>
        /// Null: each row's family comes from its Format column, else its Model through the model catalogue, and
        /// each family's files get their own default names in the one destination. Set: only that family is
        /// generated; rows of another family are errors, or skipped with <see cref="SkipOtherFormats"/>.
        /// </summary>
        public ProfileFormat? Format { get; set; }
        public bool SkipOtherFormats { get; set; }
        /// <summary>Macro-expanded file-name rule for every family; null: each family's own rule ($MA.xml, SEP$MAU.cnf.xml...).</summary>
        public string? FileNameRule { get; set; }
        public bool WhatIf { get; set; }
        /// <summary>Read existing files to list the parameters an update changes (always under WhatIf; for a confirmation message otherwise).</summary>
        public bool ListChangedParameters { get; set; }
        public int MaxDegreeOfParallelism { get; set; } = Math.Max(1, Environment.ProcessorCount);
        public int BatchSize { get; set; } = 1024;
        /// <summary>Keep a generation state per family (see <see cref="GenerationOptions.StateFile"/>); with <see cref="StateFile"/> null, in its default place.</summary>
        public bool KeepState { get; set; }
        /// <summary>An explicit state file; for a run of every family each family's state is this path plus ".FORMAT".</summary>
        public string? StateFile { get; set; }
        /// <summary>After the run, remove the files earlier runs wrote into the destination for phones no longer in the list.</summary>
        public bool Prune { get; set; }
        /// <summary>Prune even beyond <see cref="PruneThreshold"/> or with rows whose MAC address cannot be read.</summary>
        public bool Force { get; set; }
        /// <summary>The largest share of the recorded phones a prune removes without <see cref="Force"/> (default 0.10); one phone is always allowed.</summary>
        public double PruneThreshold { get; set; } = 0.10;
        /// <summary>Where the record of written files is kept; null: its default place outside the destination (see <see cref="WrittenFilesRecordPath"/>).</summary>
        public string? RecordFile { get; set; }

        /// <summary>The record of what our runs wrote into <paramref name="destination"/>: %LOCALAPPDATA%\PrivateProvisioning on Windows, $XDG_STATE_HOME/pprov (else ~/.local/state/pprov) elsewhere.</summary>
        public static string? WrittenFilesRecordPath(string destination) => WrittenFilesRecord.DefaultPath(destination);

        internal string? StateFileFor(ProfileFormat format)
        {
            if (!KeepState || WhatIf) return null;
            if (StateFile != null) return Format.HasValue ? StateFile : StateFile + "." + format;
            return GenerationOptions.DefaultStateFile(Destination, format);
        }

        internal void Validate()
        {
            if (SkipOtherFormats && !Format.HasValue)
                throw new ProvisioningException(ErrorIds.SkipOtherFormatsWithoutFormat, ErrorKind.InvalidArgument,
                    "Skipping rows of other formats needs a format to keep; without one, every row's own format is generated.");
            if (PruneThreshold < 0 || PruneThreshold > 1 || double.IsNaN(PruneThreshold))
                throw new ProvisioningException(ErrorIds.InvalidPruneThreshold, ErrorKind.InvalidArgument,
                    "The prune threshold is a share of the fleet between 0 and 1 (0.10 is 10%).");
        }
    }
}
