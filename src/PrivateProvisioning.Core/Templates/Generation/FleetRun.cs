using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using PrivateProvisioning.Core.Formats;

namespace PrivateProvisioning.Core.Templates.Generation
{
    /// <summary>
    /// The one generation driver: both front ends run their request (<see cref="FleetOptions"/>) through it, and
    /// <see cref="ProfileGenerator.Generate"/> is it over one prepared generator. One run over a whole account list, as a nightly task makes it: each row goes to its family (Format column,
    /// else Model through the <see cref="ModelCatalogue"/>; or the one format asked for) and to that family's
    /// <see cref="ProfileGenerator"/>, whose files keep their own names in the one destination. Results come back in
    /// row order; a MAC address is one phone across all families. Every file written is recorded outside the
    /// destination (<see cref="WrittenFilesRecord"/>), so a later run can prune the files of phones that left the
    /// list, and only those. Both front ends drive it: pprov pulls a CSV through <see cref="Generate"/>, the cmdlet
    /// pushes pipeline rows through <see cref="Add"/> and <see cref="Complete"/> with a confirmation per file; then
    /// <see cref="PlanPrune"/>, <see cref="Remove"/> per file and <see cref="Finish"/> for the summary.
    /// </summary>
    public sealed class FleetRun : IDisposable
    {
        private readonly FleetOptions _options;
        private readonly TemplateResolver? _resolver;
        private readonly ModelCatalogue? _catalogue;
        /// <summary>A run over one prepared family generator (<see cref="ProfileGenerator.Generate"/>, tests): rows are not routed.</summary>
        private readonly ProfileGenerator? _single;
        private readonly IOperationLog _log;
        private readonly string _destination;
        private readonly string? _recordPath;
        private readonly Dictionary<ProfileFormat, ProfileGenerator> _generators = new Dictionary<ProfileFormat, ProfileGenerator>();
        private readonly List<PartitionedProfileWriter> _writers = new List<PartitionedProfileWriter>();
        private readonly MacRowTable _firstRowOfMac = new MacRowTable();
        private RowShape? _shape;
        private readonly List<int> _rowsWithoutMac = new List<int>();
        /// <summary>This run's files for the record, streamed to disk (null without a place for the record).</summary>
        private readonly WrittenFilesRecordUpdate? _written;
        private int _recordable;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private int _created, _updated, _unchanged, _failed, _skipped, _removed;
        private readonly Func<ProvisioningProfileResult, bool>? _confirm;
        private readonly List<AccountRow> _batch;
        private readonly HashSet<string> _warnedGroups = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private long _done;
        private bool _completed;
        private bool _recordOpen;
        private IDisposable? _recordLock;
        private PrunePlan? _plan;
        private bool _finished;
#if NET
        /// <summary>This run's rows for the next run memo (<see cref="RunMemo"/>); null once the run cannot leave one.</summary>
        private RunMemo? _memo;
        /// <summary>The accounts file the rows are read from, hashed before its first row (null: rows from elsewhere, or no memo possible).</summary>
        private AccountsFile? _accounts;
        /// <summary>Rows read from <see cref="_accounts"/>.</summary>
        private long _accountsRows;
        /// <summary>The states are kept: <see cref="Finish"/> keeps the memo (or removes the old one) after the record of written files.</summary>
        private bool _memoStateKept;
        /// <summary>A replayed run whose record of written files is the one the memo's run left: its lines would be that record's, so none is made.</summary>
        private bool _recordAsLeft;
#endif

        /// <param name="confirm">Asked for each file to be created or updated (also under WhatIf, where nothing is written whatever it says); null writes without asking.</param>
        /// <exception cref="ProvisioningException">Options that contradict each other, or the store's model catalogue is invalid.</exception>
        public FleetRun(TemplateStore store, FleetOptions options, IOperationLog? log = null, Func<ProvisioningProfileResult, bool>? confirm = null)
        {
            _confirm = confirm;
            _batch = new List<AccountRow>(Math.Max(1, options.BatchSize));
            options.Validate();
            _options = options;
            _resolver = new TemplateResolver(store);
            _catalogue = ModelCatalogue.Open(store.Folder);
            _log = log ?? NullOperationLog.Instance;
            foreach (var warning in store.LiteralSecretWarnings()) _log.Warning(warning);
            _destination = Path.GetFullPath(options.Destination);
            _recordPath = options.RecordFile ?? WrittenFilesRecord.DefaultPath(_destination);
            if (_recordPath != null && !options.WhatIf) _written = new WrittenFilesRecordUpdate(_recordPath, _destination);
#if NET
            if (MemoPossible) _memo = new RunMemo();
#endif
        }

