using System;
using System.IO;

namespace PrivateProvisioning.Cli
{
    /// <summary>
    /// Where pprov writes: results to stdout (text, or with --json one JSON object per line, so that a
    /// stream of results can be read with jq or line by line), errors to stderr prefixed with "pprov:".
    /// Errors never carry secrets: Core's messages are written that way.
    /// </summary>
    public sealed class CliOutput
    {
        private readonly TextWriter _out;
        private readonly TextWriter _err;
        private readonly bool _console;
        private readonly object _batchLock = new object();
        private System.Text.StringBuilder? _batch;
        private System.Threading.Timer? _batchTimer;
        private Stream? _batchStream;
        private byte[] _batchBytes = Array.Empty<byte>();

        public CliOutput(bool json, TextWriter? stdout = null, TextWriter? stderr = null)
        {
            Json = json;
            _out = stdout ?? Console.Out;
            _err = stderr ?? Console.Error;
            _console = stdout == null;
        }

        public bool Json { get; }

        /// <summary>Writes one result: as a JSON line with --json, else as the given text.</summary>
        public void Result(object value, string text) =>
            Line(Json ? CliJson.Serialize(value) : Core.TerminalText.Escape(text, keepLineBreaks: true));

        // Text from outside (a phone's SIP reason phrase, a CSV value quoted in an error) reaches the terminal
        // escaped: no ESC sequence, NUL or CR from a phone or a file can recolour, clear or forge a line.
        public void Text(string text) => Line(Core.TerminalText.Escape(text, keepLineBreaks: true));

        /// <summary>A line of two pieces (a status and a path), escaped as <see cref="Text(string)"/>, without joining them first: a run prints 100,000 such lines.</summary>
        public void Text(string first, string second)
        {
            first = Core.TerminalText.Escape(first, keepLineBreaks: true);
            second = Core.TerminalText.Escape(second, keepLineBreaks: true);
            lock (_batchLock)
            {
                if (_batch != null) { _batch.Append(first).Append(second).Append(Environment.NewLine); FlushIfFull(); return; }
            }
            _out.Write(first);
            _out.WriteLine(second);
        }

        private void Line(string line)
        {
            lock (_batchLock)
            {
                if (_batch != null) { _batch.Append(line).Append(Environment.NewLine); FlushIfFull(); return; }
            }
            _out.WriteLine(line);
        }

        /// <summary>
        /// Until disposed, results are collected and written every 100 ms in one write instead of one write per
        /// line (a resync storm printed 10,000 lines through 10,000 write calls). Errors still go out at once.
        /// </summary>
        public IDisposable Batched()
        {
            lock (_batchLock)
            {
                if (_batch != null) return new Flusher(null);
                _batch = new System.Text.StringBuilder(64 * 1024);
                // On the console the batch goes out in one write: Console.Out writes in pieces of a few hundred
                // bytes (2,800 write calls for 10,000 resync results).
                if (_console) _batchStream = Console.OpenStandardOutput();
                _batchTimer = new System.Threading.Timer(_ => Flush(false), null, 100, 100);
            }
            return new Flusher(this);
        }

        /// <summary>
        /// Characters after which a batch goes out before its 100 ms are up: under the builder's first chunk, so the
        /// batch stays one reused buffer (an unchanged re-run prints 100,000 lines in 30 ms: held whole, they grew
        /// the builder to 9 MB of fresh memory, a page fault every 4 KB, and its Clear allocated it all again).
        /// </summary>
        private const int FlushAt = 48 * 1024;

        private void FlushIfFull()
        {
            if (_batch!.Length >= FlushAt) Flush(false);
        }

        private void Flush(bool last)
        {
            lock (_batchLock)
            {
                if (_batch == null) return;
                if (_batch.Length > 0)
                {
                    if (_batchStream != null) WriteBatch(_batchStream);
                    else
                    {
                        // Chunk by chunk: ToString made a string of the whole batch (megabytes, on the large object heap).
                        foreach (var chunk in _batch.GetChunks()) _out.Write(chunk.Span);
                        _out.Flush();
                    }
                    _batch.Clear();
                }
                if (last)
                {
                    _batchStream?.Dispose();
                    _batchStream = null;
                    _batchTimer!.Dispose();
                    _batchTimer = null;
                    _batch = null;
                }
            }
        }

        // The batch's characters encoded as Console.Out would, into one reused buffer, written at once after whatever
        // Console.Out still holds.
        private void WriteBatch(Stream stream)
        {
            var encoder = _out.Encoding.GetEncoder();
            int max = _out.Encoding.GetMaxByteCount(_batch!.Length);
            if (_batchBytes.Length < max) _batchBytes = new byte[Math.Max(max, _batchBytes.Length * 2)];
            int length = 0;
            foreach (var chunk in _batch.GetChunks())
                length += encoder.GetBytes(chunk.Span, _batchBytes.AsSpan(length), flush: false);
            length += encoder.GetBytes(ReadOnlySpan<char>.Empty, _batchBytes.AsSpan(length), flush: true);
            _out.Flush();
            stream.Write(_batchBytes, 0, length);
            stream.Flush();
        }

        private sealed class Flusher : IDisposable
        {
            private CliOutput? _owner;
            public Flusher(CliOutput? owner) { _owner = owner; }
            public void Dispose() { _owner?.Flush(true); _owner = null; }
        }

        /// <summary>An error without an exception behind it (a summary such as "stopped: ..."): stderr only.</summary>
        public void Error(string message) => _err.WriteLine("pprov: " + Core.TerminalText.Escape(message));

        /// <summary>
        /// A failed item (a row, a file, a phone); the command goes on. "pprov: [where: ]message" on stderr; with --json
        /// that line is {"error":{"id","kind","message","target"}} instead, so stdout keeps exactly one line per result.
        /// </summary>
        public void Error(Exception error, string? where = null)
        {
            var line = ErrorText(error, where, out var json);
            Flush();
            _err.WriteLine(Json ? json : line);
        }

        /// <summary>
        /// The whole command failed (nothing, or nothing more, is done): "pprov: message" on stderr and, with --json,
        /// also the error object on stdout, where a script reading the results looks.
        /// </summary>
        public void Failed(Exception error)
        {
            var line = ErrorText(error, null, out var json);
            Flush();
            if (Json) Line(json);
            _err.WriteLine(line);
        }

        // Results already printed come first on a terminal that shows both streams.
        private void Flush()
        {
            lock (_batchLock) { if (_batch == null) _out.Flush(); }
        }

        private static string ErrorText(Exception error, string? where, out string json)
        {
            var failure = CliErrors.Describe(error);
            var message = where == null ? failure.Message : where + ": " + failure.Message;
            json = CliJson.Serialize(new ErrorLine(new ErrorBody(failure.Id, failure.Kind, message, failure.Target ?? where)));
            return "pprov: " + Core.TerminalText.Escape(message);
        }

        internal sealed class ErrorLine
        {
            public ErrorLine(ErrorBody error) { Error = error; }
            public ErrorBody Error { get; }
        }

        internal sealed class ErrorBody
        {
            public ErrorBody(string id, Core.ErrorKind kind, string message, string? target) { Id = id; Kind = kind; Message = message; Target = target; }
            public string Id { get; }
            public Core.ErrorKind Kind { get; }
            public string Message { get; }
            public string? Target { get; }
        }

        public void Warning(string message) => _err.WriteLine("pprov: warning: " + Core.TerminalText.Escape(message));
    }
}
