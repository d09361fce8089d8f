using System;
using System.Collections.Generic;
using System.Xml;

namespace PrivateProvisioning.Core.Formats
{
    /// <summary>
    /// Reads Linphone remote-provisioning XML the way liblinphone's xml2lpc does (privatewave.md §4.1): the root
    /// must be named config (namespace not checked), only section/entry elements count, a section or entry
    /// without a name is skipped, an entry's value is its text. Entries come back as "section/key"; of
    /// repeated ones the last wins. DTDs are refused.
    /// </summary>
    public sealed class LinphoneConfigReader : IProfileFormatReader
    {
        public ProfileFormat Format => ProfileFormat.Linphone;

        /// <exception cref="ProvisioningException">Not well-formed XML or a root other than config, naming the file.</exception>
        public IReadOnlyList<KeyValuePair<string, string>> Parse(byte[] content, string sourceName)
        {
            if (content == null) throw new ArgumentNullException(nameof(content));
            var found = new List<FlatProfileParameter>();
            try
            {
                using var reader = XmlText.CreateReader(content);
                var lineInfo = (IXmlLineInfo)reader;
                if (reader.MoveToContent() != XmlNodeType.Element || reader.LocalName != "config")
                    throw new ProvisioningException(ErrorIds.NotLinphoneConfig, ErrorKind.InvalidData,
                        $"{sourceName}: the root element is <{reader.LocalName}>; Linphone provisioning XML has <config> as its root.", sourceName);
                if (reader.IsEmptyElement) return Array.Empty<KeyValuePair<string, string>>();
                int configDepth = reader.Depth;
                string? section = null;
                bool advance = true; // ReadElementContentAsString already moves to the next node
                while (advance ? reader.Read() : !reader.EOF)
                {
                    advance = true;
                    if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == configDepth) break;
                    if (reader.NodeType != XmlNodeType.Element) continue;
                    if (reader.Depth == configDepth + 1)
                    {
                        section = reader.LocalName == "section" ? NullIfEmpty(reader.GetAttribute("name")) : null;
                        continue;
                    }
                    if (reader.Depth != configDepth + 2 || section == null || reader.LocalName != "entry") continue;
                    var key = NullIfEmpty(reader.GetAttribute("name"));
                    int line = lineInfo.LineNumber;
                    string value = "";
                    if (!reader.IsEmptyElement)
                    {
                        value = reader.ReadElementContentAsString();
                        advance = false;
                    }
                    if (key != null) found.Add(new FlatProfileParameter(section + "/" + key, value, FlatProfileAccess.Unspecified, line));
                }
            }
            catch (Exception ex) when (XmlText.IsMalformedXml(ex))
            {
                throw XmlText.InvalidXml(sourceName, "Linphone XML document", ex);
            }
            return CiscoFlatProfileReader.LastWins(found);
        }

        private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
    }
}