        /// <summary>
        /// A run over one prepared family generator, as <see cref="ProfileGenerator.Generate"/> and the tests
        /// drive it: every row goes to that generator as it is (it checks MACs and skips rows of other formats), and
        /// no record of written files is kept.
        /// </summary>
        internal FleetRun(ProfileGenerator generator, IOperationLog? log, Func<ProvisioningProfileResult, bool>? confirm)
        {
            var o = generator.Options;
            _options = new FleetOptions(o.Destination) { Format = o.Format, WhatIf = o.WhatIf, BatchSize = o.BatchSize, MaxDegreeOfParallelism = o.MaxDegreeOfParallelism };
            _confirm = confirm;
            _batch = new List<AccountRow>(Math.Max(1, o.BatchSize));
            _log = log ?? NullOperationLog.Instance;
            foreach (var warning in generator.Store.LiteralSecretWarnings()) _log.Warning(warning);
            _destination = Path.GetFullPath(o.Destination);
            _single = generator;
            Adopt(generator);
        }

        public FleetOptions Options => _options;

#if NET
        /// <summary>True when the run was answered whole from the last run's memo (tests, --verbose).</summary>
        internal bool Replayed { get; private set; }

        /// <summary>
        /// A run that can leave (and use) a memo: one format, files written (no WhatIf, no list of changed parameters),
        /// a generation state kept, on Linux. A confirmation per file (the cmdlet's ShouldProcess, also asked under
        /// -Verbose) does not stand in the way: it is never asked for an Unchanged file, and a declined file leaves no memo.
        /// </summary>
        private bool MemoPossible => _single == null && !_options.WhatIf && !_options.ListChangedParameters
            && _options.Format.HasValue && _options.StateFileFor(_options.Format.Value) != null && GenerationState.Supported;

        private string MemoPath => RunMemo.PathFor(_options.StateFileFor(_options.Format!.Value)!);
#endif

        /// <summary>
        /// Every row of an accounts CSV file (pprov): the last run's outcomes again, without reading a row, when its
        /// memo says nothing they depend on changed (a run memo, beside the generation state); otherwise <see cref="Generate"/> over
        /// <see cref="ReadAccounts"/>.
        /// </summary>
        public IEnumerable<GenerationOutcome> GenerateAccounts(string path) => ReplayAccounts(path) ?? Generate(ReadAccounts(path));

        /// <summary>
        /// The last run's outcomes for the accounts file at <paramref name="path"/>, every row Unchanged and none read,
        /// when its memo says nothing they depend on changed; null otherwise (then read the rows: <see cref="ReadAccounts"/>).
        /// </summary>
        public IEnumerable<GenerationOutcome>? ReplayAccounts(string path)
        {
#if NET
            if (TryReplay(path, out var memo, out var generator))
            {
                ExpectedRows = memo.Count;
                return Replay(memo, generator);
            }
#endif
            return null;
        }

        /// <summary>Rows taken so far.</summary>
        public long RowsDone => _done + _batch.Count;

        /// <summary>Rows the generation states answered without rendering (tests).</summary>
        internal int StateHits => _generators.Values.Sum(g => g.StateHitCount);

        /// <summary>True when unchanged rows are answered from a generation state.</summary>
        public bool KeepsState => _generators.Values.Any(g => g.KeepsState);

        /// <summary>The number of rows the run will get, when the front end knows it: progress then has a percentage.</summary>
        public long? ExpectedRows { get; set; }

        /// <summary>The activity progress is reported under.</summary>
        public string Activity => _options.Format.HasValue ? "Generating " + _options.Format.Value + " profiles" : "Generating profiles";

        /// <summary>
        /// The rows of an accounts CSV file, read as a stream (no row is kept); with <paramref name="countFirst"/> the
        /// file is counted first, so progress has a percentage. With <paramref name="replayed"/>, a re-run the last
        /// run's memo answers (<see cref="ReplayAccounts"/>) yields no row: its outcomes go to <paramref name="replayed"/>.
        /// </summary>
        /// <exception cref="ProvisioningException">The file cannot be read, or is not a CSV file (when enumerated).</exception>
        public IEnumerable<AccountRow> ReadAccounts(string path, bool countFirst = false, Action<IEnumerable<GenerationOutcome>>? replayed = null)
        {
            if (replayed != null && ReplayAccounts(path) is IEnumerable<GenerationOutcome> outcomes)
            {
                replayed(outcomes);
                yield break;
            }
            if (countFirst)
            {
                long count = 0;
                using (var counting = CsvReader.Open(path))
                    while (counting.Read() != null) count++;
                ExpectedRows = count;
            }
#if NET
            // Hashed before its first row is read, for the memo: bytes that change during the run then do not match.
            if (_memo != null && _done == 0 && _batch.Count == 0 && _accountsRows == 0)
            {
                if (_accounts == null || _accounts.Path != path || !_accounts.Unchanged()) _accounts = AccountsFile.Hash(path);
            }
            else _accounts = null;
            if (_accounts == null) _memo = null;
#endif
            using var csv = CsvReader.Open(path);
            foreach (var record in csv.ReadAll())
            {
#if NET
                _accountsRows++;
#endif
                yield return AccountRow.FromCsv(csv.Header, record);
            }
        }

