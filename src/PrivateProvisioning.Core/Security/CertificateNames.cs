using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PrivateProvisioning.Core.Security
{
    /// <summary>
    /// Certificate values as the Cisco trust-list and signed-file headers carry them (spec §2.1): names in
    /// encoded RDN order as RFC 4514 "TYPE=value" joined by ",", serials as minimal unsigned big-endian bytes.
    /// </summary>
    public static class CertificateNames
    {
        private static readonly Dictionary<string, string> ShortNames = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["2.5.4.3"] = "CN",
            ["2.5.4.7"] = "L",
            ["2.5.4.8"] = "ST",
            ["2.5.4.10"] = "O",
            ["2.5.4.11"] = "OU",
            ["2.5.4.6"] = "C",
            ["2.5.4.9"] = "STREET",
            ["0.9.2342.19200300.100.1.25"] = "DC",
            ["0.9.2342.19200300.100.1.1"] = "UID",
        };

        /// <summary>The name as certutils writes it: <c>CN=Test Name,O=Org\, Inc,OU=Unit</c> (no NUL).</summary>
        public static string Format(X500DistinguishedName name)
        {
            var sb = new StringBuilder();
            var reader = new DerReader(name.RawData);
            var rdns = reader.ReadSequence();
            while (rdns.HasData)
            {
                var set = rdns.Read(0x31);
                while (set.HasData)
                {
                    var attribute = set.ReadSequence();
                    var oid = attribute.ReadOid();
                    var (tag, value) = attribute.ReadAny();
                    if (sb.Length > 0) sb.Append(',');
                    sb.Append(ShortNames.TryGetValue(oid, out var shortName) ? shortName : oid).Append('=');
                    sb.Append(Escape(DecodeString(tag, value)));
                }
            }
            return sb.ToString();
        }

        /// <summary>The serial as an unsigned big-endian integer in the fewest bytes (no DER sign byte).</summary>
        public static byte[] SerialBytes(X509Certificate2 certificate)
        {
            var littleEndian = certificate.GetSerialNumber();
            int length = littleEndian.Length;
            while (length > 1 && littleEndian[length - 1] == 0) length--;
            var bigEndian = new byte[length];
            for (int i = 0; i < length; i++) bigEndian[i] = littleEndian[length - 1 - i];
            return bigEndian;
        }

        internal static string Escape(string value)
        {
            if (value.Length == 0) return value;
            var sb = new StringBuilder(value.Length + 4);
            foreach (var c in value)
            {
                switch (c)
                {
                    case '\\': case '"': case '+': case ',': case ';': case '<': case '>':
                        sb.Append('\\').Append(c);
                        break;
                    case '\0':
                        sb.Append("\\00");
                        break;
                    default:
                        sb.Append(c);
                        break;
                }
            }
            if (sb[0] == '#' || sb[0] == ' ') sb.Insert(0, '\\');
            // Same order as Python cryptography's escaping, quirks included (a lone space becomes backslash, backslash, space).
            if (sb[sb.Length - 1] == ' ') sb.Insert(sb.Length - 1, '\\');
            return sb.ToString();
        }

        private static string DecodeString(byte tag, byte[] value)
        {
            switch (tag)
            {
                case 0x1E: return Encoding.BigEndianUnicode.GetString(value);            // BMPString
                case 0x1C: return new UTF32Encoding(true, false).GetString(value);       // UniversalString
                case 0x14: return Encoding.GetEncoding("ISO-8859-1").GetString(value);   // T61String, as Latin-1
                default: return Encoding.UTF8.GetString(value);                          // UTF8, Printable, IA5, ...
            }
        }
    }

    /// <summary>A minimal DER reader for the few structures we walk by hand (names, key info).</summary>
    internal struct DerReader
    {
        private readonly byte[] _data;
        private int _position;
        private readonly int _end;

        public DerReader(byte[] data) : this(data, 0, data.Length) { }

        private DerReader(byte[] data, int offset, int end)
        {
            _data = data;
            _position = offset;
            _end = end;
        }

        public bool HasData => _position < _end;

        public DerReader ReadSequence() => Read(0x30);

        public DerReader Read(byte expectedTag)
        {
            var (tag, start, length) = ReadHeader();
            if (tag != expectedTag) throw new FormatException($"DER: expected tag 0x{expectedTag:X2}, found 0x{tag:X2}.");
            _position = start + length;
            return new DerReader(_data, start, start + length);
        }

        public (byte Tag, byte[] Value) ReadAny()
        {
            var (tag, start, length) = ReadHeader();
            var value = new byte[length];
            Buffer.BlockCopy(_data, start, value, 0, length);
            _position = start + length;
            return (tag, value);
        }

        public string ReadOid()
        {
            var (tag, value) = ReadAny();
            if (tag != 0x06) throw new FormatException($"DER: expected an OID, found tag 0x{tag:X2}.");
            var sb = new StringBuilder();
            long component = 0;
            bool first = true;
            foreach (var b in value)
            {
                component = (component << 7) | (uint)(b & 0x7F);
                if ((b & 0x80) != 0) continue;
                if (first)
                {
                    int top = component < 40 ? 0 : component < 80 ? 1 : 2;
                    sb.Append(top).Append('.').Append(component - 40 * top);
                    first = false;
                }
                else sb.Append('.').Append(component);
                component = 0;
            }
            return sb.ToString();
        }

        private (byte Tag, int Start, int Length) ReadHeader()
        {
            if (_position + 2 > _end) throw new FormatException("DER: truncated.");
            byte tag = _data[_position++];
            int length = _data[_position++];
            if ((length & 0x80) != 0)
            {
                int count = length & 0x7F;
                if (count == 0 || count > 3 || _position + count > _end) throw new FormatException("DER: bad length.");
                length = 0;
                for (int i = 0; i < count; i++) length = (length << 8) | _data[_position++];
            }
            if (_position + length > _end) throw new FormatException("DER: truncated.");
            return (tag, _position, length);
        }
    }
}
