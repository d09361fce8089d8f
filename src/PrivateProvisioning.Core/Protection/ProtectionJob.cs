using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace PrivateProvisioning.Core.Protection
{
    /// <summary>One file to protect or unprotect: where it comes from and where the result goes.</summary>
    public sealed class ProtectionJob
    {
        public ProtectionJob(string source, string destination)
        {
            Source = source;
            Destination = destination;
        }

        public string Source { get; }
        public string Destination { get; }
    }

    /// <summary>What happened to one job: a result, or the error that stopped that file alone.</summary>
    public sealed class ProtectionOutcome
    {
        public ProtectionOutcome(ProtectionJob job, ProtectionResult? result, ProvisioningException? error)
        {
            Job = job;
            Result = result;
            Error = error;
        }

        public ProtectionJob Job { get; }
        public ProtectionResult? Result { get; }
        public ProvisioningException? Error { get; }
    }

    internal static class ParallelJobs
    {
        /// <summary>Runs each job on the thread pool (one worker per core); outcomes come back in job order.</summary>
        public static ProtectionOutcome[] Run(IReadOnlyList<ProtectionJob> jobs, Func<ProtectionJob, ProtectionResult> work)
        {
            var outcomes = new ProtectionOutcome[jobs.Count];
            void One(int i)
            {
                try { outcomes[i] = new ProtectionOutcome(jobs[i], work(jobs[i]), null); }
                catch (ProvisioningException ex) { outcomes[i] = new ProtectionOutcome(jobs[i], null, ex); }
            }
            if (jobs.Count <= 1 || Environment.ProcessorCount == 1)
            {
                for (int i = 0; i < jobs.Count; i++) One(i);
                return outcomes;
            }
            Parallel.For(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, One);
            return outcomes;
        }
    }
}
