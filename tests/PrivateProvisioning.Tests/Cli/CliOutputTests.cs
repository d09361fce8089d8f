using System;
using System.IO;
using System.Linq;
using System.Threading;
using PrivateProvisioning.Cli;
using Xunit;

namespace PrivateProvisioning.Tests.Cli
{
    /// <summary>pprov's batched printing: one write for many lines, but no line held back once the work goes quiet.</summary>
    public class CliOutputTests
    {
        [Fact]
        public void A_lone_line_goes_out_without_another_line_to_push_it()
        {
            var printed = new StringWriter();
            var stdout = TextWriter.Synchronized(printed); // written on the timer's thread, read here
            string Printed() { lock (stdout) return printed.ToString(); }
            string WaitForLines(int count)
            {
                // Printed within 100 ms; waited for up to 10 s on a loaded machine.
                var deadline = DateTime.UtcNow.AddSeconds(10);
                while (Printed().Count(c => c == '\n') < count && DateTime.UtcNow < deadline) Thread.Sleep(10);
                return Printed();
            }
            var output = new CliOutput(false, stdout, new StringWriter());
            using (output.Batched())
            {
                // A slow file comes next: the line before it is printed anyway.
                output.Text("Created   ", "/srv/tftp/SEP001122334455.cnf.xml.sgn");
                Assert.Equal("Created   /srv/tftp/SEP001122334455.cnf.xml.sgn" + Environment.NewLine, WaitForLines(1));
                // And the next quiet spell prints the next line.
                output.Text("Unchanged ", "/srv/tftp/SEP001122334466.cnf.xml.sgn");
                Assert.EndsWith(Environment.NewLine + "Unchanged /srv/tftp/SEP001122334466.cnf.xml.sgn" + Environment.NewLine, WaitForLines(2));
            }
        }

        [Fact]
        public void Many_lines_from_a_busy_run_come_out_whole_and_in_order()
        {
            var stdout = new StringWriter();
            var output = new CliOutput(false, stdout, new StringWriter());
            var lines = Enumerable.Range(0, 20_000).Select(i => $"Created   /srv/tftp/{i:X12}.xml").ToArray();
            using (output.Batched())
                foreach (var line in lines) output.Text(line);
            Assert.Equal(string.Concat(lines.Select(l => l + Environment.NewLine)), stdout.ToString());
        }
    }
}
