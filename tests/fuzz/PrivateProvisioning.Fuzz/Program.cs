using System;
using System.IO;
using System.Linq;
using SharpFuzz;

namespace PrivateProvisioning.Fuzzing
{
    /// <summary>
    /// PrivateProvisioning.Fuzz TARGET [VECTORS]: an afl++ target (run under afl-fuzz after `sharpfuzz` instrumented
    /// PrivateProvisioning.Core.dll; tests/fuzz/run.sh does both). PrivateProvisioning.Fuzz --list names the targets;
    /// PrivateProvisioning.Fuzz TARGET --replay FILE... runs inputs once, outside afl (to reproduce a finding).
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length == 0 || args[0] == "--list")
            {
                foreach (var t in FuzzTargets.All) Console.WriteLine(t.Name);
                return args.Length == 0 ? 2 : 0;
            }
            var target = FuzzTargets.Get(args[0]);
            FuzzTargets.VectorsFolder = Environment.GetEnvironmentVariable("PPROV_FUZZ_VECTORS")
                ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "vectors"));
            if (args.Length > 1 && args[1] == "--seeds")
            {
                foreach (var f in target.Seeds(FuzzTargets.VectorsFolder)) Console.WriteLine(f);
                return 0;
            }
            if (args.Length > 1 && args[1] == "--replay")
            {
                int failed = 0;
                foreach (var file in args.Skip(2))
                {
                    try { FuzzTargets.RunOne(target, File.ReadAllBytes(file)); Console.WriteLine($"ok    {file}"); }
                    catch (Exception ex) { failed++; Console.WriteLine($"CRASH {file}: {ex}"); }
                }
                return failed == 0 ? 0 : 1;
            }
            Fuzzer.OutOfProcess.Run(stream =>
            {
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                FuzzTargets.RunOne(target, buffer.ToArray());
            });
            return 0;
        }
    }
}
