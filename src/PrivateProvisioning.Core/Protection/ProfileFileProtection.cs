using System;
using System.Collections.Generic;
using System.Linq;
using PrivateProvisioning.Core.Security;

namespace PrivateProvisioning.Core.Protection
{
    /// <summary>
    /// The one entry point of protect and unprotect for both front ends: built from a <see cref="ProtectRequest"/> or
    /// <see cref="UnprotectRequest"/> (rules checked, defaults applied, certificates loaded), it names each output and
    /// runs batches of files, each outcome a result or that file's own error. The caller owns the key bytes and wipes them.
    /// </summary>
    /// <example>
    /// <code>
    /// using var protection = ProfileFileProtection.ForProtect(new ProtectRequest { Compress = true, HasKey = key != null });
    /// var outcomes = protection.Run(files.Select(f => new ProtectionJob(f, protection.DestinationFor(f))).ToList(), key);
    /// </code>
    /// </example>
    public sealed class ProfileFileProtection : IDisposable
    {
        private readonly List<PemCredential> _credentials = new List<PemCredential>();
        private readonly string? _folder;
        private readonly string? _extension;
        private readonly bool _force;
        private ProfileProtector? _protector;
        private CiscoFileProtector? _ciscoProtector;
        private ProfileUnprotector? _unprotector;
        private CiscoFileUnprotector? _ciscoUnprotector;

        private ProfileFileProtection(string? folder, string? extension, bool force)
        {
            // Resolved once: each resolution of a relative folder asks the kernel for the current folder (once a file).
            _folder = string.IsNullOrEmpty(folder) ? folder : System.IO.Path.GetFullPath(folder);
            _extension = extension;
            _force = force;
        }

        /// <summary>Checks <paramref name="request"/> and prepares it; <paramref name="certificatePassword"/> opens an encrypted signing key.</summary>
        public static ProfileFileProtection ForProtect(ProtectRequest request, char[]? certificatePassword = null)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            var protection = new ProfileFileProtection(request.DestinationFolder, request.Extension, request.Force);
            try
            {
                if (request.Signs)
                {
                    request.ValidateSigning();
                    var signer = protection.Load(request.SigningCertificate!, certificatePassword);
                    var phones = request.PhoneCertificates.Select(p => protection.Load(p, null)).ToList();
                    protection._ciscoProtector = new CiscoFileProtector(signer, request.Digest ?? CiscoDigest.Sha1, phones, request.FileName);
                }
                else
                {
                    var options = request.ToOptions();
                    protection._protector = new ProfileProtector(options);
                    options.RequireKey(request.HasKey);
                }
                return protection;
            }
            catch
            {
                protection.Dispose();
                throw;
            }
        }

        /// <summary>Prepares <paramref name="request"/>; <paramref name="certificatePassword"/> opens an encrypted phone key.</summary>
        public static ProfileFileProtection ForUnprotect(UnprotectRequest request, char[]? certificatePassword = null)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            if (request.PhoneCertificates.Count > 1)
                throw new ProvisioningException(ErrorIds.OnePhoneKey, ErrorKind.InvalidArgument, "Give one phone certificate (with its private key) when unprotecting.")
                    .About(RequestParameter.PhoneCertificate);
            var protection = new ProfileFileProtection(request.DestinationFolder, request.Extension, request.Force);
            try
            {
                var tftp = request.SigningCertificate == null ? null : protection.Load(request.SigningCertificate, null);
                var phone = request.PhoneCertificates.Count == 0 ? null : protection.Load(request.PhoneCertificates[0], certificatePassword);
                protection._ciscoUnprotector = new CiscoFileUnprotector(tftp?.Certificate, phone);
                protection._unprotector = new ProfileUnprotector(new UnprotectionOptions
                {
                    KeyDerivation = request.KeyDerivation,
                    Iterations = request.Iterations ?? ProtectionOptions.DefaultIterations,
                    AssumeRfc8188 = request.AssumeRfc8188,
                });
                return protection;
            }
            catch
            {
                protection.Dispose();
                throw;
            }
        }

        /// <summary>Where <paramref name="source"/>'s output goes (the naming rules of the method or of the Cisco file).</summary>
        public string DestinationFor(string source)
        {
            if (_ciscoProtector != null) return _ciscoProtector.DestinationFor(source, _folder, _extension);
            if (_protector != null) return _protector.DestinationFor(source, _folder, _extension);
            return CiscoFileUnprotector.Handles(source) ? _ciscoUnprotector!.DestinationFor(source, _folder, _extension)
                : _unprotector!.DestinationFor(source, _folder, _extension);
        }

        /// <summary>Runs one batch in parallel; outcomes in job order. <paramref name="key"/>: the passphrase or IKM bytes, or null.</summary>
        public ProtectionOutcome[] Run(IReadOnlyList<ProtectionJob> jobs, byte[]? key)
        {
            if (_ciscoProtector != null) return _ciscoProtector.ProtectFiles(jobs);
            if (_protector != null) return _protector.ProtectFiles(jobs, key, allowReplaceSource: _force);
            // .sgn / .enc.sgn go to the Cisco unprotector, everything else to the layer detector.
            return _ciscoUnprotector!.UnprotectMixed(jobs, other => _unprotector!.UnprotectFiles(other, key, allowReplaceSource: _force), _force);
        }

        /// <summary>True when <see cref="RunEach"/> can run this protection (Cisco signing and encryption); else run batches.</summary>
        public bool RunsEach => _ciscoProtector != null;

        /// <summary>
        /// The job of <paramref name="name"/>: its full path (a relative name against <paramref name="currentFolder"/>,
        /// which the caller reads once: each resolution of a relative name asks the kernel for the current folder) and
        /// where its output goes. Throws the naming rules' ProvisioningException.
        /// </summary>
        public ProtectionJob JobFor(string name, string currentFolder)
        {
#if NET
            var file = System.IO.Path.IsPathFullyQualified(name) ? name : System.IO.Path.GetFullPath(name, currentFolder);
#else
            var file = System.IO.Path.GetFullPath(System.IO.Path.Combine(currentFolder, name));
#endif
            return new ProtectionJob(file, DestinationFor(file));
        }

        /// <summary>
        /// Runs <paramref name="files"/> on every core, the calling thread included, each core taking the next file,
        /// naming its output and running it (no batch boundaries where a core waits). <paramref name="finished"/> runs on
        /// the calling thread in file order with each file's outcomes, or the error that kept its output from being
        /// named. Only where <see cref="RunsEach"/>.
        /// </summary>
        public void RunEach(IReadOnlyList<string> files, Action<ProtectionOutcome[]?, ProvisioningException?> finished)
        {
            if (_ciscoProtector == null) throw new InvalidOperationException("RunEach runs Cisco signing and encryption only; run batches with Run.");
            var current = System.IO.Directory.GetCurrentDirectory();
            _ciscoProtector.ProtectEach(files.Count, i => JobFor(files[i], current), finished);
        }

        public void Dispose()
        {
            _ciscoProtector?.Dispose();
            foreach (var c in _credentials) c.Dispose();
            _credentials.Clear();
        }

        private PemCredential Load(CertificateSource source, char[]? password)
        {
            var credential = source.Load(password);
            _credentials.Add(credential);
            return credential;
        }
    }
}
