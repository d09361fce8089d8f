using System;
using System.Collections.Generic;
using System.Text;

namespace PrivateProvisioning.Core.Serving
{
    /// <summary>TFTP opcodes (RFC 1350, RFC 2347 OACK).</summary>
    internal enum TftpOpcode : ushort
    {
        ReadRequest = 1,
        WriteRequest = 2,
        Data = 3,
        Ack = 4,
        Error = 5,
        OptionAck = 6,
    }

    /// <summary>TFTP error codes (RFC 1350 §5, RFC 2347 code 8).</summary>
    internal enum TftpErrorCode : ushort
    {
        NotDefined = 0,
        FileNotFound = 1,
        AccessViolation = 2,
        DiskFull = 3,
        IllegalOperation = 4,
        UnknownTransferId = 5,
        FileExists = 6,
        NoSuchUser = 7,
        OptionsRefused = 8,
    }

    /// <summary>A parsed RRQ/WRQ: file name, mode and options (names lower-cased, in request order).</summary>
    internal sealed class TftpRequest
    {
        public TftpRequest(TftpOpcode opcode, string fileName, string mode, IReadOnlyList<KeyValuePair<string, string>> options)
        {
            Opcode = opcode;
            FileName = fileName;
            Mode = mode;
            Options = options;
        }

        public TftpOpcode Opcode { get; }
        public string FileName { get; }
        public string Mode { get; }
        public IReadOnlyList<KeyValuePair<string, string>> Options { get; }
    }

    /// <summary>Reads and writes TFTP packets. Strings are NUL-terminated netascii; names are read as Latin-1 so every byte survives.</summary>
    internal static class TftpPacket
    {
        private static readonly Encoding Latin1 = Encoding.GetEncoding("iso-8859-1");

        public static ushort ReadUInt16(byte[] buffer, int offset) => (ushort)((buffer[offset] << 8) | buffer[offset + 1]);

        public static void WriteUInt16(byte[] buffer, int offset, int value)
        {
            buffer[offset] = (byte)(value >> 8);
            buffer[offset + 1] = (byte)value;
        }

        /// <summary>Parses an RRQ or WRQ; returns null with a reason when the packet is malformed.</summary>
        public static TftpRequest? ParseRequest(byte[] buffer, int length, out string? problem)
        {
            problem = null;
            if (length < 4) { problem = "packet too short"; return null; }
            var opcode = (TftpOpcode)ReadUInt16(buffer, 0);
            if (opcode != TftpOpcode.ReadRequest && opcode != TftpOpcode.WriteRequest) { problem = $"opcode {(int)opcode} is not a request"; return null; }
            var strings = new List<string>();
            int start = 2;
            for (int i = 2; i < length; i++)
            {
                if (buffer[i] != 0) continue;
                strings.Add(Latin1.GetString(buffer, start, i - start));
                start = i + 1;
            }
            if (start != length) { problem = "the last field is not NUL-terminated"; return null; }
            if (strings.Count < 2) { problem = "file name or mode missing"; return null; }
            if (strings[0].Length == 0) { problem = "empty file name"; return null; }
            var options = new List<KeyValuePair<string, string>>();
            // An odd trailing string is tolerated (some clients pad with an extra NUL).
            for (int i = 2; i + 1 < strings.Count; i += 2)
                options.Add(new KeyValuePair<string, string>(strings[i].ToLowerInvariant(), strings[i + 1]));
            return new TftpRequest(opcode, strings[0], strings[1].ToLowerInvariant(), options);
        }

        public static byte[] BuildRequest(TftpOpcode opcode, string fileName, string mode, IEnumerable<KeyValuePair<string, string>> options)
        {
            var bytes = new List<byte>(64) { 0, (byte)opcode };
            void Add(string s) { bytes.AddRange(Latin1.GetBytes(s)); bytes.Add(0); }
            Add(fileName);
            Add(mode);
            foreach (var o in options) { Add(o.Key); Add(o.Value); }
            return bytes.ToArray();
        }

        public static int BuildError(byte[] buffer, TftpErrorCode code, string message)
        {
            WriteUInt16(buffer, 0, (int)TftpOpcode.Error);
            WriteUInt16(buffer, 2, (int)code);
            int n = Latin1.GetBytes(message, 0, Math.Min(message.Length, 400), buffer, 4);
            buffer[4 + n] = 0;
            return 5 + n;
        }

        public static byte[] BuildError(TftpErrorCode code, string message)
        {
            var buffer = new byte[512];
            int n = BuildError(buffer, code, message);
            var packet = new byte[n];
            Buffer.BlockCopy(buffer, 0, packet, 0, n);
            return packet;
        }

        public static byte[] BuildOptionAck(IEnumerable<KeyValuePair<string, string>> options)
        {
            var bytes = new List<byte>(64) { 0, (byte)TftpOpcode.OptionAck };
            foreach (var o in options)
            {
                bytes.AddRange(Latin1.GetBytes(o.Key)); bytes.Add(0);
                bytes.AddRange(Latin1.GetBytes(o.Value)); bytes.Add(0);
            }
            return bytes.ToArray();
        }

        public static List<KeyValuePair<string, string>> ParseOptionAck(byte[] buffer, int length)
        {
            var result = new List<KeyValuePair<string, string>>();
            var strings = new List<string>();
            int start = 2;
            for (int i = 2; i < length; i++)
            {
                if (buffer[i] != 0) continue;
                strings.Add(Latin1.GetString(buffer, start, i - start));
                start = i + 1;
            }
            for (int i = 0; i + 1 < strings.Count; i += 2)
                result.Add(new KeyValuePair<string, string>(strings[i].ToLowerInvariant(), strings[i + 1]));
            return result;
        }

        public static string ErrorMessage(byte[] buffer, int length)
        {
            if (length < 5) return string.Empty;
            int end = Array.IndexOf(buffer, (byte)0, 4, length - 4);
            return Latin1.GetString(buffer, 4, (end < 0 ? length : end) - 4);
        }

        /// <summary>RFC 1350 netascii: LF becomes CR LF, a bare CR becomes CR NUL.</summary>
        public static byte[] ToNetascii(byte[] data)
        {
            var output = new List<byte>(data.Length + data.Length / 16 + 8);
            foreach (var b in data)
            {
                if (b == (byte)'\n') { output.Add((byte)'\r'); output.Add((byte)'\n'); }
                else if (b == (byte)'\r') { output.Add((byte)'\r'); output.Add(0); }
                else output.Add(b);
            }
            return output.ToArray();
        }

        /// <summary>The inverse of ToNetascii, for our client: CR LF → LF, CR NUL → CR.</summary>
        public static byte[] FromNetascii(byte[] data)
        {
            var output = new List<byte>(data.Length);
            for (int i = 0; i < data.Length; i++)
            {
                if (data[i] == (byte)'\r' && i + 1 < data.Length && (data[i + 1] == (byte)'\n' || data[i + 1] == 0))
                {
                    output.Add(data[i + 1] == 0 ? (byte)'\r' : (byte)'\n');
                    i++;
                }
                else output.Add(data[i]);
            }
            return output.ToArray();
        }
    }
}
