using PrivateProvisioning.Core.Formats;

namespace PrivateProvisioning.Core.Templates.Generation
{
    /// <summary>A file of a retired phone that a prune removed (or, under WhatIf, would remove).</summary>
    public sealed class RemovedProfileFile
    {
        internal RemovedProfileFile(string macAddress, string path, ProfileFormat? format, bool whatIf, string recordedSha256)
        {
            RecordedSha256 = recordedSha256;
            MacAddress = macAddress;
            Path = path;
            Format = format;
            WhatIf = whatIf;
        }

        /// <summary>The retired phone, upper-case with colons.</summary>
        public string MacAddress { get; }
        public string Path { get; }
        /// <summary>The generated file's format; null for a derived copy (.sgn, .enc.sgn, .enc, .gz...) our protection step recorded.</summary>
        public ProfileFormat? Format { get; }
        public bool Derived => Format == null;
        public string Status => "Removed";
        public bool WhatIf { get; }
        /// <summary>Under WhatIf: the prune is refused (threshold, unreadable rows), so this file would go only with -Force/--force.</summary>
        public bool NeedsForce { get; internal set; }
        /// <summary>What we wrote: a file whose bytes differ now is not ours any more.</summary>
        internal string RecordedSha256 { get; }
    }
}
