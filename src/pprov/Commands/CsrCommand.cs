using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security;
using PrivateProvisioning.Core.Security.Enrollment;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>pprov csr new | decrypt | approve: certificate requests from key pair to &lt;username&gt;.pem.</summary>
    public sealed class CsrCommand : ICliCommand
    {
        public Command Build()
        {
            var command = new Command("csr", "Create, decrypt and approve certificate requests (client certificates <username>.pem).");
            command.Subcommands.Add(BuildNew());
            command.Subcommands.Add(CsrDecrypt.Build());
            command.Subcommands.Add(CsrApprove.Build());
            return command;
        }

        private static Command BuildNew()
        {
            var output = new Argument<string>("OUT.csr") { Description = "The PEM request to write; the key goes beside it as OUT.key (owner-only)." };
            var cn = new Option<string>("--cn") { Description = "Common Name: the server FQDN, or the client's user name.", Required = true };
            var org = new Option<string?>("--org") { Description = "Organization (O)." };
            var ou = new Option<string?>("--ou") { Description = "Organizational unit (OU)." };
            var country = new Option<string?>("--country") { Description = "Country (C), two letters." };
            var state = new Option<string?>("--state") { Description = "State or province (ST)." };
            var locality = new Option<string?>("--locality") { Description = "Locality (L)." };
            var email = new Option<string?>("--email") { Description = "E-mail address (emailAddress)." };
            var street = new Option<string?>("--street") { Description = "Street." };
            var postalCode = new Option<string?>("--postal-code") { Description = "Postal code." };
            var title = new Option<string?>("--title") { Description = "Title." };
            var san = new Option<string[]>("--san") { Description = "Subject alternative name (repeatable): host, IP, DNS:x, IP:x or email:x.", AllowMultipleArgumentsPerToken = false };
            var keyAlgorithm = new Option<CertificateRequestKeyAlgorithm>("--key-algorithm") { Description = "Rsa2048 (default), Rsa3072, Rsa4096, EcP256 or EcP384.", DefaultValueFactory = _ => CertificateRequestGenerator.DefaultKeyAlgorithm };
            var key = new Option<string?>("--key") { Description = "Where to write the private key (default: OUT.key)." };
            var force = new Option<bool>("--force") { Description = "Replace an existing request and key." };
            var json = new Option<bool>("--json") { Description = "Print the result as one JSON object." };
            var command = new Command("new", "Make a key pair and a PKCS#10 request (like openssl req -new).")
            {
                output, cn, org, ou, country, state, locality, email, street, postalCode, title, san, keyAlgorithm, key, force, json,
            };
            command.SetAction(parse =>
            {
                var cli = new CliOutput(parse.GetValue(json));
                return EnrollmentCli.Run(cli, () =>
                {
                    var subject = new CertificateSubject(parse.GetValue(cn)!, parse.GetValue(org), parse.GetValue(ou), parse.GetValue(country),
                        parse.GetValue(state), parse.GetValue(locality), parse.GetValue(street), parse.GetValue(postalCode), parse.GetValue(title), parse.GetValue(email));
                    var result = CertificateRequestGenerator.Write(parse.GetValue(output)!, parse.GetValue(key), subject,
                        parse.GetValue(keyAlgorithm), parse.GetValue(san) ?? Array.Empty<string>(), parse.GetValue(force));
                    cli.Result(result, $"{result.Status.ToString().ToLowerInvariant()} {result.Path} (key {result.KeyPath}): {result.Subject}, {result.KeyAlgorithm}");
                });
            });
            return command;
        }
    }
}
