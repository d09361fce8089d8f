using System;
using System.IO;
using PrivateProvisioning.Core.Formats;

namespace PrivateProvisioning.Core.Templates
{
    /// <summary>
    /// The one rule for secrets in a template, for typed settings (CertificatePassword...) and for vendor parameters
    /// named like a secret (<see cref="SecretParameterNames"/>: Admin_Passwd, Password_1_, SIP_PASS_1, CFG_FILE_KEY2...):
    /// the template file is kept in git, so it holds a reference, never the value. A reference is
    /// <c>env:VARIABLE</c> or <c>file:PATH</c> (relative to the store), read at generation; a vendor parameter may
    /// also name a macro (<c>$AdminPw</c>, a CSV column of each phone). Store files written before this rule with a
    /// literal value still load (a nightly run must not stop over it): the value is masked wherever a template is
    /// shown and every generation run warns about it.
    /// </summary>
    public static class SecretReference
    {
        /// <summary>Shown instead of a literal secret.</summary>
        public const string Mask = "********";

        /// <summary>How to give a secret, for messages.</summary>
        internal const string HowToGive = "env:VARIABLE or file:PATH (an environment variable, or a file relative to the store kept out of git, read at generation)";

        /// <summary>True for <c>env:VARIABLE</c> and <c>file:PATH</c>.</summary>
        public static bool IsEnvironmentOrFile(string? value)
        {
            if (string.IsNullOrEmpty(value)) return false;
            return (value!.StartsWith("env:", StringComparison.Ordinal) && value.Length > 4 && value.IndexOfAny(new[] { '=', ' ' }) < 0)
                || (value.StartsWith("file:", StringComparison.Ordinal) && value.Length > 5);
        }

        /// <summary>
        /// True when a secret-named vendor parameter's value is not a secret itself: empty, <c>env:VARIABLE</c>,
        /// <c>file:PATH</c>, or exactly one macro (<c>$NAME</c>, <c>$(NAME)</c>, <c>$(NAME:p:q)</c>, or the phone's
        /// own <c>$$NAME</c>).
        /// </summary>
        public static bool IsParameterReference(string? value)
        {
            if (string.IsNullOrEmpty(value) || IsEnvironmentOrFile(value)) return true;
            var v = value!;
            int i = 0;
            if (v[i] != '$') return false;
            i++;
            if (i < v.Length && v[i] == '$') i++;
            if (i >= v.Length) return false;
            if (v[i] == '(')
            {
                if (v[v.Length - 1] != ')' || v.IndexOf(')') != v.Length - 1) return false;
                var parts = v.Substring(i + 1, v.Length - i - 2).Split(':');
                if (parts.Length > 3 || !IsIdentifier(parts[0])) return false;
                for (int p = 1; p < parts.Length; p++)
                    if (parts[p].Length == 0 || !IsDigits(parts[p])) return false;
                return true;
            }
            return IsIdentifier(v.Substring(i));
        }

        /// <summary>True when the vendor parameter is named like a secret and its value is the secret itself.</summary>
        public static bool IsLiteralSecretParameter(string name, string? value) =>
            SecretParameterNames.IsSecretName(name) && !IsParameterReference(value);

        /// <summary>The refusal of a literal secret in a vendor parameter; it names the parameter, never the value.</summary>
        internal static ProvisioningException LiteralParameterRefused(string where, ProfileFormat format, string name) =>
            new ProvisioningException(ErrorIds.LiteralSecretInTemplate, ErrorKind.InvalidArgument,
                $"{where}: the {format} parameter {name} holds a secret, and a template takes secrets by reference only. " +
                $"Give {format}:{name} as {HowToGive}, or per phone in a CSV column named {name}. " +
                "The template file is kept in git; the secret is not.", format + ":" + name);

        /// <summary>The secret a reference points to (an environment variable or a file, relative to the store); errors name the template and the key, never a value.</summary>
        internal static string Read(string reference, string template, string what, string key, string? storeFolder)
        {
            if (reference.StartsWith("env:", StringComparison.Ordinal))
            {
                var variable = reference.Substring(4);
                var secret = Environment.GetEnvironmentVariable(variable);
                if (string.IsNullOrEmpty(secret))
                    throw new ProvisioningException(ErrorIds.SecretEnvironmentEmpty, ErrorKind.InvalidArgument,
                        $"Template '{template}', {what}: the environment variable '{variable}' is not set or empty.", key);
                return secret!;
            }
            var file = reference.Substring(5);
            if (!Path.IsPathRooted(file) && storeFolder != null) file = Path.Combine(storeFolder, file);
            try { return File.ReadAllText(file).TrimEnd('\r', '\n'); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new ProvisioningException(ErrorIds.SecretFileUnreadable, ErrorKind.ReadError,
                    $"Template '{template}', {what}: cannot read the secret file '{file}': {ex.Message}", key);
            }
        }

        private static bool IsIdentifier(string s)
        {
            if (s.Length == 0) return false;
            foreach (var c in s)
                if (!Rules.MacroExpander.IsIdentifierCharacter(c)) return false;
            return true;
        }

        private static bool IsDigits(string s)
        {
            foreach (var c in s)
                if (c < '0' || c > '9') return false;
            return true;
        }
    }
}
