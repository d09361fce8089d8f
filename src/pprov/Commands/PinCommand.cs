using System.CommandLine;
using PrivateProvisioning.Core.Security.Enrollment;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>pprov pin: the SSL pin (Base64 SHA-256 of the SubjectPublicKeyInfo) of each certificate.</summary>
    public sealed class PinCommand : ICliCommand
    {
        public Command Build()
        {
            var files = new Argument<string[]>("CERT") { Description = "Certificates (PEM or DER); the first certificate of each file is pinned.", Arity = ArgumentArity.OneOrMore };
            var json = new Option<bool>("--json") { Description = "Print one JSON object per certificate." };
            var command = new Command("pin", "Print the SSL pin of a certificate: base64(sha256(SubjectPublicKeyInfo)).") { files, json };
            command.SetAction(parse =>
            {
                var cli = new CliOutput(parse.GetValue(json));
                var inputs = parse.GetValue(files)!;
                return EnrollmentCli.ForEach(cli, inputs, file =>
                {
                    var pin = CertificatePins.FromFile(file);
                    // One file: just the pin, so $(pprov pin server.pem) drops straight into a template.
                    cli.Result(pin, inputs.Length == 1 ? pin.Pin : $"{pin.Pin}  {pin.Path}");
                });
            });
            return command;
        }
    }
}
