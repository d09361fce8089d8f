using System;
using System.Management.Automation;
using PrivateProvisioning.Core;

namespace PrivateProvisioning.Templates
{
    /// <summary>Core's generation log on a cmdlet's streams: progress with a percentage when the row count is known, then a Completed record.</summary>
    internal sealed class GenerationProgressLog : IOperationLog
    {
        private const int ActivityId = 1;
        private readonly Cmdlet _cmdlet;
        private bool _shown;

        public GenerationProgressLog(Cmdlet cmdlet) { _cmdlet = cmdlet; }

        public void Verbose(string message) => _cmdlet.WriteVerbose(message);
        public void Warning(string message) => _cmdlet.WriteWarning(message);

        public void Progress(string activity, long done, long? total)
        {
            var record = new ProgressRecord(ActivityId, activity, total.HasValue ? $"{done} of {total} rows" : $"{done} rows");
            if (total.HasValue && total.Value > 0) record.PercentComplete = (int)Math.Min(100, done * 100 / total.Value);
            _cmdlet.WriteProgress(record);
            _shown = true;
        }

        public void Completed(string activity)
        {
            if (!_shown) return;
            _cmdlet.WriteProgress(new ProgressRecord(ActivityId, activity, "Done") { RecordType = ProgressRecordType.Completed });
        }
    }
}
