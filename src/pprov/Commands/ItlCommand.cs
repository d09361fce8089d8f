using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Linq;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>pprov itl build / itl show: Cisco ITLFile.tlv and CTLFile.tlv trust lists.</summary>
    public sealed class ItlCommand : ICliCommand
    {
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
            var roleOptions = ItlCli.RoleOptions.Select(r => new Option<string[]>(r.Option)
            {
                Description = r.Description, Required = r.Role == ItlRole.Sast, AllowMultipleArgumentsPerToken = false,
            }).ToList();
            var digest = new Option<string?>("--digest") { Description = "Signature digest: sha1 (default) or sha512." };
            digest.AcceptOnlyFromAmong("sha1", "sha512");
            var version = new Option<string?>("--version") { Description = "Signer version: 1.0 (default) or 1.1 (needed for EC certificates)." };
            version.AcceptOnlyFromAmong("1.0", "1.1");
            var fileName = new Option<string?>("--filename") { Description = "File name stored in the header (ITLFile.tlv for ITLSEP<MAC>.tlv); default the output's name." };
            var timestamp = new Option<long?>("--timestamp") { Description = "Signing time as Unix seconds (default now), for reproducible files." };
            var passwordFile = new Option<string?>("--password-file") { Description = "File holding the password of an encrypted SAST key." };
            var passwordEnv = new Option<string?>("--password-env") { Description = "Environment variable holding the password of an encrypted SAST key." };
            var json = new Option<bool>("--json") { Description = "Print the result as one JSON object." };
            var force = new Option<bool>("--force") { Description = "Replace an existing file with other content (without it the file is kept and the command fails)." };
            var entry = new Option<string[]>(ItlCli.EntryOption) { Description = "A record as ROLE=FILE (SAST, CCM, CCM+TFTP, TFTP, CAPF, APP-SERVER, TVS), like New-ItlFile -Entry.", AllowMultipleArgumentsPerToken = false };

            var command = new Command("build", "Build a trust list; records are written in command-line order.") { output };
            foreach (var o in roleOptions) command.Options.Add(o);
            foreach (var o in new Option[] { entry, digest, version, fileName, timestamp, passwordFile, passwordEnv, force, json }) command.Options.Add(o);
            command.SetAction(parse => CliErrors.Guard(new CliOutput(parse.GetValue(json)), cli =>
            {
                var request = new ItlBuildRequest(parse.GetValue(output)!)
                {
                    Digest = ItlCli.ParseDigest(parse.GetValue(digest)), SignerVersion = parse.GetValue(version), FileName = parse.GetValue(fileName),
                    Timestamp = parse.GetValue(timestamp) is long stamp ? DateTimeOffset.FromUnixTimeSeconds(stamp) : (DateTimeOffset?)null, Force = parse.GetValue(force),
                };
                foreach (var (role, path) in ItlCli.RecordsInCommandLineOrder(parse))
                    if (role == null) request.Add(ItlCli.EntryRole(path), CertificateSource.FromFile(ItlCli.EntryFile(path)));
                    else request.Add(role.Value, CertificateSource.FromFile(path));
                var password = CliCertificates.ReadPassword(parse.GetValue(passwordFile), parse.GetValue(passwordEnv));
                try
                {
                    var info = ItlFile.Write(request, password);
                    cli.Result(ItlView.From(info), $"{info.Status.ToString()!.ToLowerInvariant()} {info.Path}: {info.Records.Count} records ({string.Join(", ", info.Records.Select(r => r.RoleName + " " + r.Subject))}), signed by {info.SignerName}, {info.Length} bytes");
                }
                finally { if (password != null) Array.Clear(password, 0, password.Length); }
                return ExitCodes.Success;
            }));
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
                        cli.Result(ItlView.From(info), ItlCli.Describe(info));
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
    }
}