        /// <summary>
        /// Every row, pulled from <paramref name="rows"/> (pprov); outcomes in row order, a batch at a time. Without a
        /// confirmation per file the work is pipelined: while one batch is rendered and written on the worker
        /// threads, this thread reads and routes the next batch's rows and hands the last batch's outcomes to the
        /// caller (its output), so no core waits for the serial parts.
        /// </summary>
        public IEnumerable<GenerationOutcome> Generate(IEnumerable<AccountRow> rows)
        {
            if (_confirm != null || _options.MaxDegreeOfParallelism <= 1 || _batch.Count > 0)
            {
                foreach (var row in rows)
                    foreach (var o in Add(row)) yield return o;
                foreach (var o in Complete()) yield return o;
                yield break;
            }
            if (_completed) throw new InvalidOperationException("the run is complete");
            System.Threading.Tasks.Task? running = null;
            PreparedBatch? inFlight = null;
            System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
            try
            {
                using var source = rows.GetEnumerator();
                while (true)
                {
                    var next = new List<AccountRow>(Math.Max(1, _options.BatchSize));
                    // A row source that fails (an unreadable CSV) still lets the batch in flight finish and report.
                    try { while (next.Count < _options.BatchSize && source.MoveNext()) next.Add(source.Current); }
                    catch (Exception ex) { failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex); }
                    var prepared = failure == null && next.Count > 0 ? Prepare(next) : null;
                    PreparedBatch? done = null;
                    if (running != null)
                    {
                        var task = running;
                        running = null;
                        task.GetAwaiter().GetResult(); // a bug's exception surfaces here, as it would have in the loop
                        done = inFlight;
                        inFlight = null;
                    }
                    // The workers start on the next batch before this one is concluded (its states' records, counts
                    // and record of written files are this thread's alone) and printed.
                    if (prepared != null)
                    {
                        inFlight = prepared;
                        running = System.Threading.Tasks.Task.Run(() => Execute(prepared));
                    }
                    if (done != null)
                        foreach (var o in Conclude(done)) yield return o;
                    if (prepared == null) break;
                }
            }
            finally
            {
                // The caller stopped early (or a row source failed): the batch in flight finishes before states are dropped.
                if (running != null) try { running.Wait(); } catch (AggregateException) { }
            }
            failure?.Throw();
            _completed = true;
            CompleteStates(keep: true); // only after every row: an interrupted run keeps the last state
        }

        /// <summary>Takes a row (the cmdlet's pipeline); returns the outcomes of a batch when this row filled one, in row order, else nothing.</summary>
        public IReadOnlyList<GenerationOutcome> Add(AccountRow row)
        {
            if (_completed) throw new InvalidOperationException("the run is complete");
            _batch.Add(row);
            return _batch.Count >= _options.BatchSize ? Flush() : Array.Empty<GenerationOutcome>();
        }

        /// <summary>Generates the last rows and keeps the generation states; then <see cref="PlanPrune"/> and <see cref="Finish"/>.</summary>
        public IReadOnlyList<GenerationOutcome> Complete()
        {
            if (_completed) return Array.Empty<GenerationOutcome>();
            var last = Flush();
            _completed = true;
            CompleteStates(keep: true); // only after every row: an interrupted run keeps the last state
            return last;
        }

        private IReadOnlyList<GenerationOutcome> Flush()
        {
            if (_batch.Count == 0) return Array.Empty<GenerationOutcome>();
            var outcomes = Run(_batch);
            _batch.Clear();
            return outcomes;
        }

        private IReadOnlyList<GenerationOutcome> Run(IReadOnlyList<AccountRow> rows)
        {
            var batch = Prepare(rows);
            Execute(batch);
            return Conclude(batch);
        }

        /// <summary>A batch between its three steps: routed (in row order), generated (on the workers), concluded (in row order).</summary>
        private sealed class PreparedBatch
        {
            public PreparedBatch(GenerationOutcome[] outcomes, List<(ProfileGenerator Generator, List<int> Indexes)> families, IReadOnlyList<AccountRow> rows)
            {
                Outcomes = outcomes; Families = families; Rows = rows;
            }
            public readonly GenerationOutcome[] Outcomes;
            /// <summary>Each family's generator (made here, on the routing thread) and its rows' places in the batch.</summary>
            public readonly List<(ProfileGenerator Generator, List<int> Indexes)> Families;
            public readonly IReadOnlyList<AccountRow> Rows;
            public readonly List<(ProfileGenerator Generator, List<int> Indexes, IReadOnlyList<GenerationOutcome> Results)> Generated =
                new List<(ProfileGenerator, List<int>, IReadOnlyList<GenerationOutcome>)>();
        }

