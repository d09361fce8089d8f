using System;
using System.Collections.Generic;
using System.Globalization;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Core.Rules;

namespace PrivateProvisioning.Core.Templates.Generation
{
    /// <summary>Turns a row into an AccountRecord plus the client-setting overrides it carries.</summary>
    public static class AccountColumns
    {
        private static readonly Dictionary<string, AccountField> Known = new Dictionary<string, AccountField>(StringComparer.OrdinalIgnoreCase)
        {
            ["macaddress"] = AccountField.MacAddress, ["mac"] = AccountField.MacAddress, ["hwaddress"] = AccountField.MacAddress,
            ["model"] = AccountField.Model, ["product"] = AccountField.Model, ["phonemodel"] = AccountField.Model,
            ["group"] = AccountField.Group, ["groupname"] = AccountField.Group,
            ["template"] = AccountField.Template, ["profiletemplate"] = AccountField.Template, ["provisioningprofile"] = AccountField.Template,
            ["userid"] = AccountField.UserId, ["user"] = AccountField.UserId, ["username"] = AccountField.UserId, ["sipuser"] = AccountField.UserId,
            ["authid"] = AccountField.AuthId, ["authuser"] = AccountField.AuthId, ["authusername"] = AccountField.AuthId, ["authname"] = AccountField.AuthId,
            ["password"] = AccountField.Password, ["sippassword"] = AccountField.Password, ["authpassword"] = AccountField.Password,
            ["displayname"] = AccountField.DisplayName, ["name"] = AccountField.DisplayName, ["callerid"] = AccountField.DisplayName,
            ["extension"] = AccountField.Extension, ["ext"] = AccountField.Extension,
            ["format"] = AccountField.Format, ["profileformat"] = AccountField.Format,
            ["sipserver"] = AccountField.SipServer, ["server"] = AccountField.SipServer, ["registrar"] = AccountField.SipServer, ["sipproxy"] = AccountField.SipServer,
        };

        /// <summary>The known field a column name stands for, or None.</summary>
        public static AccountField Classify(string column)
        {
            if (Known.TryGetValue(column, out var f)) return f;
            // Every row repeats the header's names: remember the answer instead of re-squeezing the name per row.
            if (Classified.TryGetValue(column, out f)) return f;
            var squeezed = column.Replace(" ", string.Empty).Replace("_", string.Empty).Replace("-", string.Empty);
            f = squeezed.Length != column.Length && Known.TryGetValue(squeezed, out var g) ? g : AccountField.None;
            if (Classified.Count < 4096) Classified[column] = f;
            return f;
        }

        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, AccountField> Classified =
            new System.Collections.Concurrent.ConcurrentDictionary<string, AccountField>(StringComparer.Ordinal);

        /// <summary>
        /// True for a column whose value must never be shown (error targets, messages): the account's password
        /// columns and any column named like a secret parameter (Password_1_, Admin_Passwd, ...).
        /// </summary>
        public static bool IsSecretColumn(string column) =>
            Classify(column) == AccountField.Password || SecretParameterNames.IsSecretName(column) || IsKeyName(column);

