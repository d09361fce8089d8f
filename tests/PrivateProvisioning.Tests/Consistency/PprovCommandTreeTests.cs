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
        public void An_unknown_verb_or_an_option_first_gets_the_whole_tree()
        {
            var count = Program.BuildRootCommand().Subcommands.Count;
            Assert.Equal(count, Program.BuildRootCommand("resyncx").Subcommands.Count);
            Assert.Equal(count, Program.BuildRootCommand("--help").Subcommands.Count);
            Assert.Equal(count, Program.BuildRootCommand("Resync").Subcommands.Count);
        }
    }
}
