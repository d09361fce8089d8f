using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>The Cisco options of pprov protect / unprotect (--sign, --phone-cert) and what they run.</summary>
    internal sealed class CiscoProtectionCli
    {
        public Option<string?> Sign { get; }
        public Option<string[]> PhoneCert { get; }
        public Option<string> Digest { get; }
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
            Digest = new Option<string>("--digest") { Description = "Cisco: signature digest, sha1 (default) or sha512.", DefaultValueFactory = _ => "sha1" };
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

        public bool Requested(ParseResult parse) => parse.GetValue(Sign) != null || (parse.GetValue(PhoneCert)?.Length ?? 0) > 0;

        /// <summary>pprov protect --sign: every file signed (or encrypted) in parallel batches.</summary>
        public int Protect(ParseResult parse, IReadOnlyList<string> files, string? folder, string? extension, bool otherProtection, CliOutput output)
        {
            if (otherProtection)
                throw new ProvisioningException(ErrorIds.SigningWithOtherProtection, ErrorKind.InvalidArgument,
                    "--sign writes Cisco .sgn/.enc.sgn files and cannot be combined with --gzip, --method or a key; protect in two steps if you need both.");
            var signPath = parse.GetValue(Sign) ?? throw new ProvisioningException(ErrorIds.SigningCertificateRequired, ErrorKind.InvalidArgument,
                "--phone-cert needs --sign (the TFTP certificate that signs the .enc.sgn).");
            var credentials = new List<PemCredential>();
            try
            {
                var signer = CliCredentials.Load(signPath, null, parse.GetValue(PasswordFile), parse.GetValue(PasswordEnv));
                credentials.Add(signer);
                foreach (var phone in parse.GetValue(PhoneCert) ?? Array.Empty<string>()) credentials.Add(CertificateSource.FromFile(phone).Load());
                using var protector = new CiscoFileProtector(signer, ItlCommand.ParseDigest(parse.GetValue(Digest)!), credentials.Skip(1), parse.GetValue(FileName));
                return ProtectionCli.Run(files, f => protector.DestinationFor(f, folder, extension), jobs => protector.ProtectFiles(jobs), output)
                    ? ExitCodes.Success : ExitCodes.ItemFailed;
            }
            finally
            {
                foreach (var c in credentials) c.Dispose();
            }
        }

        /// <summary>The unprotector for .sgn / .enc.sgn files; the caller routes other files elsewhere.</summary>
        public CiscoFileUnprotector Unprotector(ParseResult parse, List<PemCredential> keep)
        {
            var phones = parse.GetValue(PhoneCert) ?? Array.Empty<string>();
            if (phones.Length > 1)
                throw new ProvisioningException(ErrorIds.OnePhoneKey, ErrorKind.InvalidArgument, "Give one --phone-cert (with its private key) when unprotecting.");
            var sign = parse.GetValue(Sign);
            var tftp = sign == null ? null : CertificateSource.FromFile(sign).Load();
            if (tftp != null) keep.Add(tftp);
            var phone = phones.Length == 0 ? null : CliCredentials.Load(phones[0], null, parse.GetValue(PasswordFile), parse.GetValue(PasswordEnv));
            if (phone != null) keep.Add(phone);
            return new CiscoFileUnprotector(tftp?.Certificate, phone);
        }
    }
}
