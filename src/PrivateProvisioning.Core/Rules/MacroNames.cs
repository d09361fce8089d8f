using System;
using System.Collections.Generic;

namespace PrivateProvisioning.Core.Rules
{
    /// <summary>The documented macro names of the Cisco/Linksys provisioning engine (spec §1.3).</summary>
    public static class MacroNames
    {
        private static readonly HashSet<string> Fixed = new HashSet<string>(StringComparer.Ordinal)
        {
            "MA", "MAU", "MAC", "PN", "PSN", "SN", "CCERT", "IP", "EXTIP", "SWVER", "HWVER", "PRVST", "UPGST",
            "UPGERR", "PRVTMR", "UPGTMR", "REGTMR1", "REGTMR2", "UPGCOND", "SCHEME", "METH", "SERV", "SERVIP",
            "PORT", "PATH", "ERR", "EMS", "MUID", "MPWD", "ISCUST", "INCOMINGNAME", "REMOTENUMBER", "ORIGTYPE",
            "AUTHSTATUS",
        };

        /// <summary>$A..$P: the general-purpose parameters GPP_A..GPP_P.</summary>
        public static bool IsGpp(string name) => name.Length == 1 && name[0] >= 'A' && name[0] <= 'P';

        /// <summary>$SA..$SD: the secret GPPs, expanded only inside --key/--uid/--pwd.</summary>
        public static bool IsSecretGpp(string name) => name.Length == 2 && name[0] == 'S' && name[1] >= 'A' && name[1] <= 'D';

        /// <summary>True for every name in the documented table, including the numbered line macros.</summary>
        public static bool IsDocumented(string name)
        {
            if (Fixed.Contains(name) || IsGpp(name) || IsSecretGpp(name)) return true;
            return IsNumbered(name, "UID") || IsNumbered(name, "DISPLAYNAME") || IsNumbered(name, "AUTHID");
        }

        private static bool IsNumbered(string name, string prefix)
        {
            if (name.Length <= prefix.Length || !name.StartsWith(prefix, StringComparison.Ordinal)) return false;
            for (int i = prefix.Length; i < name.Length; i++)
                if (name[i] < '0' || name[i] > '9') return false;
            return true;
        }
    }
}
