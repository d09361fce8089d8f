using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using PrivateProvisioning.Core.Formats;

namespace PrivateProvisioning.Core.Templates.Generation
{
    /// <summary>
    /// Partitioned profiles (the Cisco guide's "Create Partitioned Profiles"): a template whose parameters for
    /// the format include <c>@SharedFile</c> (a file-name rule such as <c>common/$Template.xml</c>) and
    /// <c>@SharedUrl</c> (where the phones fetch the destination, e.g. <c>https://prov.example.com/</c>) has its
    /// common parameters written once, into that shared file, and each phone's file holds only the account's
    /// values, its CSV overrides and the family's second profile rule (CiscoSpa: <c>Profile_Rule_B</c>) pointing
    /// at the shared file. A template change then rewrites one shared file and no phone's file. The values of a
    /// partitioned template are the same for every phone (a per-phone macro in one is refused); families
    /// without a second profile rule refuse the setting.
    /// Alias maps (cisco-spa-mpp.md §6.1) ride on the same road: <c>@Alias</c> names the GPP (<c>a</c>..<c>p</c>) whose
    /// template value is the map, and each phone's own file is written in the customer's XML form through
    /// <see cref="CiscoAliasProfileWriter"/>; the GPP and the rule with <c>[--alias x]</c> go where the template's
    /// other parameters go (the shared file when partitioned).
    /// </summary>
    internal sealed class PartitionedProfileWriter : IProfileFormatWriter
    {
        public const string SharedFileParameter = "@SharedFile";
        public const string SharedUrlParameter = "@SharedUrl";
        public const string AliasParameter = "@Alias";

        /// <summary>The families whose phones fetch a second profile, and the parameter that names it.</summary>
        private static readonly Dictionary<ProfileFormat, string> SecondRule = new Dictionary<ProfileFormat, string>
        {
            [ProfileFormat.CiscoSpa] = "Profile_Rule_B",
        };

        private readonly IProfileFormatWriter _inner;
        private readonly string _destination;
        private readonly bool _whatIf;
        private readonly ConcurrentDictionary<string, Lazy<SharedFile>> _shared = new ConcurrentDictionary<string, Lazy<SharedFile>>(WrittenFilesRecord.PathComparer);
        private readonly ConcurrentDictionary<string, CiscoAliasProfileWriter> _aliasWriters = new ConcurrentDictionary<string, CiscoAliasProfileWriter>(StringComparer.Ordinal);

        public PartitionedProfileWriter(IProfileFormatWriter inner, string destination, bool whatIf)
        {
            _inner = inner;
            _destination = destination;
            _whatIf = whatIf;
        }

        public ProfileFormat Format => _inner.Format;
        public string DefaultFileNameRule => _inner.DefaultFileNameRule;

        /// <summary>Shared files written (or compared, under WhatIf) since the last call, for the run's results.</summary>
        public ConcurrentQueue<ProvisioningProfileResult> Written { get; } = new ConcurrentQueue<ProvisioningProfileResult>();

        private sealed class SharedFile
        {
            public SharedFile(string fingerprint) { Fingerprint = fingerprint; }
            public string Fingerprint { get; }
        }

        public byte[] Render(ProfileDocument document)
        {
            string? rule = null, url = null, alias = null;
            var parameters = document.TemplateParameters;
            for (int i = 0; i < parameters.Count; i++)
            {
                if (parameters[i].Key == SharedFileParameter) rule = parameters[i].Value;
                else if (parameters[i].Key == SharedUrlParameter) url = parameters[i].Value;
                else if (parameters[i].Key == AliasParameter) alias = parameters[i].Value;
            }
            if (rule == null && url == null && alias == null) return _inner.Render(document);
            var ownWriter = alias == null ? _inner : AliasWriter(document, alias);
            if (rule == null && url == null)
                return ownWriter.Render(new ProfileDocument(document.Account, document.TemplateName,
                    parameters.Where(p => p.Key != AliasParameter).ToList(), document.ClientSettings));
            if (!SecondRule.TryGetValue(Format, out var ruleName))
                throw new ProvisioningException(ErrorIds.PartitionNotSupported, ErrorKind.InvalidData,
                    $"template '{document.TemplateName}' parameter '{SharedFileParameter}': {Format} phones fetch no second, shared profile, so their files cannot be partitioned (only CiscoSpa can, through Profile_Rule_B); remove it from the template's {Format} parameters.", document.TemplateName);
            if (string.IsNullOrWhiteSpace(rule) || string.IsNullOrWhiteSpace(url))
                throw new ProvisioningException(ErrorIds.PartitionIncomplete, ErrorKind.InvalidData,
                    $"template '{document.TemplateName}': a partitioned template needs both '{SharedFileParameter}' (the shared file's name in the destination, e.g. common/$Template.xml) and '{SharedUrlParameter}' (where the phones fetch the destination, e.g. https://prov.example.com/).", document.TemplateName);

            // The shared file: the template's parameters, without the account.
            var common = parameters.Where(p => p.Key != SharedFileParameter && p.Key != SharedUrlParameter && p.Key != AliasParameter).ToList();
            var shared = new ProfileDocument(new AccountRecord(document.Account.RowNumber, default), document.TemplateName, common, Array.Empty<KeyValuePair<string, string>>());
            var bytes = _inner.Render(shared);
            var name = rule!.Trim();
            string path;
            try { path = SafePath.Combine(_destination, name, "shared file name"); WindowsFileNames.Check(name, "shared file name", rule); }
            catch (ProvisioningException ex)
            {
                throw new ProvisioningException(ex.ErrorId, ex.Kind, $"template '{document.TemplateName}' parameter '{SharedFileParameter}': {ex.Message}", document.TemplateName, ex);
            }
            var fingerprint = HexText.Sha256(bytes, 0, bytes.Length);
            var entry = _shared.GetOrAdd(path, p => new Lazy<SharedFile>(() => Write(p, bytes, fingerprint, document)));
            if (entry.Value.Fingerprint != fingerprint)
                throw new ProvisioningException(ErrorIds.PartitionDiffersPerPhone, ErrorKind.InvalidData,
                    $"template '{document.TemplateName}': the shared file '{name}' would differ from phone to phone (a value uses a per-phone macro, or two templates share the name); a partitioned template's values are shared, so put per-phone values in CSV columns, or write $$ for the phone to expand.", document.TemplateName);

            // The phone's own file: the account, its CSV overrides and the rule that fetches the shared file.
            var own = new List<KeyValuePair<string, string>>(1)
            {
                new KeyValuePair<string, string>(ruleName, url!.Trim().TrimEnd('/') + "/" + name.Replace('\\', '/')),
            };
            return ownWriter.Render(new ProfileDocument(document.Account, document.TemplateName, own, document.ClientSettings));
        }

