using System;
using System.Collections.Generic;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Core.Protection;
using PrivateProvisioning.Core.Resync;
using PrivateProvisioning.Core.Security.Enrollment;
using PrivateProvisioning.Core.Serving;
using PrivateProvisioning.Core.Templates;
using PrivateProvisioning.Core.Templates.Generation;
using PrivateProvisioning.Cli.Commands;

namespace PrivateProvisioning.Cli
{
    /// <summary>
    /// The --json shapes, serialized by code the compiler generates (no reflection: a published pprov is native AOT, and
    /// a generated serializer also starts faster). Every type a command hands to <see cref="CliOutput.Result"/> is listed
    /// here; one missing fails that command's --json at run time in every build, so the CLI tests catch it.
    /// Names are camelCase, nulls left out, enums as their names.
    /// </summary>
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UseStringEnumConverter = true)]
    [JsonSerializable(typeof(CliOutput.ErrorLine))]
    [JsonSerializable(typeof(CliCertificateView))]
    [JsonSerializable(typeof(ExpandJson))]
    [JsonSerializable(typeof(ItlView))]
    [JsonSerializable(typeof(ParameterChange))]
    [JsonSerializable(typeof(ProfileParameterInfo))]
    [JsonSerializable(typeof(ProtectionResult))]
    [JsonSerializable(typeof(CertificatePin))]
    [JsonSerializable(typeof(CertificateRequestFile))]
    [JsonSerializable(typeof(ExportedCertificate))]
    [JsonSerializable(typeof(WebServerConfiguration))]
    [JsonSerializable(typeof(ParameterDifference))]
    [JsonSerializable(typeof(ReceivedParameter))]
    [JsonSerializable(typeof(ServedRequest))]
    [JsonSerializable(typeof(SyslogMessage))]
    [JsonSerializable(typeof(ProvisioningProfileResult))]
    [JsonSerializable(typeof(RemovedProfileFile))]
    [JsonSerializable(typeof(ProfileTemplate))]
    [JsonSerializable(typeof(ProvisioningGroup))]
    [JsonSerializable(typeof(CliJsonLines.GenerationSummaryLine))]
    [JsonSerializable(typeof(CliJsonLines.ResyncLine))]
    [JsonSerializable(typeof(CliJsonLines.IssuedCertificateLine))]
    [JsonSerializable(typeof(CliJsonLines.DecryptedRequestLine))]
    [JsonSerializable(typeof(CliJsonLines.ResolvedTemplateLine))]
    [JsonSerializable(typeof(CliJsonLines.GroupLine))]
    internal sealed partial class CliJson : JsonSerializerContext
    {
        /// <summary>The one context pprov writes with; its options add the relaxed escaping ("&lt;" stays "&lt;").</summary>
        public static CliJson Output { get; } = new CliJson(new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });

        /// <summary>One JSON line for a result: its runtime type must be listed above.</summary>
        public static string Serialize(object value) =>
            JsonSerializer.Serialize(value, Output.GetTypeInfo(value.GetType())
                ?? throw new InvalidOperationException($"pprov cannot write {value.GetType().Name} as JSON: add it to CliJson."));
    }
}
