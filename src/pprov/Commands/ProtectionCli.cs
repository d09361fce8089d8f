using System;
using System.Collections.Generic;
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
            // A batch runs on the worker threads while this thread names the next one and prints the one before.
            using var pipeline = new PipelinedProtection(protection);
            Batch? previous = null;
            var batch = new Batch();
            // Relative names are resolved against the current folder read once: each resolution asks the kernel for it.
            var current = System.IO.Directory.GetCurrentDirectory();
            void Start()
            {
                // Each batch gets its own copy of the key, cleared once that batch is done; the caller wipes the original.
                var done = pipeline.StartAfterPrevious(batch.Jobs, key == null ? null : (byte[])key.Clone());
                previous?.Print(done, output, ref allOk);
                previous = batch;
                batch = new Batch();
            }
            foreach (var name in files)
            {
                try { batch.Add(protection.JobFor(name, current)); }
                catch (ProvisioningException ex) { batch.Add(ex); }
                if (batch.Jobs.Count == BatchSize) Start();
            }
            if (batch.Count > 0) Start();
            previous?.Print(pipeline.Finish(), output, ref allOk);
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

            public List<ProtectionJob> Jobs { get; } = new List<ProtectionJob>();
            public int Count => _entries.Count;

            public void Add(ProtectionJob job) { Jobs.Add(job); _entries.Add(null); }
            public void Add(ProvisioningException error) => _entries.Add(error);

            /// <summary>Prints this batch's <paramref name="outcomes"/> (two for an encrypted Cisco file: .enc.sgn and its stub) and errors in input order.</summary>
            public void Print(ProtectionOutcome[] outcomes, CliOutput output, ref bool allOk)
            {
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
