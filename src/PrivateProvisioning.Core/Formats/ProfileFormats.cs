using System;

namespace PrivateProvisioning.Core.Formats
{
    /// <summary>
    /// The writer and reader for each <see cref="ProfileFormat"/>. Writers and readers are stateless and safe
    /// to share between threads, so the registry hands out one instance of each.
    /// </summary>
    public static class ProfileFormats
    {
        private static readonly IProfileFormatWriter CiscoSpaWriter = new CiscoFlatProfileWriter();
        private static readonly IProfileFormatReader CiscoSpaReader = new CiscoFlatProfileReader();
        private static readonly IProfileFormatWriter CiscoSepWriter = new CiscoSepConfigWriter();
        private static readonly IProfileFormatReader CiscoSepReader = new CiscoSepConfigReader();
        private static readonly IProfileFormatWriter PrivateWaveWriter = new PrivateWaveSettingsWriter();
        private static readonly IProfileFormatReader PrivateWaveReader = new PrivateWaveSettingsReader();
        private static readonly IProfileFormatWriter LinphoneWriter = new LinphoneConfigWriter();
        private static readonly IProfileFormatReader LinphoneReader = new LinphoneConfigReader();
        private static readonly IProfileFormatWriter PanasonicWriter = new PanasonicConfigWriter();
        private static readonly IProfileFormatReader PanasonicReader = new PanasonicConfigReader();

        /// <summary>The writer for a format.</summary>
        public static IProfileFormatWriter GetWriter(ProfileFormat format) => format switch
        {
            ProfileFormat.CiscoSpa => CiscoSpaWriter,
            ProfileFormat.Panasonic => PanasonicWriter,
            ProfileFormat.CiscoSep => CiscoSepWriter,
            ProfileFormat.PrivateWave => PrivateWaveWriter,
            ProfileFormat.Linphone => LinphoneWriter,
            _ => throw Unknown(format),
        };

        /// <summary>The reader for a format (troubleshooting, diffs, -WhatIf).</summary>
        public static IProfileFormatReader GetReader(ProfileFormat format) => format switch
        {
            ProfileFormat.CiscoSpa => CiscoSpaReader,
            ProfileFormat.Panasonic => PanasonicReader,
            ProfileFormat.CiscoSep => CiscoSepReader,
            ProfileFormat.PrivateWave => PrivateWaveReader,
            ProfileFormat.Linphone => LinphoneReader,
            _ => throw Unknown(format),
        };

        /// <summary>
        /// The parameters a document renders to, named exactly as the format's reader reports them (it renders
        /// and reads back, writing nothing): what -WhatIf and ProfileDiff compare against the file on disk.
        /// </summary>
        /// <exception cref="ProvisioningException">The same errors Render would give for the document.</exception>
        public static System.Collections.Generic.IReadOnlyList<System.Collections.Generic.KeyValuePair<string, string>> ExpectedParameters(
            ProfileFormat format, ProfileDocument document)
            => GetReader(format).Parse(GetWriter(format).Render(document), "(rendered profile)");

        private static Exception Unknown(ProfileFormat format) =>
            new ProvisioningException(ErrorIds.UnknownProfileFormat, ErrorKind.InvalidArgument,
                $"'{format}' is not a profile format; use one of {string.Join(", ", Enum.GetNames(typeof(ProfileFormat)))}.");
    }
}
