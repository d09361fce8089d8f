using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using Xunit;
using static PrivateProvisioning.Tests.Formats.FormatTestData;

namespace PrivateProvisioning.Tests.Formats
{
    /// <summary>The PrivateWave client settings JSON (docs/privatewave-settings.md, fields from privatewave.md §3.2).</summary>
    public class PrivateWaveSettingsTests
    {
        private static readonly IProfileFormatWriter Writer = ProfileFormats.GetWriter(ProfileFormat.PrivateWave);
        private static readonly IProfileFormatReader Reader = ProfileFormats.GetReader(ProfileFormat.PrivateWave);

        internal static ProfileDocument SecureDocument()
        {
            var account = Account();
            account.UserId = "alice";
            account.AuthId = "alice-auth";
            account.Password = "p\"w\\d";
            account.DisplayName = "Alice Zoë";
            account.Extension = "201";
            account.SipServer = "pw.example.net";
            account.ExtraColumns = Pairs("pinlocktime", "60", "Branding", "Example & Co", "PTime", "");
            var settings = Pairs(
                "CustomerServicePhone", "+64 4 555 0100", "CustomerServiceEmail", "support@example.net",
                "Pin", "mandatory", "PinMaxRetries", "3", "MutualAuthEnabled", "yes", "ServerCertificateName", "server.pem",
                "ClientCertificateExtension", ".pem", "ServerCertificateDownloadUrl", "https://pw.example.net:9443/server.pem",
                "CsrEnabled", "true", "CsrExtension", ".csr", "CsrSubject.Country", "nz", "CsrSubject.Organization", "Example Ltd",
                "CsrSubject.CommonName", "alice", "CsrEmailTo", "pki@example.net", "CsrEmailSubject", "CSR",
                "CsrEmailBody", "Line 1\nLine 2\t<end>", "PinLockTime", "900");
            return Document(account, "secure", Pairs("Theme", "dark"), settings);
        }

        [Fact]
        public void Known_answer_document_byte_for_byte()
        {
            var bytes = Writer.Render(SecureDocument());
            Assert.Equal(Encoding.UTF8.GetString(Expected("PrivateWave-000e08abcdef.json")), Encoding.UTF8.GetString(bytes));
            Assert.Equal(Expected("PrivateWave-000e08abcdef.json"), bytes);
            Assert.Equal("$MA.json", Writer.DefaultFileNameRule);
        }

        [Fact]
        public void Output_is_valid_json_with_typed_values()
        {
            using var json = JsonDocument.Parse(Writer.Render(SecureDocument()));
            var settings = json.RootElement.GetProperty("Settings");
            Assert.Equal(3, settings.GetProperty("PinMaxRetries").GetInt32());
            Assert.Equal(JsonValueKind.True, settings.GetProperty("MutualAuthEnabled").ValueKind);
            Assert.Equal("NZ", settings.GetProperty("CsrSubject").GetProperty("Country").GetString());
            Assert.Equal("p\"w\\d", json.RootElement.GetProperty("Account").GetProperty("Password").GetString());
        }

        [Fact]
        public void A_document_from_defaults_alone_carries_every_schema_field()
        {
            var read = Reader.Parse(Writer.Render(Document(Account(), "default")), "d.json");
            foreach (var field in PrivateWaveSettingsSchema.Fields)
                Assert.Equal(field.DefaultValue, read.Single(p => p.Key == field.Key).Value);
            Assert.Equal("600", read.Single(p => p.Key == "PinCacheTimeout").Value);
            Assert.Equal("000E08ABCDEF", read.Single(p => p.Key == "Account.MacAddress").Value);
        }

        [Fact]
        public void Reads_back_what_it_wrote_and_is_byte_stable()
        {
            var doc = SecureDocument();
            var bytes = Writer.Render(doc);
            Assert.Equal(bytes, Writer.Render(doc));
            Assert.Equal(PrivateWaveSettingsWriter.MergeParameters(doc), Reader.Parse(bytes, "r.json"));
        }

        [Theory]
        [InlineData("PinMaxRetries", "0", "from 1 to 100")]
        [InlineData("PTime", "25", "multiple of 10")]
        [InlineData("PTime", "250", "from 10 to 200")]
        [InlineData("Pin", "SOMETIMES", "OPTIONAL, MANDATORY")]
        [InlineData("LoggingEnabled", "maybe", "true or false")]
        [InlineData("ClientCertificateDownloadUrl", "http://x/", "https://")]
        [InlineData("CsrSubject.Country", "NZL", "two-letter")]
        public void A_bad_column_value_names_row_column_and_rule(string column, string value, string rule)
        {
            var account = Account(row: 21);
            account.ExtraColumns = Pairs(column, value);
            var ex = Assert.Throws<ProvisioningException>(() => Writer.Render(Document(account)));
            Assert.Equal("InvalidSettingValue", ex.ErrorId);
            Assert.Contains($"Row 21, column '{column}'", ex.Message);
            Assert.Contains(rule, ex.Message);
        }

        [Fact]
        public void A_bad_template_setting_names_the_template_and_hides_secrets()
        {
            var ex = Assert.Throws<ProvisioningException>(() => Writer.Render(Document(Account(row: 2), "broken", null, Pairs("PinLockTime", "-5"))));
            Assert.Contains("Row 2, template 'broken' parameter 'PinLockTime'", ex.Message);
            var account = Account(row: 3);
            account.Password = "ok" + (char)0xDC00 + "hidden";
            ex = Assert.Throws<ProvisioningException>(() => Writer.Render(Document(account)));
            Assert.Contains("Row 3, column 'Password'", ex.Message);
            Assert.DoesNotContain("hidden", ex.Message);
        }

        [Theory]
        [InlineData("{\"Format\": \"Other\"}", "NotPrivateWaveSettings")]
        [InlineData("[1,2]", "NotPrivateWaveSettings")]
        [InlineData("{\"Format\": \"PrivateWaveClientSettings\",", "InvalidSettingsJson")]
        public void Reader_refuses_garbage(string json, string errorId)
        {
            var ex = Assert.Throws<ProvisioningException>(() => Reader.Parse(Encoding.UTF8.GetBytes(json), "bad.json"));
            Assert.Equal(errorId, ex.ErrorId);
            Assert.Contains("bad.json", ex.Message);
        }

        [Fact]
        public void Every_schema_field_has_a_valid_default()
        {
            foreach (var field in PrivateWaveSettingsSchema.Fields)
                Assert.Equal(field.DefaultValue, PrivateWaveSettingsSchema.Normalize(field, field.DefaultValue, out _));
        }
    }
}
