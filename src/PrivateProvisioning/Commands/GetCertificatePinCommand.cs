using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security.Enrollment;
using PrivateProvisioning.Internal;

namespace PrivateProvisioning.Commands
{
    /// <summary>Get-CertificatePin: base64(sha256(SubjectPublicKeyInfo)), as the openssl pipeline prints it.</summary>
    [Cmdlet(VerbsCommon.Get, "CertificatePin", DefaultParameterSetName = "Path")]
    [OutputType(typeof(CertificatePin))]
    public sealed class GetCertificatePinCommand : ProvisioningCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Path", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        public string[] Path { get; set; } = null!;

        [Parameter(Mandatory = true, ParameterSetName = "LiteralPath", ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP", "FullName")]
        public string[] LiteralPath { get; set; } = null!;

        /// <summary>A certificate object (by value only, so result objects with a Path bind to -Path).</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Certificate", ValueFromPipeline = true)]
        public X509Certificate2 Certificate { get; set; } = null!;

        private bool _pathTyped;

        // Only the command line is bound here: a -Path bound later came from the pipeline.
        protected override void BeginProcessingCore() => _pathTyped = MyInvocation.BoundParameters.ContainsKey(nameof(Path));

        protected override void ProcessRecordCore()
        {
            if (ParameterSetName == "Certificate")
            {
                WriteObject(CertificatePins.FromCertificate(Certificate));
                return;
            }
            var paths = ParameterSetName == "Path" ? Path : null;
            var literalPaths = ParameterSetName == "LiteralPath" ? LiteralPath : null;
            // A piped -Path that names an existing file (the Path of an issued certificate) is taken literally, so
            // desk[1].pem is never read as the wildcard desk1.pem. (A hidden -InputObject, as other cmdlets use, would
            // take a piped certificate from -Certificate.) A pattern such as 'a?.pem' names no file and stays a pattern.
            if (paths != null && !_pathTyped && paths.Length == 1 && NamesExistingFile(paths[0])) { literalPaths = paths; paths = null; }
            foreach (var file in ResolveFilePaths(paths, literalPaths))
            {
                try { WriteObject(CertificatePins.FromFile(file)); }
                catch (ProvisioningException ex) { WriteProvisioningError(ex, file); }
            }
        }

        private bool NamesExistingFile(string path)
        {
            try { return System.IO.File.Exists(GetUnresolvedProviderPathFromPSPath(path)); }
            catch (System.Exception ex) when (ex is ProviderNotFoundException || ex is DriveNotFoundException || ex is PSNotSupportedException || ex is System.ArgumentException) { return false; }
        }
    }
}
