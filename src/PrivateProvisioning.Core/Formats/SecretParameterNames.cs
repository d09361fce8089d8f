using System;

namespace PrivateProvisioning.Core.Formats
{
    /// <summary>
    /// Decides which parameters hold secrets, so messages and diffs name them but never show their values.
    /// Errs on the side of hiding: any name mentioning a password ("pass", "pwd"), secret, credential, token,
    /// private or file-encryption key (Panasonic CFG_FILE_KEY2) or HA1, and any value carrying a --key/--pwd
    /// rule option (a Profile_Rule with an AES key).
    /// </summary>
    public static class SecretParameterNames
    {
        private static readonly string[] SecretFragments =
        {
            // "pass" covers Password_1_, Admin_Passwd, SIP_PASS_1, ADMIN_PASS, passwd, passphrase.
            "pass", "pwd", "secret", "credential", "token", "privatekey", "private_key", "privkey", "ha1",
            "file_key", "aes_key", "encryption_key", "key_password",
        };

        /// <summary>True when a parameter of this name holds a secret (Password_1_, Admin_Passwd, SIP_PASSWORD_1, passwd, ...).</summary>
        public static bool IsSecretName(string name)
        {
            foreach (var fragment in SecretFragments)
                if (name.IndexOf(fragment, StringComparison.OrdinalIgnoreCase) >= 0) return true;
            return false;
        }

        /// <summary>True when the name is secret or the value carries a key or password option ([--key ...], --pwd).</summary>
        public static bool IsSecret(string name, string? value)
        {
            if (IsSecretName(name)) return true;
            if (value == null) return false;
            return value.IndexOf("--key", StringComparison.OrdinalIgnoreCase) >= 0
                || value.IndexOf("--pwd", StringComparison.OrdinalIgnoreCase) >= 0
                || value.IndexOf("--hex-key", StringComparison.OrdinalIgnoreCase) >= 0;
        }
    }
}