        /// <summary>Routes each row to its family, in row order (duplicate MACs across the run are caught here); makes the families' generators.</summary>
        private PreparedBatch Prepare(IReadOnlyList<AccountRow> rows)
        {
            var outcomes = new GenerationOutcome[rows.Count];
            var families = new Dictionary<ProfileFormat, List<int>>();
            if (_single != null) families[_single.Format] = Enumerable.Range(0, rows.Count).ToList();
            else for (int i = 0; i < rows.Count; i++)
            {
                var format = Route(rows[i], out var error, out var skip);
                if (error != null) outcomes[i] = new GenerationOutcome(rows[i].RowNumber) { Error = error };
                else if (skip) outcomes[i] = new GenerationOutcome(rows[i].RowNumber) { Skipped = true };
                else
                {
                    if (!families.TryGetValue(format, out var list)) families[format] = list = new List<int>();
                    list.Add(i);
                }
            }
            return new PreparedBatch(outcomes, families.Select(f => (Generator(f.Key), f.Value)).ToList(), rows);
        }

        /// <summary>Renders and writes (or, with a confirmation per file or WhatIf, prepares) each family's rows of the batch.</summary>
        private void Execute(PreparedBatch batch)
        {
            bool write = _confirm == null && !_options.WhatIf;
            foreach (var (generator, indexes) in batch.Families)
            {
                var subset = indexes.Select(i => batch.Rows[i]).ToList();
                batch.Generated.Add((generator, indexes, generator.GenerateBatch(subset, write)));
            }
        }

        /// <summary>In row order: confirmations and their writes, the generation states' records, counts, warnings, the record of written files.</summary>
        private IReadOnlyList<GenerationOutcome> Conclude(PreparedBatch batch)
        {
            var outcomes = batch.Outcomes;
            bool whatIf = _options.WhatIf;
            foreach (var (generator, indexes, results) in batch.Generated)
            {
                if (_confirm != null)
                {
                    foreach (var o in results)
                    {
                        if (o.Error != null || o.Skipped || o.Result == null || o.Result.Status == WriteStatus.Unchanged) continue;
                        if (!_confirm(o.Result)) { if (!whatIf) o.Declined = true; continue; }
                        if (whatIf) continue;
                        try { generator.Commit(o); }
                        catch (ProvisioningException ex) { o.Error = ex; o.Result = null; }
                    }
                }
#if NET
                // The memo answers row i from the state's record i: every row must have left exactly one.
                if (_memo != null)
                    foreach (var o in results)
                        if (o.Error != null || (o.StateIndex < 0 && o.StateRecord == null)) { _memo = null; break; }
#endif
                generator.Remembered(results);
                for (int j = 0; j < results.Count; j++) outcomes[indexes[j]] = results[j];
            }
            _done += batch.Rows.Count;
            _log.Progress(Activity, _done, ExpectedRows);
#if NET
            for (int i = 0; i < outcomes.Length && _memo != null; i++) NoteForMemo(batch.Rows[i], outcomes[i]);
#endif
            foreach (var o in outcomes)
            {
                if (o.Skipped) _skipped++;
                else if (o.Error != null) _failed++;
                else if (o.Result != null && !o.Declined) Observe(o.Result);
                if (o.UnassignedGroup != null && _warnedGroups.Add(o.UnassignedGroup))
                    _log.Warning($"Group '{o.UnassignedGroup}' (row {o.RowNumber.ToString(CultureInfo.InvariantCulture)}) has no template assigned, so its rows get the template 'default'. " +
                        "Assign the group a template, or correct the Group column.");
            }
            // Shared files of partitioned templates written for this batch come after its rows.
            List<GenerationOutcome>? shared = null;
            foreach (var w in _writers)
                while (w.Written.TryDequeue(out var r))
                {
                    Observe(r);
#if NET
                    _memo = null; // a shared file is written by the rows' rendering: a memo would skip it
#endif
                    (shared ??= new List<GenerationOutcome>()).Add(new GenerationOutcome(r.RowNumber) { Result = r });
                }
            return shared == null ? outcomes : outcomes.Concat(shared).ToList();
        }

