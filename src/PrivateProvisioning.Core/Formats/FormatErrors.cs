using System.Globalization;

namespace PrivateProvisioning.Core.Formats
{
    /// <summary>The writers' errors: each names the CSV row and the column or template parameter, never a secret value.</summary>
    internal static class FormatErrors
    {
        /// <summary>"Row 12, column 'DisplayName'" or "Row 12, template 'office' parameter 'Resync_Periodic'".</summary>
        public static string Where(ProfileDocument document, in ProfileParameter parameter)
        {
            var row = document.Account.RowNumber.ToString(CultureInfo.InvariantCulture);
            if (parameter.IsLayout)
                return $"Row {row}, template '{document.TemplateName}' comment";
            if (parameter.Column == null)
                return $"Row {row}, template '{document.TemplateName}' parameter '{parameter.Name}'";
            if (parameter.Column == parameter.Name)
                return $"Row {row}, column '{parameter.Column}'";
            return $"Row {row}, column '{parameter.Column}' ({parameter.Name})";
        }

        /// <summary>A character the format cannot hold, at a 1-based position; the character is shown only for non-secret values.</summary>
        public static ProvisioningException NotRepresentable(ProfileDocument document, in ProfileParameter parameter,
            string formatName, int index, string why)
        {
            string what;
            if (parameter.IsLayout || SecretParameterNames.IsSecret(parameter.Name, parameter.Value))
                what = $"character {index + 1} of the value";
            else
                what = $"character {index + 1} of the value ({Describe(parameter.Value, index)})";
            return new ProvisioningException(ErrorIds.ValueNotRepresentable, ErrorKind.InvalidData,
                $"{Where(document, parameter)}: {what} {why}; a {formatName} file cannot hold it. Change the value in the CSV or template.",
                document.Account);
        }

        /// <summary>A value the format cannot hold as a whole (edge spaces, a bad name), without showing it.</summary>
        public static ProvisioningException NotRepresentable(ProfileDocument document, in ProfileParameter parameter,
            string formatName, string why)
        {
            return new ProvisioningException(ErrorIds.ValueNotRepresentable, ErrorKind.InvalidData,
                $"{Where(document, parameter)}: {why}; a {formatName} file cannot hold it. Change the value in the CSV or template.",
                document.Account);
        }

        public static ProvisioningException InvalidName(ProfileDocument document, in ProfileParameter parameter,
            string formatName, string rule)
        {
            return new ProvisioningException(ErrorIds.InvalidParameterName, ErrorKind.InvalidData,
                $"{Where(document, parameter)}: '{parameter.Name}' is not a valid {formatName} parameter name ({rule}). Rename the column or template parameter.",
                document.Account);
        }

        public static ProvisioningException TooLong(ProfileDocument document, in ProfileParameter parameter,
            string formatName, int length, int limit, string unit)
        {
            return new ProvisioningException(ErrorIds.ValueTooLong, ErrorKind.InvalidData,
                $"{Where(document, parameter)}: the value is {length.ToString(CultureInfo.InvariantCulture)} {unit} long; a {formatName} file allows at most {limit.ToString(CultureInfo.InvariantCulture)}. Shorten it in the CSV or template.",
                document.Account);
        }

        /// <summary>Names a code point the way a reader can find it: U+0022 '"', U+000A (line feed).</summary>
        public static string Describe(string value, int index)
        {
            int cp = value[index];
            if (char.IsHighSurrogate(value[index]) && index + 1 < value.Length && char.IsLowSurrogate(value[index + 1]))
                cp = char.ConvertToUtf32(value[index], value[index + 1]);
            var code = "U+" + cp.ToString("X4", CultureInfo.InvariantCulture);
            if (cp < 0x20 || cp == 0x7F) return code + " " + ControlName(cp);
            if (cp >= 0xD800 && cp <= 0xDFFF) return code + " (unpaired surrogate)";
            return code + " '" + char.ConvertFromUtf32(cp) + "'";
        }

        private static string ControlName(int cp) => cp switch
        {
            0x0A => "(line feed)",
            0x0D => "(carriage return)",
            0x09 => "(tab)",
            0x00 => "(NUL)",
            _ => "(control character)",
        };
    }
}
