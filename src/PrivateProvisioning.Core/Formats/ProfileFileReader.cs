using System;
using System.Collections.Generic;
using System.Text;

namespace PrivateProvisioning.Core.Formats
{
    /// <summary>One parameter read from a profile file (Get-ProfileParameter, pprov profile show).</summary>
    public sealed class ProfileParameterInfo
    {
        internal ProfileParameterInfo(string path, ProfileFormat format, string name, string? value, bool isSecret)
        {
            Path = path;
            Format = format;
            Name = name;
            Value = value;
            IsSecret = isSecret;
        }

        /// <summary>The file the parameter was read from.</summary>
        public string Path { get; }
        public ProfileFormat Format { get; }
        public string Name { get; }

        /// <summary>The value; null for a secret unless the caller asked for plain text.</summary>
        public string? Value { get; }

        /// <summary>True for passwords and keys (<see cref="SecretParameterNames"/>).</summary>
        public bool IsSecret { get; }
    }

    /// <summary>Reads any profile file into parameters for troubleshooting, detecting its format when not given.</summary>
    public static class ProfileFileReader
    {
        /// <summary>
        /// Guesses a file's format from its first bytes: the Panasonic header, a JSON object (PrivateWave),
        /// or the XML root (config = Linphone, device without flat-profile = CiscoSep, otherwise CiscoSpa).
        /// </summary>
        /// <exception cref="ProvisioningException">UnknownProfileFormat when none fits.</exception>
        public static ProfileFormat Detect(byte[] content, string sourceName)
        {
            if (content == null) throw new ArgumentNullException(nameof(content));
            int start = content.Length >= 3 && content[0] == 0xEF && content[1] == 0xBB && content[2] == 0xBF ? 3 : 0;
            var head = Encoding.UTF8.GetString(content, start, Math.Min(content.Length - start, 4096));
            var trimmed = head.TrimStart();
            if (trimmed.StartsWith("# Panasonic SIP Phone Standard Format File #", StringComparison.Ordinal)
                || trimmed.StartsWith("# PCC Standard Format File #", StringComparison.Ordinal)) return ProfileFormat.Panasonic;
            if (trimmed.StartsWith("{", StringComparison.Ordinal)) return ProfileFormat.PrivateWave;
            if (trimmed.StartsWith("<", StringComparison.Ordinal))
            {
                var root = RootName(trimmed);
                if (root == "config") return ProfileFormat.Linphone;
                if (head.IndexOf("<flat-profile", StringComparison.Ordinal) >= 0 || root == "flat-profile") return ProfileFormat.CiscoSpa;
                if (root == "device") return ProfileFormat.CiscoSep;
                return ProfileFormat.CiscoSpa;
            }
            throw new ProvisioningException(ErrorIds.UnknownProfileFormat, ErrorKind.InvalidData,
                $"{sourceName}: cannot tell the format from the content (not Panasonic text, JSON or XML); name the format.",
                sourceName).About(RequestParameter.Format);
        }

        private static string RootName(string xml)
        {
            int i = 0;
            while (i < xml.Length)
            {
                int lt = xml.IndexOf('<', i);
                if (lt < 0 || lt + 1 >= xml.Length) return "";
                char next = xml[lt + 1];
                if (next == '?' || next == '!') { int gt = xml.IndexOf('>', lt); if (gt < 0) return ""; i = gt + 1; continue; }
                int end = lt + 1;
                while (end < xml.Length && !char.IsWhiteSpace(xml[end]) && xml[end] != '>' && xml[end] != '/') end++;
                var name = xml.Substring(lt + 1, end - lt - 1);
                int colon = name.IndexOf(':');
                return colon >= 0 ? name.Substring(colon + 1) : name;
            }
            return "";
        }

        /// <summary>
        /// Reads a profile: the format's reader (or, with an alias map, <see cref="CiscoAliasMap"/>), with
        /// secret values left out unless <paramref name="revealSecrets"/>. Panasonic ignored lines and unmatched
        /// alias items go to the log as warnings.
        /// </summary>
        public static IReadOnlyList<ProfileParameterInfo> Read(byte[] content, string path, ProfileFormat? format = null,
            string? aliasMap = null, bool revealSecrets = false, IOperationLog? log = null)
        {
            log ??= NullOperationLog.Instance;
            var actual = format ?? Detect(content, path);
            IReadOnlyList<KeyValuePair<string, string>> parameters;
            if (aliasMap != null)
            {
                if (actual != ProfileFormat.CiscoSpa)
                    throw new ProvisioningException(ErrorIds.AliasMapNotApplicable, ErrorKind.InvalidArgument,
                        $"{path}: alias maps apply to Cisco XML profiles only, not to {actual}.", path);
                var result = CiscoAliasMap.Parse(aliasMap).Apply(content, path);
                foreach (var source in result.UnmatchedSources) log.Warning($"{path}: the alias map item for '{source}' matches no element.");
                parameters = result.Parameters;
            }
            else if (actual == ProfileFormat.Panasonic)
            {
                var file = PanasonicConfigReader.Read(content, path);
                foreach (var warning in file.Warnings) log.Warning(warning);
                parameters = file.Parameters;
            }
            else
            {
                parameters = ProfileFormats.GetReader(actual).Parse(content, path);
            }
            var list = new List<ProfileParameterInfo>(parameters.Count);
            foreach (var p in parameters)
            {
                bool secret = SecretParameterNames.IsSecret(p.Key, p.Value);
                list.Add(new ProfileParameterInfo(path, actual, p.Key, secret && !revealSecrets ? null : p.Value, secret));
            }
            return list;
        }
    }
}
