using PrivateProvisioning.Core.Formats;

namespace PrivateProvisioning.Core.Templates.Generation
{
    /// <summary>One generated (or, under -WhatIf, would-be) configuration file. Pipes into Protect-ProfileFile by Path.</summary>
    public sealed class ProvisioningProfileResult
    {
        internal ProvisioningProfileResult(string macAddress, string path, ProfileFormat format, string template, WriteStatus status,
            string sha256, int rowNumber, bool whatIf, string[] changedParameters)
        {
            MacAddress = macAddress;
            Path = path;
            Format = format;
            Template = template;
            Status = status;
            Sha256 = sha256;
            RowNumber = rowNumber;
            WhatIf = whatIf;
            ChangedParameters = changedParameters;
        }

        /// <summary>The phone's MAC address, upper-case with colons (00:0E:08:AB:CD:EF).</summary>
        public string MacAddress { get; }
        public string Path { get; }
        public ProfileFormat Format { get; }
        /// <summary>The template the account resolved to.</summary>
        public string Template { get; }
        public WriteStatus Status { get; }
        /// <summary>SHA-256 of the file's bytes, lower-case hex.</summary>
        public string Sha256 { get; }
        public int RowNumber { get; }
        /// <summary>True when nothing was written (-WhatIf / --what-if).</summary>
        public bool WhatIf { get; }
        /// <summary>Under -WhatIf, for an Updated file: the parameters whose values would change (names only, never values).</summary>
        public string[] ChangedParameters { get; }
    }
}
