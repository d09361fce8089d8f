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

        [Parameter] public CiscoDigest Digest { get; set; } = CiscoDigest.Sha1;

        [Parameter]
        [ValidateSet("1.0", "1.1")]
        public string SignerVersion { get; set; } = "1.0";

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
            var credentials = new List<PemCredential>();
            try
            {
                var entries = new List<ItlEntry>();
                PemCredential? signer = null;
                void Add(object[]? values, ItlRole role)
                {
                    if (values == null) return;
                    foreach (var value in values)
                    {
                        var credential = CertificateArgument.Load(this, value, role == ItlRole.Sast && signer == null ? Password : null);
                        credentials.Add(credential);
                        if (role == ItlRole.Sast && signer == null) signer = credential;
                        entries.Add(new ItlEntry(credential.Certificate, role));
                    }
                }
                Add(Sast, ItlRole.Sast);
                Add(Ccm, ItlRole.Ccm);
                Add(CcmTftp, ItlRole.CcmTftp);
                Add(Tftp, ItlRole.Tftp);
                Add(Capf, ItlRole.Capf);
                Add(AppServer, ItlRole.AppServer);
                Add(Tvs, ItlRole.Tvs);
                entries.AddRange(_piped);
                if (signer == null)
                    throw new ProvisioningException(ErrorIds.SastRequired, ErrorKind.InvalidArgument, "Give at least one SAST certificate (-Sast): the first one signs the file.");
                var path = GetUnresolvedProviderPathFromPSPath(Path);
                using var cisco = new CiscoSigner(signer!, Digest, "signing trust lists");
                var whatIf = !ShouldProcess(path, $"Write a trust list of {entries.Count} record(s) signed by {signer!.Certificate.Subject}");
                WriteObject(ItlFile.Write(path, cisco, entries, FileName, SignerVersion, Timestamp, whatIf, Force));
            }
            catch (ProvisioningException ex) { ThrowProvisioningError(ex, Path); }
            finally
            {
                foreach (var c in credentials) c.Dispose();
            }
        }
    }
}
