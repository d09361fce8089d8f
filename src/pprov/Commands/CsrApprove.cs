using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security;
using PrivateProvisioning.Core.Security.Enrollment;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>pprov csr approve: verify requests and issue &lt;username&gt;.pem certificates signed by our CA.</summary>
    internal static class CsrApprove
    {
        public static Command Build()
        {
            var files = new Argument<string[]>("CSR") { Description = "Requests to approve (PEM or DER).", Arity = ArgumentArity.OneOrMore };
            var issuer = new Option<string>("--issuer") { Description = "The CA certificate (PEM, with its key or a .key beside it).", Required = true };
            var key = new Option<string?>("--key") { Description = "The CA's private key, when not in --issuer nor beside it." };
            var passwordEnv = new Option<string?>("--key-password-env") { Description = "Environment variable holding the password of an encrypted CA key." };
            var passwordFile = new Option<string?>("--key-password-file") { Description = "File holding the password of an encrypted CA key." };
            var outDir = new Option<string>("--out") { Description = "Folder for the issued <username>.pem files.", Required = true };
            var days = new Option<int>("--days") { Description = "Validity in days (default 365; never past the CA's own end).", DefaultValueFactory = _ => CertificateRequestApprover.DefaultDays };
            var userName = new Option<string?>("--user-name") { Description = "File name of the certificate (default: the request's CN, sanitized); one request only." };
            var usage = new Option<CertificateUsage>("--usage") { Description = "Client (EKU clientAuth, default) or Server (serverAuth, SANs).", DefaultValueFactory = _ => CertificateRequestApprover.DefaultUsage };
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
                PemCredential? ca = null;
                int setup = EnrollmentCli.Run(cli, () => CertificateRequestApprover.RequireOneRequestPerUserName(parse.GetValue(userName), inputs.Length));
                if (setup != ExitCodes.Success) return setup;
                setup = EnrollmentCli.Run(cli, () => ca = CliCertificates.Load(parse.GetValue(issuer)!, parse.GetValue(key),
                    parse.GetValue(passwordFile), parse.GetValue(passwordEnv), "approving requests"));
                if (setup != ExitCodes.Success) return setup;
                using (ca)
                    return EnrollmentCli.ForEach(cli, inputs, file =>
                    {
                        var issued = CertificateRequestApprover.ApproveFile(file, ca!, parse.GetValue(outDir)!, parse.GetValue(userName),
                            parse.GetValue(days), parse.GetValue(usage), parse.GetValue(force))!;
                        cli.Result(new CliJsonLines.IssuedCertificateLine(issued.Path, issued.SourcePath, issued.UserName, issued.Subject, issued.Issuer, issued.SerialNumber, issued.NotBefore, issued.NotAfter, issued.Thumbprint, issued.Usage, issued.Status),
                            $"{issued.Status.ToString().ToLowerInvariant()} {issued.Path}: {issued.Subject}, serial {issued.SerialNumber}, valid to {issued.NotAfter:yyyy-MM-dd}");
                    });
            });
            return command;
        }
    }
}
