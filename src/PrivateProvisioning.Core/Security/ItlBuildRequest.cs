using System;
using System.Collections.Generic;

namespace PrivateProvisioning.Core.Security
{
    /// <summary>
    /// A trust list to build, as New-ItlFile and pprov itl build ask for it: records (a role and a certificate) in the
    /// order they are written, the first SAST record signing. Both front ends map their parameters onto it and call
    /// <see cref="ItlFile.Write(ItlBuildRequest, char[], Func{ItlBuildPlan, bool})"/>, which loads the certificates,
    /// checks the rules (a defined role for every record, a SAST to sign) and writes the file.
    /// </summary>
    public sealed class ItlBuildRequest
    {
        private readonly List<(ItlRole Role, CertificateSource? Source, ItlEntry? Entry)> _records = new List<(ItlRole, CertificateSource?, ItlEntry?)>();

        public ItlBuildRequest(string path)
        {
            Path = string.IsNullOrEmpty(path)
                ? throw new ProvisioningException(ErrorIds.FileNameRequired, ErrorKind.InvalidArgument, "The trust list's file name is empty.")
                : System.IO.Path.GetFullPath(path);
        }

        /// <summary>The .tlv file to write (full path).</summary>
        public string Path { get; }

        /// <summary>The signature digest; null: SHA-1.</summary>
        public CiscoDigest? Digest { get; set; }

        /// <summary>"1.0" or "1.1" (needed for EC certificates); null: "1.0".</summary>
        public string? SignerVersion { get; set; }

        /// <summary>The name stored in the header; null: the output's own name (ITLFile.tlv for per-phone ITLSEP&lt;MAC&gt;.tlv files).</summary>
        public string? FileName { get; set; }

        /// <summary>The signing time stored in the header; null: now.</summary>
        public DateTimeOffset? Timestamp { get; set; }

        /// <summary>Replace an existing file with other content.</summary>
        public bool Force { get; set; }

        /// <summary>A certificate in a role; records are written in the order they are added.</summary>
        public void Add(ItlRole role, CertificateSource source) =>
            _records.Add((role, source ?? throw new ArgumentNullException(nameof(source)), null));

        /// <summary>A certificate in a role as admins spell it (SAST, CCM, CCM+TFTP, TFTP, CAPF, APP-SERVER, TVS).</summary>
        public void Add(string role, CertificateSource source) => Add(ItlFile.ParseRole(role), source);

        /// <summary>A record already built (New-ItlFile -Entry).</summary>
        public void Add(ItlEntry entry) =>
            _records.Add(((entry ?? throw new ArgumentNullException(nameof(entry))).Role, null, entry));

        internal IReadOnlyList<(ItlRole Role, CertificateSource? Source, ItlEntry? Entry)> Records => _records;

        /// <summary>Every record's role must be one the format defines; a SAST certificate file must be there to sign.</summary>
        internal void Validate()
        {
            foreach (var record in _records)
                if (!Enum.IsDefined(typeof(ItlRole), record.Role))
                    throw ItlFile.InvalidRole(ItlFile.RoleName((int)record.Role));
            if (!_records.Exists(r => r.Role == ItlRole.Sast && r.Source != null))
                throw new ProvisioningException(ErrorIds.SastRequired, ErrorKind.InvalidArgument, "Give at least one SAST certificate: the first one signs the file.")
                    .About(RequestParameter.Sast);
        }
    }

    /// <summary>What is about to be written, for the caller's confirmation (ShouldProcess).</summary>
    public sealed class ItlBuildPlan
    {
        internal ItlBuildPlan(string path, int recordCount, string signerSubject)
        {
            Path = path;
            RecordCount = recordCount;
            SignerSubject = signerSubject;
        }

        public string Path { get; }
        public int RecordCount { get; }
        public string SignerSubject { get; }
    }
}
