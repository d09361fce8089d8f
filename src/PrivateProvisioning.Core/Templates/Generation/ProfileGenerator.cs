using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Core.Rules;

namespace PrivateProvisioning.Core.Templates.Generation
{
    /// <summary>
    /// CSV rows → AccountRecord → resolved template → ProfileDocument → writer → macro-expanded, traversal-checked
    /// file name → atomic write (unchanged bytes are not rewritten) → result. Rows go in batches: checks that
    /// depend on earlier rows (duplicate MACs, duplicate file names) run in row order, rendering and writing
    /// run in parallel, and results come back in row order. One bad row never stops the others.
    /// </summary>
    public sealed class ProfileGenerator
    {
        private static readonly Regex MacroReference = new Regex(@"\$\$|\$\((?<n>[A-Za-z0-9_]+)[^)]*\)|\$(?<n>[A-Za-z0-9_]+)", RegexOptions.CultureInvariant | RegexOptions.Compiled);

        private readonly TemplateResolver _resolver;
        private readonly IProfileFormatWriter _writer;
        private readonly IProfileFormatReader? _reader;
        private readonly GenerationOptions _options;
        private readonly string _destination;
        private readonly string _fileNameRule;
        private readonly string[] _fileNameMacros;
        private readonly bool _carriesSecrets;
        private readonly MacRowTable _firstRowOfMac = new MacRowTable();
        private readonly Dictionary<string, int> _firstRowOfPath;

        public ProfileGenerator(TemplateResolver resolver, IProfileFormatWriter writer, IProfileFormatReader? reader, GenerationOptions options)
        {
            _resolver = resolver;
            _writer = writer;
            _reader = reader;
            _options = options;
            _destination = System.IO.Path.GetFullPath(options.Destination);
            _fileNameRule = string.IsNullOrEmpty(options.FileNameRule) ? writer.DefaultFileNameRule : options.FileNameRule!;
            _fileNameMacros = MacroReference.Matches(_fileNameRule).Cast<Match>().Where(m => m.Groups["n"].Success).Select(m => m.Groups["n"].Value).Distinct().ToArray();
            _carriesSecrets = options.Format == ProfileFormat.PrivateWave || options.Format == ProfileFormat.Linphone;
            // File names that differ only by case collide on Windows and macOS: treat them as one everywhere.
            _firstRowOfPath = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            // Paths are tracked only when the rule could map two MACs to one name (a MAC macro makes names unique).
            TrackPaths = !_fileNameMacros.Any(n => n == "MA" || n == "MAU" || n == "MAC");
            if (_fileNameRule == "$MA.xml" || _fileNameRule == "$MAU.xml")
            {
                // Combine's own separator rule, once: "x" stands for the name.
                var sample = System.IO.Path.Combine(_destination, "x");
                _namePrefix = sample.Substring(0, sample.Length - 1);
                _upperName = _fileNameRule == "$MAU.xml";
            }
#if NET
            if (options.StateFile != null && !options.WhatIf && !TrackPaths)
                _state = GenerationState.Open(options.StateFile, _runKey = RunKey(), out _stateProblem);
#endif
        }

        /// <summary>The template store the generator resolves from.</summary>
        internal TemplateStore Store => _resolver.Store;

#if NET
        private readonly GenerationState? _state;
        /// <summary>The state's run key (everything a file depends on besides rows and templates), when a state is kept.</summary>
        private readonly byte[]? _runKey;
        /// <summary>The destination, opened for one batch (-1 otherwise): the batch's stats look names up from it.</summary>
        private int _batchFolder = -1;
        /// <summary>Rows given to the state path in earlier batches: a row's place in the run, where the last run's record for it usually is.</summary>
        private int _stateRows;
        private readonly string? _stateProblem;
        /// <summary>The sweep at the start found no temporary file of ours in the destination (or it had none to find).</summary>
        private bool _folderClean;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<ResolvedTemplate, byte[]?> _templateDigests =
            new System.Collections.Concurrent.ConcurrentDictionary<ResolvedTemplate, byte[]?>();

        /// <summary>Rows the generation state answered without rendering.</summary>
        internal int StateHits => _state?.Hits ?? 0;

        /// <summary>Everything a run's files depend on besides rows and templates: this build of the engine, the writer, the format, the names.</summary>
        private byte[] RunKey() => TextDigest.Start()
            .Add("pprov generation state 4")
            .Add(typeof(ProfileGenerator).Assembly.ManifestModule.ModuleVersionId.ToString())
            .Add(_writer.GetType().AssemblyQualifiedName ?? _writer.GetType().FullName ?? "")
            .Add(_writer.GetType().Assembly.ManifestModule.ModuleVersionId.ToString())
            .Add(_options.Format.ToString())
            .Add(_fileNameRule)
            .Add(_destination)
            .Finish();

        /// <summary>What a resolved template puts into a file: its name, layers, the format's parameters and the client settings (secrets included where the format carries them). Null when a secret cannot be read: that row then renders and reports it.</summary>
        private byte[]? TemplateDigest(ResolvedTemplate resolved) =>
            // Looked up first: GetOrAdd's lambda would allocate its closure on every row.
            _templateDigests.TryGetValue(resolved, out var digest) ? digest : AddTemplateDigest(resolved);

