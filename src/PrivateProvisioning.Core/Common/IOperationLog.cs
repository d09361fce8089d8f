namespace PrivateProvisioning.Core
{
    /// <summary>
    /// How Core reports progress and diagnostics without knowing who listens: the module forwards to
    /// WriteVerbose/WriteProgress/WriteWarning, pprov to stderr. Messages never carry secrets.
    /// </summary>
    public interface IOperationLog
    {
        void Verbose(string message);
        void Warning(string message);
        /// <summary>Progress of a long run; total is null when unknown.</summary>
        void Progress(string activity, long done, long? total);
    }

    /// <summary>A log that drops everything; the default when the caller passes none.</summary>
    public sealed class NullOperationLog : IOperationLog
    {
        public static readonly NullOperationLog Instance = new NullOperationLog();
        private NullOperationLog() { }
        public void Verbose(string message) { }
        public void Warning(string message) { }
        public void Progress(string activity, long done, long? total) { }
    }
}
