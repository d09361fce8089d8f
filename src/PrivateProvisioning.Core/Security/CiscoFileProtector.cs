using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using PrivateProvisioning.Core.Protection;

namespace PrivateProvisioning.Core.Security
{
    /// <summary>
    /// Signs files into Cisco .sgn and encrypts SEP&lt;MAC&gt;.cnf.xml into .enc.sgn (+ stub .sgn) for
    /// Protect-ProfileFile and pprov protect. Files run in parallel; one bad file does not stop the others.
    /// A file whose payload and signer have not changed keeps its old timestamp, so its bytes stay the same
    /// and it is not rewritten (phones polling with If-Modified-Since see no change).
    /// </summary>
    public sealed class CiscoFileProtector : IDisposable
    {
        public const string SignedMethod = "CiscoSgn";
        public const string EncryptedMethod = "CiscoEncSgn";
        public const string StubMethod = "CiscoEncSgnStub";

        private readonly CiscoSigner _signer;
        private readonly IReadOnlyList<PemCredential> _phones;
        private readonly string? _headerFileName;
        private readonly DateTimeOffset? _timestamp;
        private int _fixedNameUses;

        /// <param name="signing">The TFTP certificate with its RSA private key.</param>
        /// <param name="phones">Phone certificates for .enc.sgn: one is used for every file; with several, each file takes the one whose subject contains its SEP&lt;MAC&gt;.</param>
        /// <param name="headerFileName">The name stored in the .sgn header; ending in "/" it is a folder prefix for every file (New_Zealand/).</param>
        /// <param name="timestamp">Signing time (tests, reproducible builds); default now.</param>
        public CiscoFileProtector(PemCredential signing, CiscoDigest digest = CiscoDigest.Sha1, IEnumerable<PemCredential>? phones = null,
            string? headerFileName = null, DateTimeOffset? timestamp = null)
        {
            _signer = new CiscoSigner(signing, digest, "signing Cisco configuration files");
            _phones = phones?.ToList() ?? new List<PemCredential>();
            foreach (var phone in _phones) phone.GetRsaPublicKey("encrypting configurations for a phone").Dispose();
            if (headerFileName != null && _phones.Count > 0)
                throw new ProvisioningException(ErrorIds.FileNameNotAllowed, ErrorKind.InvalidArgument,
                    "An encrypted configuration's header always names its own file (SEP<MAC>.cnf.xml.enc.sgn); the header file name applies to .sgn signing only.")
                    .About(RequestParameter.FileName);
            if (headerFileName != null && (headerFileName.Length == 0 || headerFileName.StartsWith("/", StringComparison.Ordinal) || headerFileName.Contains("\0")))
                throw new ProvisioningException(ErrorIds.InvalidFileName, ErrorKind.InvalidArgument,
                    $"The header file name '{headerFileName}' must be a relative path under the TFTP root, such as New_Zealand/g3-tones.xml.sgn.", headerFileName);
            _headerFileName = headerFileName;
            _timestamp = timestamp;
        }

        public bool Encrypts => _phones.Count > 0;

        /// <summary>&lt;name&gt;.sgn or &lt;name&gt;.enc.sgn, in <paramref name="destinationFolder"/> or beside the source.</summary>
        public string DestinationFor(string source, string? destinationFolder, string? extension = null)
        {
            var full = FullPaths.Of(source);
            var folder = destinationFolder == null ? Path.GetDirectoryName(full)! : FullPaths.Of(destinationFolder);
            var suffix = extension ?? (Encrypts ? ".enc.sgn" : ".sgn");
            if (suffix.Length > 0 && !suffix.StartsWith(".", StringComparison.Ordinal)) suffix = "." + suffix;
            return Path.Combine(folder, Path.GetFileName(full) + suffix);
        }

        /// <summary>Signs (or encrypts) every job in parallel; encrypting gives two outcomes per job (.enc.sgn, then the stub .sgn).</summary>
        public ProtectionOutcome[] ProtectFiles(IReadOnlyList<ProtectionJob> jobs, bool whatIf = false)
        {
            var outcomes = new ProtectionOutcome[jobs.Count][];
            using (var folders = FolderHandles.ForRun())
                Parallel.For(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => outcomes[i] = ProtectOne(jobs[i], whatIf, folders));
            // Signed and encrypted copies of generated files are recorded for the prune of retired phones.
            return Templates.Generation.ProtectedCopyRecorder.Record(outcomes.SelectMany(o => o).ToArray(), whatIf);
        }

