using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace PrivateProvisioning.Core
{
    /// <summary>One data record of a CSV file, or the error that made it unreadable.</summary>
    public sealed class CsvRecord
    {
        internal CsvRecord(int rowNumber, int lineNumber, string[]? fields, ProvisioningException? error, string? problem = null)
        {
            Problem = problem;
            RowNumber = rowNumber;
            LineNumber = lineNumber;
            _fields = fields ?? Array.Empty<string>();
            Error = error;
        }

        /// <summary>A record kept as one string of its fields' values, one after another, and where each ends (two objects a row instead of one per field).</summary>
        internal CsvRecord(int rowNumber, int lineNumber, string text, int[] ends)
        {
            RowNumber = rowNumber;
            LineNumber = lineNumber;
            Text = text;
            Ends = ends;
        }

        private string[]? _fields;

        /// <summary>The fields' values one after another (null for a record made from fields).</summary>
        internal string? Text { get; }
        /// <summary>Where each field's value ends in <see cref="Text"/>.</summary>
        internal int[]? Ends { get; }

        /// <summary>1-based data row number (the header is not counted).</summary>
        public int RowNumber { get; }
        /// <summary>1-based line of the file where the record starts.</summary>
        public int LineNumber { get; }
        public string[] Fields => _fields ??= Split(Text!, Ends!);

        internal static string[] Split(string text, int[] ends)
        {
            var fields = new string[ends.Length];
            for (int i = 0, start = 0; i < ends.Length; start = ends[i], i++)
                fields[i] = ends[i] == start ? string.Empty : text.Substring(start, ends[i] - start);
            return fields;
        }
        public ProvisioningException? Error { get; }
        /// <summary>What is wrong with the record, without the file and line (Error's message has both).</summary>
        public string? Problem { get; }
    }

    /// <summary>
    /// The one CSV reader of the product (accounts for generation, phones for rules and resync).
    /// A streaming RFC 4180 reader: header row, quoted fields with "" escapes and embedded line breaks,
    /// CRLF/LF/CR record ends, UTF-8 (BOM optional). It holds one record at a time, so a file of any size
    /// streams in constant memory. A malformed record is reported with its line and the reader goes on;
    /// an unterminated quote ends the file (everything after it would be one field).
    /// </summary>
    public sealed class CsvReader : IDisposable
    {
        private readonly TextReader _reader;
        private readonly string _source;
        private readonly char[] _buffer = new char[64 * 1024];
        private int _pos, _len;
        private int _line = 1;
        private int _row;
        private bool _eof;
        private bool _endedWithLineBreak;
        /// <summary>The record's field values one after another, and where each ends.</summary>
        private char[] _text = new char[256];
        private int _textLength;
        private int[] _ends = new int[32];
        private int _fieldCount;

        public CsvReader(TextReader reader, string sourceName)
        {
            _reader = reader;
            _source = sourceName;
            Header = ReadHeader();
        }

        /// <summary>Opens a file for streaming (UTF-8, BOM detected).</summary>
        public static CsvReader Open(string path)
        {
            FileStream stream;
            try { stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024, FileOptions.SequentialScan); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new ProvisioningException(ErrorIds.CsvFileUnreadable, ErrorKind.ReadError, $"Cannot read the CSV file '{path}': {ex.Message}", path, ex);
            }
            var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);
            try { return new CsvReader(reader, path); }
            catch { reader.Dispose(); throw; }
        }

        /// <summary>The column names of the header row.</summary>
        public IReadOnlyList<string> Header { get; }

        public string SourceName => _source;

        /// <summary>Reads the next data record; null at the end of the file.</summary>
        public CsvRecord? Read()
        {
            while (true)
            {
                if (_eof) return null;
                int startLine = _line;
                string? error = ReadRecord(out bool blank, out bool fatal);
                if (blank && error == null) continue;
                _row++;
                if (error != null)
                    return new CsvRecord(_row, startLine, null, Error(startLine, error, fatal ? ErrorIds.CsvUnterminatedQuote : ErrorIds.CsvMalformedRecord), error);
                if (_fieldCount > Header.Count)
                {
                    var problem = $"the record has {_fieldCount} field(s) but the header has {Header.Count}; quote fields that contain commas";
                    return new CsvRecord(_row, startLine, null, Error(startLine, problem, ErrorIds.CsvFieldCount), problem);
                }
                if (_fieldCount < Header.Count && !_endedWithLineBreak)
                {
                    // The last line has no line end and stops short: the file was cut off (a copy or an upload that
                    // stopped), and its last field is likely cut too ("25496" read as "2"). Padding it would write a
                    // wrong profile; the rows before it are whole.
                    var problem = $"the last record has {_fieldCount} field(s) but the header has {Header.Count} and the file ends without a line end, so the file looks cut off; " +
                                  "complete the row (or end it with a line break if its last columns are meant to be empty)";
                    return new CsvRecord(_row, startLine, null, Error(startLine, problem, ErrorIds.CsvTruncatedRecord), problem);
                }
                // A short record that ends with a line break reads its missing trailing fields as empty, as Import-Csv does.
                while (_fieldCount < Header.Count) EndField();
                var ends = new int[_fieldCount];
                Array.Copy(_ends, ends, _fieldCount);
                return new CsvRecord(_row, startLine, new string(_text, 0, _textLength), ends);
            }
        }

        /// <summary>Every record, streamed.</summary>
        public IEnumerable<CsvRecord> ReadAll()
        {
            CsvRecord? r;
            while ((r = Read()) != null) yield return r;
        }

        public void Dispose() => _reader.Dispose();

        private IReadOnlyList<string> ReadHeader()
        {
            string? error;
            bool blank;
            do
            {
                if (_eof) throw Error(_line, "the file is empty; the first line must name the columns (MacAddress, Model, ...)", "CsvNoHeader");
                error = ReadRecord(out blank, out _);
            } while (blank && error == null);
            if (error != null) throw Error(1, error, ErrorIds.CsvMalformedHeader);
            var ends = new int[_fieldCount];
            Array.Copy(_ends, ends, _fieldCount);
            var header = CsvRecord.Split(new string(_text, 0, _textLength), ends);
            if (header.Length > 0 && header[0].Length > 0 && header[0][0] == '\uFEFF') header[0] = header[0].Substring(1);
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (int i = 0; i < header.Length; i++)
            {
                header[i] = header[i].Trim();
                if (header[i].Length == 0) throw Error(1, $"column {i + 1} of the header has no name", ErrorIds.CsvMalformedHeader);
                if (!seen.Add(header[i])) throw Error(1, $"the header names column '{header[i]}' twice", ErrorIds.CsvMalformedHeader);
            }
            return header;
        }

        private ProvisioningException Error(int line, string what, string id) =>
            new ProvisioningException(id, ErrorKind.InvalidData, $"{_source} line {line}: {what}.", $"{_source}:{line}");

        private bool Fill()
        {
            if (_eof) return false;
            _len = _reader.Read(_buffer, 0, _buffer.Length);
            _pos = 0;
            if (_len <= 0) { _eof = true; _len = 0; return false; }
            return true;
        }

        /// <summary>Reads one record into _text and _ends. Returns an error text for a malformed record (after skipping to its end).</summary>
        private string? ReadRecord(out bool blank, out bool fatal)
        {
            _textLength = 0;
            _fieldCount = 0;
            _endedWithLineBreak = false;
            blank = true;
            fatal = false;
            string? error = null;
            if (_pos >= _len && !Fill()) { _eof = true; return null; }
            while (true)
            {
                // Start of a field.
                int fieldStart = _textLength;
                if (_pos >= _len && !Fill()) { if (!blank) EndField(); return error; }
                bool quoted = _buffer[_pos] == '"';
                if (quoted)
                {
                    blank = false;
                    _pos++;
                    int quoteLine = _line;
                    while (true)
                    {
                        if (_pos >= _len && !Fill())
                        {
                            fatal = true;
                            return $"the quoted field starting on line {quoteLine} is never closed";
                        }
                        int start = _pos;
                        while (_pos < _len && _buffer[_pos] != '"')
                        {
                            char ch = _buffer[_pos];
                            if (ch == '\n' || (ch == '\r' && !(_pos + 1 < _len && _buffer[_pos + 1] == '\n'))) _line++;
                            _pos++;
                        }
                        Append(_buffer, start, _pos - start);
                        if (_pos >= _len) continue;
                        _pos++; // the quote
                        if (_pos >= _len && !Fill()) break;
                        if (_buffer[_pos] == '"') { Append('"'); _pos++; continue; }
                        break;
                    }
                    // After the closing quote: a delimiter, a record end, or garbage.
                    if (_pos < _len || Fill())
                    {
                        char next = _buffer[_pos];
                        if (next != ',' && next != '\r' && next != '\n')
                        {
                            error ??= $"field {_fieldCount + 1} has text after its closing quote; write a quote inside a quoted field as \"\"";
                            while ((_pos < _len || Fill()) && _buffer[_pos] != ',' && _buffer[_pos] != '\r' && _buffer[_pos] != '\n')
                                Append(_buffer[_pos++]);
                        }
                    }
                }
                else
                {
                    while (true)
                    {
                        int start = _pos;
                        while (_pos < _len)
                        {
#if NET
                            // To the next delimiter, record end or quote in one vectorised scan (a character at a time was most of reading).
                            int skip = _buffer.AsSpan(_pos, _len - _pos).IndexOfAny(FieldStops);
                            if (skip < 0) { _pos = _len; break; }
                            _pos += skip;
#endif
                            char ch = _buffer[_pos];
                            if (ch == ',' || ch == '\n' || ch == '\r') break;
                            if (ch == '"') error ??= $"field {_fieldCount + 1} has a quote but does not start with one; quote the whole field and double the inner quote";
                            _pos++;
                        }
                        Append(_buffer, start, _pos - start);
                        if (_pos < _len || !Fill()) break;
                    }
                    if (_textLength > fieldStart) blank = false;
                }
                EndField();
                if (_pos >= _len && !Fill()) return error;
                char end = _buffer[_pos++];
                if (end == ',') { blank = false; continue; }
                // A record end: CRLF, LF or CR.
                _line++;
                _endedWithLineBreak = true;
                if (end == '\r')
                {
                    if (_pos < _len || Fill())
                        if (_buffer[_pos] == '\n') _pos++;
                }
                if (blank) { _fieldCount = 0; _textLength = 0; }
                return error;
            }
        }

#if NET
        private static readonly System.Buffers.SearchValues<char> FieldStops = System.Buffers.SearchValues.Create(",\n\r\"");
#endif

        private void Append(char[] chars, int start, int count)
        {
            if (count == 0) return;
            if (_textLength + count > _text.Length) Array.Resize(ref _text, Math.Max(_text.Length * 2, _textLength + count));
            Array.Copy(chars, start, _text, _textLength, count);
            _textLength += count;
        }

        private void Append(char c)
        {
            if (_textLength == _text.Length) Array.Resize(ref _text, _text.Length * 2);
            _text[_textLength++] = c;
        }

        private void EndField()
        {
            if (_fieldCount == _ends.Length) Array.Resize(ref _ends, _ends.Length * 2);
            _ends[_fieldCount++] = _textLength;
        }
    }
}
