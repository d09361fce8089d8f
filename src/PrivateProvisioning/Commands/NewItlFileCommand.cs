using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security;
using PrivateProvisioning.Internal;

namespace PrivateProvisioning.Commands
{
    /// <summary>New-ItlFile: an ITLFile.tlv / CTLFile.tlv signed by the (first) SAST certificate.</summary>
    [Cmdlet(VerbsCommon.New, "ItlFile", SupportsShouldProcess = true)]
    [OutputType(typeof(ItlFileInfo))]
    public sealed class NewItlFileCommand : ProvisioningCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        public string Path { get; set; } = "";

        /// <summary>SAST certificates (PEM paths or X509Certificate2); the first signs and needs its private key.</summary>
        [Parameter(Mandatory = true)]
        public object[] Sast { get; set; } = Array.Empty<object>();

        [Parameter] public object[]? Ccm { get; set; }
        [Parameter] public object[]? CcmTftp { get; set; }
        [Parameter] public object[]? Tftp { get; set; }
        [Parameter] public object[]? Capf { get; set; }
        [Parameter] public object[]? AppServer { get; set; }
        [Parameter] public object[]? Tvs { get; set; }

        /// <summary>Records in an exact order (written after the role parameters' records).</summary>
        [Parameter(ValueFromPipeline = true)]
        public ItlEntry[]? Entry { get; set; }

        /// <summary>Password of an encrypted SAST key.</summary>
        [Parameter] public SecureString? Password { get; set; }

        [Parameter] public CiscoDigest Digest { get; set; }

        [Parameter]
        [ValidateSet("1.0", "1.1")]
        public string? SignerVersion { get; set; }

        /// <summary>The name stored in the header; ITLFile.tlv for per-phone ITLSEP&lt;MAC&gt;.tlv files.</summary>
        [Parameter] public string? FileName { get; set; }

        /// <summary>The signing time stored in the header (default: now), for reproducible files.</summary>
        [Parameter] public DateTimeOffset? Timestamp { get; set; }

        /// <summary>Replaces an existing file with other content; without it such a file is kept and the call fails.</summary>
        [Parameter] public SwitchParameter Force { get; set; }

        private readonly List<ItlEntry> _piped = new List<ItlEntry>();

        protected override void ProcessRecordCore()
        {
            if (Entry != null) _piped.AddRange(Entry);
        }

        protected override void EndProcessingCore()
        {
            var password = Password == null ? null : SecureStrings.ToChars(Password);
            try
            {
                var request = new ItlBuildRequest(GetUnresolvedProviderPathFromPSPath(Path))
                {
                    Digest = Bound(nameof(Digest)) ? Digest : (CiscoDigest?)null, SignerVersion = SignerVersion, FileName = FileName, Timestamp = Timestamp, Force = Force.IsPresent,
                };
                foreach (var (values, role) in new[] { (Sast, ItlRole.Sast), (Ccm, ItlRole.Ccm), (CcmTftp, ItlRole.CcmTftp), (Tftp, ItlRole.Tftp),
                    (Capf, ItlRole.Capf), (AppServer, ItlRole.AppServer), (Tvs, ItlRole.Tvs) })
                    foreach (var value in values ?? Array.Empty<object>()) request.Add(role, CertificateArgument.ToSource(this, value));
                foreach (var entry in _piped) request.Add(entry);
                WriteObject(ItlFile.Write(request, password,
                    plan => ShouldProcess(plan.Path, $"Write a trust list of {plan.RecordCount} record(s) signed by {plan.SignerSubject}")));
            }
            catch (ProvisioningException ex) { ThrowProvisioningError(ex, Path); }
            finally { if (password != null) Array.Clear(password, 0, password.Length); }
        }
    }
}
