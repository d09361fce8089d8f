using System.Management.Automation;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security;
using PrivateProvisioning.Internal;

namespace PrivateProvisioning.Commands
{
    /// <summary>Get-ItlFile: parses ITL/CTL files (any field order), verifies them and returns their records.</summary>
    [Cmdlet(VerbsCommon.Get, "ItlFile", DefaultParameterSetName = "Path")]
    [OutputType(typeof(ItlFileInfo), typeof(ItlRecordInfo))]
    public sealed class GetItlFileCommand : ProvisioningCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Path", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        public string[] Path { get; set; } = System.Array.Empty<string>();

        [Parameter(Mandatory = true, ParameterSetName = "LiteralPath", ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "FullName")]
        public string[] LiteralPath { get; set; } = System.Array.Empty<string>();

        /// <summary>The piped object itself: when -Path came from its Path property, the path is taken literally.</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>Return files whose signature does not verify (SignatureValid false) instead of an error.</summary>
        [Parameter] public SwitchParameter NoVerify { get; set; }

        /// <summary>Write one object per record instead of one per file.</summary>
        [Parameter] public SwitchParameter ExpandRecord { get; set; }

        protected override void ProcessRecordCore()
        {
            foreach (var file in ResolveFilePaths(ParameterSetName == "Path" ? Path : null, ParameterSetName == "Path" ? null : LiteralPath, piped: InputObject))
                ReadOne(file);
        }

        private void ReadOne(string file)
        {
            try
            {
                var info = ItlFile.Load(file, requireValidSignature: !NoVerify);
                if (ExpandRecord) WriteObject(info.Records, enumerateCollection: true);
                else WriteObject(info);
            }
            catch (ProvisioningException ex) { WriteProvisioningError(ex, file); }
        }
    }
}
