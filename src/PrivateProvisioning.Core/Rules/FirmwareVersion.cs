using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace PrivateProvisioning.Core.Rules
{
    /// <summary>The two firmware version notations a rule condition compares (spec §2.3).</summary>
    public enum FirmwareVersionFormat
    {
        /// <summary>SPA: <c>major.minor.build</c> with an optional <c>(alnum)</c> suffix, e.g. <c>2.0.6(b)</c>, <c>1.0.31(b)</c>, <c>2.0.3(0412s)</c>.</summary>
        Spa,
        /// <summary>MPP load names: <c>sip88xx.11-3-2MPP0001-609</c> (≥ 11.3(2)) and <c>sip7832.11-0-1MPP-376</c> (≤ 11.3(1)SR1).</summary>
        Mpp,
    }

    /// <summary>
    /// A firmware version as an unquoted condition operand reads it. SPA versions compare their numbers left to
    /// right (a missing number counts as 0), then the suffix (none sorts first, then ordinal, ignoring case).
    /// MPP versions compare major, minor, micro, then build, then the number after "MPP" as a tie-break; the
    /// load prefix (<c>sip88xx.</c>) is not compared. Versions of different formats do not compare: the phone
    /// fails such a condition, and we report it.
    /// </summary>
    public sealed class FirmwareVersion : IComparable<FirmwareVersion>
    {
        private static readonly Regex SpaPattern = new Regex(@"^(\d+(?:\.\d+)*)(?:\(([A-Za-z0-9]+)\))?$", RegexOptions.CultureInvariant);
        private static readonly Regex MppPattern = new Regex(@"^(?:[A-Za-z0-9_]+\.)?(\d+)-(\d+)-(\d+)MPP(\d*)-(\d+)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        private readonly long[] _numbers;
        private readonly string _suffix;

        private FirmwareVersion(string text, FirmwareVersionFormat format, long[] numbers, string suffix)
        {
            Text = text;
            Format = format;
            _numbers = numbers;
            _suffix = suffix;
        }

        public string Text { get; }
        public FirmwareVersionFormat Format { get; }

        public override string ToString() => Text;

        /// <summary>Reads either notation; false for anything else (including an empty string).</summary>
        public static bool TryParse(string? text, out FirmwareVersion? version)
        {
            version = null;
            if (string.IsNullOrEmpty(text)) return false;
            var spa = SpaPattern.Match(text);
            if (spa.Success)
            {
                var parts = spa.Groups[1].Value.Split('.');
                var numbers = new long[parts.Length];
                for (int i = 0; i < parts.Length; i++)
                    if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i])) return false;
                version = new FirmwareVersion(text!, FirmwareVersionFormat.Spa, numbers, spa.Groups[2].Value);
                return true;
            }
            var mpp = MppPattern.Match(text);
            if (mpp.Success)
            {
                // Order of comparison: major, minor, micro, build, then the MPP service number.
                var numbers = new long[5];
                int[] groups = { 1, 2, 3, 5, 4 };
                for (int i = 0; i < groups.Length; i++)
                {
                    var g = mpp.Groups[groups[i]].Value;
                    if (g.Length == 0) numbers[i] = 0;
                    else if (!long.TryParse(g, NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i])) return false;
                }
                version = new FirmwareVersion(text!, FirmwareVersionFormat.Mpp, numbers, string.Empty);
                return true;
            }
            return false;
        }

        /// <summary>Compares two versions of the same format.</summary>
        /// <exception cref="InvalidOperationException">The formats differ.</exception>
        public int CompareTo(FirmwareVersion? other)
        {
            if (other is null) return 1;
            if (other.Format != Format)
                throw new InvalidOperationException($"'{Text}' and '{other.Text}' are versions in different formats.");
            int n = Math.Max(_numbers.Length, other._numbers.Length);
            for (int i = 0; i < n; i++)
            {
                long a = i < _numbers.Length ? _numbers[i] : 0;
                long b = i < other._numbers.Length ? other._numbers[i] : 0;
                if (a != b) return a < b ? -1 : 1;
            }
            if (_suffix.Length == 0 || other._suffix.Length == 0) return _suffix.Length.CompareTo(other._suffix.Length);
            return Math.Sign(string.Compare(_suffix, other._suffix, StringComparison.OrdinalIgnoreCase));
        }
    }
}
