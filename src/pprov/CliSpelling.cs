using System.Collections.Generic;
using PrivateProvisioning.Core;

namespace PrivateProvisioning.Cli
{
    /// <summary>
    /// pprov's spelling of the request parameters Core's errors speak of (<see cref="ProvisioningException.Parameters"/>):
    /// Core says "give the key", pprov adds "(--key-file / --key-env)"; the module adds "(-Key)" the same way.
    /// </summary>
    public static class CliSpelling
    {
        private static readonly Dictionary<string, string> Switches = new Dictionary<string, string>
        {
            [RequestParameter.Address] = "--listen",
            [RequestParameter.BasedOn] = "--based-on",
            [RequestParameter.Compress] = "--gzip",
            [RequestParameter.Count] = "--count",
            [RequestParameter.CsvPath] = "--from-csv",
            [RequestParameter.DefaultServer] = "--server",
            [RequestParameter.Destination] = "--out",
            [RequestParameter.Digest] = "--digest",
            [RequestParameter.Extension] = "--extension",
            [RequestParameter.FileName] = "--filename",
            [RequestParameter.Format] = "--format",
            [RequestParameter.Http] = "--http",
            [RequestParameter.IPAddress] = "--ip",
            [RequestParameter.Force] = "--force",
            [RequestParameter.IssuerCertificate] = "--issuer",
            [RequestParameter.IssuerPath] = "--issuer",
            [RequestParameter.Iterations] = "--iter",
            [RequestParameter.Key] = "--key-file / --key-env",
            [RequestParameter.KeyDerivation] = "--kdf",
            [RequestParameter.KeyPath] = "--key",
            [RequestParameter.MacAddress] = "--mac",
            [RequestParameter.Method] = "--method",
            [RequestParameter.Password] = "--password-file / --password-env",
            [RequestParameter.PhoneCertificate] = "--phone-cert",
            [RequestParameter.ProductName] = "--product",
            [RequestParameter.Sast] = "--sast",
            [RequestParameter.SerialNumber] = "--serial",
            [RequestParameter.SigningCertificate] = "--sign",
            [RequestParameter.Store] = "--store",
            [RequestParameter.Tftp] = "--tftp",
            [RequestParameter.Timeout] = "--timeout",
            [RequestParameter.UserName] = "--user-name",
            [RequestParameter.Variable] = "--var",
        };

        /// <summary>The switch pprov uses for <paramref name="parameter"/>.</summary>
        public static string Switch(string parameter) => Switches.TryGetValue(parameter, out var spelled) ? spelled : "--" + parameter.ToLowerInvariant();

        /// <summary>Core's message with pprov's switches: "... replace it explicitly (--force)."</summary>
        public static string Message(ProvisioningException ex) => ex.MessageWith(Switch);
    }
}