        /// <summary>The row's family; an error naming the row and column when it has none, or not the one asked for.</summary>
        private ProfileFormat Route(AccountRow row, out ProvisioningException? error, out bool skip)
        {
            error = null;
            skip = false;
            if (row.Error != null) { error = row.Error; return default; }
            var shape = RowShape.Of(row, ref _shape);
            string? formatColumn = shape.Format < 0 ? null : row.Column(shape.Format);
            string? formatText = RowShape.Trimmed(row, shape.Format);
            string? modelColumn = shape.Model < 0 ? null : row.Column(shape.Model);
            string? modelText = RowShape.Trimmed(row, shape.Model);
            // The phone is in the list whatever happens to its row: its earlier files are never pruned.
            long? mac = null;
            if (shape.Mac >= 0 && MacAddress.TryParseSpan(row.ValueSpan(shape.Mac), out var parsed))
            {
                mac = parsed.ToInt64();
                row.ParsedMac = mac.Value; // the generator's state lookup needs it again
                if (!_firstRowOfMac.TryAdd(mac.Value, row.RowNumber, out var first))
                {
                    var column = row.Cells.First(c => AccountColumns.Classify(c.Key) == AccountField.MacAddress).Key;
                    error = AccountColumns.RowError(row.RowNumber, column, ErrorIds.DuplicateMacAddress, ErrorKind.InvalidData,
                        $"{parsed.Colon.ToUpperInvariant()} is already on row {first.ToString(CultureInfo.InvariantCulture)}; each phone gets one file, so only row {first.ToString(CultureInfo.InvariantCulture)} is generated.");
                    return default;
                }
            }
            else _rowsWithoutMac.Add(row.RowNumber);

            ProfileFormat format;
            string column2;
            if (!string.IsNullOrEmpty(formatText))
            {
                try { format = TemplateEdits.ParseFormat(formatText!); }
                catch (ProvisioningException ex) { error = AccountColumns.RowError(row.RowNumber, formatColumn!, ex.ErrorId, ErrorKind.InvalidData, ex.Message); return default; }
                column2 = formatColumn!;
            }
            else if (!string.IsNullOrEmpty(modelText) && _catalogue!.TryGetFormat(modelText!, out format)) column2 = modelColumn!;
            else if (_options.Format.HasValue) return _options.Format.Value; // a one-format run: rows say nothing, the run does
            else
            {
                error = string.IsNullOrEmpty(modelText)
                    ? AccountColumns.RowError(row.RowNumber, formatColumn ?? modelColumn ?? "Format", ErrorIds.RowWithoutFormat, ErrorKind.InvalidData,
                        $"the row names neither a Format nor a Model, so its phone family is unknown; give one of {ModelCatalogue.KnownFormats}.")
                    : AccountColumns.RowError(row.RowNumber, modelColumn!, ErrorIds.UnknownModel, ErrorKind.InvalidData,
                        $"'{modelText}' is not in the model catalogue; give the row a Format ({ModelCatalogue.KnownFormats}) or add the model to the template store's {ModelCatalogue.StoreFileName}.");
                return default;
            }
            if (_options.Format.HasValue && format != _options.Format.Value)
            {
                if (_options.SkipOtherFormats) { skip = true; return format; }
                error = AccountColumns.RowError(row.RowNumber, column2, ErrorIds.RowOfOtherFormat, ErrorKind.InvalidData,
                    $"the phone is {format}, and this run generates {_options.Format.Value} only; leave the format out to generate every family in one run, or ask to skip rows of other formats.");
                return default;
            }
            return format;
        }

        private ProfileGenerator Generator(ProfileFormat format)
        {
            if (_generators.TryGetValue(format, out var generator)) return generator;
            IProfileFormatReader? reader = null;
            if (_options.WhatIf || _options.ListChangedParameters)
            {
                try { reader = ProfileFormats.GetReader(format); }
                catch (ProvisioningException) { /* no reader for this format: WhatIf still reports statuses */ }
            }
            var options = new GenerationOptions(format, _destination)
            {
                FileNameRule = _options.FileNameRule,
                WhatIf = _options.WhatIf,
                MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism,
                BatchSize = _options.BatchSize,
                StateFile = _options.StateFileFor(format),
            };
            var writer = new PartitionedProfileWriter(ProfileFormats.GetWriter(format), _destination, _options.WhatIf);
            _writers.Add(writer);
            generator = new ProfileGenerator(_resolver!, writer, reader, options) { MacsCheckedByCaller = true };
            // The last run's size is the likeliest size of this one: the table of MACs is made that big at once.
            _firstRowOfMac.EnsureCapacity(_firstRowOfMac.Count + generator.RememberedRows);
            Adopt(generator);
            return generator;
        }

        private void Adopt(ProfileGenerator generator)
        {
            _generators.Add(generator.Format, generator);
            if (generator.StateProblem != null) _log.Verbose(generator.StateProblem);
            generator.SweepStaleTemporaryFiles();
        }

