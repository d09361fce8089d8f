using System;
using System.Linq;
using PrivateProvisioning.Cli;
using Xunit;

namespace PrivateProvisioning.Tests.Consistency
{
    /// <summary>pprov builds only the verb that was typed: that verb must be the same as in the whole tree.</summary>
    public class PprovCommandTreeTests
    {
        [Fact]
        public void Each_verb_built_alone_has_the_options_and_subcommands_of_the_whole_tree()
        {
            var whole = Program.BuildRootCommand();
            Assert.True(whole.Subcommands.Count >= 10);
            foreach (var command in whole.Subcommands)
            {
                var alone = Program.BuildRootCommand(command.Name);
                var single = Assert.Single(alone.Subcommands);
                Assert.Equal(command.Name, single.Name);
                Assert.Equal(command.Options.Select(o => o.Name), single.Options.Select(o => o.Name));
                Assert.Equal(command.Subcommands.Select(c => c.Name), single.Subcommands.Select(c => c.Name));
                Assert.Equal(command.Arguments.Select(a => a.Name), single.Arguments.Select(a => a.Name));
            }
        }

        [Fact]
        public void The_options_that_start_openssl_early_are_the_signing_options_of_protect_and_unprotect()
        {
            // Program starts loading OpenSSL while it parses when these options are typed: a renamed option would
            // silently lose that, so the names are checked against the commands themselves.
            foreach (var verb in new[] { "protect", "unprotect" })
            {
                var command = Assert.Single(Program.BuildRootCommand(verb).Subcommands);
                Assert.Contains(command.Options, o => o.Name == "--sign");
                Assert.Contains(command.Options, o => o.Name == "--phone-cert");
            }
            Assert.True(CliCommands.LoadsSigningKey(new[] { "protect", "--sign", "tftp.pem", "--out", "o", "a.cnf.xml" }));
            Assert.True(CliCommands.LoadsSigningKey(new[] { "unprotect", "--phone-cert=phone.pem", "a.cnf.xml.enc.sgn" }));
            Assert.False(CliCommands.LoadsSigningKey(new[] { "protect", "--gzip", "--key-file", "k", "a.xml" }));
            Assert.False(CliCommands.LoadsSigningKey(Array.Empty<string>()));
        }

        [Fact]
        public void Every_command_class_is_listed_once_under_the_name_it_builds()
        {
            // pprov lists its commands by hand (no reflection in a native pprov): a class left out would be a verb
            // that exists in the source and not on the command line.
            var classes = typeof(Program).Assembly.GetTypes()
                .Where(t => !t.IsAbstract && !t.IsInterface && (typeof(ICliCommand).IsAssignableFrom(t) || typeof(ICliSubcommand).IsAssignableFrom(t)))
                .Select(t => t.FullName).OrderBy(n => n, StringComparer.Ordinal).ToList();
            var listed = CliCommands.Verbs.Select(v => v.Create().GetType().FullName)
                .Concat(CliCommands.Subcommands.Select(create => create().GetType().FullName))
                .OrderBy(n => n, StringComparer.Ordinal).ToList();
            Assert.Equal(classes, listed);
            foreach (var (verb, create) in CliCommands.Verbs)
                Assert.Equal(verb, create().Build().Name);
        }

        [Fact]
        public void No_command_prints_an_anonymous_object_as_json()
        {
            // --json goes through a generated serializer (CliJson) that only knows named types: an anonymous object
            // would fail at run time, in the native pprov and the runtime one alike.
            var pprovSources = System.IO.Path.Combine(Support.TestPaths.RepoRoot, "src", "pprov");
            var offenders = System.IO.Directory.GetFiles(pprovSources, "*.cs", System.IO.SearchOption.AllDirectories)
                .Where(f => !f.Contains(System.IO.Path.DirectorySeparatorChar + "obj" + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
                .Where(f => System.Text.RegularExpressions.Regex.IsMatch(System.IO.File.ReadAllText(f), @"\.Result\(\s*new\s*\{"))
                .Select(System.IO.Path.GetFileName).ToList();
            Assert.Empty(offenders);
        }

        [Fact]
        public void An_unknown_verb_or_an_option_first_gets_the_whole_tree()
        {
            var count = Program.BuildRootCommand().Subcommands.Count;
            Assert.Equal(count, Program.BuildRootCommand("resyncx").Subcommands.Count);
            Assert.Equal(count, Program.BuildRootCommand("--help").Subcommands.Count);
            Assert.Equal(count, Program.BuildRootCommand("Resync").Subcommands.Count);
        }
    }
}
