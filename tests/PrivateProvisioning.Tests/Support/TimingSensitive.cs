using Xunit;

namespace PrivateProvisioning.Tests.Support
{
    /// <summary>
    /// Tests that assert protocol timers (SIP timer E) against a real peer. xunit runs this collection alone, after
    /// the parallel ones: with other test classes busy in the same process, the thread pool can run a timer's callback
    /// a second late or deliver a datagram after the timer it should have stopped.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class TimingSensitive
    {
        public const string Name = "Timing-sensitive, run alone";
    }
}
