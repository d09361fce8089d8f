using System;
using System.Collections.Generic;
using System.Diagnostics;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Rules;

// A short Stopwatch benchmark (the machine is shared; BenchmarkDotNet's full runs are too long for it).
// Each figure is the best of 5 runs after a warm-up.
const string Rule = "($SWVER ge 2.0.6 and $PRVTMR ge 600)? (d = \"$MA\" ; User_ID_1_ = \"uid$B\" ;)! [--key $SA --post c] https://prov.example.com:8443/$B/$PSN/$(MAU:0:6)/$MA.xml | [--alias b] http://prov.example.com/legacy/spa$MA.cfg";
const int Phones = 100_000;

var contexts = new List<MacroContext>(Phones);
for (int i = 0; i < Phones; i++)
    contexts.Add(new MacroContext(MacAddress.FromInt64(0x000E08000000L + i), "SN" + i, i % 2 == 0 ? "SPA502G" : "CP-8851-3PCC",
        new Dictionary<string, string> { ["B"] = "site" + (i % 50), ["SWVER"] = "7.5." + (i % 9), ["PRVTMR"] = (i % 1200).ToString(), ["SA"] = "k" }));

Measure("parse", 100_000, n => { for (int i = 0; i < n; i++) ProfileRule.Parse(Rule); });
var rule = ProfileRule.Parse(Rule);
Measure("evaluate", Phones, n => { for (int i = 0; i < n; i++) rule.Evaluate(contexts[i]); });
Measure("expand $MA url", Phones, n => { for (int i = 0; i < n; i++) MacroExpander.Expand("tftp://prov/$B/$MA.cfg", contexts[i]); });

static void Measure(string name, int n, Action<int> run)
{
    run(Math.Min(n, 2000));
    double best = double.MaxValue;
    for (int r = 0; r < 5; r++)
    {
        var sw = Stopwatch.StartNew();
        run(n);
        best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
    }
    Console.WriteLine($"{name,-16} {n,8} items  {best,8:F1} ms  {n / best * 1000,12:N0} items/s  {best * 1000 / n,6:F2} µs/item");
}
