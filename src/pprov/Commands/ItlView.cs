using System;
using System.Collections.Generic;
using System.Linq;
using PrivateProvisioning.Core.Security;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>JSON shape of a trust list (certificates as base64 DER).</summary>
    internal sealed class ItlView
    {
        public string Path { get; set; } = "";
        public string? Status { get; set; }
        public string? FileName { get; set; }
        public string Version { get; set; } = "";
        public string? SignerVersion { get; set; }
        public int HeaderLength { get; set; }
        public string? SignerName { get; set; }
        public string? IssuerName { get; set; }
        public string SerialNumber { get; set; } = "";
        public string Digest { get; set; } = "";
        public DateTimeOffset? Timestamp { get; set; }
        public bool SignatureValid { get; set; }
        public int Length { get; set; }
        public List<RecordView> Records { get; set; } = new List<RecordView>();

        public static ItlView From(ItlFileInfo info) => new ItlView
        {
            Path = info.Path, Status = info.Status?.ToString(), FileName = info.FileName, Version = info.Version, SignerVersion = info.SignerVersion,
            HeaderLength = info.HeaderLength, SignerName = info.SignerName, IssuerName = info.IssuerName, SerialNumber = info.SerialNumber,
            Digest = info.Digest.ToString(), Timestamp = info.Timestamp, SignatureValid = info.SignatureValid, Length = info.Length,
            Records = info.Records.Select(r => new RecordView
            {
                Role = r.RoleName, RecordLength = r.RecordLength, Subject = r.Subject, Issuer = r.Issuer, SerialNumber = r.SerialNumber,
                DnsName = r.DnsName, IPAddress = r.IPAddress, KeyAlgorithm = r.KeyAlgorithm?.ToString(), Thumbprint = r.Thumbprint,
                Certificate = r.Certificate == null ? null : Convert.ToBase64String(r.Certificate.RawData),
            }).ToList(),
        };

        internal sealed class RecordView
        {
            public string Role { get; set; } = "";
            public int RecordLength { get; set; }
            public string? Subject { get; set; }
            public string? Issuer { get; set; }
            public string? SerialNumber { get; set; }
            public string? DnsName { get; set; }
            public string? IPAddress { get; set; }
            public string? KeyAlgorithm { get; set; }
            public string? Thumbprint { get; set; }
            public string? Certificate { get; set; }
        }
    }
}