        private void Observe(ProvisioningProfileResult result)
        {
            switch (result.Status)
            {
                case WriteStatus.Created: _created++; break;
                case WriteStatus.Updated: _updated++; break;
                default: _unchanged++; break;
            }
#if NET
            if (_recordAsLeft) return;
#endif
            // A shared file of a partitioned template belongs to no phone: never pruned.
            if (!_options.WhatIf && result.HasMacAddress && WrittenFilesRecord.Recordable(result.Path))
            {
                _recordable++;
#if NET
                if (result.MacValue is long mac) { _written?.Add(result, mac); return; }
#endif
                _written?.Add(new WrittenFile(result.Path, MacAddress.Parse(result.MacAddress).ToInt64(), result.Format, result.Sha256));
            }
        }

        private void CompleteStates(bool keep)
        {
            int hits = 0;
            bool kept = false;
            foreach (var g in _generators.Values)
            {
                if (keep)
                {
                    g.CommitState();
                    hits += g.StateHitCount;
                    kept |= g.KeepsState;
                }
                g.DisposeState();
            }
            if (kept) _log.Verbose($"generation state: {hits.ToString(CultureInfo.InvariantCulture)} of {_done.ToString(CultureInfo.InvariantCulture)} rows unchanged since the last run without rendering.");
#if NET
            if (keep && MemoPossible) _memoStateKept = true;
#endif
        }

#if NET
        /// <summary>Notes a concluded row for the memo, or gives the memo up when the row is one a memo cannot answer.</summary>
        private void NoteForMemo(AccountRow row, GenerationOutcome o)
        {
            if (o.Error != null || o.Skipped || o.Declined || o.UnassignedGroup != null || o.Result == null || !(o.Result.MacValue is long mac))
            {
                _memo = null;
                return;
            }
            var shape = RowShape.Of(row, ref _shape);
            // A row routed by its Model went through the store's model catalogue, which the memo does not follow.
            if (RowShape.Trimmed(row, shape.Format) == null && RowShape.Trimmed(row, shape.Model) != null) { _memo = null; return; }
            _memo!.Add(mac, o.RowNumber, RowShape.Trimmed(row, shape.Template), RowShape.Trimmed(row, shape.Group), o.Result.Template);
        }

        /// <summary>
        /// After the states are kept: the memo of a run whose every row came from one accounts file (still the bytes
        /// hashed) and left one record in its family's state; otherwise the old memo is removed.
        /// </summary>
        /// <param name="record">The record of written files as this run left it (default when it was not kept).</param>
        private void KeepMemo(FileIdentity record)
        {
            var path = MemoPath;
            var memo = _memo;
            _memo = null;
            if (memo != null && _accounts != null && _accountsRows == _done && memo.Count == _done && _generators.Count == 1
                && _generators.TryGetValue(_options.Format!.Value, out var generator) && generator.NamesByMac
                && generator.State is GenerationState state && state.CommittedAs.Inode != 0 && state.AppendedCount == memo.Count
                && generator.StateRunKey != null && _accounts.Unchanged())
            {
                // A replayed run whose state and record were not rewritten leaves its memo as it is.
                if (Replayed && memo.State.Equals(state.CommittedAs) && memo.Record.Equals(record)) return;
                var templates = new List<MemoTemplate>(memo.Templates.Count);
                bool resolved = true;
                foreach (var t in memo.Templates)
                {
                    var digest = generator.TemplateFingerprint(t.TemplateCell, t.GroupCell, out var name);
                    if (digest == null || name != t.Name) { resolved = false; break; }
                    templates.Add(new MemoTemplate(t.TemplateCell, t.GroupCell, name, digest));
                }
                if (resolved)
                {
                    memo.Complete(generator.StateRunKey, state.CommittedAs, record, _accounts, templates);
                    if (memo.TryWrite(path)) return;
                }
            }
            RunMemo.Delete(path);
        }

        /// <summary>
        /// True when the last run's memo answers this run over <paramref name="accountsPath"/>: same state file, same
        /// accounts bytes, every template the same, every file as that run left it.
        /// </summary>
        private bool TryReplay(string accountsPath, out RunMemo memo, out ProfileGenerator generator)
        {
            memo = null!;
            generator = null!;
            if (_memo == null || _done > 0 || _batch.Count > 0 || _completed) return false;
            var found = RunMemo.Read(MemoPath);
            if (found == null) return false;
            generator = Generator(_options.Format!.Value);
            var state = generator.State;
            if (state == null || !generator.NamesByMac || generator.StateRunKey == null
                || !found.RunKey.AsSpan().SequenceEqual(generator.StateRunKey) || state.LoadedFrom.Inode == 0
                || !found.State.Equals(state.LoadedFrom) || found.Count != state.PreviousRows)
                return false;
            _accounts = AccountsFile.Hash(accountsPath);
            if (_accounts == null || _accounts.Identity.Size != found.AccountsSize || !_accounts.Sha256.AsSpan().SequenceEqual(found.AccountsSha256))
                return false;
            foreach (var t in found.Templates)
            {
                var digest = generator.TemplateFingerprint(t.TemplateCell, t.GroupCell, out var name);
                if (digest == null || name != t.Name || !digest.AsSpan().SequenceEqual(t.Digest)) return false;
            }
            if (!generator.FilesAsLeft(found)) return false;
            memo = found;
            return true;
        }

