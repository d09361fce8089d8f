using System;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PrivateProvisioning.Cli
{
    /// <summary>
    /// Where pprov writes: results to stdout (text, or with --json one JSON object per line, so that a
    /// stream of results can be read with jq or line by line), errors to stderr prefixed with "pprov:".
    /// Errors never carry secrets: Core's messages are written that way.
    /// </summary>
    public sealed class CliOutput
    {
        public static readonly JsonSerializerOptions JsonOptions = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            Converters = { new JsonStringEnumConverter() },
        };

        private readonly TextWriter _out;
        private readonly TextWriter _err;
        private readonly object _batchLock = new object();
        private System.Text.StringBuilder? _batch;
        private System.Threading.Timer? _batchTimer;

        public CliOutput(bool json, TextWriter? stdout = null, TextWriter? stderr = null)
        {
            Json = json;
            _out = stdout ?? Console.Out;
            _err = stderr ?? Console.Error;
        }

        public bool Json { get; }

        /// <summary>Writes one result: as a JSON line with --json, else as the given text.</summary>
        public void Result(object value, string text) =>
            Line(Json ? JsonSerializer.Serialize(value, value.GetType(), JsonOptions) : Core.TerminalText.Escape(text, keepLineBreaks: true));

        // Text from outside (a phone's SIP reason phrase, a CSV value quoted in an error) reaches the terminal
        // escaped: no ESC sequence, NUL or CR from a phone or a file can recolour, clear or forge a line.
        public void Text(string text) => Line(Core.TerminalText.Escape(text, keepLineBreaks: true));

        private void Line(string line)
        {
            lock (_batchLock)
            {
                if (_batch != null) { _batch.Append(line).Append(Environment.NewLine); return; }
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
                _batchTimer = new System.Threading.Timer(_ => Flush(false), null, 100, 100);
            }
            return new Flusher(this);
        }

        private void Flush(bool last)
        {
            lock (_batchLock)
            {
                if (_batch == null) return;
                if (_batch.Length > 0)
                {
                    _out.Write(_batch.ToString());
                    _out.Flush();
                    _batch.Clear();
                }
                if (last)
                {
                    _batchTimer!.Dispose();
                    _batchTimer = null;
                    _batch = null;
                }
            }
        }

        private sealed class Flusher : IDisposable
        {
            private CliOutput? _owner;
            public Flusher(CliOutput? owner) { _owner = owner; }
            public void Dispose() { _owner?.Flush(true); _owner = null; }
        }

        public void Error(string message) => _err.WriteLine("pprov: " + Core.TerminalText.Escape(message));

        public void Warning(string message) => _err.WriteLine("pprov: warning: " + Core.TerminalText.Escape(message));
    }
}
