using System;
using System.CommandLine;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>pprov cert new: mkcert's certificates (key + certificate in one owner-only PEM).</summary>
    public sealed class CertNewCommand : ICliSubcommand
    {
        public string Parent => "cert";
        public string ParentDescription => "Create and export certificates.";

        public Command Build()
        {
            var output = new Argument<string>("OUT.pem") { Description = "The PEM file to write (private key, then certificate)." };
            var cn = new Option<string>("--cn") { Description = "Common name (CN); also the DNS name, lower-cased.", Required = true };
            var org = new Option<string>("--org") { Description = "Organization (O).", Required = true };
            var ou = new Option<string>("--ou") { Description = "Organizational unit (OU).", Required = true };
            var locality = new Option<string?>("--locality") { Description = "Locality (L)." };
            var state = new Option<string?>("--state") { Description = "State or province (ST)." };
            var country = new Option<string?>("--country") { Description = "Country (C): two upper-case letters." };
            var years = new Option<int>("--years") { Description = "Validity in years from today's midnight UTC (default 10).", DefaultValueFactory = _ => CertificateRequestOptions.DefaultYears };
            var curve = new Option<string?>("--curve") { Description = "EC key on this curve: secp256r1, secp384r1 or secp521r1." };
            var keySize = new Option<int?>("--key-size") { Description = "RSA key size: 1024 or 2048 (default 2048)." };
            var issuer = new Option<string?>("--issuer") { Description = "CA PEM (key + certificate) that signs instead of self-signing." };
            var passwordFile = new Option<string?>("--password-file") { Description = "File holding the password of an encrypted issuer key." };
            var passwordEnv = new Option<string?>("--password-env") { Description = "Environment variable holding the password of an encrypted issuer key." };
            var force = new Option<bool>("--force") { Description = "Replace an existing file (its old key is lost)." };
            var json = new Option<bool>("--json") { Description = "Print the result as one JSON object." };

            var command = new Command("new", "Create a self-signed (or CA-issued) certificate in the usecallmanager.nz mkcert profile.")
            {
                output, cn, org, ou, locality, state, country, years, curve, keySize, issuer, passwordFile, passwordEnv, force, json,
            };
            command.SetAction(parse =>
            {
                var cli = new CliOutput(parse.GetValue(json));
                PemCredential? ca = null;
                try
                {
                    var issuerSource = CertificateSource.Issuer(parse.GetValue(issuer), null);
                    if (issuerSource != null) ca = CliCertificates.Load(issuerSource, parse.GetValue(passwordFile), parse.GetValue(passwordEnv));
                    var curveName = parse.GetValue(curve);
                    var options = new CertificateRequestOptions(parse.GetValue(cn)!, parse.GetValue(org)!, parse.GetValue(ou)!,
                        parse.GetValue(locality), parse.GetValue(state), parse.GetValue(country), parse.GetValue(years),
                        parse.GetValue(keySize), curveName == null ? (CertificateCurve?)null : ProvisioningCertificate.ParseCurve(curveName), ca);
                    var info = ProvisioningCertificate.CreateFile(options, parse.GetValue(output)!, parse.GetValue(force));
                    cli.Result(CliCertificateView.From(info), $"{info.Status.ToString().ToLowerInvariant()} {info.Path}: {info.Subject}, serial {info.SerialNumber}, {info.KeyAlgorithm} {info.KeySize}, valid {info.NotBefore:yyyy-MM-dd} to {info.NotAfter:yyyy-MM-dd}");
                    return ExitCodes.Success;
                }
                catch (ProvisioningException ex)
                {
                    cli.Failed(ex);
                    return CliErrors.ExitCodeFor(ex);
                }
                finally { ca?.Dispose(); }
            });
            return command;
        }
    }

    /// <summary>The JSON shape of a certificate result (no X509Certificate2 object graph in JSON).</summary>
    internal sealed class CliCertificateView
    {
        public string Path { get; set; } = "";
        public string Status { get; set; } = "";
        public string Subject { get; set; } = "";
        public string Issuer { get; set; } = "";
        public string SerialNumber { get; set; } = "";
        public string Thumbprint { get; set; } = "";
        public DateTimeOffset NotBefore { get; set; }
        public DateTimeOffset NotAfter { get; set; }
        public string KeyAlgorithm { get; set; } = "";
        public int KeySize { get; set; }

        public static CliCertificateView From(ProvisioningCertificateInfo info) => new CliCertificateView
        {
            Path = info.Path, Status = info.Status.ToString(), Subject = info.Subject, Issuer = info.Issuer, SerialNumber = info.SerialNumber,
            Thumbprint = info.Thumbprint, NotBefore = info.NotBefore, NotAfter = info.NotAfter, KeyAlgorithm = info.KeyAlgorithm.ToString(), KeySize = info.KeySize,
        };
    }
}