        /// <summary>The writer of the customer form for <c>@Alias</c>: the map is the template's value of that GPP, and a rule of the template fetches with [--alias x].</summary>
        private CiscoAliasProfileWriter AliasWriter(ProfileDocument document, string alias)
        {
            var where = $"template '{document.TemplateName}' parameter '{AliasParameter}'";
            if (Format != ProfileFormat.CiscoSpa)
                throw new ProvisioningException(ErrorIds.AliasMapNotApplicable, ErrorKind.InvalidData,
                    $"{where}: alias maps are read by Cisco SPA/MPP/ATA phones only (CiscoSpa), not {Format}; remove it from the template's {Format} parameters.", document.TemplateName);
            var letter = alias.Trim();
            if (letter.StartsWith("GPP_", StringComparison.OrdinalIgnoreCase)) letter = letter.Substring(4);
            if (letter.Length != 1 || char.ToLowerInvariant(letter[0]) < 'a' || char.ToLowerInvariant(letter[0]) > 'p')
                throw new ProvisioningException(ErrorIds.InvalidAliasMap, ErrorKind.InvalidData,
                    $"{where}: '{alias}' is not a GPP; name the one that holds the map, a to p (as in the rule's [--alias a]).", document.TemplateName);
            letter = letter.ToLowerInvariant();
            var gpp = "GPP_" + letter.ToUpperInvariant();
            string? map = null;
            bool hasRule = false, ruleUsesMap = false;
            foreach (var p in document.TemplateParameters)
            {
                if (p.Key == gpp) map = p.Value;
                else if (p.Key.StartsWith("Profile_Rule", StringComparison.Ordinal))
                {
                    hasRule = true;
                    ruleUsesMap |= System.Text.RegularExpressions.Regex.IsMatch(p.Value, @"--alias\s+" + letter + @"(?![a-z])");
                }
            }
            if (map == null)
                throw new ProvisioningException(ErrorIds.AliasMapMissing, ErrorKind.InvalidData,
                    $"{where}: the template names {gpp} as the alias map but gives it no value; add {gpp} = '/customer-account/SIP-number = /flat-profile/User_ID_1_ ;...' to its CiscoSpa parameters.", document.TemplateName);
            if (hasRule && !ruleUsesMap)
                throw new ProvisioningException(ErrorIds.AliasRuleMissing, ErrorKind.InvalidData,
                    $"{where}: no Profile_Rule of the template fetches with [--alias {letter}], so the phones would read the customer XML without the map; write the rule as '[--alias {letter}] https://.../$$MA.xml'.", document.TemplateName);
            try { return _aliasWriters.GetOrAdd(map, m => new CiscoAliasProfileWriter(CiscoAliasMap.Parse(m))); }
            catch (ProvisioningException ex)
            {
                throw new ProvisioningException(ex.ErrorId, ErrorKind.InvalidData, $"template '{document.TemplateName}' parameter '{gpp}': {ex.Message}", document.TemplateName, ex);
            }
        }

        private SharedFile Write(string path, byte[] bytes, string fingerprint, ProfileDocument document)
        {
            WriteStatus status;
            try { status = AtomicFile.Write(path, bytes, whatIf: _whatIf); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new ProvisioningException(ErrorIds.FileWriteFailed, ErrorKind.WriteError, $"cannot write the shared file '{path}': {ex.Message}", path, ex);
            }
            Written.Enqueue(new ProvisioningProfileResult(null!, path, Format, document.TemplateName, status, fingerprint, document.Account.RowNumber, _whatIf, Array.Empty<string>()));
            return new SharedFile(fingerprint);
        }
    }
}
