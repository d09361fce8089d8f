using System;
using System.Collections.Generic;
using System.Text;
using System.Xml;

namespace PrivateProvisioning.Core.Formats
{
    /// <summary>
    /// Reads SEP&lt;MAC&gt;.cnf.xml (or the enccnf stub) back into the writer's element paths:
    /// "deviceSecurityMode", "sipProfile/sipLines/line[button=1]/name". Attributes of an element become
    /// [attr=value] selectors in document order; of repeated identical paths the last wins. DTDs are refused.
    /// </summary>
    public sealed class CiscoSepConfigReader : IProfileFormatReader
    {
        public ProfileFormat Format => ProfileFormat.CiscoSep;

        /// <exception cref="ProvisioningException">Not well-formed XML, or a root other than &lt;device&gt;, naming the file.</exception>
        public IReadOnlyList<KeyValuePair<string, string>> Parse(byte[] content, string sourceName)
        {
            if (content == null) throw new ArgumentNullException(nameof(content));
            var found = new List<FlatProfileParameter>();
            var path = new List<string>();
            var hasChild = new List<bool>();
            var text = new List<StringBuilder>();
            var lines = new List<int>();
            try
            {
                using var reader = XmlText.CreateReader(content);
                var lineInfo = (IXmlLineInfo)reader;
                bool rootSeen = false;
                while (reader.Read())
                {
                    switch (reader.NodeType)
                    {
                        case XmlNodeType.Element:
                        {
                            if (!rootSeen)
                            {
                                rootSeen = true;
                                if (reader.LocalName != "device")
                                    throw new ProvisioningException(ErrorIds.NotADeviceConfig, ErrorKind.InvalidData,
                                        $"{sourceName}: the root element is <{reader.LocalName}>; a SEP<MAC>.cnf.xml has <device> as its root.", sourceName);
                                if (reader.IsEmptyElement) return Array.Empty<KeyValuePair<string, string>>();
                                path.Add(""); hasChild.Add(false); text.Add(new StringBuilder()); lines.Add(lineInfo.LineNumber);
                                break;
                            }
                            hasChild[hasChild.Count - 1] = true;
                            var segment = Segment(reader);
                            if (reader.IsEmptyElement)
                            {
                                found.Add(new FlatProfileParameter(Join(path, segment), "", FlatProfileAccess.Unspecified, lineInfo.LineNumber));
                                break;
                            }
                            path.Add(segment); hasChild.Add(false); text.Add(new StringBuilder()); lines.Add(lineInfo.LineNumber);
                            break;
                        }
                        case XmlNodeType.Text:
                        case XmlNodeType.CDATA:
                        case XmlNodeType.Whitespace:
                        case XmlNodeType.SignificantWhitespace:
                            if (text.Count > 0) text[text.Count - 1].Append(reader.Value);
                            break;
                        case XmlNodeType.EndElement:
                        {
                            int last = path.Count - 1;
                            if (last > 0 && !hasChild[last])
                            {
                                var name = path[last];
                                path.RemoveAt(last);
                                found.Add(new FlatProfileParameter(Join(path, name), text[last].ToString(), FlatProfileAccess.Unspecified, lines[last]));
                            }
                            else path.RemoveAt(last);
                            hasChild.RemoveAt(last); text.RemoveAt(last); lines.RemoveAt(last);
                            break;
                        }
                    }
                }
            }
            catch (Exception ex) when (XmlText.IsMalformedXml(ex))
            {
                throw XmlText.InvalidXml(sourceName, "cnf.xml document", ex);
            }
            return CiscoFlatProfileReader.LastWins(found);
        }

        private static string Segment(XmlReader reader)
        {
            var name = reader.LocalName;
            if (!reader.HasAttributes) return name;
            var attributes = new List<KeyValuePair<string, string>>();
            for (int i = 0; i < reader.AttributeCount; i++)
            {
                reader.MoveToAttribute(i);
                if (reader.Prefix == "xmlns" || reader.LocalName == "xmlns") continue;
                attributes.Add(new KeyValuePair<string, string>(reader.LocalName, reader.Value));
            }
            reader.MoveToElement();
            return XmlPath.Key(name, attributes);
        }

        private static string Join(List<string> path, string last)
        {
            if (path.Count <= 1) return last;
            var sb = new StringBuilder();
            for (int i = 1; i < path.Count; i++) sb.Append(path[i]).Append('/');
            return sb.Append(last).ToString();
        }
    }
}
