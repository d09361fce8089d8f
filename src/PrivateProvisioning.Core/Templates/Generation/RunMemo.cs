#if NET
using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace PrivateProvisioning.Core.Templates.Generation
{
    /// <summary>
    /// What a whole one-format run over an accounts file did, kept beside its generation state so that the next
    /// run over the same bytes need not read a single row: when the accounts file hashes the same, every template
    /// the rows named resolves to the same digest (secrets included), the state is the very file this run kept
    /// (same build, writer, names and destination: its run key), and every phone's file is still as this run left
    /// it (one stat each), the run is every row Unchanged, in the same order, with the same row numbers and template
    /// names. Anything else, down to one touched file, and the run reads its rows as usual. Kept only for a run
    /// whose rows all made a file named by MAC alone, without warnings; owner-only, like the state.
    /// </summary>
    internal sealed class RunMemo
    {
        private static readonly byte[] Magic = { (byte)'P', (byte)'P', (byte)'R', (byte)'O', (byte)'V', (byte)'R', (byte)'M', (byte)'2' };

        /// <summary>The rows in row order, as they are on disk (16 bytes each, little-endian like the state's records).</summary>
        private MemoRow[] _rows = new MemoRow[1024];
        private readonly List<MemoTemplate> _templateList = new List<MemoTemplate>();
        private readonly Dictionary<(string?, string?), int> _templateIndex = new Dictionary<(string?, string?), int>();

        /// <summary>The generation state's run key the memo was made under.</summary>
        public byte[] RunKey { get; private set; } = Array.Empty<byte>();

        /// <summary>The state file holding the run's records, row i's at i.</summary>
        public FileIdentity State { get; private set; }

        /// <summary>The record of written files as the run left it (default when it kept none).</summary>
        public FileIdentity Record { get; private set; }

        /// <summary>SHA-256 and size of the accounts file's bytes.</summary>
        public byte[] AccountsSha256 { get; private set; } = Array.Empty<byte>();
        public long AccountsSize { get; private set; }

        /// <summary>Rows (one file each).</summary>
        public int Count { get; private set; }

        public long Mac(int i) => _rows[i].Mac;
        public int RowNumber(int i) => _rows[i].RowNumber;
        public MemoTemplate TemplateOf(int i) => _templateList[_rows[i].Template];
        public IReadOnlyList<MemoTemplate> Templates => _templateList;

        /// <summary>The memo beside a generation state.</summary>
        public static string PathFor(string statePath) => statePath + ".run";

        /// <summary>Notes a row: its phone, its row number, and the Template and Group cells its template came from (and that template's name).</summary>
        public void Add(long mac, int rowNumber, string? templateCell, string? groupCell, string templateName)
        {
            if (!_templateIndex.TryGetValue((templateCell, groupCell), out int t))
            {
                t = _templateList.Count;
                _templateIndex.Add((templateCell, groupCell), t);
                _templateList.Add(new MemoTemplate(templateCell, groupCell, templateName, Array.Empty<byte>()));
            }
            if (Count == _rows.Length) Array.Resize(ref _rows, Count * 2);
            _rows[Count++] = new MemoRow { Mac = mac, RowNumber = rowNumber, Template = t };
        }

        /// <summary>Seals the memo: what the rows depended on besides their own bytes.</summary>
        public void Complete(byte[] runKey, FileIdentity state, FileIdentity record, AccountsFile accounts, IReadOnlyList<MemoTemplate> templates)
        {
            RunKey = runKey;
            State = state;
            Record = record;
            AccountsSha256 = accounts.Sha256;
            AccountsSize = accounts.Identity.Size;
            _templateList.Clear();
            _templateList.AddRange(templates);
        }

        /// <summary>Keeps the memo (atomically, owner-only); false when it cannot be written (then none is left).</summary>
        public bool TryWrite(string path)
        {
            using var bytes = new MemoryStream(64 + Count * 16);
            using (var w = new BinaryWriter(bytes, Encoding.UTF8, leaveOpen: true))
            {
                w.Write(Magic);
                w.Write(RunKey);
                Write(w, State);
                Write(w, Record);
                w.Write(AccountsSha256);
                w.Write(AccountsSize);
                w.Write(_templateList.Count);
                foreach (var t in _templateList)
                {
                    WriteText(w, t.TemplateCell);
                    WriteText(w, t.GroupCell);
                    WriteText(w, t.Name);
                    w.Write(t.Digest);
                }
                w.Write(Count);
                w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_rows.AsSpan(0, Count)));
            }
            try
            {
                AtomicFile.Write(path, bytes.GetBuffer(), 0, (int)bytes.Length, ownerOnly: true);
                return true;
            }
            catch (Exception ex) when (ex is ProvisioningException || ex is IOException || ex is UnauthorizedAccessException)
            {
                Delete(path);
                return false;
            }
        }

        /// <summary>Removes the memo of a run that cannot be answered from one (it is a cache: a failure is harmless, its state no longer matches).</summary>
        public static void Delete(string path) => AtomicFile.TryDelete(path);

        /// <summary>The memo at <paramref name="path"/>; null when there is none, or it is damaged or foreign.</summary>
        public static RunMemo? Read(string path)
        {
            byte[] bytes;
            try { bytes = File.ReadAllBytes(path); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { return null; }
            try
            {
                var r = new SpanReader(bytes);
                if (!r.Bytes(8).SequenceEqual(Magic)) return null;
                var memo = new RunMemo { RunKey = r.Bytes(32).ToArray() };
                memo.State = r.Identity();
                memo.Record = r.Identity();
                memo.AccountsSha256 = r.Bytes(32).ToArray();
                memo.AccountsSize = r.Int64();
                int templates = r.Int32();
                if (templates < 0 || templates > bytes.Length) return null;
                for (int i = 0; i < templates; i++)
                {
                    var cell = r.Text();
                    var group = r.Text();
                    var name = r.Text();
                    if (name == null) return null;
                    memo._templateList.Add(new MemoTemplate(cell, group, name, r.Bytes(32).ToArray()));
                }
                int count = r.Int32();
                if (count < 0 || (long)count * 16 != r.Remaining || !BitConverter.IsLittleEndian) return null;
                memo._rows = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, MemoRow>(r.Bytes(count * 16)).ToArray();
                foreach (ref readonly var row in memo._rows.AsSpan())
                    if ((uint)row.Template >= (uint)templates || row.Mac < 0) return null;
                memo.Count = count;
                return memo;
            }
            catch (EndOfStreamException) { return null; }
        }

        private static void Write(BinaryWriter w, FileIdentity identity)
        {
            w.Write(identity.Size); w.Write(identity.ModifiedNs); w.Write(identity.ChangedNs); w.Write(identity.Inode);
        }

        private static void WriteText(BinaryWriter w, string? text)
        {
            if (text == null) { w.Write(-1); return; }
            var bytes = Encoding.UTF8.GetBytes(text);
            w.Write(bytes.Length);
            w.Write(bytes);
        }

        private ref struct SpanReader
        {
            private readonly ReadOnlySpan<byte> _bytes;
            private int _at;
            public SpanReader(ReadOnlySpan<byte> bytes) { _bytes = bytes; _at = 0; }
            public int Remaining => _bytes.Length - _at;

            public ReadOnlySpan<byte> Bytes(int n)
            {
                if (n < 0 || n > Remaining) throw new EndOfStreamException();
                var span = _bytes.Slice(_at, n);
                _at += n;
                return span;
            }

            public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Bytes(4));
            public FileIdentity Identity() => new FileIdentity(Int64(), Int64(), Int64(), Int64());
            public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Bytes(8));

            public string? Text()
            {
                int n = Int32();
                return n < 0 ? null : Encoding.UTF8.GetString(Bytes(n));
            }
        }
    }

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    internal struct MemoRow
    {
        public long Mac;
        public int RowNumber;
        /// <summary>Index into the memo's templates.</summary>
        public int Template;
    }

    /// <summary>One template the rows of a memo named: their Template and Group cells, the name they resolved to, its digest.</summary>
    internal readonly struct MemoTemplate
    {
        public MemoTemplate(string? templateCell, string? groupCell, string name, byte[] digest)
        {
            TemplateCell = templateCell; GroupCell = groupCell; Name = name; Digest = digest;
        }
        public string? TemplateCell { get; }
        public string? GroupCell { get; }
        public string Name { get; }
        public byte[] Digest { get; }
    }

    /// <summary>An accounts file as it was hashed: its identity on disk and the SHA-256 of its bytes.</summary>
    internal sealed class AccountsFile
    {
        private AccountsFile(string path, FileIdentity identity, byte[] sha256) { Path = path; Identity = identity; Sha256 = sha256; }
        public string Path { get; }
        public FileIdentity Identity { get; }
        public byte[] Sha256 { get; }

        /// <summary>The file hashed, or null when it cannot be read or changed while it was.</summary>
        public static AccountsFile? Hash(string path)
        {
            if (!LinuxFiles.TryStat(path, out var before)) return null;
            try
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(256 * 1024);
                try
                {
                    int n;
                    while ((n = file.Read(buffer, 0, buffer.Length)) > 0) hash.AppendData(buffer, 0, n);
                }
                finally
                {
                    // Account rows hold passwords.
                    Array.Clear(buffer);
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                }
                var sha = hash.GetHashAndReset();
                return StillAt(path, before) ? new AccountsFile(path, before, sha) : null;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { return null; }
        }

        /// <summary>True while the file on disk is the one hashed.</summary>
        public bool Unchanged() => StillAt(Path, Identity);

        private static bool StillAt(string path, FileIdentity identity) => LinuxFiles.TryStat(path, out var now) && now.Equals(identity);
    }
}
#endif
