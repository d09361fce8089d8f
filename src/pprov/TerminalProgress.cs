using System;
using PrivateProvisioning.Core;

namespace PrivateProvisioning.Cli
{
    /// <summary>Warnings to stderr always; a one-line counter only on an interactive stderr (never when redirected, as in cron).</summary>
    internal sealed class TerminalProgress : IOperationLog
    {
        private readonly bool _showProgress;
        private long _lastShown = -1;
        public TerminalProgress(bool showProgress) { _showProgress = showProgress; }
        public void Verbose(string message) { }
        public void Warning(string message)
        {
            Clear();
            Console.Error.WriteLine("pprov: warning: " + Core.TerminalText.Escape(message));
        }
        public void Progress(string activity, long done, long? total)
        {
            if (!_showProgress) return;
            if (done - _lastShown < 10_000 && _lastShown >= 0) return;
            _lastShown = done;
            Console.Error.Write($"\r{activity}: {done} rows");
        }

        /// <summary>Clears the progress line before an error or the summary.</summary>
        public void Clear()
        {
            if (_showProgress && _lastShown >= 0) Console.Error.Write("\r\u001b[K");
        }
    }
}
