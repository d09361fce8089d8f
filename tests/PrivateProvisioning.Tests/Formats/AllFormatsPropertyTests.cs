using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using Xunit;
using static PrivateProvisioning.Tests.Formats.FormatTestData;

namespace PrivateProvisioning.Tests.Formats
{
    /// <summary>Random accounts through every writer: byte-stable, readable back, or a clean error that never shows the password.</summary>
    public class AllFormatsPropertyTests
    {
        private static readonly ProfileFormat[] Formats = (ProfileFormat[])Enum.GetValues(typeof(ProfileFormat));
        private static readonly string[] AllowedErrors = { "ValueNotRepresentable", "ValueTooLong", "InvalidParameterName", "InvalidSettingValue" };

        private static string RandomText(Random random, int max)
        {
            var chars = new char[random.Next(0, max)];
            for (int i = 0; i < chars.Length; i++)
            {
                int pick = random.Next(10);
                chars[i] = pick == 0 ? (char)random.Next(0, 0x20) : pick == 1 ? (char)random.Next(0x80, 0xD7FF) : pick == 2 ? "\"'<>&\\#=/ "[random.Next(10)] : (char)random.Next(0x21, 0x7F);
            }
            return new string(chars);
        }

        private static string TemplateName(ProfileFormat format) => format switch
        {
            ProfileFormat.CiscoSpa => "Resync_Periodic",
            ProfileFormat.CiscoSep => "loadInformation",
            ProfileFormat.Panasonic => "CFG_CYCLIC_INTVL",
            ProfileFormat.Linphone => "sip/user_agent",
            _ => "Theme",
        };

        private static ProfileDocument RandomDocument(Random random, int row, ProfileFormat format, out string password)
        {
            var account = Account(row: row, mac: random.NextInt64(0, 0xFFFFFFFFFFFF).ToString("X12"));
            account.UserId = random.Next(3) == 0 ? null : RandomText(random, 8);
            account.DisplayName = RandomText(random, 12);
            account.SipServer = random.Next(2) == 0 ? "pbx.example.com" : RandomText(random, 10);
            password = "PW" + random.Next(100000, 999999) + RandomText(random, 6);
            account.Password = password;
            return Document(account, "t", Pairs(TemplateName(format), RandomText(random, 6)), Pairs("PTime", random.Next(2) == 0 ? "20" : RandomText(random, 4)));
        }

        [Fact]
        public void Every_writer_is_stable_readable_or_fails_cleanly()
        {
            var random = new Random(20261123);
            var outcomes = new Dictionary<ProfileFormat, int[]>();
            foreach (var format in Formats) outcomes[format] = new int[2];
            for (int n = 1; n <= 400; n++)
            {
                foreach (var format in Formats)
                {
                    var doc = RandomDocument(random, n, format, out var password);
                    var writer = ProfileFormats.GetWriter(format);
                    byte[] bytes;
                    try { bytes = writer.Render(doc); }
                    catch (ProvisioningException ex)
                    {
                        Assert.Contains(ex.ErrorId, AllowedErrors);
                        Assert.Contains($"Row {n}", ex.Message);
                        Assert.DoesNotContain(password, ex.Message);
                        Assert.DoesNotContain(password.Substring(0, 8), ex.Message);
                        outcomes[format][1]++;
                        continue;
                    }
                    outcomes[format][0]++;
                    Assert.Equal(bytes, writer.Render(doc));
                    var read = ProfileFormats.GetReader(format).Parse(bytes, "r");
                    Assert.Equal(read, ProfileFormats.ExpectedParameters(format, doc));
                    Assert.Equal(format, ProfileFileReader.Detect(bytes, "r"));
                }
            }
            // The generator must have produced both good and bad documents for every format, or the test proves little.
            Assert.All(Formats, f => Assert.True(outcomes[f][0] > 20 && outcomes[f][1] > 20, $"{f}: {outcomes[f][0]} written, {outcomes[f][1]} refused"));
        }

        [Fact]
        public void Writers_are_safe_to_share_between_threads()
        {
            var docs = Enumerable.Range(1, 200).Select(i =>
            {
                var a = Account(row: i, mac: (0x0080F0000000L + i).ToString("X12"));
                a.UserId = "u" + i;
                a.Password = "p" + i;
                a.DisplayName = "Name " + i;
                a.SipServer = "pbx";
                return Document(a, "t");
            }).ToList();
            foreach (var format in Formats)
            {
                var writer = ProfileFormats.GetWriter(format);
                var expected = docs.Select(writer.Render).ToList();
                var parallel = new byte[docs.Count][];
                Parallel.For(0, docs.Count * 5, i => parallel[i % docs.Count] = writer.Render(docs[i % docs.Count]));
                for (int i = 0; i < docs.Count; i++) Assert.Equal(expected[i], parallel[i]);
            }
        }
    }
}
