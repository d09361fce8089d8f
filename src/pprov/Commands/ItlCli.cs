using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Linq;
using System.Text;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>How pprov spells trust lists: digests and ROLE=FILE records in, the text and JSON views of a trust list out.</summary>
    internal static class ItlCli
    {
        public const string EntryOption = "--entry";

        public static readonly (string Option, ItlRole Role, string Description)[] RoleOptions =
        {
            ("--sast", ItlRole.Sast, "SAST certificate PEM; the first one signs (key + certificate). At most 2."),
            ("--ccm", ItlRole.Ccm, "Certificate in the CCM role (SIP over TLS)."),
            ("--ccm-tftp", ItlRole.CcmTftp, "Certificate in the CCM+TFTP role."),
            ("--tftp", ItlRole.Tftp, "Certificate in the TFTP role (RSA: signs configs; EC: HTTPS provisioning, needs --version 1.1)."),
            ("--capf", ItlRole.Capf, "Certificate in the CAPF role."),
            ("--app-server", ItlRole.AppServer, "Certificate in the APP-SERVER role (HTTPS phone services)."),
            ("--tvs", ItlRole.Tvs, "Certificate in the TVS role."),
        };

        /// <summary>Role options and --entry in the order they appear on the command line: records are written in that order (a null role: ROLE=FILE).</summary>
        public static IEnumerable<(ItlRole? Role, string Value)> RecordsInCommandLineOrder(ParseResult parse)
        {
            var tokens = parse.Tokens;
            for (int i = 0; i < tokens.Count - 1; i++)
            {
                if (tokens[i].Type != TokenType.Option || tokens[i + 1].Type != TokenType.Argument) continue;
                if (tokens[i].Value == EntryOption) yield return (null, tokens[i + 1].Value);
                foreach (var r in RoleOptions)
                    if (tokens[i].Value == r.Option) yield return (r.Role, tokens[i + 1].Value);
            }
        }

        /// <summary>The role of a ROLE=FILE record (Core parses the role's name).</summary>
        public static string EntryRole(string entry) => entry.IndexOf('=') is int at && at > 0 ? entry.Substring(0, at)
            : throw new ProvisioningException(ErrorIds.InvalidRole, ErrorKind.InvalidArgument, $"'{entry}' is not a record: write ROLE=FILE, such as CCM=ccm.pem.", entry);

        public static string EntryFile(string entry) => entry.Substring(entry.IndexOf('=') + 1);

        /// <summary>--digest's spelling; null when not given (Core's default then applies).</summary>
        internal static CiscoDigest? ParseDigest(string? text) =>
            text == null ? (CiscoDigest?)null
            : string.Equals(text, "sha512", StringComparison.OrdinalIgnoreCase) ? CiscoDigest.Sha512
            : string.Equals(text, "sha1", StringComparison.OrdinalIgnoreCase) ? CiscoDigest.Sha1
            : throw new ProvisioningException(ErrorIds.DigestUnsupported, ErrorKind.InvalidArgument, $"The digest '{text}' is not supported; use sha1 or sha512.", text);

        public static string Describe(ItlFileInfo info)
        {
            var sb = new StringBuilder();
            sb.AppendLine($"{info.Path}");
            sb.AppendLine($"  Version:          {info.Version}");
            sb.AppendLine($"  Header Length:    {info.HeaderLength} bytes");
            if (info.SignerVersion != null) sb.AppendLine($"  Signer Version:   {info.SignerVersion}");
            sb.AppendLine($"  Signer Name:      {info.SignerName}");
            sb.AppendLine($"  Issuer Name:      {info.IssuerName}");
            sb.AppendLine($"  Serial Number:    {info.SerialNumber}");
            sb.AppendLine($"  Digest Algorithm: {info.Digest.ToString().ToUpperInvariant()}");
            sb.AppendLine($"  Signature:        {info.SignatureLength} bytes");
            sb.AppendLine($"  Filename:         {info.FileName}");
            if (info.Timestamp != null) sb.AppendLine($"  Timestamp:        {info.Timestamp.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC");
            foreach (var r in info.Records)
            {
                sb.AppendLine();
                sb.AppendLine($"  Record Length:    {r.RecordLength} bytes");
                if (r.DnsName != null) sb.AppendLine($"  DNS Name:         {r.DnsName}");
                if (r.Subject != null) sb.AppendLine($"  Subject Name:     {r.Subject}");
                sb.AppendLine($"  Role:             {r.RoleName}");
                if (r.Issuer != null) sb.AppendLine($"  Issuer Name:      {r.Issuer}");
                if (r.SerialNumber != null) sb.AppendLine($"  Serial Number:    {r.SerialNumber}");
                if (r.PublicKeyLength > 0) sb.AppendLine($"  Public Key:       {r.PublicKeyLength} bytes");
                if (r.SignatureLength > 0) sb.AppendLine($"  Signature:        {r.SignatureLength} bytes");
                if (r.Certificate != null) sb.AppendLine($"  Certificate:      {r.Certificate.RawData.Length} bytes");
                if (r.KeyAlgorithm != null) sb.AppendLine($"  Key Algorithm:    {(r.KeyAlgorithm == CertificateKeyAlgorithm.Rsa ? "RSA" : "EC")}");
                if (r.Thumbprint != null) sb.AppendLine($"  Certificate Hash: {r.Thumbprint}");
                if (r.IPAddress != null) sb.AppendLine($"  IP Address:       {r.IPAddress}");
            }
            sb.AppendLine();
            sb.Append(info.SignatureValid ? "Valid signature" : "Invalid signature");
            return sb.ToString();
        }
    }
}
