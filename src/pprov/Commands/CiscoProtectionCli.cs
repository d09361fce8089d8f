using System;
using System.CommandLine;
using System.Linq;
using PrivateProvisioning.Core.Protection;
using PrivateProvisioning.Core.Security;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>The Cisco options of pprov protect / unprotect (--sign, --phone-cert) and how they map onto Core's requests.</summary>
    internal sealed class CiscoProtectionCli
    {
        public Option<string?> Sign { get; }
        public Option<string[]> PhoneCert { get; }
        public Option<string?> Digest { get; }
        public Option<string?> FileName { get; }
        public Option<string?> PasswordFile { get; } = new Option<string?>("--password-file") { Description = "File holding the password of an encrypted certificate key (--sign when protecting, --phone-cert when unprotecting)." };
        public Option<string?> PasswordEnv { get; } = new Option<string?>("--password-env") { Description = "Environment variable holding that password." };

        private CiscoProtectionCli(bool protect)
        {
            Sign = new Option<string?>("--sign")
            {
                Description = protect
                    ? "Cisco: sign each file into <name>.sgn with this TFTP certificate PEM (key + certificate)."
                    : "Cisco: the TFTP certificate PEM that must have signed the .sgn / .enc.sgn files (verified before stripping).",
            };
            PhoneCert = new Option<string[]>("--phone-cert")
            {
                Description = protect
                    ? "Cisco: encrypt into <name>.enc.sgn plus the stub .sgn for this phone certificate; repeat for many phones (matched by SEP<MAC>)."
                    : "Cisco: the phone certificate PEM with its private key, to decrypt .enc.sgn files.",
            };
            Digest = new Option<string?>("--digest") { Description = "Cisco: signature digest, sha1 (default) or sha512." };
            Digest.AcceptOnlyFromAmong("sha1", "sha512");
            FileName = new Option<string?>("--filename") { Description = "Cisco: name stored in the .sgn header (New_Zealand/g3-tones.xml.sgn); ending in '/', a folder for each file." };
        }

        public static CiscoProtectionCli ForProtect(Command command)
        {
            var cli = new CiscoProtectionCli(true);
            foreach (var o in new Option[] { cli.Sign, cli.PhoneCert, cli.Digest, cli.FileName, cli.PasswordFile, cli.PasswordEnv }) command.Options.Add(o);
            return cli;
        }

        public static CiscoProtectionCli ForUnprotect(Command command)
        {
            var cli = new CiscoProtectionCli(false);
            foreach (var o in new Option[] { cli.Sign, cli.PhoneCert, cli.PasswordFile, cli.PasswordEnv }) command.Options.Add(o);
            return cli;
        }

        public void MapOnto(ParseResult parse, ProtectRequest request)
        {
            request.SigningCertificate = Source(parse.GetValue(Sign));
            request.PhoneCertificates = Sources(parse);
            request.Digest = ItlCli.ParseDigest(parse.GetValue(Digest));
            request.FileName = parse.GetValue(FileName);
        }

        public void MapOnto(ParseResult parse, UnprotectRequest request)
        {
            request.SigningCertificate = Source(parse.GetValue(Sign));
            request.PhoneCertificates = Sources(parse);
        }

        /// <summary>The certificate key's password as characters the caller wipes, or null.</summary>
        public char[]? ReadPassword(ParseResult parse) => parse.GetValue(Sign) == null && (parse.GetValue(PhoneCert)?.Length ?? 0) == 0 ? null
            : CliCertificates.ReadPassword(parse.GetValue(PasswordFile), parse.GetValue(PasswordEnv));

        private static CertificateSource? Source(string? path) => path == null ? null : CertificateSource.FromFile(path);

        private CertificateSource[] Sources(ParseResult parse) =>
            (parse.GetValue(PhoneCert) ?? Array.Empty<string>()).Select(p => CertificateSource.FromFile(p)).ToArray();
    }
}
