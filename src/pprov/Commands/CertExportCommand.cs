using System;
using System.CommandLine;
using PrivateProvisioning.Core.Security.Enrollment;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>pprov cert export: DER for phones and pinning downloads, PEM without the key, or a password-protected PFX.</summary>
    public sealed class CertExportCommand : ICliSubcommand
    {
        public string Parent => "cert";
        public string ParentDescription => "Create and export certificates.";

        public Command Build()
        {
            var input = new Argument<string>("CERT") { Description = "The certificate (PEM or DER; for pfx with its key, or a .key beside it)." };
            var format = new Option<CertificateExportFormat>("--format") { Description = "der, pem or pfx.", Required = true };
            var output = new Option<string?>("--out") { Description = "The file to write (default: CERT with the format's extension)." };
            var key = new Option<string?>("--key") { Description = "The private key for pfx, when not in CERT nor beside it." };
            var keyPasswordEnv = new Option<string?>("--key-password-env") { Description = "Environment variable holding the password of an encrypted key." };
            var keyPasswordFile = new Option<string?>("--key-password-file") { Description = "File holding the password of an encrypted key." };
            var passwordEnv = new Option<string?>("--password-env") { Description = "Environment variable holding the PFX password." };
            var passwordFile = new Option<string?>("--password-file") { Description = "File holding the PFX password." };
            var json = new Option<bool>("--json") { Description = "Print the result as one JSON object." };
            var command = new Command("export", "Convert a certificate to DER (openssl x509 -outform der), PEM or PFX.")
            {
                input, format, output, key, keyPasswordEnv, keyPasswordFile, passwordEnv, passwordFile, json,
            };
            command.SetAction(parse =>
            {
                var cli = new CliOutput(parse.GetValue(json));
                return EnrollmentCli.Run(cli, () =>
                {
                    byte[]? pfxPassword = null, keyPassword = null;
                    try
                    {
                        pfxPassword = SecretInput.Read(parse.GetValue(passwordFile), parse.GetValue(passwordEnv), "PFX password");
                        keyPassword = SecretInput.Read(parse.GetValue(keyPasswordFile), parse.GetValue(keyPasswordEnv), "key password");
                        var result = CertificateExporter.Export(parse.GetValue(input)!, parse.GetValue(format), parse.GetValue(output),
                            pfxPassword, parse.GetValue(key), keyPassword);
                        cli.Result(result, $"{result.Status.ToString().ToLowerInvariant()} {result.Path} ({result.Format}): {result.Subject}");
                    }
                    finally
                    {
                        if (pfxPassword != null) Array.Clear(pfxPassword, 0, pfxPassword.Length);
                        if (keyPassword != null) Array.Clear(keyPassword, 0, keyPassword.Length);
                    }
                });
            });
            return command;
        }
    }
}
