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
    public sealed partial class ProfileGenerator
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
            return string.Create(prefix.Length + DefaultNameLength, (prefix, mac.ToInt64(), _upperName), static (chars, s) =>
            {
                s.prefix.AsSpan().CopyTo(chars);
                WriteDefaultName(chars.Slice(s.prefix.Length), s.Item2, s.Item3);
            });
#endif
        }

        /// <summary>Characters of a default file name: 12 hex digits and ".xml".</summary>
        private const int DefaultNameLength = 16;

        /// <summary>The default file name of <paramref name="mac"/> (<see cref="DefaultNameLength"/> characters) into <paramref name="chars"/>.</summary>
        private static void WriteDefaultName(Span<char> chars, long mac, bool upper)
        {
            var hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
            for (int d = 0, shift = 44; d < 12; d++, shift -= 4) chars[d] = hex[(int)((mac >> shift) & 0xF)];
            ".xml".AsSpan().CopyTo(chars.Slice(12));
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
