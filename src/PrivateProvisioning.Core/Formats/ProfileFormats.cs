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
        private static readonly IProfileFormatWriter PanasonicWriter = new PanasonicConfigWriter();
        private static readonly IProfileFormatReader PanasonicReader = new PanasonicConfigReader();

        /// <summary>The writer for a format.</summary>
        public static IProfileFormatWriter GetWriter(ProfileFormat format) => format switch
        {
            ProfileFormat.CiscoSpa => CiscoSpaWriter,
            ProfileFormat.Panasonic => PanasonicWriter,
            ProfileFormat.CiscoSep => CiscoSepWriter,
            ProfileFormat.PrivateWave => PrivateWaveWriter,
            _ => throw NotYet(format),
        };

        /// <summary>The reader for a format (troubleshooting, diffs, -WhatIf).</summary>
        public static IProfileFormatReader GetReader(ProfileFormat format) => format switch
        {
            ProfileFormat.CiscoSpa => CiscoSpaReader,
            ProfileFormat.Panasonic => PanasonicReader,
            ProfileFormat.CiscoSep => CiscoSepReader,
            ProfileFormat.PrivateWave => PrivateWaveReader,
            _ => throw NotYet(format),
        };

        private static Exception NotYet(ProfileFormat format)
        {
            if (!Enum.IsDefined(typeof(ProfileFormat), format))
                return new ProvisioningException("UnknownProfileFormat", ErrorKind.InvalidArgument,
                    $"'{format}' is not a profile format; use one of {string.Join(", ", Enum.GetNames(typeof(ProfileFormat)))}.");
            return new ProvisioningException("FormatNotAvailable", ErrorKind.NotImplemented,
                $"The {format} format has no writer in this build yet.");
        }
    }
}
