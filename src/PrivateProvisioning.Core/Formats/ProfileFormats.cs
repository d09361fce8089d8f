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

        /// <summary>The writer for a format.</summary>
        public static IProfileFormatWriter GetWriter(ProfileFormat format) => format switch
        {
            ProfileFormat.CiscoSpa => CiscoSpaWriter,
            _ => throw NotYet(format),
        };

        /// <summary>The reader for a format (troubleshooting, diffs, -WhatIf).</summary>
        public static IProfileFormatReader GetReader(ProfileFormat format) => format switch
        {
            ProfileFormat.CiscoSpa => CiscoSpaReader,
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
