using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace PrivateProvisioning.Core.Serving
{
    /// <summary>A request the server answers with an error status and then closes the connection.</summary>
    internal sealed class BadHttpRequest : Exception
    {
        public BadHttpRequest(int statusCode, string message, string? target = null) : base(message)
        {
            StatusCode = statusCode;
            Target = target;
        }
        public int StatusCode { get; }
        public string? Target { get; }
    }

    /// <summary>The request line and headers of one HTTP/1.x request.</summary>
    internal sealed class HttpRequestHead
    {
        private readonly Dictionary<string, string> _headers;

        public HttpRequestHead(string method, string decodedPath, string decodedTarget, string version, Dictionary<string, string> headers)
        {
            Method = method;
            DecodedPath = decodedPath;
            DecodedTarget = decodedTarget;
            Version = version;
            _headers = headers;
        }

        public string Method { get; }
        /// <summary>The path without the query, percent-decoded.</summary>
        public string DecodedPath { get; }
        /// <summary>Path and query as sent, percent-decoded: what the log shows.</summary>
        public string DecodedTarget { get; }
        public string Version { get; }

        public string? Header(string lowerName) => _headers.TryGetValue(lowerName, out var v) ? v : null;

        public bool KeepAlive
        {
            get
            {
                var connection = Header("connection")?.ToLowerInvariant() ?? "";
                if (connection.Contains("close")) return false;
                return Version == "HTTP/1.1" || connection.Contains("keep-alive");
            }
        }

        public bool HasBody =>
            Header("transfer-encoding") != null ||
            (long.TryParse(Header("content-length"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0);
    }

    /// <summary>Reads request heads from a connection, keeping bytes of a pipelined next request.</summary>
    internal sealed class HttpRequestReader
    {
        private readonly Stream _stream;
        private readonly byte[] _buffer;
        private int _count;

        public HttpRequestReader(Stream stream, int maxHeaderBytes)
        {
            _stream = stream;
            _buffer = new byte[maxHeaderBytes];
        }

        /// <summary>The next request, or null when the client closed the connection or stayed idle too long.</summary>
        public async Task<HttpRequestHead?> ReadAsync(TimeSpan idleTimeout)
        {
            int end;
            while ((end = FindHeadEnd()) < 0)
            {
                if (_count == _buffer.Length)
                    throw new BadHttpRequest(431, "The request head is larger than 16 KB.");
                var read = _stream.ReadAsync(_buffer, _count, _buffer.Length - _count);
                var first = await Task.WhenAny(read, Task.Delay(idleTimeout)).ConfigureAwait(false);
                if (first != read) return null;
                int n = await read.ConfigureAwait(false);
                if (n == 0) return null;
                _count += n;
            }
            var text = Encoding.GetEncoding("iso-8859-1").GetString(_buffer, 0, end);
            int consumed = end + 4;
            Buffer.BlockCopy(_buffer, consumed, _buffer, 0, _count - consumed);
            _count -= consumed;
            return Parse(text);
        }

        private int FindHeadEnd()
        {
            for (int i = 0; i + 3 < _count; i++)
                if (_buffer[i] == '\r' && _buffer[i + 1] == '\n' && _buffer[i + 2] == '\r' && _buffer[i + 3] == '\n')
                    return i;
            return -1;
        }

        internal static HttpRequestHead Parse(string head)
        {
            var lines = head.Split(new[] { "\r\n" }, StringSplitOptions.None);
            var parts = lines[0].Split(' ');
            if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new BadHttpRequest(400, "The request line is not 'METHOD TARGET HTTP/1.x'.", ServingRoot.Printable(lines[0]));
            var version = parts[2];
            if (version != "HTTP/1.1" && version != "HTTP/1.0")
                throw new BadHttpRequest(505, $"HTTP version '{ServingRoot.Printable(version)}' is not supported.", parts[1]);
            var headers = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 1; i < lines.Length; i++)
            {
                int colon = lines[i].IndexOf(':');
                if (colon <= 0) throw new BadHttpRequest(400, $"Header line {i} has no name.", parts[1]);
                var name = lines[i].Substring(0, colon).Trim().ToLowerInvariant();
                var value = lines[i].Substring(colon + 1).Trim();
                headers[name] = headers.TryGetValue(name, out var earlier) ? earlier + ", " + value : value;
            }
            var target = parts[1];
            // Absolute form (a proxy-style request): keep only the path and query.
            if (target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                int slash = target.IndexOf('/', target.IndexOf("//", StringComparison.Ordinal) + 2);
                target = slash < 0 ? "/" : target.Substring(slash);
            }
            if (!target.StartsWith("/", StringComparison.Ordinal))
                throw new BadHttpRequest(400, "The request target must start with '/'.", ServingRoot.Printable(target));
            int query = target.IndexOf('?');
            var path = query < 0 ? target : target.Substring(0, query);
            var decodedPath = PercentDecode(path, target);
            var decodedTarget = query < 0 ? decodedPath : decodedPath + target.Substring(query);
            return new HttpRequestHead(parts[0], decodedPath, decodedTarget, version, headers);
        }

        private static string PercentDecode(string path, string target)
        {
            if (path.IndexOf('%') < 0) return path;
            var bytes = new List<byte>(path.Length);
            for (int i = 0; i < path.Length; i++)
            {
                if (path[i] != '%') { bytes.AddRange(Encoding.UTF8.GetBytes(path[i].ToString())); continue; }
                if (i + 2 >= path.Length || !byte.TryParse(path.Substring(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
                    throw new BadHttpRequest(400, $"Bad percent-encoding at character {i + 1} of the path.", ServingRoot.Printable(target));
                bytes.Add(b);
                i += 2;
            }
            return new UTF8Encoding(false, false).GetString(bytes.ToArray());
        }
    }
}
