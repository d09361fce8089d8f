using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Protection;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>What pprov protect and pprov unprotect share: the file loop (each file on every core, or parallel batches), printing, exit codes.</summary>
    internal static partial class ProtectionCli
    {
        private const int BatchSize = 1024;

        public static int Guard(bool json, Func<CliOutput, int> body)
        {
            var output = new CliOutput(json);
            return CliErrors.Guard(output, () => body(output));
        }

        /// <summary>Opens Core's protection with the certificate password (wiped once opened) and runs it over the files.</summary>
        public static int OpenAndRun(Func<char[]?, ProfileFileProtection> open, char[]? certificatePassword, IReadOnlyList<string> files, byte[]? key, CliOutput output)
        {
            ProfileFileProtection protection;
            try { protection = open(certificatePassword); }
            finally { if (certificatePassword != null) Array.Clear(certificatePassword, 0, certificatePassword.Length); }
            using (protection)
                return Run(files, protection, key, output) ? ExitCodes.Success : ExitCodes.ItemFailed;
        }

        /// <summary>
        /// Runs the files through Core and prints each result or error in input order. Cisco signing runs each file on
        /// every core, this thread included, and hands the finished ones back here in order. Other protections run in
        /// batches: a batch runs while this thread prints the one before and names the outputs of the one after.
        /// </summary>
        public static bool Run(IReadOnlyList<string> files, ProfileFileProtection protection, byte[]? key, CliOutput output)
        {
            bool allOk = true;
            using var batched = output.Batched();
            if (protection.RunsEach)
            {
                protection.RunEach(files, (outcomes, error) =>
                {
                    if (error != null) { output.Error(error); allOk = false; }
                    else foreach (var outcome in outcomes!) allOk &= Print(outcome, output);
                });
                return allOk;
            }
            Batch? running = null;
            var batch = new Batch();
            // Relative names are resolved against the current folder read once: each resolution asks the kernel for it.
            var current = System.IO.Directory.GetCurrentDirectory();
            foreach (var name in files)
            {
                try { batch.Add(protection.JobFor(name, current)); }
                catch (ProvisioningException ex) { batch.Add(ex); }
                if (batch.Jobs.Count < BatchSize) continue;
                running = batch.StartAfter(running, protection, key, output, ref allOk);
                batch = new Batch();
            }
            if (batch.Count > 0) running = batch.StartAfter(running, protection, key, output, ref allOk);
            running?.Print(output, ref allOk);
            return allOk;
        }

        /// <summary>One outcome's line (or error); false for an error.</summary>
        private static bool Print(ProtectionOutcome outcome, CliOutput output)
        {
            if (outcome.Error != null) { output.Error(outcome.Error); return false; }
            var r = outcome.Result!;
            output.Result(r, $"{r.Status,-9} {r.Path}  ({r.Method}{(r.KeyDerivation.HasValue ? ", " + r.KeyDerivation.Value.ToString().ToLowerInvariant() : "")}, {r.Length} bytes, sha256 {r.Sha256})");
            return true;
        }

        /// <summary>Jobs in input order, with the files whose output could not even be named (their errors keep their place).</summary>
        private sealed class Batch
        {
            private readonly List<ProvisioningException?> _entries = new List<ProvisioningException?>(); // null: the next job
            private Task<ProtectionOutcome[]>? _run;

            public List<ProtectionJob> Jobs { get; } = new List<ProtectionJob>();
            public int Count => _entries.Count;

            public void Add(ProtectionJob job) { Jobs.Add(job); _entries.Add(null); }
            public void Add(ProvisioningException error) => _entries.Add(error);

            /// <summary>Waits for <paramref name="previous"/>, starts this batch, then prints the previous one while this one runs.</summary>
            public Batch StartAfter(Batch? previous, ProfileFileProtection protection, byte[]? key, CliOutput output, ref bool allOk)
            {
                var before = previous?._run;
                if (before != null)
                {
                    ((IAsyncResult)before).AsyncWaitHandle.WaitOne();
                    if (!before.IsCompletedSuccessfully) previous!.Print(output, ref allOk); // throws its failure; nothing more starts
                }
                var jobs = Jobs;
                _run = jobs.Count == 0 ? null : Task.Run(() => protection.Run(jobs, key));
                previous?.Print(output, ref allOk);
                return this;
            }

            /// <summary>Prints the outcomes (two for an encrypted Cisco file: .enc.sgn and its stub) and errors in input order.</summary>
            public void Print(CliOutput output, ref bool allOk)
            {
                var outcomes = _run?.GetAwaiter().GetResult() ?? Array.Empty<ProtectionOutcome>();
                int job = 0, next = 0;
                foreach (var entry in _entries)
                {
                    if (entry != null) { output.Error(entry); allOk = false; continue; }
                    var current = Jobs[job++];
                    for (; next < outcomes.Length && ReferenceEquals(outcomes[next].Job, current); next++)
                        allOk &= ProtectionCli.Print(outcomes[next], output);
                }
            }
        }
    }
}