        private byte[]? AddTemplateDigest(ResolvedTemplate resolved) => _templateDigests.GetOrAdd(resolved, r =>
        {
            IReadOnlyList<KeyValuePair<string, string>> settings, parameters;
            try
            {
                settings = _carriesSecrets ? r.ClientSettingsWithSecrets : r.ClientSettings;
                parameters = r.ParametersWithSecrets(_options.Format);
            }
            catch (ProvisioningException) { return null; }
            var digest = TextDigest.Start().Add(r.Name);
            foreach (var layer in r.Layers) digest.Add(layer);
            digest.Add(parameters.Count.ToString(CultureInfo.InvariantCulture));
            foreach (var kv in parameters) digest.Add(kv.Key).Add(kv.Value);
            digest.Add(settings.Count.ToString(CultureInfo.InvariantCulture));
            foreach (var kv in settings) digest.Add(kv.Key).Add(kv.Value);
            return digest.Finish();
        });

        private RowShape? _shape;

        /// <summary>The last template digest and header seen, and their <see cref="RowPrefix"/> (rows of one CSV share both).</summary>
        private sealed class RowPrefixEntry
        {
            public RowPrefixEntry(byte[] template, object? header, byte[] digest) { Template = template; Header = header; Digest = digest; }
            public readonly byte[] Template;
            public readonly object? Header;
            public readonly byte[] Digest;
        }

        private RowPrefixEntry? _rowPrefix;

        /// <summary>
        /// SHA-256 of the template digest and the row's column names: a row's input digest is this and then only its
        /// values, so a row of a CSV file hashes half the bytes (the names were hashed again on every row).
        /// </summary>
        private byte[] RowPrefix(byte[] templateDigest, AccountRow row)
        {
            var last = System.Threading.Volatile.Read(ref _rowPrefix);
            if (last != null && row.Header != null && ReferenceEquals(last.Template, templateDigest) && ReferenceEquals(last.Header, row.Header))
                return last.Digest;
            int n = row.Count;
            var digest = TextDigest.Start().Add(templateDigest).Add(n.ToString(CultureInfo.InvariantCulture));
            for (int i = 0; i < n; i++) digest.Add(row.Column(i));
            var prefix = digest.Finish();
            if (row.Header != null) System.Threading.Volatile.Write(ref _rowPrefix, new RowPrefixEntry(templateDigest, row.Header, prefix));
            return prefix;
        }

        /// <summary>
        /// The state's answer before the row becomes an account (its strings, lists and checks): with a default file
        /// name the path needs only the MAC, and the template only the Template and Group cells. A row the state
        /// knows made the same account last run (its input digest covers every cell), so skipping Build skips
        /// nothing it could report.
        /// </summary>
        private bool TryFromStateEarly(GenerationOutcome o, AccountRow row, int ordinal)
        {
            if (_namePrefix == null || row.Error != null) return false;
            var shape = RowShape.Of(row, ref _shape);
            MacAddress mac;
            if (row.ParsedMac >= 0) mac = MacAddress.FromInt64(row.ParsedMac);
            else if (shape.Mac < 0 || !MacAddress.TryParseSpan(row.ValueSpan(shape.Mac), out mac)) return false;
            return TryFromState(o, row, ordinal, mac, RowShape.Trimmed(row, shape.Template), RowShape.Trimmed(row, shape.Group), null);
        }

        /// <summary>
        /// Answers a row from the generation state when its inputs (template digest and every cell of the row)
        /// and its file are as the last run left them. Otherwise notes the row's input digest for recording.
        /// </summary>
        private bool TryFromState(GenerationOutcome o, AccountRow row, int ordinal, MacAddress mac, string? template, string? group, AccountRecord? account)
        {
            if (o.InputDigest != null) return false; // tried before the account was built, and missed
            if (_namePrefix == null && account == null) return false;
            ResolvedTemplate resolved;
            try { resolved = _resolver.Resolve(template, group); }
            catch (ProvisioningException) { return false; } // Render reports it
            o.UnassignedGroup = resolved.UnassignedGroup;
            var templateDigest = TemplateDigest(resolved);
            if (templateDigest == null) return false;
            var prefix = RowPrefix(templateDigest, row);
            var input = TextDigest.Start().Add(prefix);
            for (int i = 0, n = row.Count; i < n; i++) input.Add(row.ValueSpan(i));
            Span<byte> digest = stackalloc byte[16];
            input.FinishFingerprint(digest);
            string path;
            if (_namePrefix != null) path = NameFromMac(mac);
            else
            {
                try { path = FilePath(account!, resolved, null); }
                catch (ProvisioningException) { o.InputDigest = digest.ToArray(); return false; } // Render reports it
            }
            o.Path = path; // a miss renders the row: its path is this one
            // Kept only for a row that renders (to record it): a hit needs no copy.
            if (!_state!.TryUnchanged(path, digest, ordinal, _batchFolder, _destination, out int at)) { o.InputDigest = digest.ToArray(); return false; }
            o.StateIndex = at;
            o.Result = ProvisioningProfileResult.Unchanged(mac, path, _options.Format, resolved.Name, _state.Previous(at), o.RowNumber);
            o.Account = null;
            return true;
        }

        /// <summary>After a real write or a byte-for-byte comparison: what the next run may trust.</summary>
        /// <param name="created">The file's identity when this run created it and took it from the descriptor (else default: looked up).</param>
        private void RecordState(GenerationOutcome o, ReadOnlySpan<byte> sha256, FileIdentity created = default)
        {
            if (o.InputDigest == null || o.Result == null) return;
            var identity = created;
            if (identity.Inode == 0 && !LinuxFiles.TryStatIn(_batchFolder, _destination, o.Result.Path, out identity)) return;
            o.StateRecord = new System.Runtime.CompilerServices.StrongBox<GenerationRecord>(GenerationRecord.For(o.Result.Path, o.InputDigest, sha256, identity));
        }

