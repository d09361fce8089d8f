using System;
using PrivateProvisioning.Core;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>Shared by serve, syslog and fetch: a ProvisioningException becomes one "pprov: ..." line and an exit code, never a stack trace.</summary>
    internal static class ServingCli
    {
        public static int Run(Func<int> action)
        {
            try
            {
                return action();
            }
            catch (ProvisioningException ex)
            {
                Console.Error.WriteLine("pprov: " + Core.TerminalText.Escape(ex.Message));
                return ex.Kind == ErrorKind.InvalidArgument ? ExitCodes.Usage : ExitCodes.ItemFailed;
            }
        }
    }
}
