using System;
using System.Collections.Generic;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Resync;
using PrivateProvisioning.Core.Security.Enrollment;
using PrivateProvisioning.Core.Templates.Generation;

namespace PrivateProvisioning.Cli
{
    /// <summary>
    /// The --json lines a command builds itself (rather than printing a Core result as it is). They are named types, not
    /// anonymous ones, because the serializer is generated at compile time (<see cref="CliJson"/>) and needs a name.
    /// </summary>
    internal static class CliJsonLines
    {
        internal sealed record GenerationSummaryLine(GenerationSummary Summary);

        internal sealed record ResyncLine(string? IPAddress, int Port, string? MacAddress, string? Vendor, ResyncMethod Method,
            ResyncOutcome Outcome, int StatusCode, string? Reason, long ElapsedMilliseconds);

        internal sealed record IssuedCertificateLine(string? Path, string? SourcePath, string? UserName, string? Subject, string? Issuer,
            string? SerialNumber, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string? Thumbprint, CertificateUsage Usage, WriteStatus Status);

        internal sealed record DecryptedRequestLine(string? SourcePath, string? OutputPath, string? Subject, string? CommonName, string? UserName,
            CertificateRequestProtection Method, bool WasEncrypted, WriteStatus? Status);

        internal sealed record ResolvedTemplateLine(string Name, IReadOnlyList<string> Layers, Dictionary<string, string> Settings,
            Dictionary<string, Dictionary<string, string>> Parameters);

        internal sealed record GroupLine(string? Name, string? Template, WriteStatus Status);
    }
}