        /// <summary>The generation state kept for this run (null without one).</summary>
        internal GenerationState? State => _state;

        /// <summary>The state's run key (null without a state).</summary>
        internal byte[]? StateRunKey => _runKey;

        /// <summary>True when files are named by MAC alone (a default rule): a row's path needs nothing but its MAC.</summary>
        internal bool NamesByMac => _namePrefix != null;

        /// <summary>The path of <paramref name="mac"/>'s file under a default rule (<see cref="NamesByMac"/>).</summary>
        internal string PathOfMac(long mac) => NameFromMac(MacAddress.FromInt64(mac));

        /// <summary>
        /// The name and digest of the template the Template and Group cells resolve to now (what every row's input
        /// digest starts from); null when it does not resolve or a secret cannot be read.
        /// </summary>
        internal byte[]? TemplateFingerprint(string? template, string? group, out string name)
        {
            name = "";
            ResolvedTemplate resolved;
            try { resolved = _resolver.Resolve(template, group); }
            catch (ProvisioningException) { return null; }
            if (resolved.UnassignedGroup != null) return null;
            name = resolved.Name;
            return TemplateDigest(resolved);
        }

        /// <summary>
        /// True when every phone's file of <paramref name="memo"/> (row i: the last run's record i) is the one the
        /// last run left: same path, size, times and inode. Stops at the first that is not. On the workers, and
        /// without allocating: what it finds is not kept (the rows' results are made as they are handed out).
        /// </summary>
        internal bool FilesAsLeft(RunMemo memo)
        {
            var state = _state;
            int count = memo.Count;
            if (state == null || _namePrefix == null || count != state.PreviousRows) return false;
            int folder = LinuxFiles.OpenFolder(_destination);
            if (folder < 0) return false;
            try
            {
                int failed = 0;
                const int Chunk = 4096;
                int chunks = (count + Chunk - 1) / Chunk;
                Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.MaxDegreeOfParallelism) }, (c, loop) =>
                {
                    var prefix = _namePrefix;
                    Span<char> path = stackalloc char[prefix.Length + 16];
                    prefix.AsSpan().CopyTo(path);
                    var name = path.Slice(prefix.Length);
                    Span<byte> nameBytes = stackalloc byte[16];
                    ".xml".AsSpan().CopyTo(name.Slice(12));
                    var hex = _upperName ? "0123456789ABCDEF" : "0123456789abcdef";
                    int end = Math.Min(count, (c + 1) * Chunk);
                    for (int i = c * Chunk; i < end; i++)
                    {
                        long mac = memo.Mac(i);
                        for (int d = 0, shift = 44; d < 12; d++, shift -= 4) name[d] = hex[(int)((mac >> shift) & 0xF)];
                        for (int d = 0; d < 16; d++) nameBytes[d] = (byte)name[d];
                        if (System.Threading.Volatile.Read(ref failed) != 0 || !state.FileAsLeft(i, path, nameBytes, folder))
                        {
                            System.Threading.Interlocked.Exchange(ref failed, 1);
                            loop.Stop();
                            return;
                        }
                    }
                });
                return failed == 0;
            }
            finally { LinuxFiles.CloseFolder(folder); }
        }

        /// <summary>Row <paramref name="at"/> of a replayed run: Unchanged, as the last run left it.</summary>
        internal ProvisioningProfileResult ReplayedResult(int at, long mac, string template, int rowNumber) =>
            ProvisioningProfileResult.Unchanged(MacAddress.FromInt64(mac), PathOfMac(mac), _options.Format, template, _state!.Previous(at), rowNumber);

        /// <summary>Keeps the last run's records, all of them as they are, for the next state (a replayed run).</summary>
        internal void KeepReplayed(int count)
        {
            var state = _state!;
            for (int i = 0; i < count; i++) state.AppendPrevious(i);
            state.Hits += count;
        }

        /// <summary>Off once a file the state did not know turned out to exist (a lost or foreign state): the run then probes first again.</summary>
        private volatile bool _createFirst = true;

        /// <summary>
        /// A file the generation state has no record of is most likely new (a first run, a new phone): it is created
        /// straight away, without first looking for an old one to compare. If the name is taken after all, nothing
        /// was written and the caller compares and replaces as usual, so an unchanged file is still never rewritten.
        /// </summary>
        private bool TryCreateFirst(GenerationOutcome o, int ordinal, out FileIdentity identity)
        {
            identity = default;
            int folder = CreateFirstFolder(o, ordinal);
            if (folder < 0) return false;
            if (LinuxFiles.TryCreateIn(folder, _destination, o.Path!, o.Content!, 0, o.Content!.Length, out bool exists, out identity)) return true;
            if (exists) _createFirst = false;
            return false;
        }

        /// <summary>The open destination when the row's file is to be created first (the state knows no file for it), else -1.</summary>
        private int CreateFirstFolder(GenerationOutcome o, int ordinal)
        {
            if (!_createFirst || _state == null || _state.HasRecord(o.Path!, ordinal)) return -1;
            int folder = _batchFolder;
            if (folder < 0)
            {
                // A first run's destination is made by its first file: from then on this batch works from it too.
                folder = LinuxFiles.OpenFolder(_destination);
                if (folder < 0) return -1;
                int before = System.Threading.Interlocked.CompareExchange(ref _batchFolder, folder, -1);
                if (before >= 0) { LinuxFiles.CloseFolder(folder); folder = before; }
            }
            return folder;
        }

        /// <summary>Held while a worker names its files in the destination.</summary>
        private readonly object _naming = new object();

        /// <summary>
        /// <see cref="TryCreateFirst"/> in two steps: the file is written unnamed now and named with this worker's
        /// others when the folder is free (at the latest when the worker ends its part of the batch), and the
        /// outcome is completed then. False when the file is not to be created first, or cannot be here.
        /// </summary>
        private bool TryWriteFirst(GenerationOutcome o, int ordinal, UnnamedFiles unnamed)
        {
            int folder = CreateFirstFolder(o, ordinal);
            if (folder < 0) return false;
            int fd = LinuxFiles.TryWriteUnnamedIn(folder, _destination, o.Path!, o.Content!, 0, o.Content!.Length);
            if (fd < 0) return false;
            unnamed.Files.Add((o, fd, folder));
            NameAll(unnamed, wait: unnamed.Files.Count >= UnnamedFiles.Most);
            return true;
        }

        /// <summary>
        /// Names the worker's unnamed files if no other worker is naming (or, with <paramref name="wait"/>, once it is
        /// done), then completes their outcomes outside the lock. A taken name (a state that did not know the file)
        /// or a refused link falls back to the usual write, which compares first.
        /// </summary>
        private void NameAll(UnnamedFiles unnamed, bool wait)
        {
            var files = unnamed.Files;
            if (files.Count == 0) return;
            if (wait) System.Threading.Monitor.Enter(_naming);
            else if (!System.Threading.Monitor.TryEnter(_naming)) return;
            try
            {
                for (int k = 0; k < files.Count; k++)
                    unnamed.Named[k] = LinuxFiles.TryNameIn(files[k].Fd, files[k].Folder, _destination, files[k].Outcome.Path!, out unnamed.Taken[k]);
            }
            finally { System.Threading.Monitor.Exit(_naming); }
            for (int k = 0; k < files.Count; k++)
            {
                var (o, fd, _) = files[k];
                FileIdentity identity = default;
                if (unnamed.Named[k]) LinuxFiles.TryIdentity(fd, out identity);
                LinuxFiles.Close(fd);
                if (unnamed.Taken[k]) _createFirst = false;
                // Not named: nothing of it is left, and the file is written (or found unchanged) the usual way.
                try { Written(o, write: true, unnamed.Named[k] ? WriteStatus.Created : AtomicFile.Write(o.Path!, o.Content!), identity); }
                catch (Exception ex) when (ex is ProvisioningException || ex is IOException || ex is UnauthorizedAccessException) { FailWrite(o, ex); }
            }
            files.Clear();
        }
