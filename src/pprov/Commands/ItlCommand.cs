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
    /// <summary>pprov itl build / itl show: Cisco ITLFile.tlv and CTLFile.tlv trust lists.</summary>
    public sealed class ItlCommand : ICliCommand
    {
        private static readonly (string Option, ItlRole Role, string Description)[] RoleOptions =
        {
            ("--sast", ItlRole.Sast, "SAST certificate PEM; the first one signs (key + certificate). At most 2."),
            ("--ccm", ItlRole.Ccm, "Certificate in the CCM role (SIP over TLS)."),
            ("--ccm-tftp", ItlRole.CcmTftp, "Certificate in the CCM+TFTP role."),
            ("--tftp", ItlRole.Tftp, "Certificate in the TFTP role (RSA: signs configs; EC: HTTPS provisioning, needs --version 1.1)."),
            ("--capf", ItlRole.Capf, "Certificate in the CAPF role."),
            ("--app-server", ItlRole.AppServer, "Certificate in the APP-SERVER role (HTTPS phone services)."),
            ("--tvs", ItlRole.Tvs, "Certificate in the TVS role."),
        };

        public Command Build()
        {
            var itl = new Command("itl", "Build and show Cisco ITLFile.tlv / CTLFile.tlv trust lists.");
            itl.Subcommands.Add(BuildCommand());
            itl.Subcommands.Add(ShowCommand());
            return itl;
        }

        private static Command BuildCommand()
        {
            var output = new Argument<string>("OUT") { Description = "The .tlv file to write (ITLFile.tlv, CTLFile.tlv, ITLSEP<MAC>.tlv)." };
            var roleOptions = RoleOptions.Select(r => new Option<string[]>(r.Option)
            {
                Description = r.Description, Required = r.Role == ItlRole.Sast, AllowMultipleArgumentsPerToken = false,
            }).ToList();
            var digest = new Option<string>("--digest") { Description = "Signature digest: sha1 (default) or sha512.", DefaultValueFactory = _ => "sha1" };
            digest.AcceptOnlyFromAmong("sha1", "sha512");
            var version = new Option<string>("--version") { Description = "Signer version: 1.0 (default) or 1.1 (needed for EC certificates).", DefaultValueFactory = _ => "1.0" };
            version.AcceptOnlyFromAmong("1.0", "1.1");
            var fileName = new Option<string?>("--filename") { Description = "File name stored in the header (ITLFile.tlv for ITLSEP<MAC>.tlv); default the output's name." };
            var timestamp = new Option<long?>("--timestamp") { Description = "Signing time as Unix seconds (default now), for reproducible files." };
            var passwordFile = new Option<string?>("--password-file") { Description = "File holding the password of an encrypted SAST key." };
            var passwordEnv = new Option<string?>("--password-env") { Description = "Environment variable holding the password of an encrypted SAST key." };
            var json = new Option<bool>("--json") { Description = "Print the result as one JSON object." };
            var force = new Option<bool>("--force") { Description = "Replace an existing file with other content (without it the file is kept and the command fails)." };

            var command = new Command("build", "Build a trust list; records are written in command-line order.") { output };
            foreach (var o in roleOptions) command.Options.Add(o);
            foreach (var o in new Option[] { digest, version, fileName, timestamp, passwordFile, passwordEnv, force, json }) command.Options.Add(o);
            command.SetAction(parse =>
            {
                var cli = new CliOutput(parse.GetValue(json));
                var credentials = new List<PemCredential>();
                try
                {
                    var entries = new List<ItlEntry>();
                    PemCredential? signer = null;
                    foreach (var (path, role) in RolesInCommandLineOrder(parse))
                    {
                        var credential = role == ItlRole.Sast && signer == null
                            ? CliCredentials.Load(path, null, parse.GetValue(passwordFile), parse.GetValue(passwordEnv))
                            : CertificateSource.FromFile(path).Load();
                        credentials.Add(credential);
                        if (role == ItlRole.Sast && signer == null) signer = credential;
                        entries.Add(new ItlEntry(credential.Certificate, role));
                    }
                    if (signer == null)
                        throw new ProvisioningException(ErrorIds.SastRequired, ErrorKind.InvalidArgument, "Give at least one --sast certificate: the first one signs the file.");
                    using var cisco = new CiscoSigner(signer, ParseDigest(parse.GetValue(digest)!), "signing trust lists");
                    var stamp = parse.GetValue(timestamp);
                    var info = ItlFile.Write(parse.GetValue(output)!, cisco, entries, parse.GetValue(fileName), parse.GetValue(version)!,
                        stamp == null ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeSeconds(stamp.Value), force: parse.GetValue(force));
                    cli.Result(ItlView.From(info), $"{info.Status.ToString()!.ToLowerInvariant()} {info.Path}: {info.Records.Count} records ({string.Join(", ", info.Records.Select(r => r.RoleName + " " + r.Subject))}), signed by {info.SignerName}, {info.Length} bytes");
                    return ExitCodes.Success;
                }
                catch (ProvisioningException ex)
                {
                    cli.Failed(ex);
                    return CliErrors.ExitCodeFor(ex);
                }
                finally
                {
                    foreach (var c in credentials) c.Dispose();
                }
            });
            return command;
        }

        private static Command ShowCommand()
        {
            var files = new Argument<string[]>("FILE") { Description = "The .tlv files to show.", Arity = ArgumentArity.OneOrMore };
            var json = new Option<bool>("--json") { Description = "One JSON object per file." };
            var noVerify = new Option<bool>("--no-verify") { Description = "Show files whose signature does not verify (exit code stays 1)." };
            var command = new Command("show", "Parse trust lists (any field order), verify their signature and list their records.") { files, json, noVerify };
            command.SetAction(parse =>
            {
                var cli = new CliOutput(parse.GetValue(json));
                int exit = ExitCodes.Success;
                foreach (var file in parse.GetValue(files)!)
                {
                    try
                    {
                        var info = ItlFile.Load(file, requireValidSignature: !parse.GetValue(noVerify));
                        cli.Result(ItlView.From(info), Describe(info));
                        if (!info.SignatureValid)
                        {
                            cli.Error($"'{file}': the signature does not verify.");
                            exit = ExitCodes.ItemFailed;
                        }
                    }
                    catch (ProvisioningException ex)
                    {
                        cli.Error(ex);
                        exit = CliErrors.ItemFailed;
                    }
                }
                return exit;
            });
            return command;
        }

        /// <summary>Role options in the order they appear on the command line: tlvfile writes records in that order.</summary>
        private static IEnumerable<(string Path, ItlRole Role)> RolesInCommandLineOrder(ParseResult parse)
        {
            var tokens = parse.Tokens;
            for (int i = 0; i < tokens.Count - 1; i++)
            {
                if (tokens[i].Type != TokenType.Option) continue;
                foreach (var r in RoleOptions)
                    if (tokens[i].Value == r.Option && tokens[i + 1].Type == TokenType.Argument)
                        yield return (tokens[i + 1].Value, r.Role);
            }
        }

        internal static CiscoDigest ParseDigest(string text) =>
            string.Equals(text, "sha512", StringComparison.OrdinalIgnoreCase) ? CiscoDigest.Sha512
            : string.Equals(text, "sha1", StringComparison.OrdinalIgnoreCase) ? CiscoDigest.Sha1
            : throw new ProvisioningException(ErrorIds.DigestUnsupported, ErrorKind.InvalidArgument, $"The digest '{text}' is not supported; use sha1 or sha512.", text);

        private static string Describe(ItlFileInfo info)
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
