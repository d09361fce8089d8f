using System;
using System.IO;

namespace PrivateProvisioning.Core.Serving
{
    /// <summary>
    /// Recognises files protected with RFC 8188 (aes128gcm) so the HTTP server can label them
    /// <c>Content-Encoding: aes128gcm</c>. The convention: the file is stored as NAME.aes128gcm; a request for
    /// NAME (or NAME.aes128gcm) is answered with its bytes and that header, and the header of the body must be
    /// a plausible RFC 8188 header (salt, record size ≥ 18, key id, records that fit the record size). A random
    /// salt cannot be told from other bytes, which is why the name, not sniffing alone, decides.
    /// </summary>
    public static class Aes128GcmBody
    {
        public const string FileSuffix = ".aes128gcm";
        public const string ContentEncoding = "aes128gcm";

        /// <summary>True when the first bytes and the length fit RFC 8188 §2: 16-byte salt, rs, idlen, keyid, records of rs bytes (last ≤ rs, ≥ 17).</summary>
        public static bool HasValidHeader(byte[] head, int headLength, long totalLength)
        {
            if (headLength < 21) return false;
            uint rs = ((uint)head[16] << 24) | ((uint)head[17] << 16) | ((uint)head[18] << 8) | head[19];
            int idLength = head[20];
            if (rs < 18) return false;
            long payload = totalLength - 21 - idLength;
            if (payload < 17) return false;
            long last = payload % rs;
            return last == 0 || last >= 17;
        }

        /// <summary>Reads the head of a file and checks it with HasValidHeader.</summary>
        public static bool FileHasValidHeader(string path)
        {
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1))
            {
                var head = new byte[21];
                int n = 0;
                while (n < head.Length)
                {
                    int r = stream.Read(head, n, head.Length - n);
                    if (r == 0) break;
                    n += r;
                }
                return HasValidHeader(head, n, stream.Length);
            }
        }
    }
}
