using System;
using System.IO;
using PrivateProvisioning.Core;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Reliability
{
    public class InternalErrorTests
    {
        [Fact]
        public void AnUnexpectedExceptionIsOneLineWithTheIdTheFileAndHowToReport()
        {
            using var dir = new TempDirectory();
            var input = dir.File("input.tlv");
            File.WriteAllBytes(input, new byte[] { 1 });
            var ex = new InvalidOperationException("boom\u001b[2J\nforged line");
            var text = InternalErrorReport.Describe(ex, InternalErrorReport.ExistingFiles(new[] { "itl", "show", input, "--out", dir.File("missing") }),
                "Run it again with --debug for the stack trace.");
            Assert.StartsWith("internal error (InternalError): InvalidOperationException: boom", text);
            Assert.Contains("'" + input + "'", text);
            Assert.DoesNotContain("missing", text);
            Assert.Contains("please report it", text);
            Assert.False(text.Contains((char)0x1b), "ESC in the message");
            Assert.DoesNotContain("\n", text);
            Assert.DoesNotContain("   at ", text);   // no stack trace
        }

        [Theory]
        [InlineData("ok text", "ok text")]
        [InlineData("Busy\u001b[31mRED", "Busy\\x1B[31mRED")]
        [InlineData("a\0b", "a\\0b")]
        [InlineData("line1\r\nline2", "line1\\r\\nline2")]
        [InlineData("csi\u009b2J", "csi\\x9B2J")]
        [InlineData("rtl\u202Eevil", "rtl\\u202Eevil")]
        [InlineData("del\u007f", "del\\x7F")]
        [InlineData("Grüße 電話", "Grüße 電話")]
        public void ControlCharactersAreEscaped(string input, string expected) =>
            Assert.Equal(expected, TerminalText.Escape(input));

        [Fact]
        public void MultiLineTextKeepsLineBreaksButNotCarriageReturnsOrEscapes() =>
            Assert.Equal("a\n\tb\\r\\x1B", TerminalText.Escape("a\n\tb\r\u001b", keepLineBreaks: true));
    }
}
