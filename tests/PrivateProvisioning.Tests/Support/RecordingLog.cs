using System.Collections.Generic;
using PrivateProvisioning.Core;

namespace PrivateProvisioning.Tests.Support
{
    /// <summary>An operation log that keeps what Core says: warnings and progress reports, for tests to check.</summary>
    internal sealed class RecordingLog : IOperationLog
    {
        public List<string> Warnings { get; } = new List<string>();
        public List<(long Done, long? Total)> Reports { get; } = new List<(long Done, long? Total)>();
        public void Verbose(string message) { }
        public void Warning(string message) => Warnings.Add(message);
        public void Progress(string activity, long done, long? total) => Reports.Add((done, total));
    }
}
