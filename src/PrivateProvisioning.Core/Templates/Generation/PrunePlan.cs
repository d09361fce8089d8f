using System.Collections.Generic;

namespace PrivateProvisioning.Core.Templates.Generation
{
    /// <summary>What a prune would remove: the recorded files of phones no longer in the list, or why it will not.</summary>
    public sealed class PrunePlan
    {
        internal PrunePlan(IReadOnlyList<RemovedProfileFile> files, int retiredPhones, int recordedPhones, ProvisioningException? refusal)
        {
            Files = files;
            RetiredPhones = retiredPhones;
            RecordedPhones = recordedPhones;
            Refusal = refusal;
        }

        /// <summary>The files to remove, each phone's generated file first and then its derived copies; empty when refused.</summary>
        public IReadOnlyList<RemovedProfileFile> Files { get; }
        public int RetiredPhones { get; }
        /// <summary>The phones the record of written files knew before this run.</summary>
        public int RecordedPhones { get; }
        /// <summary>Why nothing will be removed (threshold, unreadable rows, no record); null when the prune may go ahead.</summary>
        public ProvisioningException? Refusal { get; }
    }
}
