using System.Collections.Generic;

namespace PrivateProvisioning.Core.Formats
{
    /// <summary>The phone families we write configuration files for.</summary>
    public enum ProfileFormat
    {
        /// <summary>Cisco SPA/MPP/ATA and Linksys SPA9x2 &lt;flat-profile&gt; XML ($MA.xml).</summary>
        CiscoSpa,
        /// <summary>Cisco 79xx/88xx SEP&lt;MAC&gt;.cnf.xml for Asterisk (usecallmanager).</summary>
        CiscoSep,
        /// <summary>Panasonic KX-UT/KX-UDS/KX-HDV standard-format text (Config$MAU.cfg).</summary>
        Panasonic,
        /// <summary>PrivateWave client settings document (JSON).</summary>
        PrivateWave,
        /// <summary>Linphone remote-provisioning XML.</summary>
        Linphone,
    }

    /// <summary>
    /// One account (one CSV row) with the columns every format understands. Columns the generator does not
    /// know travel in ExtraColumns and override the format's parameters of the same name.
    /// </summary>
    public sealed class AccountRecord
    {
        public AccountRecord(int rowNumber, MacAddress macAddress)
        {
            RowNumber = rowNumber;
            MacAddress = macAddress;
        }

        /// <summary>1-based data row number in the CSV (header excluded), for error messages.</summary>
        public int RowNumber { get; }
        public MacAddress MacAddress { get; }
        public string? Model { get; set; }
        public string? Group { get; set; }
        public string? Template { get; set; }
        public string? UserId { get; set; }
        public string? AuthId { get; set; }
        /// <summary>The SIP password: written into the profile, never into messages.</summary>
        public string? Password { get; set; }
        public string? DisplayName { get; set; }
        public string? Extension { get; set; }
        public string? SipServer { get; set; }
        public IReadOnlyList<KeyValuePair<string, string>> ExtraColumns { get; set; } = new List<KeyValuePair<string, string>>();
    }

    /// <summary>
    /// Everything a writer needs for one phone. Precedence when a writer merges (lowest first):
    /// TemplateParameters, then the account's known fields mapped to the format's names, then ExtraColumns.
    /// A later source replaces a value but keeps the name's first position, so output order is template order,
    /// then account fields, then extra columns. ExtraColumns with an empty value override nothing (an empty
    /// CSV cell). TemplateParameters named "#" are comments (the line is "#" + value) and "" blank lines, kept in
    /// place where the format has comments (Panasonic, XML). Per-format mappings: docs/profile-formats.md.
    /// </summary>
    public sealed class ProfileDocument
    {
        public ProfileDocument(AccountRecord account, string templateName,
            IReadOnlyList<KeyValuePair<string, string>> templateParameters,
            IReadOnlyList<KeyValuePair<string, string>> clientSettings)
        {
            Account = account;
            TemplateName = templateName;
            TemplateParameters = templateParameters;
            ClientSettings = clientSettings;
        }

        public AccountRecord Account { get; }
        /// <summary>Name of the template the account resolved to (after account/group/default precedence).</summary>
        public string TemplateName { get; }
        /// <summary>The resolved template's free vendor parameters for this format, in template order.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> TemplateParameters { get; }
        /// <summary>
        /// The resolved template's typed PrivateWave client settings, as canonical name/value text, keyed as
        /// <see cref="PrivateWaveSettingsSchema"/> (PinMaxRetries, CsrSubject.Country); validate with its Normalize.
        /// </summary>
        public IReadOnlyList<KeyValuePair<string, string>> ClientSettings { get; }
    }

    /// <summary>Renders one phone's file. Throws ProvisioningException naming the row and column for a value the format cannot hold.</summary>
    public interface IProfileFormatWriter
    {
        ProfileFormat Format { get; }
        /// <summary>The default file-name rule, macro-expanded per phone ("$MA.xml", "SEP$MAU.cnf.xml", "Config$MAU.cfg").</summary>
        string DefaultFileNameRule { get; }
        byte[] Render(ProfileDocument document);
    }

    /// <summary>Reads a file of the format back into parameters (troubleshooting, diffs, fetch-as-the-phone).</summary>
    public interface IProfileFormatReader
    {
        ProfileFormat Format { get; }
        IReadOnlyList<KeyValuePair<string, string>> Parse(byte[] content, string sourceName);
    }
}