        /// <summary>
        /// Signs (or encrypts) jobs 0..<paramref name="count"/>-1 on every core, the calling thread included, each core
        /// taking the next job: no batches, so no core waits for the slowest file of a batch, and the first signature
        /// starts as soon as the first job is named. <paramref name="jobAt"/> names job i on the core that runs it (its
        /// ProvisioningException is that job's error). <paramref name="finished"/> runs on the calling thread, in job
        /// order, as soon as each job and all before it are done: its outcomes (two for an encrypted file), or the
        /// error that kept it from being named.
        /// </summary>
        public void ProtectEach(int count, Func<int, ProtectionJob> jobAt, Action<ProtectionOutcome[]?, ProvisioningException?> finished)
        {
            if (jobAt == null) throw new ArgumentNullException(nameof(jobAt));
            if (finished == null) throw new ArgumentNullException(nameof(finished));
            var toRecord = new List<ProtectionOutcome>();
            using var folders = FolderHandles.ForRun();
            OrderedParallel<object>.Run(count, i =>
            {
                ProtectionJob job;
                try { job = jobAt(i); }
                catch (ProvisioningException ex) { return ex; }
                return ProtectOne(job, whatIf: false, folders);
            }, (i, answer) =>
            {
                if (answer is ProvisioningException error) { finished(null, error); return; }
                var outcomes = (ProtectionOutcome[])answer;
                finished(outcomes, null);
                toRecord.AddRange(outcomes);
                if (toRecord.Count < RecordEvery) return;
                Templates.Generation.ProtectedCopyRecorder.Record(toRecord.ToArray(), whatIf: false);
                toRecord.Clear();
            });
            if (toRecord.Count > 0) Templates.Generation.ProtectedCopyRecorder.Record(toRecord.ToArray(), whatIf: false);
        }

        /// <summary>The record of written files is updated once per this many outcomes (it is read and rewritten each time).</summary>
        private const int RecordEvery = 1024;

        private ProtectionOutcome[] ProtectOne(ProtectionJob job, bool whatIf, FolderHandles? folders)
        {
            try
            {
                var results = ProtectFile(job, whatIf, folders);
                var outcome = new ProtectionOutcome[results.Count];
                for (int k = 0; k < outcome.Length; k++) outcome[k] = new ProtectionOutcome(job, results[k], null);
                return outcome;
            }
            catch (ProvisioningException ex) { return new[] { new ProtectionOutcome(job, null, ex) }; }
        }

        public IReadOnlyList<ProtectionResult> ProtectFile(ProtectionJob job, bool whatIf = false) => ProtectFile(job, whatIf, null);

        /// <param name="folders">The run's open folders (bulk runs on Linux), or null.</param>
        private IReadOnlyList<ProtectionResult> ProtectFile(ProtectionJob job, bool whatIf, FolderHandles? folders)
        {
            var source = FullPaths.Of(job.Source);
            var destination = FullPaths.Of(job.Destination);
            if (ProtectionNaming.SamePath(source, destination))
                throw new ProvisioningException(ErrorIds.DestinationIsSource, ErrorKind.InvalidArgument, $"'{source}' would be replaced by its signed form; give an extension or another folder.", source);
            if (!Encrypts && _timestamp == null && !whatIf && !_probeFirst && LinuxFiles.CanCreate)
            {
                var created = TryCreateFirst(source, destination, folders);
                if (created != null) return new[] { created };
            }
            var payload = ReadSmallFile(source) ?? SignedFile.ReadAllBytes(source);
            if (!Encrypts)
            {
                var headerName = HeaderNameFor(source);
                if (_timestamp == null) return new[] { SignAndWrite(payload, payload.Length, headerName, source, destination, whatIf) };
                var bytes = SignedFile.Sign(_signer, payload, headerName, _timestamp.Value);
                return new[] { Write(destination, source, SignedMethod, bytes, whatIf) };
            }
            var phone = PhoneFor(source);
            var stubPath = destination.EndsWith(".enc.sgn", StringComparison.OrdinalIgnoreCase)
                ? destination.Substring(0, destination.Length - ".enc.sgn".Length) + ".sgn"
                : destination + ".stub.sgn";
            var name = Path.GetFileName(source);
            var unchanged = UnchangedEncryption(payload, phone.Certificate, name, destination, stubPath);
            if (unchanged != null)
                return new[] { Write(destination, source, EncryptedMethod, unchanged.Value.Encrypted, whatIf), Write(stubPath, source, StubMethod, unchanged.Value.Stub, whatIf) };
            var files = EncryptedConfig.Encrypt(_signer, phone.Certificate, payload, name, _timestamp ?? DateTimeOffset.UtcNow);
            return new[] { Write(destination, source, EncryptedMethod, files.Encrypted, whatIf), Write(stubPath, source, StubMethod, files.Stub, whatIf) };
        }