#endif

        /// <summary>
        /// One worker's files written without a name yet (<see cref="LinuxFiles.TryWriteUnnamedIn"/>), waiting for the
        /// folder: naming a file (linkat) holds the folder's lock in the kernel, and two workers naming at once spin
        /// on it (about a tenth of a first run's system time). So a worker names its files only when no other is
        /// naming, and otherwise goes on to its next rows.
        /// </summary>
        private sealed class UnnamedFiles
        {
            public const int Most = 32;
            public readonly List<(GenerationOutcome Outcome, int Fd, int Folder)> Files = new List<(GenerationOutcome, int, int)>(Most);
            public readonly bool[] Named = new bool[Most];
            public readonly bool[] Taken = new bool[Most];
        }

        private bool TrackPaths { get; }

        /// <summary>The driver has already refused duplicate MAC addresses across the whole run (every family): no second table of a million MACs here.</summary>
        internal bool MacsCheckedByCaller { get; set; }

        public ProfileFormat Format => _options.Format;

        /// <summary>Generates every row, streaming: at most one batch is held in memory (the one driver, <see cref="FleetRun"/>, over this generator).</summary>
        public IEnumerable<GenerationOutcome> Generate(IEnumerable<AccountRow> rows, IOperationLog? log = null)
        {
            using var run = new FleetRun(this, log, confirm: null);
            foreach (var row in rows)
                foreach (var o in run.Add(row)) yield return o;
            foreach (var o in run.Complete()) yield return o;
        }

        /// <summary>A run killed while replacing files leaves hidden temporary files: the next run removes them.</summary>
        internal void SweepStaleTemporaryFiles()
        {
            if (_options.WhatIf) return;
#if NET
            if (_state != null)
            {
                // A folder still as the last run left it, with none, has none: the sweep would read every name in it
                // (a tenth of an unchanged re-run of 100,000 files) to find nothing.
                if (!Directory.Exists(_destination)) { _folderClean = true; return; } // made by this run: nothing to sweep
                if (LinuxFiles.TryStatFolder(_destination, out var folder) && _state.FolderUnchanged(folder)) { _folderClean = true; return; }
                AtomicFile.SweepStaleTemporaryFiles(_destination, force: false, out _folderClean);
                return;
            }
#endif
            if (Directory.Exists(_destination)) AtomicFile.SweepStaleTemporaryFiles(_destination);
        }

        /// <summary>Problem with the generation state to report once (verbose), or null.</summary>
        internal string? StateProblem
        {
#if NET
            get => _stateProblem;
#else
            get => null;
#endif
        }

        internal bool KeepsState
        {
#if NET
            get => _state != null;
#else
            get => false;
#endif
        }

        /// <summary>Rows the last run's generation state holds (0 without one).</summary>
        internal int RememberedRows
        {
#if NET
            get => _state?.PreviousRows ?? 0;
#else
            get => 0;
#endif
        }

        internal int StateHitCount
        {
#if NET
            get => _state?.Hits ?? 0;
#else
            get => 0;
#endif
        }

        /// <summary>Keeps the next generation state (after every row: an interrupted run keeps the last one).</summary>
        internal void CommitState()
        {
#if NET
            if (_state == null) return;
            // The folder as this run leaves it, if no temporary file of ours was in it after the sweep: this run's own
            // are renamed or removed by now, so the next run may skip its sweep while no name in the folder changes.
            FileIdentity folder = default;
            if (!_folderClean || !LinuxFiles.TryStatFolder(_destination, out folder)) folder = default;
            _state.Commit(folder);
#endif
        }

        /// <summary>Drops the generation state without keeping this run's (interrupted or finished).</summary>
        internal void DisposeState()
        {
#if NET
            _state?.Dispose();
#endif
        }

        internal GenerationOptions Options => _options;

        /// <summary>Appends the batch's records to the next generation state, in row order.</summary>
        internal IReadOnlyList<GenerationOutcome> Remembered(IReadOnlyList<GenerationOutcome> outcomes)
        {
#if NET
            if (_state != null)
                foreach (var o in outcomes)
                {
                    if (o.Error != null) continue;
                    if (o.StateIndex >= 0) _state.AppendPrevious(o.StateIndex);
                    else if (o.StateRecord != null) _state.Append(o.StateRecord.Value);
                    o.StateRecord = null;
                    o.StateIndex = -1;
                    o.InputDigest = null;
                }
#endif
            return outcomes;
        }

        /// <summary>
        /// Renders a batch and, when <paramref name="write"/>, writes it; otherwise each outcome keeps its bytes
        /// and the status the write would have, for <see cref="Commit"/> after the caller's confirmation.
        /// </summary>
        public IReadOnlyList<GenerationOutcome> GenerateBatch(IReadOnlyList<AccountRow> rows, bool write)
        {
            var outcomes = new GenerationOutcome[rows.Count];
            var settingOverrides = new List<KeyValuePair<string, string>>?[rows.Count];
            var macColumns = new string[rows.Count];
            var rowFormats = new ProfileFormat?[rows.Count];
            for (int i = 0; i < rows.Count; i++)
            {
                var o = outcomes[i] = new GenerationOutcome(rows[i].RowNumber);
                if (rows[i].Error != null) o.Error = rows[i].Error;
            }
            // Rows to accounts in parallel (it is a quarter of an unchanged re-run); the checks against earlier rows in order.
            void BuildAccount(GenerationOutcome o, int i)
            {
                if (o.Error != null) return;
                try { o.Account = AccountColumns.Build(rows[i], out settingOverrides[i], out macColumns[i], out rowFormats[i]); }
                catch (ProvisioningException ex) { o.Error = ex; return; }
                if (rowFormats[i].HasValue && rowFormats[i]!.Value != _options.Format)
                {
                    o.Skipped = true;
                    o.Account = null;
                }
            }
            // With the MACs checked by the driver and names unique by MAC, no check needs every row of the batch
            // first: each row goes from cells to file in one parallel pass (one parallel loop a batch, not two).
            if (MacsCheckedByCaller && !TrackPaths) return GenerateRowByRow(rows, outcomes, settingOverrides, write, BuildAccount);
            ForEach(outcomes, BuildAccount);
            for (int i = 0; i < outcomes.Length; i++)
            {
                var o = outcomes[i];
                if (o.Error != null || o.Account == null) continue;
                if (MacsCheckedByCaller) continue;
                var key = o.Account.MacAddress.ToInt64();
                if (_firstRowOfMac.TryGetValue(key, out int first))
                {
                    o.Error = AccountColumns.RowError(o.RowNumber, macColumns[i], ErrorIds.DuplicateMacAddress, ErrorKind.InvalidData,
                        $"{o.Account.MacAddress.Colon.ToUpperInvariant()} is already on row {first.ToString(CultureInfo.InvariantCulture)}; each phone gets one file, so only row {first.ToString(CultureInfo.InvariantCulture)} is generated.");
                    o.Account = null;
                    continue;
                }
                _firstRowOfMac.Set(key, o.RowNumber);
            }

            if (!TrackPaths) return GenerateRowByRow(rows, outcomes, settingOverrides, write, null);

            ForEach(outcomes, (o, i) => Render(o, settingOverrides[i]));
            foreach (var o in outcomes)
            {
                if (o.Error != null || o.Path == null) continue;
                if (_firstRowOfPath.TryGetValue(o.Path, out int first))
                    Fail(o, AccountColumns.RowError(o.RowNumber, "FileName", ErrorIds.DuplicateFileName, ErrorKind.InvalidData,
                        $"the file-name rule '{_fileNameRule}' gives '{o.Path}', which row {first.ToString(CultureInfo.InvariantCulture)} already writes; put $MA or a unique column in the rule."));
                else _firstRowOfPath.Add(o.Path, o.RowNumber);
            }
            ForEach(outcomes, (o, _) => Finish(o, write));
            return outcomes;
        }

        /// <summary>
        /// Names unique by MAC: each row goes from account (built here first when <paramref name="build"/> is given)
        /// to file in one parallel pass, answered from the generation state when it can be.
        /// </summary>
        private GenerationOutcome[] GenerateRowByRow(IReadOnlyList<AccountRow> rows, GenerationOutcome[] outcomes,
            List<KeyValuePair<string, string>>?[] settingOverrides, bool write, Action<GenerationOutcome, int>? build)
        {
#if NET
            if (_state != null)
            {
                // Opened per batch, not per run: a destination moved away mid-run is looked up again within a batch.
                _batchFolder = LinuxFiles.OpenFolder(_destination);
                int first = _stateRows;
                _stateRows += outcomes.Length;
                try
                {
                    ForEach(outcomes, (o, i, unnamed) =>
                    {
                        if (build != null && TryFromStateEarly(o, rows[i], first + i)) return;
                        build?.Invoke(o, i);
                        if (o.Error == null && o.Account != null
                            && TryFromState(o, rows[i], first + i, o.Account.MacAddress, o.Account.Template, o.Account.Group, o.Account)) return;
                        Render(o, settingOverrides[i]);
                        Finish(o, write, first + i, unnamed);
                    });
                }
                finally
                {
                    LinuxFiles.CloseFolder(_batchFolder);
                    _batchFolder = -1;
                }
                return outcomes;
            }
#endif
            ForEach(outcomes, (o, i) => { build?.Invoke(o, i); Render(o, settingOverrides[i]); Finish(o, write); });
            return outcomes;
        }

        /// <summary>Writes an outcome prepared by GenerateBatch(write: false). Returns the result of the real write.</summary>
        public ProvisioningProfileResult Commit(GenerationOutcome outcome)
        {
            if (outcome.Error != null || outcome.Content == null || outcome.Result == null)
                throw new InvalidOperationException("only a prepared, successful outcome can be written");
            WriteStatus status;
            try { status = AtomicFile.Write(outcome.Path!, outcome.Content); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new ProvisioningException(ErrorIds.FileWriteFailed, ErrorKind.WriteError, $"Row {outcome.RowNumber}: cannot write '{outcome.Path}': {ex.Message}", outcome.Path, ex);
            }
            var r = outcome.Result;
            var result = new ProvisioningProfileResult(r.MacAddress, r.Path, r.Format, r.Template, status, r.Sha256, r.RowNumber, false, Array.Empty<string>());
            outcome.Result = result;
            outcome.Content = null;
#if NET
            if (_state != null) RecordState(outcome, Convert.FromHexString(r.Sha256));
#endif
            return result;
        }

        private void ForEach(GenerationOutcome[] outcomes, Action<GenerationOutcome, int> body)
        {
            if (_options.MaxDegreeOfParallelism <= 1 || outcomes.Length < 16)
            {
                for (int i = 0; i < outcomes.Length; i++) body(outcomes[i], i);
                return;
            }
            Parallel.For(0, outcomes.Length, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism }, i => body(outcomes[i], i));
        }