        /// <summary>The memo's rows, each Unchanged, concluded as <see cref="Conclude"/> concludes rows.</summary>
        private IEnumerable<GenerationOutcome> Replay(RunMemo memo, ProfileGenerator generator)
        {
            _log.Verbose($"run memo: the accounts file, its templates and all {memo.Count.ToString(CultureInfo.InvariantCulture)} files are as the last run left them; no row was read.");
            generator.KeepReplayed(memo.Count);
            _recordAsLeft = !_options.Prune && _written != null && _recordPath != null && memo.Record.Inode != 0
                && LinuxFiles.TryStat(_recordPath, out var record) && record.Equals(memo.Record);
            int batch = Math.Max(1, _options.BatchSize);
            for (int i = 0; i < memo.Count; i++)
            {
                long mac = memo.Mac(i);
                var result = generator.ReplayedResult(i, mac, memo.TemplateOf(i).Name, memo.RowNumber(i));
                if (_options.Prune) _firstRowOfMac.TryAdd(mac, result.RowNumber, out _);
                _done++;
                _accountsRows++;
                Observe(result);
                if (_done % batch == 0) _log.Progress(Activity, _done, ExpectedRows);
                yield return new GenerationOutcome(result.RowNumber) { Result = result };
            }
            _log.Progress(Activity, _done, ExpectedRows);
            Replayed = true;
            _memo = memo;
            _completed = true;
            CompleteStates(keep: true);
        }
#endif

        /// <summary>Takes the record of written files' lock (held until <see cref="Finish"/>); the record itself is read as a stream.</summary>
        private void OpenRecord()
        {
            if (_recordOpen) return;
            if (_recordPath == null)
                throw new ProvisioningException(ErrorIds.NoWrittenFilesRecord, ErrorKind.InvalidOperation,
                    "There is no place for the record of written files (no home folder); give the record's path.", _destination);
            _recordLock = WrittenFilesRecord.Lock(_recordPath);
            _recordOpen = true;
        }