        public void Dispose() => _signer.Dispose();

        private string HeaderNameFor(string source)
        {
            var ownName = Path.GetFileName(source) + ".sgn";
            if (_headerFileName == null) return ownName;
            if (_headerFileName.EndsWith("/", StringComparison.Ordinal)) return _headerFileName + ownName;
            if (System.Threading.Interlocked.Increment(ref _fixedNameUses) > 1)
                throw new ProvisioningException(ErrorIds.FileNameForOneFile, ErrorKind.InvalidArgument,
                    $"The header file name '{_headerFileName}' names one file, but several were given; end it with '/' to use it as a folder for each file ('{Path.GetDirectoryName(_headerFileName)?.Replace('\\', '/')}/').", source);
            return _headerFileName;
        }

        /// <summary>
        /// Signs and writes one .sgn (signing time now). When the destination already holds this payload under this
        /// signer, name and digest, and its signature verifies, it is left as it is (Unchanged): the same as
        /// re-signing with its timestamp (PKCS#1 v1.5 is deterministic), at the cost of a public-key check instead of
        /// a signature. The destination is looked at once (one open on Linux), and a missing one is published
        /// without probing it again.
        /// </summary>
        /// <param name="signed">The .sgn already signed (its first <paramref name="signedLength"/> bytes), or null to sign here.</param>
        private ProtectionResult SignAndWrite(byte[] payload, int payloadLength, string headerName, string source, string destination, bool whatIf,
            byte[]? signed = null, int signedLength = 0)
        {
            bool missing = false;
            byte[]? existing = null;
            switch (LinuxFiles.TryReadAll(destination, SmallFileLimit, out var read))
            {
                case SmallReadStatus.Missing: missing = true; break;
                case SmallReadStatus.Read: existing = read; break;
                default:
                    try { if (File.Exists(destination)) existing = File.ReadAllBytes(destination); else missing = true; }
                    catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { }
                    break;
            }
            if (existing != null && SignedAlready(existing, payload, payloadLength, headerName, destination))
                return new ProtectionResult(destination, source, SignedMethod, null, WriteStatus.Unchanged, HexText.Sha256(existing, 0, existing.Length), existing.Length);
            if (signed == null)
            {
                signed = SignedFile.Sign(_signer, payload, 0, payloadLength, headerName, DateTimeOffset.UtcNow);
                signedLength = signed.Length;
            }
            WriteStatus status;
            if (!missing) status = AtomicFile.Write(destination, signed, 0, signedLength, ownerOnly: false, whatIf: whatIf);
            else
            {
                if (!whatIf) AtomicFile.WriteReplacing(destination, signed, 0, signedLength, ownerOnly: false, isNew: true);
                status = WriteStatus.Created;
            }
            return new ProtectionResult(destination, source, SignedMethod, null, status, HexText.Sha256(signed, 0, signedLength), signedLength);
        }

        /// <summary>
        /// Set once a destination turned out to exist: from then on each destination is read first, so a re-run over
        /// unchanged files signs nothing. Until then (a first run into an empty folder) files are created first.
        /// </summary>
        private volatile bool _probeFirst;

