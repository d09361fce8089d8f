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
            command.Subcommands.Add(BuildDecrypt());
            command.Subcommands.Add(BuildApprove());
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
            var keyAlgorithm = new Option<CertificateRequestKeyAlgorithm>("--key-algorithm") { Description = "Rsa2048 (default), Rsa3072, Rsa4096, EcP256 or EcP384.", DefaultValueFactory = _ => CertificateRequestKeyAlgorithm.Rsa2048 };
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

        private static Command BuildDecrypt()
        {
            var files = new Argument<string[]>("FILE") { Description = "Encrypted requests (CMS as DER, PEM or S/MIME); plain requests pass through.", Arity = ArgumentArity.OneOrMore };
            var cert = new Option<string>("--cert") { Description = "The server certificate the requests are encrypted to (PEM, with its key or a .key beside it).", Required = true };
            var key = new Option<string?>("--key") { Description = "The server's private key, when not in --cert nor beside it." };
            var passwordEnv = new Option<string?>("--key-password-env") { Description = "Environment variable holding the password of an encrypted key." };
            var passwordFile = new Option<string?>("--key-password-file") { Description = "File holding the password of an encrypted key." };
            var method = new Option<CertificateRequestProtection>("--method") { Description = "The protection scheme (Cms).", DefaultValueFactory = _ => CertificateRequestProtection.Cms };
            var outDir = new Option<string?>("--out") { Description = "Folder for the decrypted requests (NAME.csr); default: beside each input." };
            var force = new Option<bool>("--force") { Description = "Replace an existing decrypted request with other content." };
            var json = new Option<bool>("--json") { Description = "Print one JSON object per request." };
            var command = new Command("decrypt", "Decrypt encrypted certificate requests (CMS EnvelopedData to the server certificate).")
            {
                files, cert, key, passwordEnv, passwordFile, method, outDir, force, json,
            };
            command.SetAction(parse =>
            {
                var cli = new CliOutput(parse.GetValue(json));
                PemCredential? server = null;
                int setup = EnrollmentCli.Run(cli, () => server = EnrollmentCli.LoadWithKey(parse.GetValue(cert)!, parse.GetValue(key),
                    parse.GetValue(passwordFile), parse.GetValue(passwordEnv), "decrypting requests"));
                if (setup != ExitCodes.Success) return setup;
                using (server)
                    return EnrollmentCli.ForEach(cli, parse.GetValue(files)!, file =>
                    {
                        var dir = parse.GetValue(outDir) ?? Path.GetDirectoryName(Path.GetFullPath(file))!;
                        var result = CertificateRequestDecryptor.DecryptFile(file, server!, parse.GetValue(method), dir, parse.GetValue(force));
                        cli.Result(new { result.SourcePath, result.OutputPath, result.Subject, result.CommonName, result.UserName, result.Method, result.WasEncrypted, result.Status },
                            $"{(result.WasEncrypted ? "decrypted" : "plain")} {result.SourcePath} -> {result.OutputPath}: {result.Subject}");
                    });
            });
            return command;
        }

        private static Command BuildApprove()
        {
            var files = new Argument<string[]>("CSR") { Description = "Requests to approve (PEM or DER).", Arity = ArgumentArity.OneOrMore };
            var issuer = new Option<string>("--issuer") { Description = "The CA certificate (PEM, with its key or a .key beside it).", Required = true };
            var key = new Option<string?>("--key") { Description = "The CA's private key, when not in --issuer nor beside it." };
            var passwordEnv = new Option<string?>("--key-password-env") { Description = "Environment variable holding the password of an encrypted CA key." };
            var passwordFile = new Option<string?>("--key-password-file") { Description = "File holding the password of an encrypted CA key." };
            var outDir = new Option<string>("--out") { Description = "Folder for the issued <username>.pem files.", Required = true };
            var days = new Option<int>("--days") { Description = "Validity in days (default 365; never past the CA's own end).", DefaultValueFactory = _ => CertificateRequestApprover.DefaultDays };
            var userName = new Option<string?>("--user-name") { Description = "File name of the certificate (default: the request's CN, sanitized); one request only." };
            var usage = new Option<CertificateUsage>("--usage") { Description = "Client (EKU clientAuth, default) or Server (serverAuth, SANs).", DefaultValueFactory = _ => CertificateUsage.Client };
            var force = new Option<bool>("--force") { Description = "Replace an existing <username>.pem." };
            var json = new Option<bool>("--json") { Description = "Print one JSON object per certificate." };
            var command = new Command("approve", "Verify requests and issue certificates signed by our CA, written as <username>.pem.")
            {
                files, issuer, key, passwordEnv, passwordFile, outDir, days, userName, usage, force, json,
            };
            command.SetAction(parse =>
            {
                var cli = new CliOutput(parse.GetValue(json));
                var inputs = parse.GetValue(files)!;
                if (parse.GetValue(userName) != null && inputs.Length > 1)
                {
                    cli.Error("--user-name names one certificate; give a single request with it.");
                    return ExitCodes.Usage;
                }
                PemCredential? ca = null;
                int setup = EnrollmentCli.Run(cli, () => ca = EnrollmentCli.LoadWithKey(parse.GetValue(issuer)!, parse.GetValue(key),
                    parse.GetValue(passwordFile), parse.GetValue(passwordEnv), "approving requests"));
                if (setup != ExitCodes.Success) return setup;
                using (ca)
                    return EnrollmentCli.ForEach(cli, inputs, file =>
                    {
                        var issued = CertificateRequestApprover.ApproveFile(file, ca!, parse.GetValue(outDir)!, parse.GetValue(userName),
                            parse.GetValue(days), parse.GetValue(usage), parse.GetValue(force))!;
                        cli.Result(new { issued.Path, issued.SourcePath, issued.UserName, issued.Subject, issued.Issuer, issued.SerialNumber, issued.NotBefore, issued.NotAfter, issued.Thumbprint, issued.Usage, issued.Status },
                            $"{issued.Status.ToString().ToLowerInvariant()} {issued.Path}: {issued.Subject}, serial {issued.SerialNumber}, valid to {issued.NotAfter:yyyy-MM-dd}");
                    });
            });
            return command;
        }
    }

    /// <summary>What the enrollment commands share: per-item error handling and loading a certificate with its key.</summary>
    internal static class EnrollmentCli
    {
        /// <summary>Runs one step; a ProvisioningException becomes a message and exit code 1 (2 for a bad argument).</summary>
        public static int Run(CliOutput cli, Action action) => CliErrors.Guard(cli, () => { action(); return ExitCodes.Success; });

        /// <summary>One bad item does not stop the others; the exit code is 1 if any failed.</summary>
        public static int ForEach(CliOutput cli, IEnumerable<string> items, Action<string> action)
        {
            int exit = ExitCodes.Success;
            foreach (var item in items)
                if (!CliErrors.TryItem(cli, () => action(item))) exit = CliErrors.ItemFailed;
            return exit;
        }

        public static PemCredential LoadWithKey(string certificate, string? key, string? passwordFile, string? passwordEnv, string purpose)
        {
            var password = SecretInput.Read(passwordFile, passwordEnv, "key password");
            try { return EnrollmentCredentials.Load(certificate, key, password, purpose); }
            finally { if (password != null) Array.Clear(password, 0, password.Length); }
        }
    }
}
