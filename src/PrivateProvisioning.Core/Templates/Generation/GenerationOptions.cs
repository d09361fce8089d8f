using System;
using PrivateProvisioning.Core.Formats;

namespace PrivateProvisioning.Core.Templates.Generation
{
    /// <summary>Options of one generation run.</summary>
    public sealed class GenerationOptions
    {
        public GenerationOptions(ProfileFormat format, string destination)
        {
            Format = format;
            Destination = destination;
        }

        public ProfileFormat Format { get; }
        public string Destination { get; }
        /// <summary>Macro-expanded file-name rule ($MA, $MAU, columns); null uses the writer's default.</summary>
        public string? FileNameRule { get; set; }
        /// <summary>Report created/updated/unchanged (and changed parameters) without writing.</summary>
        public bool WhatIf { get; set; }
        public int MaxDegreeOfParallelism { get; set; } = Math.Max(1, Environment.ProcessorCount);
        /// <summary>Rows rendered and written together; bounds memory and keeps results in row order.</summary>
        public int BatchSize { get; set; } = 1024;
        /// <summary>
        /// Where to keep what each file was made from, so that a re-run skips rows whose inputs and file are
        /// unchanged (Linux; see <see cref="DefaultStateFile"/>). Null: every file is rendered and compared.
        /// Not used with <see cref="WhatIf"/>, nor with a file-name rule without the MAC address.
        /// </summary>
        public string? StateFile { get; set; }

        /// <summary>$XDG_CACHE_HOME/pprov (else ~/.cache/pprov)/generate-&lt;destination and format&gt;.state; null where there is no such place or no state support.</summary>
        public static string? DefaultStateFile(string destination, ProfileFormat format)
        {
#if NET
            return GenerationState.Supported ? GenerationState.DefaultPath(destination, format) : null;
#else
            return null;
#endif
        }
    }
}