        /// <summary>Per-thread buffers of the create-first path: the source, and the .sgn made of it (both cleared after each file: a configuration can hold SIP passwords).</summary>
        [ThreadStatic] private static byte[]? _sourceBuffer;
        [ThreadStatic] private static byte[]? _signedBuffer;

        /// <summary>
        /// Create-first, for destinations that are likely new: read the source and sign it into per-thread buffers
        /// (no new arrays per file), then publish the .sgn only if its name is free (O_TMPFILE and linkat, which
        /// never replaces a file). That saves the failed open of the probe, a path lookup in a large folder, on every
        /// file of a first run. A taken name switches this protector to probe-first and is handled as before: an
        /// unchanged file is kept (Unchanged, not rewritten), another one is replaced (Updated); so is a folder where
        /// this cannot be done (missing, or no O_TMPFILE). Null, before anything else happened, when the source is not
        /// a small readable file: the caller reads it the portable way, which reports why.
        /// </summary>
        private ProtectionResult? TryCreateFirst(string source, string destination, FolderHandles? folders)
        {
            var input = _sourceBuffer ??= new byte[SmallFileLimit + 1];
            int length = 0, total = 0;
            byte[]? signed = _signedBuffer;
            try
            {
                string sourceFolderPath = string.Empty, destinationFolderPath = string.Empty;
                int sourceFolder = folders?.For(source, out sourceFolderPath) ?? -1;
                var read = sourceFolder >= 0
                    ? LinuxFiles.TryReadSmallIn(sourceFolder, sourceFolderPath, source, input, input.Length, out length)
                    : LinuxFiles.TryReadSmall(source, input, input.Length, out length);
                if (read != SmallReadStatus.Read) return null;
                var headerName = HeaderNameFor(source);
                total = SignedFile.SignInto(_signer, input, 0, length, headerName, DateTimeOffset.UtcNow, ref signed);
                _signedBuffer = signed;
                var creation = CreateNewStatus.NotHandled;
                int destinationFolder = folders?.For(destination, out destinationFolderPath) ?? -1;
                if (destinationFolder >= 0) creation = LinuxFiles.TryCreateIn(destinationFolder, destinationFolderPath, destination, signed!, 0, total);
                if (creation == CreateNewStatus.NotHandled) creation = LinuxFiles.TryCreate(destination, signed!, 0, total, ownerOnly: false);
                switch (creation)
                {
                    case CreateNewStatus.Created:
                        return new ProtectionResult(destination, source, SignedMethod, null, WriteStatus.Created, HexText.Sha256(signed!, 0, total), total);
                    case CreateNewStatus.Exists:
                        // The signature just made is thrown away when the file already holds this payload: one wasted
                        // signature per worker on a re-run, before the switch to probe-first is seen.
                        _probeFirst = true;
                        break;
                }
                return SignAndWrite(input, length, headerName, source, destination, whatIf: false, signed, total);
            }
            finally
            {
                Array.Clear(input, 0, length);
                if (signed != null) Array.Clear(signed, 0, total);
            }
        }

        private bool SignedAlready(byte[] existing, byte[] payload, int payloadLength, string headerName, string destination)
        {
            try
            {
                var header = SignedHeaderReader.Read(existing, destination);
                return header.Major == 1 && header.Minor == 0 && header.FileName == headerName && header.Digest == (byte)_signer.Digest
                    && header.Timestamp != null && existing.Length - header.HeaderLength == payloadLength
                    && header.SerialNumber!.SequenceEqual(CertificateNames.SerialBytes(_signer.Certificate))
                    && PayloadEquals(existing, header.HeaderLength, payload, payloadLength)
                    && _signer.Signed(header, existing, destination);
            }
            catch (ProvisioningException) { return false; }
        }

        /// <summary>Files up to this size are read with one open, one read and one close on Linux; larger ones through .NET.</summary>
        private const int SmallFileLimit = 64 * 1024 - 1;

        /// <summary>The whole file when it is small and readable on the fast path, else null (the caller reads it the portable way, with its errors).</summary>
        private static byte[]? ReadSmallFile(string path) =>
            LinuxFiles.TryReadAll(path, SmallFileLimit, out var bytes) == SmallReadStatus.Read ? bytes : null;

