using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using PrivateProvisioning.Core.Formats;

namespace PrivateProvisioning.Core.Templates.Generation
{
#if NET
    /// <summary>
    /// The generator's generation-state side (a NET build, Linux at run time): a row answered from the state after one
    /// stat, the run memo's replay of a whole run, a new file created first and named by the workers.
    /// </summary>
    public sealed partial class ProfileGenerator
    {
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
                    Span<char> path = stackalloc char[prefix.Length + DefaultNameLength];
                    prefix.AsSpan().CopyTo(path);
                    var name = path.Slice(prefix.Length);
                    Span<byte> nameBytes = stackalloc byte[DefaultNameLength];
                    int end = Math.Min(count, (c + 1) * Chunk);
                    for (int i = c * Chunk; i < end; i++)
                    {
                        WriteDefaultName(name, memo.Mac(i), _upperName);
                        for (int d = 0; d < DefaultNameLength; d++) nameBytes[d] = (byte)name[d];
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
    }
#endif
}
