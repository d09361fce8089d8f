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

        public CliOutput(bool json, TextWriter? stdout = null, TextWriter? stderr = null)
        {
            Json = json;
            _out = stdout ?? Console.Out;
            _err = stderr ?? Console.Error;
        }

        public bool Json { get; }

        /// <summary>Writes one result: as a JSON line with --json, else as the given text.</summary>
        public void Result(object value, string text)
        {
            if (Json) _out.WriteLine(JsonSerializer.Serialize(value, value.GetType(), JsonOptions));
            else _out.WriteLine(Core.TerminalText.Escape(text, keepLineBreaks: true));
        }

        // Text from outside (a phone's SIP reason phrase, a CSV value quoted in an error) reaches the terminal
        // escaped: no ESC sequence, NUL or CR from a phone or a file can recolour, clear or forge a line.
        public void Text(string text) => _out.WriteLine(Core.TerminalText.Escape(text, keepLineBreaks: true));

        public void Error(string message) => _err.WriteLine("pprov: " + Core.TerminalText.Escape(message));

        public void Warning(string message) => _err.WriteLine("pprov: warning: " + Core.TerminalText.Escape(message));
    }
}