        private static bool PayloadEquals(byte[] file, int offset, byte[] payload, int payloadLength) =>
            new ReadOnlySpan<byte>(file, offset, payloadLength).SequenceEqual(new ReadOnlySpan<byte>(payload, 0, payloadLength));

        /// <summary>
        /// The existing .enc.sgn and stub when the plaintext digest, signer and phone certificate hash match:
        /// re-encrypting would only change the random key and IV.
        /// </summary>
        private (byte[] Encrypted, byte[] Stub)? UnchangedEncryption(byte[] payload, X509Certificate2 phone, string name, string encPath, string stubPath)
        {
            if (_timestamp != null || !File.Exists(encPath) || !File.Exists(stubPath)) return null;
            try
            {
                var encrypted = File.ReadAllBytes(encPath);
                var header = SignedHeaderReader.Read(encrypted, encPath);
                if (header.Major != 2 || header.EncryptionHash == null || header.Digest != (byte)_signer.Digest
                    || !header.SerialNumber!.SequenceEqual(CertificateNames.SerialBytes(_signer.Certificate))) return null;
                using (var hash = _signer.Digest == CiscoDigest.Sha1 ? (System.Security.Cryptography.HashAlgorithm)System.Security.Cryptography.SHA1.Create() : System.Security.Cryptography.SHA512.Create())
                    if (!hash.ComputeHash(payload).SequenceEqual(header.EncryptionHash)) return null;
                var stubHeader = SignedHeaderReader.Read(File.ReadAllBytes(stubPath), stubPath);
                var stubPayload = EncryptedConfig.BuildStub(payload, phone, name);
                var stub = SignedFile.Sign(_signer, stubPayload, name + ".sgn", stubHeader.Time ?? DateTimeOffset.UtcNow);
                if (AtomicFile.Probe(stubPath, stub, 0, stub.Length) != WriteStatus.Unchanged) return null; // another phone certificate
                return (encrypted, stub);
            }
            catch (Exception ex) when (ex is ProvisioningException || ex is IOException || ex is UnauthorizedAccessException) { return null; }
        }

        private PemCredential PhoneFor(string source)
        {
            if (_phones.Count == 1) return _phones[0];
            var match = Regex.Match(Path.GetFileName(source), "^SEP([0-9A-Fa-f]{12})", RegexOptions.CultureInvariant);
            if (match.Success)
            {
                var sep = "SEP" + match.Groups[1].Value.ToUpperInvariant();
                var found = _phones.Where(p => CertificateNames.Format(p.Certificate.SubjectName).ToUpperInvariant().Contains(sep)).ToList();
                if (found.Count == 1) return found[0];
            }
            throw new ProvisioningException(ErrorIds.PhoneCertificateNotFound, ErrorKind.ObjectNotFound,
                $"None of the {_phones.Count} phone certificates is for '{Path.GetFileName(source)}': each file takes the certificate whose subject holds its SEP<MAC>.", source);
        }

        private static ProtectionResult Write(string path, string source, string method, byte[] bytes, bool whatIf)
        {
            var status = AtomicFile.Write(path, bytes, ownerOnly: false, whatIf: whatIf);
            return new ProtectionResult(path, source, method, null, status, HexText.Sha256(bytes, 0, bytes.Length), bytes.Length);
        }
    }

    /// <summary>
    /// Recovers the original from .sgn (verifying it when the TFTP certificate is given) and decrypts .enc.sgn
    /// with the phone's private key, for Unprotect-ProfileFile and pprov unprotect.
    /// </summary>
    public sealed class CiscoFileUnprotector
    {
        private readonly X509Certificate2? _tftp;
        private readonly PemCredential? _phone;

        public CiscoFileUnprotector(X509Certificate2? tftpCertificate, PemCredential? phone)
        {
            _tftp = tftpCertificate;
            _phone = phone;
            if (_tftp != null && PemCredential.AlgorithmOf(_tftp, "TFTP certificate") != CertificateKeyAlgorithm.Rsa)
                throw new ProvisioningException(ErrorIds.RsaKeyRequired, ErrorKind.InvalidArgument,
                    $"The TFTP certificate '{CertificateNames.Format(_tftp.SubjectName)}' has an EC key; signed Cisco files are verified with RSA only.");
        }

