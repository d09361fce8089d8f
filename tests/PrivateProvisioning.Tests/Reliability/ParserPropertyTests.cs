using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PrivateProvisioning.Core;
using PrivateProvisioning.Fuzzing;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Reliability
{
    /// <summary>
    /// Every parser of outside input (the fuzz targets of tests/fuzz: ITL/CTL, .sgn, .enc.sgn, Salted__, RFC 8188,
    /// gzip, Panasonic .enc, PEM/DER, CSR, CMS, CSV, the five profile formats, TFTP, HTTP, SIP, syslog) gets random
    /// bytes and mutations of its golden vectors, and may only end normally or in our typed errors: no
    /// NullReferenceException, IndexOutOfRange, framework parser exception or hang reaches a user. The long runs
    /// are afl++'s (tests/fuzz/run.sh); these are the few thousand per parser that run in every build.
    /// </summary>
    public class ParserPropertyTests
    {
        private const int MutatedPerParser = 2000;
        private const int RandomPerParser = 300;

        static ParserPropertyTests() => FuzzTargets.VectorsFolder = VectorsFolder;

        private static string VectorsFolder => Path.Combine(TestPaths.RepoRoot, "tests", "vectors");

        public static IEnumerable<object[]> Targets() => FuzzTargets.All.Select(t => new object[] { t.Name });

        /// <summary>One edit of a mutation: what to do, where (scaled to the input), with which byte, how long.</summary>
        public readonly struct Edit
        {
            public Edit(int op, int position, byte value, int length) { Op = op; Position = position; Value = value; Length = length; }
            public int Op { get; }
            public int Position { get; }
            public byte Value { get; }
            public int Length { get; }
            public override string ToString() => $"{Op}@{Position}:{Value:X2}x{Length}";
        }

        private static readonly byte[] Interesting = { 0x00, 0x01, 0x7F, 0x80, 0xFF, 0xFE, (byte)'"', (byte)'<', (byte)',', (byte)'\n', (byte)'\r', 0x1B, 0xC0, 0xED };

        private static readonly Gen<Edit> Edits =
            from op in Gen.Choose(0, 7)
            from position in Gen.Choose(0, int.MaxValue)
            from value in Gen.OneOf(Gen.Elements(Interesting), Gen.Choose(0, 255).Select(v => (byte)v))
            from length in Gen.OneOf(Gen.Choose(1, 4), Gen.Choose(1, 64), Gen.Elements(128, 1024, 70000))
            select new Edit(op, position, value, length);

        private static readonly Arbitrary<(int Seed, Edit[] Edits)> Mutations =
            (from seed in Gen.Choose(0, int.MaxValue)
             from count in Gen.Choose(1, 8)
             from edits in Gen.ArrayOf(Edits, count)
             select (seed, edits)).ToArbitrary();

        /// <summary>Applies the edits in order: bit flips, byte sets, inserts, deletes, truncation, chunk copies, 16/32-bit boundary values.</summary>
        internal static byte[] Mutate(byte[] seed, Edit[] edits)
        {
            var data = new List<byte>(seed);
            foreach (var e in edits)
            {
                int at = data.Count == 0 ? 0 : e.Position % (data.Count + 1);
                switch (e.Op)
                {
                    case 0: if (data.Count > 0) { int i = at % data.Count; data[i] ^= (byte)(1 << (e.Value & 7)); } break;
                    case 1: if (data.Count > 0) data[at % data.Count] = e.Value; break;
                    case 2: data.InsertRange(at, Enumerable.Repeat(e.Value, Math.Min(e.Length, 4096))); break;
                    case 3: data.RemoveRange(Math.Min(at, data.Count), Math.Min(e.Length, data.Count - Math.Min(at, data.Count))); break;
                    case 4: data.RemoveRange(at, data.Count - at); break;
                    case 5:
                        if (data.Count > 0)
                        {
                            int from = e.Value * data.Count / 256, n = Math.Min(e.Length, data.Count - from);
                            data.InsertRange(at, data.GetRange(from, n));
                        }
                        break;
                    case 6:
                        if (data.Count >= 2)
                        {
                            int i = at % (data.Count - 1);
                            ushort v = (e.Value % 4) switch { 0 => 0, 1 => 0xFFFF, 2 => 0x7FFF, _ => 0x8000 };
                            data[i] = (byte)(v >> 8); data[i + 1] = (byte)v;
                        }
                        break;
                    default:
                        if (data.Count >= 4)
                        {
                            int i = at % (data.Count - 3);
                            uint v = (e.Value % 3) switch { 0 => 0xFFFFFFFFu, 1 => 0x7FFFFFFFu, _ => 0x80000000u };
                            data[i] = (byte)(v >> 24); data[i + 1] = (byte)(v >> 16); data[i + 2] = (byte)(v >> 8); data[i + 3] = (byte)v;
                        }
                        break;
                }
            }
            return data.ToArray();
        }

        private static bool EndsInTypedErrorOrNothing(FuzzTargets.Target target, byte[] input)
        {
            try { FuzzTargets.RunOne(target, input); return true; }
            catch (Exception ex)
            {
                throw new Xunit.Sdk.XunitException($"{target.Name}: {ex.GetType().FullName} escaped for {input.Length} byte(s) " +
                    $"(base64 {Convert.ToBase64String(input.Take(4096).ToArray())}):\n{ex}");
            }
        }

        [Theory]
        [MemberData(nameof(Targets))]
        public void MutatedGoldenVectorsEndInTypedErrorsOnly(string name)
        {
            var target = FuzzTargets.Get(name);
            var seeds = target.Seeds(VectorsFolder).Select(File.ReadAllBytes).ToArray();
            Assert.NotEmpty(seeds);
            foreach (var seed in seeds) EndsInTypedErrorOrNothing(target, seed);
            Prop.ForAll(Mutations, m => EndsInTypedErrorOrNothing(target, Mutate(seeds[m.Seed % seeds.Length], m.Edits)))
                .Check(Config.QuickThrowOnFailure.WithMaxTest(MutatedPerParser));
        }

        [Theory]
        [MemberData(nameof(Targets))]
        public void RandomBytesEndInTypedErrorsOnly(string name)
        {
            var target = FuzzTargets.Get(name);
            // Random bytes, and random bytes behind the first bytes of a vector (a right magic, then garbage).
            var seeds = target.Seeds(VectorsFolder).Select(File.ReadAllBytes).ToArray();
            var inputs = (from prefix in Gen.Choose(0, 64)
                          from seed in Gen.Choose(0, int.MaxValue)
                          from tail in ArbMap.Default.GeneratorFor<byte[]>()
                          select seeds[seed % seeds.Length].Take(prefix).Concat(tail).ToArray()).ToArbitrary();
            Prop.ForAll(inputs, data => EndsInTypedErrorOrNothing(target, data))
                .Check(Config.QuickThrowOnFailure.WithMaxTest(RandomPerParser));
        }

        /// <summary>What the long afl++ runs found, kept as regression inputs (tests/vectors/fuzz/findings/TARGET-what.ext).</summary>
        public static IEnumerable<object[]> Findings() =>
            Directory.EnumerateFiles(Path.Combine(VectorsFolder, "fuzz", "findings")).OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => new object[] { Path.GetFileName(f) });

        [Theory]
        [MemberData(nameof(Findings))]
        public void EveryFuzzFindingEndsInATypedError(string file)
        {
            var target = FuzzTargets.All.Where(t => file.StartsWith(t.Name + "-", StringComparison.Ordinal)).OrderByDescending(t => t.Name.Length).First();
            var data = File.ReadAllBytes(Path.Combine(VectorsFolder, "fuzz", "findings", file));
            var ex = Record.Exception(() => target.Run(data));
            Assert.True(ex == null || FuzzTargets.IsExpected(ex), $"{file}: {ex}");
        }

        /// <summary>Whatever a phone or a CSV sends, what pprov prints of it holds no control character.</summary>
        [Property(MaxTest = 2000)]
        public bool EscapedTextHoldsNoControlCharacters(string? text)
        {
            var escaped = TerminalText.Escape(text);
            return escaped.All(c => c >= 0x20 && c != 0x7F && !(c >= 0x80 && c <= 0x9F) && !(c >= '\u202A' && c <= '\u202E') && !(c >= '\u2066' && c <= '\u2069'));
        }

        [Property(MaxTest = 1000)]
        public bool EscapingIsTheIdentityOnPrintableText(NonEmptyString text)
        {
            var printable = new string(text.Get.Where(c => c >= 0x20 && c != 0x7F && c < 0x80).ToArray());
            return TerminalText.Escape(printable) == printable;
        }
    }
}
