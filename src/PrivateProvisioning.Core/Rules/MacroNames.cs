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

        /// <summary>
        /// The macro a profile parameter also answers to, so an assignment such as <c>( User_ID_1_ = "x" ; )!</c>
        /// or <c>( c = "" ; )!</c> changes <c>$UID1</c> or <c>$C</c> for the rest of the rule. Null when none.
        /// </summary>
        public static string? MacroForParameter(string parameter)
        {
            if (parameter.Length == 1 && char.ToUpperInvariant(parameter[0]) >= 'A' && char.ToUpperInvariant(parameter[0]) <= 'P')
                return parameter.ToUpperInvariant();
            if (parameter.Length == 5 && parameter.StartsWith("GPP_", StringComparison.OrdinalIgnoreCase))
            {
                var letter = char.ToUpperInvariant(parameter[4]).ToString();
                return IsGpp(letter) ? letter : null;
            }
            if (parameter.Length == 6 && parameter.StartsWith("GPP_S", StringComparison.OrdinalIgnoreCase))
            {
                var name = "S" + char.ToUpperInvariant(parameter[5]);
                return IsSecretGpp(name) ? name : null;
            }
            return Numbered(parameter, "User_ID_", "UID") ?? Numbered(parameter, "Display_Name_", "DISPLAYNAME") ?? Numbered(parameter, "Auth_ID_", "AUTHID");
        }

        private static string? Numbered(string parameter, string prefix, string macro)
        {
            if (!parameter.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || !parameter.EndsWith("_", StringComparison.Ordinal)) return null;
            var number = parameter.Substring(prefix.Length, parameter.Length - prefix.Length - 1);
            return IsNumbered(macro + number, macro) ? macro + number : null;
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