        /// <summary>
        /// After every row: the recorded files of phones that are in no row of this run (their derived copies
        /// included), unless that is more than the threshold share of the recorded fleet or some row's MAC address
        /// could not be read (then nothing, unless forced). Files this run wrote are never candidates. The record
        /// is read as a stream: only the retired phones' files are kept.
        /// </summary>
        public PrunePlan PlanPrune()
        {
            if (_plan != null) return _plan;
            if (!_options.Prune) return _plan = new PrunePlan(Array.Empty<RemovedProfileFile>(), 0, 0, null);
            var retiredFiles = new Dictionary<long, List<WrittenFile>>();
            int listedPhones = 0;
            try
            {
                OpenRecord();
                foreach (var f in WrittenFilesRecord.Read(_recordPath!, WrittenFilesRecord.NormalizeFolder(_destination)))
                {
                    if (_firstRowOfMac.TryGetValue(f.Mac, out var row))
                    {
                        // A listed phone the record knows: counted once (the mark is the row number's complement).
                        if (row >= 0) { _firstRowOfMac.Set(f.Mac, ~row); listedPhones++; }
                        continue;
                    }
                    if (!retiredFiles.TryGetValue(f.Mac, out var list)) retiredFiles[f.Mac] = list = new List<WrittenFile>();
                    list.Add(f);
                }
            }
            catch (ProvisioningException ex) { return _plan = new PrunePlan(Array.Empty<RemovedProfileFile>(), 0, 0, ex); }
            var retired = retiredFiles.OrderBy(p => p.Key).ToList();
            var recordedPhones = listedPhones + retired.Count;
            var files = new List<RemovedProfileFile>();
            foreach (var phone in retired)
                foreach (var f in phone.Value.OrderBy(f => f.Derived).ThenBy(f => f.Path, StringComparer.Ordinal))
                    if (_written == null || !_written.Wrote(f.Path))
                        files.Add(new RemovedProfileFile(MacAddress.FromInt64(phone.Key).Colon.ToUpperInvariant(), f.Path, f.Format, _options.WhatIf, f.Sha256));
            ProvisioningException? refusal = null;
            int allowed = Math.Max(1, (int)Math.Floor(_options.PruneThreshold * recordedPhones));
            // Under WhatIf the refusal is said as it would happen, and the files are still listed: what a forced prune removes.
            string nothing = _options.WhatIf ? "Nothing would be pruned" : "Nothing was pruned";
            string listed = _options.WhatIf ? $" The {files.Count.ToString(CultureInfo.InvariantCulture)} files listed are what a forced prune would remove." : "";
            if (!_options.Force && _rowsWithoutMac.Count > 0)
                refusal = new ProvisioningException(ErrorIds.PruneWithUnreadableRows, ErrorKind.InvalidOperation,
                    $"{nothing}: row {_rowsWithoutMac[0].ToString(CultureInfo.InvariantCulture)}{(_rowsWithoutMac.Count > 1 ? $" and {(_rowsWithoutMac.Count - 1).ToString(CultureInfo.InvariantCulture)} more" : "")} has no readable MAC address, so the phone it stands for cannot keep its file; fix the rows, or force the prune.{listed}", _destination);
            else if (!_options.Force && retired.Count > allowed)
                refusal = new ProvisioningException(ErrorIds.PruneThresholdExceeded, ErrorKind.InvalidOperation,
                    $"{nothing}: {retired.Count.ToString(CultureInfo.InvariantCulture)} of the {recordedPhones.ToString(CultureInfo.InvariantCulture)} recorded phones are not in the list, more than the threshold of {(_options.PruneThreshold * 100).ToString("0.#", CultureInfo.InvariantCulture)}% ({allowed.ToString(CultureInfo.InvariantCulture)}); if the list is complete, force the prune.{listed}", _destination);
            if (refusal != null && !_options.WhatIf) files.Clear();
            if (refusal != null) foreach (var f in files) f.NeedsForce = true;
            return _plan = new PrunePlan(files, retired.Count, recordedPhones, refusal);
        }

        /// <summary>
        /// Removes one planned file, if its bytes are still the ones we recorded (else it is left alone, with a
        /// warning). Null when nothing was removed. Under WhatIf nothing is touched and the file is returned.
        /// </summary>
        /// <exception cref="ProvisioningException">The file cannot be removed.</exception>
        public RemovedProfileFile? Remove(RemovedProfileFile file)
        {
            var plan = PlanPrune();
            if (_options.WhatIf) { if (plan.Refusal == null) _removed++; return file; }
            if (plan.Refusal != null) return null;
            var sha = WrittenFilesRecord.HashOf(file.Path);
            if (sha == null && !File.Exists(file.Path)) { _written?.Drop(file.Path); return null; }
            if (!string.Equals(sha, file.RecordedSha256, StringComparison.OrdinalIgnoreCase))
            {
                _log.Warning($"'{file.Path}' of retired phone {file.MacAddress} has changed since we wrote it; left alone and no longer recorded as ours.");
                _written?.Drop(file.Path);
                return null;
            }
            try { File.Delete(file.Path); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                _failed++;
                throw new ProvisioningException(ErrorIds.PruneFailed, ErrorKind.WriteError, $"Cannot remove '{file.Path}' of retired phone {file.MacAddress}: {ex.Message}", file.Path, ex);
            }
            _written?.Drop(file.Path);
            _removed++;
            return file;
        }

        /// <summary>Keeps the generation states and the record of written files, and sums the run up.</summary>
        /// <exception cref="ProvisioningException">A prune was asked for and the record cannot be written.</exception>
        public GenerationSummary Finish()
        {
            if (!_finished)
            {
                _finished = true;
                if (!_completed) { _completed = true; CompleteStates(keep: true); }
#if NET
                FileIdentity record = default;
#endif
                try
                {
                    if (!_options.WhatIf && (_recordable > 0 || _recordOpen))
                    {
                        OpenRecord();
                        // This run's files, then the old record's others: a file rewritten for its phone keeps the
                        // derived copies recorded for it; they are re-made by the protection step.
                        _written!.Commit();
                    }
#if NET
                    // The record as this run leaves it: a replay of this run finds its lines there and makes none.
                    if (_memoStateKept && _recordPath != null && !LinuxFiles.TryStat(_recordPath, out record)) record = default;
#endif
                }
                catch (ProvisioningException ex)
                {
#if NET
                    record = default;
#endif
                    if (_options.Prune) throw;
                    _log.Warning(ex.Message + " A later prune will not know this run's files.");
                }
                finally
                {
#if NET
                    if (_memoStateKept) { _memoStateKept = false; KeepMemo(record); }
#endif
                    ReleaseRecord();
                }
            }
            var plan = _plan;
            return new GenerationSummary(_created, _updated, _unchanged, _removed, _failed, _skipped, _clock.Elapsed, _options.WhatIf,
                plan?.Refusal != null);
        }

        private void ReleaseRecord()
        {
            _recordLock?.Dispose();
            _recordLock = null;
        }

        public void Dispose()
        {
            if (!_completed) { _completed = true; CompleteStates(keep: false); }
            _finished = true;
            _written?.Dispose();
            ReleaseRecord();
        }
    }
}
