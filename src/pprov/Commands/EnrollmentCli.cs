using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Security;
using PrivateProvisioning.Core.Security.Enrollment;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>What the enrollment commands share: per-item error handling and loading a certificate with its key.</summary>
    internal static class EnrollmentCli
    {
        /// <summary>Runs one step; a ProvisioningException becomes a message and exit code 1 (2 for a bad argument).</summary>
        public static int Run(CliOutput cli, Action action) => CliErrors.Guard(cli, () => { action(); return ExitCodes.Success; });

        /// <summary>One bad item does not stop the others; the exit code is 1 if any failed.</summary>
        public static int ForEach(CliOutput cli, IEnumerable<string> items, Action<string> action)
        {
            int exit = ExitCodes.Success;
            foreach (var item in items)
                if (!CliErrors.TryItem(cli, () => action(item))) exit = CliErrors.ItemFailed;
            return exit;
        }
    }
}
