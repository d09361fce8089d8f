using System;
using System.Collections.Generic;
using System.Text;
using System.Xml;

namespace PrivateProvisioning.Core.Formats
{
    /// <summary>User access of a parameter (the `ua` attribute, cisco-spa-mpp.md §3.3).</summary>
    public enum FlatProfileAccess
    {
        /// <summary>No `ua` attribute: the phone keeps (MPP) or resets to factory (SPA) the access.</summary>
        Unspecified,
        NoAccess,
        ReadOnly,
        ReadWrite,
    }

    /// <summary>One element of a flat profile as the phone sees it.</summary>
    public sealed class FlatProfileParameter
    {
        internal FlatProfileParameter(string name, string? value, FlatProfileAccess access, int lineNumber)
        {
            Name = name;
            Value = value;
            Access = access;
            LineNumber = lineNumber;
        }

        /// <summary>The canonical name (nested router settings as "router-configuration/Time_Setup/Time_Zone").</summary>
        public string Name { get; }

        /// <summary>The value after the phone's text rules (entities decoded, line breaks folded to spaces, edges trimmed); null for &lt;X/&gt;, which keeps the current value (§3.4).</summary>
        public string? Value { get; }

        public FlatProfileAccess Access { get; }

        /// <summary>1-based line of the element in the file.</summary>
        public int LineNumber { get; }

        /// <summary>True for the empty-element form &lt;X/&gt;: the phone leaves X unchanged.</summary>
        public bool KeepsCurrentValue => Value == null;
    }

    /// <summary>
    /// Reads a flat profile the way the phone does (§3.1, §3.4, §3.5): &lt;flat-profile&gt; anywhere in the
    /// document (bare, inside &lt;device&gt; or &lt;top-level&gt; or any other wrapper), unknown wrappers and attributes
    /// ignored, `ua` kept, &lt;X/&gt; meaning "unchanged", and the last of repeated parameters winning. DTDs are refused.
    /// </summary>
    public sealed class CiscoFlatProfileReader : IProfileFormatReader
    {
        public ProfileFormat Format => ProfileFormat.CiscoSpa;

        /// <summary>
        /// The parameters the file sets, in first-appearance order with the last value of a repeated name;
        /// elements in the &lt;X/&gt; form (keep current value) are left out.
        /// </summary>
        public IReadOnlyList<KeyValuePair<string, string>> Parse(byte[] content, string sourceName)
        {
            var all = ReadParameters(content, sourceName);
            return LastWins(all);
        }

        internal static IReadOnlyList<KeyValuePair<string, string>> LastWins(IReadOnlyList<FlatProfileParameter> all)
        {
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            var list = new List<KeyValuePair<string, string>>(all.Count);
            foreach (var p in all)
            {
                if (p.Value == null) continue;
                if (index.TryGetValue(p.Name, out int at)) list[at] = new KeyValuePair<string, string>(p.Name, p.Value);
                else
                {
                    index.Add(p.Name, list.Count);
                    list.Add(new KeyValuePair<string, string>(p.Name, p.Value));
                }
            }
            return list;
        }

        /// <summary>Every parameter element in file order, with its access and the keep/clear distinction.</summary>
        /// <exception cref="ProvisioningException">Not well-formed XML, or no &lt;flat-profile&gt; element (naming the file and line).</exception>
        public static IReadOnlyList<FlatProfileParameter> ReadParameters(byte[] content, string sourceName)
        {
            var result = new List<FlatProfileParameter>();
            bool sawFlatProfile = false;
            XmlLeafWalker.Walk(content, sourceName, "Cisco flat profile", leaf =>
            {
                if (leaf.FlatProfileStart < 0) return;
                result.Add(new FlatProfileParameter(leaf.RelativeName(), leaf.Value, leaf.Access, leaf.LineNumber));
            }, () => sawFlatProfile = true);
            if (!sawFlatProfile)
                throw new ProvisioningException(ErrorIds.NoFlatProfile, ErrorKind.InvalidData,
                    $"{sourceName}: there is no <flat-profile> element; a Cisco XML profile keeps its parameters inside <flat-profile> (optionally wrapped in <device> or <top-level>). For customer XML with other element names, apply an alias map.",
                    sourceName);
            return result;
        }
    }

    /// <summary>One leaf element met by <see cref="XmlLeafWalker"/>.</summary>
    internal sealed class XmlLeaf
    {
        public readonly List<string> Path = new List<string>();
        /// <summary>Index in Path of the first element below &lt;flat-profile&gt;, or -1 when outside any flat profile.</summary>
        public int FlatProfileStart = -1;
        public string? Value;
        public FlatProfileAccess Access;
        public int LineNumber;

