using System;
using System.Collections.Generic;
using System.CommandLine;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security;
using PrivateProvisioning.Core.Security.Enrollment;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>pprov csr decrypt: encrypted client requests (CMS EnvelopedData to the server certificate) to plain NAME.csr.</summary>
    internal static class CsrDecrypt
    {
        public static Command Build()
        {
            var files = new Argument<string[]>("FILE") { Description = "Encrypted requests (CMS as DER, PEM or S/MIME); plain requests pass through.", Arity = ArgumentArity.OneOrMore };
            var cert = new Option<string>("--cert") { Description = "The server certificate the requests are encrypted to (PEM, with its key or a .key beside it).", Required = true };
            var key = new Option<string?>("--key") { Description = "The server's private key, when not in --cert nor beside it." };
            var passwordEnv = new Option<string?>("--key-password-env") { Description = "Environment variable holding the password of an encrypted key." };
            var passwordFile = new Option<string?>("--key-password-file") { Description = "File holding the password of an encrypted key." };
            var method = new Option<CertificateRequestProtection>("--method") { Description = "The protection scheme (Cms).", DefaultValueFactory = _ => CertificateRequestDecryptor.DefaultMethod };
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
                int setup = EnrollmentCli.Run(cli, () => server = CliCertificates.Load(parse.GetValue(cert)!, parse.GetValue(key),
                    parse.GetValue(passwordFile), parse.GetValue(passwordEnv), "decrypting requests"));
                if (setup != ExitCodes.Success) return setup;
                using (server)
                    return EnrollmentCli.ForEach(cli, parse.GetValue(files)!, file =>
                    {
                        var dir = parse.GetValue(outDir) ?? CertificateRequestDecryptor.DirectoryBeside(file);
                        var result = CertificateRequestDecryptor.DecryptFile(file, server!, parse.GetValue(method), dir, parse.GetValue(force));
                        cli.Result(new CliJsonLines.DecryptedRequestLine(result.SourcePath, result.OutputPath, result.Subject, result.CommonName, result.UserName, result.Method, result.WasEncrypted, result.Status),
                            $"{(result.WasEncrypted ? "decrypted" : "plain")} {result.SourcePath} -> {result.OutputPath}: {result.Subject}");
                    });
            });
            return command;
        }
    }
}