#if NET
        /// <summary><see cref="ForEach(GenerationOutcome[], Action{GenerationOutcome, int})"/> with each worker's unnamed files, all named before it returns.</summary>
        private void ForEach(GenerationOutcome[] outcomes, Action<GenerationOutcome, int, UnnamedFiles> body)
        {
            if (_options.MaxDegreeOfParallelism <= 1 || outcomes.Length < 16)
            {
                var unnamed = new UnnamedFiles();
                try { for (int i = 0; i < outcomes.Length; i++) body(outcomes[i], i, unnamed); }
                finally { NameAll(unnamed, wait: true); }
                return;
            }
            Parallel.For(0, outcomes.Length, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism },
                static () => new UnnamedFiles(),
                (i, _, unnamed) => { body(outcomes[i], i, unnamed); return unnamed; },
                unnamed => NameAll(unnamed, wait: true));
        }
#endif

        private void Render(GenerationOutcome o, List<KeyValuePair<string, string>>? settingOverrides)
        {
            if (o.Error != null || o.Account == null) return;
            var account = o.Account;
            try
            {
                ResolvedTemplate resolved;
                try { resolved = _resolver.Resolve(account.Template, account.Group); }
                catch (ProvisioningException ex)
                {
                    var column = ex.ErrorId == ErrorIds.GroupTemplateNotFound ? "Group" : ex.ErrorId == ErrorIds.TemplateNotFound ? "Template" : (account.Template != null ? "Template" : "Group");
                    throw AccountColumns.RowError(account.RowNumber, column, ex.ErrorId, ex.Kind, ex.Message);
                }
                o.Template = resolved.Name;
                o.UnassignedGroup = resolved.UnassignedGroup;
                // The macro context is made only when a value or the file-name rule needs it (no closure per row).
                MacroContext? context = null;

                var parameters = resolved.ParametersWithSecrets(_options.Format);
                List<KeyValuePair<string, string>>? expanded = null;
                for (int i = 0; i < parameters.Count; i++)
                {
                    var value = parameters[i].Value;
                    if (value.IndexOf('$') < 0) { expanded?.Add(parameters[i]); continue; }
                    if (expanded == null) { expanded = new List<KeyValuePair<string, string>>(parameters.Count); for (int j = 0; j < i; j++) expanded.Add(parameters[j]); }
                    MacroExpansion expansion;
                    try { expansion = MacroExpander.Expand(value, context ??= NewContext(account, resolved)); }
                    catch (ProvisioningException ex)
                    {
                        // The expander quotes the whole value; a password's value must not reach the message.
                        var why = SecretParameterNames.IsSecret(parameters[i].Key, value) ? "the value has a malformed $( ... ) macro" : ex.Message;
                        throw new ProvisioningException(ex.ErrorId, ErrorKind.InvalidData, $"Row {account.RowNumber}, template '{resolved.Name}' parameter '{parameters[i].Key}': {why}", "row " + account.RowNumber);
                    }
                    if (expansion.Missing.Count > 0)
                        throw new ProvisioningException(ErrorIds.MacroWithoutValue, ErrorKind.InvalidData,
                            $"Row {account.RowNumber}, template '{resolved.Name}' parameter '{parameters[i].Key}': ${expansion.Missing[0]} has no value when generating; write $${expansion.Missing[0]} to leave it for the phone to expand.", "row " + account.RowNumber);
                    expanded.Add(new KeyValuePair<string, string>(parameters[i].Key, expansion.Text));
                }

                var settings = _carriesSecrets ? resolved.ClientSettingsWithSecrets : resolved.ClientSettings;
                // The common row overrides no setting: a format without secrets then gets the template's one blanked list.
                if (settingOverrides == null && !_carriesSecrets) settings = resolved.SharedClientSettingsWithoutSecrets;
                else if (settingOverrides != null || !_carriesSecrets)
                {
                    var merged = new List<KeyValuePair<string, string>>(settings);
                    if (!_carriesSecrets)
                        for (int i = 0; i < merged.Count; i++)
                            if (ResolvedTemplate.IsSecret(merged[i].Key)) merged[i] = new KeyValuePair<string, string>(merged[i].Key, string.Empty);
                    if (settingOverrides != null)
                        foreach (var kv in settingOverrides)
                            merged[ClientSettingSchema.IndexOf(kv.Key)] = kv;
                    settings = merged;
                }

                var document = new ProfileDocument(account, resolved.Name, (IReadOnlyList<KeyValuePair<string, string>>?)expanded ?? parameters, settings);
                try { o.Content = _writer.Render(document); }
                catch (ProvisioningException ex) when (!ex.Message.StartsWith("Row ", StringComparison.Ordinal))
                {
                    throw new ProvisioningException(ex.ErrorId, ex.Kind, $"Row {account.RowNumber}: {ex.Message}", ex.Target, ex);
                }
                o.Path ??= FilePath(account, resolved, context); // the state's lookup may have made it
            }
            catch (ProvisioningException ex) { Fail(o, ex); }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                // A bug in a writer must cost one row, not the run (and never print a stack trace).
                Fail(o, new ProvisioningException(ErrorIds.GenerationFailed, ErrorKind.InvalidOperation,
                    $"Row {o.RowNumber}: the {_options.Format} file could not be rendered ({ex.GetType().Name}: {ex.Message}).", "row " + o.RowNumber, ex));
            }
        }

        /// <summary>The destination and its separator, when the rule is a default one (12 hex digits and .xml), else null.</summary>
        private readonly string? _namePrefix;
        private readonly bool _upperName;

        /// <summary>The file of <paramref name="mac"/> under a default rule, in one allocation (once per row).</summary>
        private string NameFromMac(MacAddress mac)
        {
#if !NET
            return _namePrefix + (_upperName ? mac.Upper : mac.Lower) + ".xml";
#else
            var prefix = _namePrefix!;
            return string.Create(prefix.Length + 16, (prefix, mac.ToInt64(), _upperName), static (chars, s) =>
            {
                s.prefix.AsSpan().CopyTo(chars);
                var hex = s.Item3 ? "0123456789ABCDEF" : "0123456789abcdef";
                int at = s.prefix.Length;
                for (int shift = 44; shift >= 0; shift -= 4) chars[at++] = hex[(int)((s.Item2 >> shift) & 0xF)];
                ".xml".AsSpan().CopyTo(chars.Slice(at));
            });
#endif
        }

        private static MacroContext NewContext(AccountRecord account, ResolvedTemplate resolved) =>
            new MacroContext(account.MacAddress, null, account.Model, Variables(account, resolved));

        /// <param name="context">The row's macro context when already made, else null (made here if the rule needs it).</param>
        private string FilePath(AccountRecord account, ResolvedTemplate resolved, MacroContext? context)
        {
            string name;
            // The default rules give 12 hex digits plus a fixed suffix: they cannot leave the destination, so the
            // common case skips the macro context and SafePath's four GetFullPath calls.
            if (_namePrefix != null) return NameFromMac(account.MacAddress);
            else
            {
                var ctx = context ?? NewContext(account, resolved);
                foreach (var macro in _fileNameMacros)
                    if (!ctx.TryGetValue(macro, out _))
                        throw AccountColumns.RowError(account.RowNumber, "FileName", ErrorIds.FileNameMacroWithoutValue, ErrorKind.InvalidData,
                            $"the file-name rule '{_fileNameRule}' uses ${macro}, but the row has no such column (or it is empty).");
                MacroExpansion expansion;
                try { expansion = MacroExpander.Expand(_fileNameRule, ctx); }
                catch (ProvisioningException ex) { throw AccountColumns.RowError(account.RowNumber, "FileName", ex.ErrorId, ErrorKind.InvalidArgument, ex.Message); }
                name = expansion.Text;
            }
            try { var full = SafePath.Combine(_destination, name); WindowsFileNames.Check(name, "file-name", _fileNameRule); return full; }
            catch (ProvisioningException ex) { throw AccountColumns.RowError(account.RowNumber, "FileName", ex.ErrorId, ex.Kind, ex.Message); }
        }

        private static IEnumerable<KeyValuePair<string, string>> Variables(AccountRecord account, ResolvedTemplate resolved)
        {
            void Add(List<KeyValuePair<string, string>> list, string name, string? value) { if (!string.IsNullOrEmpty(value)) list.Add(new KeyValuePair<string, string>(name, value!)); }
            var vars = new List<KeyValuePair<string, string>>(16);
            Add(vars, "Model", account.Model);
            Add(vars, "Group", account.Group);
            Add(vars, "Template", resolved.Name);
            Add(vars, "UserId", account.UserId);
            Add(vars, "AuthId", account.AuthId);
            Add(vars, "DisplayName", account.DisplayName);
            Add(vars, "Extension", account.Extension);
            Add(vars, "SipServer", account.SipServer);
            foreach (var kv in account.ExtraColumns) Add(vars, kv.Key, kv.Value);
            return vars;
        }

        /// <param name="ordinal">The row's place in the run (where the generation state's record of it usually is), or -1.</param>
        /// <param name="unnamed">This worker's files written but not yet named (the state path), or null: the file is then written and named here.</param>
        private void Finish(GenerationOutcome o, bool write, int ordinal = -1, UnnamedFiles? unnamed = null)
        {
            if (o.Error != null || o.Content == null) { o.Content = null; return; }
            try
            {
                FileIdentity created = default;
                WriteStatus status;
#if NET
                if (write && unnamed != null)
                {
                    if (TryWriteFirst(o, ordinal, unnamed)) return; // completed once named
                    status = AtomicFile.Write(o.Path!, o.Content);
                }
                else status = write && TryCreateFirst(o, ordinal, out created) ? WriteStatus.Created : AtomicFile.Write(o.Path!, o.Content, whatIf: !write);
#else
                status = AtomicFile.Write(o.Path!, o.Content, whatIf: !write);
#endif
                Written(o, write, status, created);
            }
            catch (Exception ex) when (ex is ProvisioningException || ex is IOException || ex is UnauthorizedAccessException) { FailWrite(o, ex); }
        }

        /// <summary>Completes an outcome whose file is written (or compared, or, without <paramref name="write"/>, would be).</summary>
        /// <param name="created">The file's identity when this run created it and took it from the descriptor (else default).</param>
        private void Written(GenerationOutcome o, bool write, WriteStatus status, FileIdentity created)
        {
            var content = o.Content!;
            string[] changed = Array.Empty<string>();
            if (!write && status == WriteStatus.Updated && _reader != null) changed = ChangedParameters(o.Path!, content);
#if NET
            Span<byte> sha256 = stackalloc byte[32];
            Sha256Digest.HashData(content, sha256);
            // No MAC or hash text per file: made only if someone reads them (pprov prints the path).
            o.Result = ProvisioningProfileResult.Written(o.Account!.MacAddress, o.Path!, _options.Format, o.Template!,
                status, sha256, o.RowNumber, _options.WhatIf, changed);
            // Written now, or found identical: the next run may trust it. A file that awaits the caller's
            // confirmation is recorded by Commit once written.
            if (_state != null && (write || status == WriteStatus.Unchanged)) RecordState(o, sha256, created);
#else
            o.Result = new ProvisioningProfileResult(UpperColon(o.Account!.MacAddress), o.Path!, _options.Format, o.Template!,
                status, HexText.Sha256(content, 0, content.Length), o.RowNumber, _options.WhatIf, changed);
#endif
            if (write) o.Content = null;
            o.Account = null;
        }

        /// <summary>The row's error for a file that could not be written (its message starts with the row).</summary>
        private static void FailWrite(GenerationOutcome o, Exception ex)
        {
            if (ex is ProvisioningException p)
                Fail(o, p.Message.StartsWith("Row ", StringComparison.Ordinal) ? p : new ProvisioningException(p.ErrorId, p.Kind, $"Row {o.RowNumber}: {p.Message}", p.Target, p));
            else
                Fail(o, new ProvisioningException(ErrorIds.FileWriteFailed, ErrorKind.WriteError, $"Row {o.RowNumber}: cannot write '{o.Path}': {ex.Message}", o.Path, ex));
        }

        private string[] ChangedParameters(string path, byte[] content)
        {
            try
            {
                var before = _reader!.Parse(File.ReadAllBytes(path), path);
                var after = _reader.Parse(content, path);
                return ProfileDiff.Compare(before, after).Changes.Select(c => c.Name).ToArray();
            }
            catch (Exception ex) when (ex is ProvisioningException || ex is IOException || ex is UnauthorizedAccessException)
            {
                // The existing file is not in the format (hand-edited, another generator): say so instead of a list.
                return new[] { "(existing file unreadable: " + ex.Message + ")" };
            }
        }

        private static void Fail(GenerationOutcome o, ProvisioningException ex)
        {
            o.Error = ex;
            o.Content = null;
            o.Result = null;
            o.Account = null;
        }

        /// <summary>00:0E:08:AB:CD:EF, built in one allocation (it is called once per file).</summary>
        private static string UpperColon(MacAddress mac)
        {
            var hex = mac.Upper;
            var chars = new char[17];
            for (int i = 0, j = 0; i < 12; i += 2)
            {
                if (j > 0) chars[j++] = ':';
                chars[j++] = hex[i];
                chars[j++] = hex[i + 1];
            }
            return new string(chars);
        }
    }
}