        public string RelativeName()
        {
            if (FlatProfileStart == Path.Count - 1) return Path[Path.Count - 1];
            return string.Join("/", Path.GetRange(FlatProfileStart, Path.Count - FlatProfileStart).ToArray());
        }
    }

    /// <summary>Streams an XML document and reports each leaf element with its path, text and `ua`.</summary>
    internal static class XmlLeafWalker
    {
        private sealed class Frame
        {
            public string Name = "";
            public FlatProfileAccess Access;
            public int Line;
            public bool HasChildElement;
            public bool IsFlatProfile;
            public readonly StringBuilder Text = new StringBuilder();
        }

        public static void Walk(byte[] content, string sourceName, string what, Action<XmlLeaf> onLeaf, Action onFlatProfile)
        {
            if (content == null) throw new ArgumentNullException(nameof(content));
            var frames = new List<Frame>();
            int flatDepth = -1; // index in frames of the <flat-profile> element we are inside
            var leaf = new XmlLeaf();
            try
            {
                using var reader = XmlText.CreateReader(content);
                var lineInfo = (IXmlLineInfo)reader;
                while (reader.Read())
                {
                    switch (reader.NodeType)
                    {
                        case XmlNodeType.Element:
                        {
                            if (frames.Count > 0) frames[frames.Count - 1].HasChildElement = true;
                            var name = reader.LocalName;
                            var access = ReadAccess(reader, sourceName, lineInfo);
                            bool isFlat = flatDepth < 0 && name == "flat-profile";
                            if (isFlat) onFlatProfile();
                            if (reader.IsEmptyElement)
                            {
                                if (!isFlat) Report(frames, flatDepth, name, null, access, lineInfo.LineNumber, leaf, onLeaf);
                                break;
                            }
                            var frame = new Frame { Name = name, Access = access, Line = lineInfo.LineNumber, IsFlatProfile = isFlat };
                            if (isFlat) flatDepth = frames.Count;
                            frames.Add(frame);
                            break;
                        }
                        case XmlNodeType.Text:
                        case XmlNodeType.CDATA:
                        case XmlNodeType.Whitespace:
                        case XmlNodeType.SignificantWhitespace:
                            if (frames.Count > 0) frames[frames.Count - 1].Text.Append(reader.Value);
                            break;
                        case XmlNodeType.EndElement:
                        {
                            var frame = frames[frames.Count - 1];
                            frames.RemoveAt(frames.Count - 1);
                            if (frame.IsFlatProfile) { flatDepth = -1; break; }
                            if (!frame.HasChildElement)
                                Report(frames, flatDepth, frame.Name, PhoneText(frame.Text), frame.Access, frame.Line, leaf, onLeaf);
                            break;
                        }
                    }
                }
            }
            catch (Exception ex) when (XmlText.IsMalformedXml(ex))
            {
                throw XmlText.InvalidXml(sourceName, what, ex);
            }
        }

        private static void Report(List<Frame> frames, int flatDepth, string name, string? value, FlatProfileAccess access,
            int line, XmlLeaf leaf, Action<XmlLeaf> onLeaf)
        {
            leaf.Path.Clear();
            foreach (var f in frames) leaf.Path.Add(f.Name);
            leaf.Path.Add(name);
            leaf.FlatProfileStart = flatDepth < 0 ? -1 : flatDepth + 1;
            leaf.Value = value;
            leaf.Access = access;
            leaf.LineNumber = line;
            onLeaf(leaf);
        }

        private static FlatProfileAccess ReadAccess(XmlReader reader, string sourceName, IXmlLineInfo lineInfo)
        {
            var ua = reader.GetAttribute("ua");
            if (ua == null) return FlatProfileAccess.Unspecified;
            switch (ua.Trim())
            {
                case "na": return FlatProfileAccess.NoAccess;
                case "ro": return FlatProfileAccess.ReadOnly;
                case "rw": return FlatProfileAccess.ReadWrite;
                default:
                    throw new ProvisioningException(ErrorIds.InvalidUserAccess, ErrorKind.InvalidData,
                        $"{sourceName}: line {lineInfo.LineNumber}: element <{reader.LocalName}> has ua=\"{ua}\"; the phone accepts only ua=\"na\", \"ro\" or \"rw\".",
                        sourceName);
            }
        }

        /// <summary>The phone's text rule (§3.5): line breaks become spaces, leading and trailing whitespace goes.</summary>
        private static string PhoneText(StringBuilder text)
        {
            if (text.Length == 0) return "";
            for (int i = 0; i < text.Length; i++)
                if (text[i] == '\n' || text[i] == '\r' || text[i] == '\t') text[i] = ' ';
            return text.ToString().Trim(' ');
        }
    }
}