        /// <summary>A column named Key or ending in Key (AesKey, Profile Key, ENCRYPTION-KEY): a key's value, hidden like a password.</summary>
        private static bool IsKeyName(string column)
        {
            var name = column.TrimEnd();
            return name.EndsWith("key", StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>Shown instead of a secret column's value.</summary>
        public const string MaskedValue = "********";

        /// <summary>
        /// A cell as it may be shown (an error's target, a message): a secret column's value masked, and in any other
        /// column the arguments of --key/--pwd hidden (a Rule column, or any text carrying a profile rule).
        /// </summary>
        public static string MaskCell(string column, string? value)
        {
            if (string.IsNullOrEmpty(value)) return value ?? string.Empty;
            return IsSecretColumn(column) ? MaskedValue : RuleRedaction.Redact(value);
        }

        internal static ProvisioningException RowError(int row, string column, string errorId, ErrorKind kind, string what) =>
            new ProvisioningException(errorId, kind, $"Row {row.ToString(CultureInfo.InvariantCulture)}, column '{column}': {what}", "row " + row.ToString(CultureInfo.InvariantCulture));

        /// <summary>
        /// Builds the account. Known columns fill the record (an empty cell leaves the field unset); a column
        /// named like a client setting (Pin, PinCacheTimeout...) becomes a validated override; every other
        /// column travels in ExtraColumns as a parameter override for the format.
        /// </summary>
        public static AccountRecord Build(AccountRow row, out List<KeyValuePair<string, string>>? settingOverrides, out string macColumn, out ProfileFormat? format)
        {
            settingOverrides = null;
            format = null;
            string? macText = null;
            macColumn = "MacAddress";
            string? model = null, group = null, template = null, userId = null, authId = null, password = null, displayName = null, extension = null, server = null;
            List<KeyValuePair<string, string>>? extra = null;
            var cells = row.Cells;
            for (int i = 0; i < cells.Count; i++)
            {
                var column = cells[i].Key;
                var value = cells[i].Value ?? string.Empty;
                switch (Classify(column))
                {
                    case AccountField.MacAddress: macText = value; macColumn = column; break;
                    case AccountField.Model: model = Trimmed(value); break;
                    case AccountField.Group: group = Trimmed(value); break;
                    case AccountField.Template: template = Trimmed(value); break;
                    case AccountField.UserId: userId = Empty(value); break;
                    case AccountField.AuthId: authId = Empty(value); break;
                    case AccountField.Password: password = Empty(value); break;
                    case AccountField.DisplayName: displayName = Empty(value); break;
                    case AccountField.Extension: extension = Trimmed(value); break;
                    case AccountField.SipServer: server = Trimmed(value); break;
                    case AccountField.Format:
                        if (value.Trim().Length == 0) break;
                        try { format = TemplateEdits.ParseFormat(value); }
                        catch (ProvisioningException ex) { throw RowError(row.RowNumber, column, ex.ErrorId, ErrorKind.InvalidData, ex.Message); }
                        break;
                    default:
                        if (value.Length == 0) break; // an empty cell overrides nothing
                        if (ClientSettingSchema.TryGet(column, out var setting))
                        {
                            if (setting.Kind == ClientSettingKind.SecretReference)
                                throw RowError(row.RowNumber, column, ErrorIds.SecretInColumn, ErrorKind.InvalidData,
                                    "a secret setting cannot come from the CSV; set it in the template as env:VARIABLE or file:PATH.");
                            var normalized = ClientSettingSchema.Normalize(setting, value, "Row " + row.RowNumber.ToString(CultureInfo.InvariantCulture));
                            (settingOverrides ??= new List<KeyValuePair<string, string>>()).Add(new KeyValuePair<string, string>(setting.Name, normalized));
                        }
                        else (extra ??= new List<KeyValuePair<string, string>>()).Add(new KeyValuePair<string, string>(column, value));
                        break;
                }
            }
            if (macText == null)
                throw RowError(row.RowNumber, "MacAddress", ErrorIds.MissingMacAddress, ErrorKind.InvalidData,
                    "the row has no MAC address; the CSV needs a MacAddress (or MAC) column.");
            if (macText.Trim().Length == 0)
                throw RowError(row.RowNumber, macColumn, ErrorIds.MissingMacAddress, ErrorKind.InvalidData, "the MAC address is empty.");
            if (!MacAddress.TryParse(macText, out var mac))
                throw RowError(row.RowNumber, macColumn, ErrorIds.InvalidMacAddress, ErrorKind.InvalidData,
                    $"'{macText}' is not a MAC address; use 12 hex digits such as 00:0E:08:AB:CD:EF, 00-0e-08-ab-cd-ef, 000e.08ab.cdef or 000E08ABCDEF.");
            if (template != null) ValidateReference(row.RowNumber, "Template", template, t => ProfileTemplate.ValidateName(t));
            return new AccountRecord(row.RowNumber, mac)
            {
                Model = model,
                Group = group,
                Template = template,
                UserId = userId,
                AuthId = authId,
                Password = password,
                DisplayName = displayName,
                Extension = extension,
                SipServer = server,
                ExtraColumns = (IReadOnlyList<KeyValuePair<string, string>>?)extra ?? Array.Empty<KeyValuePair<string, string>>(),
            };
        }

        private static void ValidateReference(int row, string column, string value, Action<string> validate)
        {
            try { validate(value); }
            catch (ProvisioningException ex) { throw RowError(row, column, ex.ErrorId, ErrorKind.InvalidData, ex.Message); }
        }

        private static string? Trimmed(string value)
        {
            var t = value.Trim();
            return t.Length == 0 ? null : t;
        }

        private static string? Empty(string value) => value.Length == 0 ? null : value;
    }
}
