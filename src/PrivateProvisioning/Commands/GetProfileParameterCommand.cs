using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Internal;

namespace PrivateProvisioning.Commands
{
    /// <summary>
    /// Reads profile files (any format the module writes) into one object per parameter, for troubleshooting:
    /// what does this file actually set? Secret values stay hidden unless -AsPlainText.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ProfileParameter", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(ProfileParameterInfo))]
    public sealed class GetProfileParameterCommand : ProvisioningCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private WildcardPattern[]? _names;

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>The piped object itself: when -Path came from its Path property, the path is taken literally.</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>The file's format; detected from the content when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public ProfileFormat? Format { get; set; }

        /// <summary>Parameter names to return (wildcards).</summary>
        [Parameter(Position = 1)]
        [SupportsWildcards]
        public string[]? Name { get; set; }

        /// <summary>A Cisco alias map (spec §6.1) to apply to a customer XML.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? AliasMap { get; set; }

        /// <summary>Show the values of passwords and keys too.</summary>
        [Parameter]
        public SwitchParameter AsPlainText { get; set; }

        protected override void BeginProcessingCore()
        {
            if (Name == null) return;
            _names = new WildcardPattern[Name.Length];
            for (int i = 0; i < Name.Length; i++) _names[i] = new WildcardPattern(Name[i], WildcardOptions.IgnoreCase);
        }

        protected override void ProcessRecordCore()
        {
            foreach (var file in ResolveFiles())
            {
                try
                {
                    byte[] content;
                    try { content = File.ReadAllBytes(file); }
                    catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                    {
                        throw new ProvisioningException(ErrorIds.ProfileFileUnreadable, ErrorKind.ReadError, $"{file}: {ex.Message}", file, ex);
                    }
                    foreach (var parameter in ProfileFileReader.Read(content, file, Format, AliasMap, AsPlainText.IsPresent, Log))
                        if (Matches(parameter.Name)) WriteObject(parameter);
                }
                catch (ProvisioningException ex)
                {
                    WriteProvisioningError(ex, file);
                }
            }
        }

        private bool Matches(string name)
        {
            if (_names == null) return true;
            foreach (var pattern in _names) if (pattern.IsMatch(name)) return true;
            return false;
        }

        private IEnumerable<string> ResolveFiles() =>
            ResolveFilePaths(ParameterSetName == LiteralPathSet ? null : Path, ParameterSetName == LiteralPathSet ? LiteralPath : null, ErrorIds.ProfileFileNotFound, InputObject);
    }
}
