using System.Collections.Generic;
using System.IO;
using System.Linq;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Core.Rules;
using PrivateProvisioning.Core.Templates;
using PrivateProvisioning.Core.Templates.Generation;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Common
{
    /// <summary>Names Windows cannot hold are refused on every system, so a tree generated on Linux can be served from Windows.</summary>
    public class WindowsFileNamesTests
    {
        [Theory]
        [InlineData("00:0e:08:00:00:01.xml", "contains ':'")]
        [InlineData("a<b.xml", "contains '<'")]
        [InlineData("a>b.xml", "contains '>'")]
        [InlineData("a\"b.xml", "contains '\"'")]
        [InlineData("a|b.xml", "contains '|'")]
        [InlineData("a?b.xml", "contains '?'")]
        [InlineData("a*b.xml", "contains '*'")]
        [InlineData("a\tb.xml", "control character U+0009")]
        [InlineData("a\u001fb.xml", "control character U+001F")]
        [InlineData("CON", "device name")]
        [InlineData("con.xml", "device name")]
        [InlineData("Nul.tar.gz", "device name")]
        [InlineData("AUX .xml", "device name")]
        [InlineData("prn", "device name")]
        [InlineData("COM1.cfg", "device name")]
        [InlineData("com9", "device name")]
        [InlineData("LPT1.xml", "device name")]
        [InlineData("lpt3.txt", "device name")]
        [InlineData("COM\u00b9.xml", "device name")]
        [InlineData("spa.", "ends with a dot")]
        [InlineData("spa.xml ", "ends with a space")]
        [InlineData("rome./a.xml", "its part 'rome.' ends with a dot")]
        [InlineData("sites/NUL/a.xml", "its part 'NUL' is a Windows device name")]
        [InlineData(@"sites\a:b\c.xml", "its part 'a:b' contains ':'")]
        public void Names_windows_cannot_hold_are_named_with_the_reason(string name, string reason)
        {
            var problem = WindowsFileNames.Problem(name);
            Assert.NotNull(problem);
            Assert.Contains(reason, problem);
        }

        [Theory]
        [InlineData("000e08000001.xml")]
        [InlineData("SEP000E08000001.cnf.xml")]
        [InlineData("rome/SPAABCDEF-201.xml")]
        [InlineData("CONSOLE.xml")]      // only the exact device names are reserved
        [InlineData("COM10.xml")]
        [InlineData("LPT.xml")]
        [InlineData("nullable.cfg")]
        [InlineData(".hidden.xml")]
        [InlineData("a b.xml")]          // spaces inside a name are fine
        [InlineData("./a.xml")]          // "." and ".." are SafePath's to judge
        [InlineData("é-ünicode.xml")]
        public void Ordinary_names_pass(string name)
        {
            Assert.Null(WindowsFileNames.Problem(name));
        }

        [Fact]
        public void Check_names_the_rule_and_suggests_MA_for_the_colon_form_of_MAC()
        {
            var ex = Assert.Throws<ProvisioningException>(() => WindowsFileNames.Check("00:0e:08:00:00:01.xml", "file-name", "$MAC.xml"));
            Assert.Equal("FileNameNotPortable", ex.ErrorId);
            Assert.Contains("'$MAC.xml'", ex.Message);
            Assert.Contains("'00:0e:08:00:00:01.xml'", ex.Message);
            Assert.Contains("$MA ", ex.Message);
            Assert.Contains("$MAU", ex.Message);
        }

        [Fact]
        public void A_control_character_is_shown_escaped_so_the_message_stays_on_one_line()
        {
            var ex = Assert.Throws<ProvisioningException>(() => WindowsFileNames.Check("a\nb.xml"));
            Assert.DoesNotContain("\n", ex.Message);
            Assert.Contains(@"a\u000Ab.xml", ex.Message);
        }

        [Fact]
        public void The_generator_refuses_the_row_whose_file_name_windows_cannot_hold_and_writes_the_others()
        {
            using var dir = new TempDirectory();
            var colon = Generate(dir, "MAC,Site\n000E08000001,rome\n", "$Site/$MAC.xml");
            Assert.Equal("FileNameNotPortable", colon[0].Error!.ErrorId);
            Assert.StartsWith("Row 1, column 'FileName': the file-name rule '$Site/$MAC.xml' gives 'rome/00:0e:08:00:00:01.xml'", colon[0].Error!.Message);
            Assert.Contains("$MAU", colon[0].Error!.Message);

            var outcomes = Generate(dir, "MAC,Site\n000E08000001,CON\n000E08000002,rome.\n000E08000003,a|b\n000E08000004,rome\n", "$Site/$MA.xml");
            Assert.Equal(new[] { "FileNameNotPortable", "FileNameNotPortable", "FileNameNotPortable", null }, outcomes.Select(o => o.Error?.ErrorId).ToArray());
            Assert.StartsWith("Row 1, column 'FileName'", outcomes[0].Error!.Message);
            Assert.Contains("'CON' is a Windows device name", outcomes[0].Error!.Message);
            Assert.StartsWith("Row 2, column 'FileName'", outcomes[1].Error!.Message);
            Assert.Contains("ends with a dot", outcomes[1].Error!.Message);
            Assert.True(File.Exists(dir.File("out/rome/000e08000004.xml")));
            Assert.Single(Directory.GetFiles(dir.File("out"), "*", SearchOption.AllDirectories));
        }

        [Theory]
        [InlineData("CON")]
        [InlineData("nul")]
        [InlineData("com1")]
        public void A_certificate_request_whose_common_name_is_a_device_name_is_refused_before_anything_is_written(string commonName)
        {
            using var dir = new TempDirectory();
            var ca = Enrollment.EnrollmentPeers.OpenSslCa(dir);
            using var issuer = PrivateProvisioning.Core.Security.CertificateSource.FromFile(ca).Load((char[]?)null, "approving");
            var csr = PrivateProvisioning.Core.Security.Enrollment.CertificateRequestGenerator.Write(dir.File("r.csr"), null,
                new PrivateProvisioning.Core.Security.Enrollment.CertificateSubject(commonName), PrivateProvisioning.Core.Security.Enrollment.CertificateRequestKeyAlgorithm.EcP256).Path;
            var ex = Assert.Throws<ProvisioningException>(() =>
                PrivateProvisioning.Core.Security.Enrollment.CertificateRequestApprover.ApproveFile(csr, issuer, dir.File("out")));
            Assert.Equal("FileNameNotPortable", ex.ErrorId);
            Assert.Contains($"'{commonName}.pem'", ex.Message);
            Assert.Contains("device name", ex.Message);
            Assert.False(Directory.Exists(dir.File("out")));
        }

        private static List<GenerationOutcome> Generate(TempDirectory dir, string csv, string fileNameRule)
        {
            var writer = ProfileFormats.GetWriter(ProfileFormat.CiscoSpa);
            var options = new GenerationOptions(writer.Format, dir.File("out")) { FileNameRule = fileNameRule };
            var generator = new ProfileGenerator(new TemplateResolver(TemplateStore.Open(dir.Path, create: true)), writer, null, options);
            using var reader = new CsvReader(new StringReader(csv), "accounts.csv");
            return generator.Generate(reader.ReadAll().Select(r => AccountRow.FromCsv(reader.Header, r))).ToList();
        }
    }
}