        /// <summary>True for names this unprotector handles: *.sgn, *.enc.sgn, *.sha512.</summary>
        public static bool Handles(string path) =>
            path.EndsWith(".sgn", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".sha512", StringComparison.OrdinalIgnoreCase);

        /// <summary>The name without .enc.sgn / .sgn / .sha512, in the folder given or beside the source.</summary>
        public string DestinationFor(string source, string? destinationFolder, string? extension = null)
        {
            var full = Path.GetFullPath(source);
            var folder = destinationFolder == null ? Path.GetDirectoryName(full)! : Path.GetFullPath(destinationFolder);
            var name = Path.GetFileName(full);
            foreach (var suffix in new[] { ".enc.sgn", ".sgn", ".sha512" })
                if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) { name = name.Substring(0, name.Length - suffix.Length); break; }
            if (extension != null) name += extension.Length == 0 || extension.StartsWith(".", StringComparison.Ordinal) ? extension : "." + extension;
            return Path.Combine(folder, name);
        }

        /// <summary>Runs the jobs this unprotector handles here and the others through <paramref name="other"/>; outcomes in job order.</summary>
        public ProtectionOutcome[] UnprotectMixed(IReadOnlyList<ProtectionJob> jobs, Func<IReadOnlyList<ProtectionJob>, ProtectionOutcome[]> other, bool allowReplace = false, bool whatIf = false)
        {
            var mine = jobs.Where(j => Handles(j.Source)).ToList();
            if (mine.Count == 0) return other(jobs);
            var rest = jobs.Where(j => !Handles(j.Source)).ToList();
            var outcomes = UnprotectFiles(mine, allowReplace, whatIf).Concat(rest.Count == 0 ? Array.Empty<ProtectionOutcome>() : other(rest)).ToLookup(o => o.Job);
            return jobs.SelectMany(j => outcomes[j]).ToArray();
        }

        public ProtectionOutcome[] UnprotectFiles(IReadOnlyList<ProtectionJob> jobs, bool allowReplace = false, bool whatIf = false) =>
            ParallelJobs.Run(jobs, job => UnprotectFile(job, allowReplace, whatIf));

        public ProtectionResult UnprotectFile(ProtectionJob job, bool allowReplace = false, bool whatIf = false)
        {
            var source = Path.GetFullPath(job.Source);
            var destination = Path.GetFullPath(job.Destination);
            var data = SignedFile.ReadAllBytes(source);
            var header = SignedHeaderReader.Read(data, source);
            byte[] plain;
            string method;
            if (header.Major == 2)
            {
                if (_phone == null)
                    throw new ProvisioningException(ErrorIds.PhoneKeyRequired, ErrorKind.InvalidArgument,
                        $"'{source}' is encrypted for a phone; give the phone's certificate with its private key.", source).About(RequestParameter.PhoneCertificate);
                plain = EncryptedConfig.Decrypt(data, source, _phone, _tftp, out _);
                method = CiscoFileProtector.EncryptedMethod;
            }
            else
            {
                plain = SignedFile.Strip(data, source, _tftp, out _);
                method = CiscoFileProtector.SignedMethod;
            }
            if (!allowReplace && File.Exists(destination) && AtomicFile.Probe(destination, plain, 0, plain.Length) == WriteStatus.Updated)
                throw new ProvisioningException(ErrorIds.DestinationExists, ErrorKind.ResourceExists,
                    $"'{destination}' exists with other content; write elsewhere or replace it.", destination)
                    .About(RequestParameter.Destination, RequestParameter.Force);
            var status = AtomicFile.Write(destination, plain, 0, plain.Length, ownerOnly: false, whatIf: whatIf);
            var result = new ProtectionResult(destination, source, method + (_tftp == null ? "" : "+Verified"), null, status, HexText.Sha256(plain, 0, plain.Length), plain.Length);
            Array.Clear(plain, 0, plain.Length);
            return result;
        }
    }
}
