using PrivateProvisioning.Core.Formats;

namespace PrivateProvisioning.Core.Templates.Generation
{
    /// <summary>One generated (or, under -WhatIf, would-be) configuration file. Pipes into Protect-ProfileFile by Path.</summary>
    public sealed class ProvisioningProfileResult
    {
        internal ProvisioningProfileResult(string? macAddress, string path, ProfileFormat format, string template, WriteStatus status,
            string? sha256, int rowNumber, bool whatIf, string[] changedParameters)
        {
            _macAddress = macAddress;
            Path = path;
            Format = format;
            Template = template;
            Status = status;
            _sha256 = sha256;
            RowNumber = rowNumber;
            WhatIf = whatIf;
            ChangedParameters = changedParameters;
        }

#if NET
        /// <summary>
        /// A file the generation state found unchanged: its MAC and SHA-256 texts are made when first read (pprov
        /// prints only the path of 100,000 such files; the record of written files takes the numbers).
        /// </summary>
        internal static ProvisioningProfileResult Unchanged(Core.MacAddress mac, string path, ProfileFormat format, string template, in GenerationRecord record, int rowNumber) =>
            new ProvisioningProfileResult(null, path, format, template, WriteStatus.Unchanged, null, rowNumber, false, System.Array.Empty<string>())
            {
                _mac = mac.ToInt64(),
                _hasMac = true,
                _sha0 = record.Sha0, _sha1 = record.Sha1, _sha2 = record.Sha2, _sha3 = record.Sha3,
            };

        /// <summary>A file written (or compared) now: its MAC and SHA-256 texts are likewise made only when read.</summary>
        internal static ProvisioningProfileResult Written(Core.MacAddress mac, string path, ProfileFormat format, string template, WriteStatus status,
            System.ReadOnlySpan<byte> sha256, int rowNumber, bool whatIf, string[] changedParameters) =>
            new ProvisioningProfileResult(null, path, format, template, status, null, rowNumber, whatIf, changedParameters)
            {
                _mac = mac.ToInt64(),
                _hasMac = true,
                _sha0 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(sha256),
                _sha1 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(sha256.Slice(8)),
                _sha2 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(sha256.Slice(16)),
                _sha3 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(sha256.Slice(24)),
            };

        private long _mac;
        private bool _hasMac;
        private ulong _sha0, _sha1, _sha2, _sha3;

        /// <summary>The MAC address as a number, when the result was made from one (no text to parse back).</summary>
        internal long? MacValue => _hasMac ? _mac : (long?)null;

        /// <summary>Writes the SHA-256 as 64 lower-case hex digits into <paramref name="chars"/>.</summary>
        internal void WriteSha256(System.Span<char> chars)
        {
            if (_sha256 != null) { System.MemoryExtensions.AsSpan(_sha256).CopyTo(chars); return; }
            // Straight from the numbers (their bytes in little-endian order), digit by digit: the native pprov's
            // Convert.ToHexStringLower takes a software shuffle path that cost 5% of an unchanged re-run.
            HexText.WriteLower(_sha0, chars);
            HexText.WriteLower(_sha1, chars.Slice(16));
            HexText.WriteLower(_sha2, chars.Slice(32));
            HexText.WriteLower(_sha3, chars.Slice(48));
        }

        private string MakeMacText()
        {
            var hex = Core.MacAddress.FromInt64(_mac).Upper;
            return string.Create(17, hex, static (chars, h) =>
            {
                for (int i = 0, j = 0; i < 12; i += 2)
                {
                    if (j > 0) chars[j++] = ':';
                    chars[j++] = h[i];
                    chars[j++] = h[i + 1];
                }
            });
        }

        private string MakeShaText()
        {
            System.Span<char> chars = stackalloc char[64];
            WriteSha256(chars);
            return new string(chars);
        }
#else
        private string MakeMacText() => _macAddress!;
        private string MakeShaText() => _sha256!;
#endif

        private string? _macAddress;

        /// <summary>False for a shared file of a partitioned template, which belongs to no phone.</summary>
#if NET
        internal bool HasMacAddress => _hasMac || _macAddress != null;
#else
        internal bool HasMacAddress => _macAddress != null;
#endif
        private string? _sha256;

        /// <summary>The phone's MAC address, upper-case with colons (00:0E:08:AB:CD:EF).</summary>
        public string MacAddress => _macAddress ??= MakeMacText();
        public string Path { get; }
        public ProfileFormat Format { get; }
        /// <summary>The template the account resolved to.</summary>
        public string Template { get; }
        public WriteStatus Status { get; }
        /// <summary>SHA-256 of the file's bytes, lower-case hex.</summary>
        public string Sha256 => _sha256 ??= MakeShaText();
        public int RowNumber { get; }
        /// <summary>True when nothing was written (-WhatIf / --what-if).</summary>
        public bool WhatIf { get; }
        /// <summary>Under -WhatIf, for an Updated file: the parameters whose values would change (names only, never values).</summary>
        public string[] ChangedParameters { get; }
    }
}
