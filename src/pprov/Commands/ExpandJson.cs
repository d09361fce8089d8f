using System.Collections.Generic;
using PrivateProvisioning.Core.Rules;

namespace PrivateProvisioning.Cli.Commands
{
    /// <summary>The --json shape of an expansion: the key and password appear only as true/false.</summary>
    internal sealed class ExpandJson
    {
        public int? Row { get; set; }
        public string? MacAddress { get; set; }
        public string? Url { get; set; }
        public string? Scheme { get; set; }
        public string? Host { get; set; }
        public int? Port { get; set; }
        public string? Path { get; set; }
        public bool Key { get; set; }
        public string? UserName { get; set; }
        public bool Password { get; set; }
        public string? Post { get; set; }
        public string? Alias { get; set; }
        public bool Srv { get; set; }
        public bool Delta { get; set; }
        public bool Status { get; set; }
        public int Alternative { get; set; }
        public string? Condition { get; set; }
        public IReadOnlyDictionary<string, string>? Assignments { get; set; }
        public IReadOnlyList<string>? Missing { get; set; }
        public string Rule { get; set; } = string.Empty;

        public static ExpandJson From(ExpandedProfileRule r, int? row) => new ExpandJson
        {
            Row = row,
            MacAddress = r.MacAddress,
            Url = r.Url,
            Scheme = r.Scheme?.ToString().ToLowerInvariant(),
            Host = r.Host,
            Port = r.Port,
            Path = r.Path,
            Key = r.HasKey,
            UserName = r.UserName,
            Password = r.HasPassword,
            Post = r.Post,
            Alias = r.Alias,
            Srv = r.Srv,
            Delta = r.Delta,
            Status = r.Status,
            Alternative = r.AlternativeIndex,
            Condition = r.Condition,
            Assignments = r.Assignments,
            Missing = r.Missing,
            Rule = r.Rule,
        };
    }
}
