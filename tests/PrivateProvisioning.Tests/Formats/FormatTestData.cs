using System.Collections.Generic;
using System.IO;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Tests.Support;

namespace PrivateProvisioning.Tests.Formats
{
    internal static class FormatTestData
    {
        public static string ExpectedFolder =>
            Path.Combine(TestPaths.RepoRoot, "tests", "PrivateProvisioning.Tests", "Formats", "Expected");

        public static byte[] Expected(string name) => File.ReadAllBytes(Path.Combine(ExpectedFolder, name));

        public static List<KeyValuePair<string, string>> Pairs(params string[] nameValue)
        {
            var list = new List<KeyValuePair<string, string>>();
            for (int i = 0; i < nameValue.Length; i += 2) list.Add(new KeyValuePair<string, string>(nameValue[i], nameValue[i + 1]));
            return list;
        }

        public static ProfileDocument Document(AccountRecord account, string template = "office", List<KeyValuePair<string, string>>? parameters = null,
            List<KeyValuePair<string, string>>? settings = null) =>
            new ProfileDocument(account, template, parameters ?? new List<KeyValuePair<string, string>>(), settings ?? new List<KeyValuePair<string, string>>());

        public static AccountRecord Account(int row = 1, string mac = "000E08ABCDEF") => new AccountRecord(row, MacAddress.Parse(mac));
    }
}
