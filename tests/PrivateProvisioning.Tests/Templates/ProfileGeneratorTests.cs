using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Core.Templates;
using PrivateProvisioning.Core.Templates.Generation;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Templates
{
    /// <summary>The generation pipeline: one file per MAC, bad rows reported by row and column, duplicates, traversal, -WhatIf, unchanged files.</summary>
    public class ProfileGeneratorTests
    {
        private static List<GenerationOutcome> Run(TempDirectory dir, string csv, TemplateStore? store = null, IProfileFormatWriter? writer = null,
            string? fileName = null, bool whatIf = false, ProfileFormat format = ProfileFormat.CiscoSpa, int batch = 1024, int parallel = 2)
        {
            writer ??= ProfileFormats.GetWriter(format);
            var options = new GenerationOptions(writer.Format, dir.File("out")) { FileNameRule = fileName, WhatIf = whatIf, BatchSize = batch, MaxDegreeOfParallelism = parallel };
            var generator = new ProfileGenerator(new TemplateResolver(store ?? TemplateStore.Open(dir.Path, create: true)), writer,
                whatIf ? ProfileFormats.GetReader(ProfileFormat.CiscoSpa) : null, options);
            using var reader = new CsvReader(new StringReader(csv), "accounts.csv");
            return generator.Generate(reader.ReadAll().Select(r => AccountRow.FromCsv(reader.Header, r))).ToList();
        }

        private const string Header = "MacAddress,Model,Group,Template,UserId,Password,DisplayName,Extension,SipServer\n";

        [Fact]
        public void A_bad_row_names_row_and_column_and_every_other_row_is_generated()
        {
            using var dir = new TempDirectory();
            var outcomes = Run(dir, Header +
                "00:0E:08:00:00:01,SPA504G,,,u1,p1,One,201,sip.example.net\n" +
                "00:0E:08:00:00:0G,SPA504G,,,u2,p2,Two,202,sip.example.net\n" +
                "00:0E:08:00:00:03,SPA504G,,nosuch,u3,p3,Three,203,sip.example.net\n" +
                "00:0E:08:00:00:04,SPA504G,,,u4,p4,\"Line\nbreak\",204,sip.example.net\n" +
                "00:0E:08:00:00:05,SPA504G,,,u5,p5,Five,205,sip.example.net\n");
            Assert.Equal(new[] { 1, 2, 3, 4, 5 }, outcomes.Select(o => o.RowNumber));
            Assert.True(outcomes[0].Succeeded);
            Assert.Equal("Row 2, column 'MacAddress': '00:0E:08:00:00:0G' is not a MAC address; use 12 hex digits such as 00:0E:08:AB:CD:EF, 00-0e-08-ab-cd-ef, 000e.08ab.cdef or 000E08ABCDEF.", outcomes[1].Error!.Message);
            Assert.StartsWith("Row 3, column 'Template':", outcomes[2].Error!.Message);
            Assert.StartsWith("Row 4, column 'DisplayName'", outcomes[3].Error!.Message);
            Assert.True(outcomes[4].Succeeded);
            Assert.Equal(new[] { "000e08000001.xml", "000e08000005.xml" }, Directory.GetFiles(dir.File("out")).Select(Path.GetFileName).OrderBy(f => f));
        }

        [Fact]
        public void A_duplicate_MAC_is_an_error_for_every_row_after_the_first()
        {
            using var dir = new TempDirectory();
            var outcomes = Run(dir, Header +
                "000E08000001,,,,u1,,,,\n" +
                "00-0e-08-00-00-01,,,,u2,,,,\n" +
                "000e.0800.0002,,,,u3,,,,\n" +
                "00:0e:08:00:00:01,,,,u4,,,,\n");
            Assert.True(outcomes[0].Succeeded);
            Assert.True(outcomes[2].Succeeded);
            foreach (var i in new[] { 1, 3 })
            {
                Assert.Equal("DuplicateMacAddress", outcomes[i].Error!.ErrorId);
                Assert.Contains("00:0E:08:00:00:01 is already on row 1", outcomes[i].Error!.Message);
            }
            Assert.Contains("<User_ID_1_>u1</User_ID_1_>", File.ReadAllText(dir.File("out/000e08000001.xml")));
        }

        [Theory]
        [InlineData("../escape")]
        [InlineData("/etc/passwd")]
        [InlineData("a/../../b")]
        public void A_file_name_that_would_leave_the_destination_is_refused(string site)
        {
            using var dir = new TempDirectory();
            var outcomes = Run(dir, "MAC,Site\n000E08000001," + site + "\n000E08000002,ok\n", fileName: "$Site/$MA.xml");
            Assert.Equal("PathOutsideDestination", outcomes[0].Error!.ErrorId);
            Assert.StartsWith("Row 1, column 'FileName'", outcomes[0].Error!.Message);
            Assert.True(File.Exists(dir.File("out/ok/000e08000002.xml")));
            Assert.Single(Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories));
        }

        [Fact]
        public void File_names_follow_the_rule_with_MAC_macros_and_columns()
        {
            using var dir = new TempDirectory();
            var outcomes = Run(dir, "MAC,Extension,Site\n000E08ABCDEF,201,rome\n", fileName: "$Site/SPA$(MAU:6)-$Extension.xml");
            Assert.Equal(dir.File("out/rome/SPAABCDEF-201.xml"), outcomes[0].Result!.Path);
            var missing = Run(dir, "MAC,Extension\n000E08ABCDEF,201\n", fileName: "$Site/$MA.xml");
            Assert.Equal("FileNameMacroWithoutValue", missing[0].Error!.ErrorId);
            Assert.Contains("$Site", missing[0].Error!.Message);
        }

        [Fact]
        public void Two_rows_that_map_to_one_file_name_are_refused_after_the_first()
        {
            using var dir = new TempDirectory();
            var outcomes = Run(dir, "MAC,Site\n000E08000001,rome\n000E08000002,ROME\n", fileName: "$Site.xml");
            Assert.True(outcomes[0].Succeeded);
            Assert.Equal("DuplicateFileName", outcomes[1].Error!.ErrorId);
        }

        [Fact]
        public void An_unchanged_file_is_not_rewritten_and_output_is_byte_stable()
        {
            using var dir = new TempDirectory();
            var csv = Header + "000E08000001,SPA504G,,,u1,p1,One,201,sip.example.net\n000E08000002,SPA504G,,,u2,p2,Two,202,sip.example.net\n";
            var first = Run(dir, csv);
            Assert.All(first, o => Assert.Equal(WriteStatus.Created, o.Result!.Status));
            var file = dir.File("out/000e08000001.xml");
            var bytes = File.ReadAllBytes(file);
            var old = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            File.SetLastWriteTimeUtc(file, old);

            var second = Run(dir, csv, parallel: 1);
            Assert.All(second, o => Assert.Equal(WriteStatus.Unchanged, o.Result!.Status));
            Assert.Equal(old, File.GetLastWriteTimeUtc(file));
            Assert.Equal(bytes, File.ReadAllBytes(file));
            Assert.Equal(first.Select(o => o.Result!.Sha256), second.Select(o => o.Result!.Sha256));
            Assert.Equal(HexText.Sha256(bytes, 0, bytes.Length), second[0].Result!.Sha256);

            var third = Run(dir, csv.Replace("u1,p1,One", "u1,p1,Uno"));
            Assert.Equal(WriteStatus.Updated, third[0].Result!.Status);
            Assert.Equal(WriteStatus.Unchanged, third[1].Result!.Status);
            Assert.Empty(Directory.GetFiles(dir.File("out"), "*.tmp"));
        }

        [Fact]
        public void WhatIf_writes_nothing_and_reports_status_and_changed_parameters()
        {
            using var dir = new TempDirectory();
            var csv = Header + "000E08000001,SPA504G,,,u1,p1,One,201,sip.example.net\n000E08000002,SPA504G,,,u2,p2,Two,202,sip.example.net\n";
            Run(dir, Header + "000E08000001,SPA504G,,,u1,p1,One,201,sip.example.net\n");
            var file = dir.File("out/000e08000001.xml");
            var before = File.ReadAllBytes(file);
            var report = Run(dir, csv.Replace("u1,p1,One", "u1,NEWSECRET,Uno"), whatIf: true);
            Assert.Equal(WriteStatus.Updated, report[0].Result!.Status);
            Assert.True(report[0].Result!.WhatIf);
            Assert.Equal(new[] { "Display_Name_1_", "Password_1_" }, report[0].Result!.ChangedParameters.OrderBy(p => p));
            Assert.Equal(WriteStatus.Created, report[1].Result!.Status);
            Assert.Equal(before, File.ReadAllBytes(file));
            Assert.False(File.Exists(dir.File("out/000e08000002.xml")));
            Assert.DoesNotContain(report, o => string.Join(",", o.Result!.ChangedParameters).Contains("NEWSECRET"));
        }

        [Fact]
        public void Precedence_reaches_the_writer_csv_over_account_template_over_group_over_default()
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            store.Add(Stores.Template("office", settings: new[] { ("Pin", "MANDATORY"), ("PinMaxRetries", "3") }, format: ProfileFormat.PrivateWave, parameters: new[] { ("a", "office"), ("b", "office") }));
            store.Add(Stores.Template("vip", settings: new[] { ("PinMaxRetries", "9") }, format: ProfileFormat.PrivateWave, parameters: new[] { ("b", "vip") }));
            store.SetGroup("sales", "office");
            var outcomes = Run(dir, "MAC,Group,Template,UserId,PinCacheTimeout,Custom\n000E08000001,sales,vip,u1,30,x\n000E08000002,sales,,u2,,\n000E08000003,,,u3,,\n",
                store, new EchoWriter());
            Assert.All(outcomes, o => Assert.True(o.Succeeded, o.Error?.Message));
            var vip = EchoWriter.Parse(outcomes[0].Result!.Path);
            Assert.Equal("vip", vip["template"]);
            Assert.Equal("30", vip["setting:PinCacheTimeout"]);   // CSV column
            Assert.Equal("9", vip["setting:PinMaxRetries"]);      // account template
            Assert.Equal("MANDATORY", vip["setting:Pin"]);        // group template
            Assert.Equal("900", vip["setting:PinLockTime"]);      // default
            Assert.Equal("office", vip["param:a"]);
            Assert.Equal("vip", vip["param:b"]);
            Assert.Equal("x", vip["column:Custom"]);
            var sales = EchoWriter.Parse(outcomes[1].Result!.Path);
            Assert.Equal("office", sales["template"]);
            Assert.Equal("600", sales["setting:PinCacheTimeout"]);
            Assert.False(sales.ContainsKey("column:Custom"));      // an empty cell overrides nothing
            Assert.Equal("default", EchoWriter.Parse(outcomes[2].Result!.Path)["template"]);
        }

        [Fact]
        public void A_bad_setting_column_names_row_and_setting()
        {
            using var dir = new TempDirectory();
            var outcomes = Run(dir, "MAC,Pin\n000E08000001,SOMETIMES\n000E08000002,MANDATORY\n", writer: new EchoWriter());
            Assert.Contains("Row 1", outcomes[0].Error!.Message);
            Assert.Contains("Pin", outcomes[0].Error!.Message);
            Assert.True(outcomes[1].Succeeded);
        }

        [Fact]
        public void Template_values_are_macro_expanded_and_double_dollar_reaches_the_phone()
        {
            using var dir = new TempDirectory();
            var store = TemplateStore.Open(dir.Path, create: true);
            store.Add(Stores.Template("t", parameters: new[] { ("Profile_Rule", "https://prov.example.com/$$PSN/$$MA.xml"), ("Station_Name", "desk-$Extension-$(MAU:6)"), ("Bad", "$IP") }));
            store.Add(Stores.Template("ok", parameters: new[] { ("Profile_Rule", "https://prov.example.com/$$PSN/$$MA.xml"), ("Station_Name", "desk-$Extension-$(MAU:6)") }));
            var outcomes = Run(dir, "MAC,Template,Extension\n000E08ABCDEF,ok,201\n000E08ABCDE0,t,202\n", store);
            var xml = File.ReadAllText(outcomes[0].Result!.Path);
            Assert.Contains("<Profile_Rule>https://prov.example.com/$PSN/$MA.xml</Profile_Rule>", xml);
            Assert.Contains("<Station_Name>desk-201-ABCDEF</Station_Name>", xml);
            Assert.Equal("MacroWithoutValue", outcomes[1].Error!.ErrorId);
            Assert.Contains("$$IP", outcomes[1].Error!.Message);
        }

        [Fact]
        public void A_malformed_macro_in_a_secret_template_value_is_reported_without_the_value()
        {
            using var dir = new TempDirectory();
            // A literal secret is refused by New-/Set-ProfileTemplate; a store file from before that rule still has one.
            Directory.CreateDirectory(dir.File("templates"));
            File.WriteAllText(dir.File("templates/t.json"), "{ \"name\": \"t\", \"parameters\": { \"CiscoSpa\": { \"Admin_Passwd\": \"hunter$(2\" } } }");
            var store = TemplateStore.Open(dir.Path);
            var outcomes = Run(dir, "MAC,Template\n000E08000001,t\n", store);
            Assert.Contains("Admin_Passwd", outcomes[0].Error!.Message);
            Assert.DoesNotContain("hunter", outcomes[0].Error!.Message);
        }

        [Fact]
        public void Secrets_are_read_from_their_reference_only_for_formats_that_carry_them()
        {
            using var dir = new TempDirectory();
            File.WriteAllText(dir.File("cert.pw"), "s3cret\n");
            var store = TemplateStore.Open(dir.Path, create: true);
            store.Add(Stores.Template("t", settings: new[] { ("CertificatePassword", "file:cert.pw") }));
            var outcomes = Run(dir, "MAC,Template\n000E08000001,t\n", store, new EchoWriter());
            Assert.Equal("s3cret", EchoWriter.Parse(outcomes[0].Result!.Path)["setting:CertificatePassword"]);
            var csvSecret = Run(dir, "MAC,CertificatePassword\n000E08000002,plain\n", store, new EchoWriter());
            Assert.Equal("SecretInColumn", csvSecret[0].Error!.ErrorId);
            Assert.DoesNotContain("plain", csvSecret[0].Error!.Message);
        }

        [Fact]
        public void Results_come_back_in_row_order_across_batches_and_threads()
        {
            using var dir = new TempDirectory();
            var sb = new StringBuilder("MAC,UserId\n");
            for (int i = 0; i < 500; i++) sb.Append($"000E0800{i:X4},u{i}\n");
            var outcomes = Run(dir, sb.ToString(), batch: 37, parallel: 4);
            Assert.Equal(Enumerable.Range(1, 500), outcomes.Select(o => o.RowNumber));
            Assert.All(outcomes, o => Assert.True(o.Succeeded));
            Assert.Equal(500, Directory.GetFiles(dir.File("out")).Length);
            Assert.Equal("00:0E:08:00:01:F3", outcomes[499].Result!.MacAddress);
        }

        [Fact]
        public void Known_columns_are_matched_case_insensitively_with_aliases()
        {
            Assert.Equal(AccountField.MacAddress, AccountColumns.Classify("mac"));
            Assert.Equal(AccountField.MacAddress, AccountColumns.Classify("MAC Address"));
            Assert.Equal(AccountField.UserId, AccountColumns.Classify("user_id"));
            Assert.Equal(AccountField.AuthId, AccountColumns.Classify("Auth-ID"));
            Assert.Equal(AccountField.SipServer, AccountColumns.Classify("Registrar"));
            Assert.Equal(AccountField.None, AccountColumns.Classify("Resync_Periodic"));
            Assert.Equal(AccountField.None, AccountColumns.Classify("Proxy_1_"));
        }

        [Fact]
        public void Rows_whose_Format_column_names_another_format_are_skipped_not_failed()
        {
            using var dir = new TempDirectory();
            var outcomes = Run(dir, "MAC,Format\n000E08000001,CiscoSpa\n000E08000002,panasonic\n000E08000003,\n000E08000004,Nokia\n");
            Assert.True(outcomes[0].Succeeded);
            Assert.True(outcomes[1].Skipped);
            Assert.Null(outcomes[1].Error);
            Assert.True(outcomes[2].Succeeded);
            Assert.StartsWith("Row 4, column 'Format'", outcomes[3].Error!.Message);
        }

        [Fact]
        public void The_cmdlet_path_prepares_a_batch_then_writes_only_what_was_confirmed()
        {
            using var dir = new TempDirectory();
            var writer = ProfileFormats.GetWriter(ProfileFormat.CiscoSpa);
            var generator = new ProfileGenerator(new TemplateResolver(TemplateStore.Open(dir.Path, create: true)), writer,
                ProfileFormats.GetReader(ProfileFormat.CiscoSpa), new GenerationOptions(ProfileFormat.CiscoSpa, dir.File("out")));
            var rows = new[]
            {
                new AccountRow(1, new[] { new KeyValuePair<string, string>("MacAddress", "000E08000001"), new KeyValuePair<string, string>("UserId", "u1") }),
                new AccountRow(2, new[] { new KeyValuePair<string, string>("MacAddress", "000E08000002"), new KeyValuePair<string, string>("UserId", "u2") }),
            };
            var prepared = generator.GenerateBatch(rows, write: false);
            Assert.All(prepared, o => Assert.Equal(WriteStatus.Created, o.Result!.Status));
            Assert.False(Directory.Exists(dir.File("out")));
            var written = generator.Commit(prepared[1]); // the user confirmed only the second file
            Assert.Equal(WriteStatus.Created, written.Status);
            Assert.False(written.WhatIf);
            Assert.Equal(new[] { "000e08000002.xml" }, Directory.GetFiles(dir.File("out")).Select(Path.GetFileName));
            var writtenBytes = File.ReadAllBytes(written.Path);
            Assert.Equal(HexText.Sha256(writtenBytes, 0, writtenBytes.Length), written.Sha256);
        }

        private sealed class BrokenWriter : IProfileFormatWriter
        {
            public ProfileFormat Format => ProfileFormat.CiscoSpa;
            public string DefaultFileNameRule => "$MA.xml";
            public byte[] Render(ProfileDocument document) =>
                document.Account.UserId == "boom" ? throw new InvalidOperationException("writer bug") : Encoding.ASCII.GetBytes("ok");
        }

        [Fact]
        public void An_unexpected_writer_failure_costs_one_row_not_the_run()
        {
            using var dir = new TempDirectory();
            var outcomes = Run(dir, "MAC,UserId\n000E08000001,boom\n000E08000002,fine\n", writer: new BrokenWriter());
            Assert.Equal("GenerationFailed", outcomes[0].Error!.ErrorId);
            Assert.StartsWith("Row 1:", outcomes[0].Error!.Message);
            Assert.True(outcomes[1].Succeeded);
        }

        [Fact]
        public void A_destination_that_cannot_be_written_is_a_row_error()
        {
            using var dir = new TempDirectory();
            File.WriteAllText(dir.File("out"), "a file where the folder should be");
            var outcomes = Run(dir, "MAC,UserId\n000E08000001,u1\n");
            Assert.StartsWith("Row 1", outcomes[0].Error!.Message);
            Assert.Equal("FileWriteFailed", outcomes[0].Error!.ErrorId);
        }

        [Fact]
        public void A_row_without_a_MAC_column_is_refused_clearly()
        {
            using var dir = new TempDirectory();
            var outcomes = Run(dir, "UserId\nu1\n");
            Assert.Equal("MissingMacAddress", outcomes[0].Error!.ErrorId);
            Assert.Contains("MacAddress (or MAC) column", outcomes[0].Error!.Message);
        }
    }
}
