// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using Bulwark.Fuzzing;
using Bulwark.Fuzzing.Targets;

// bulwark's own mutation fuzzer: `Bulwark.Fuzzing [TARGET ...] [--seconds N | --cpu-seconds N] [--seed S] [--jobs J] [--findings DIR] [--list]
// [--in-process]` and `Bulwark.Fuzzing --replay TARGET FILE...`. A TARGET is a name or a prefix of names ("cataloger", "versions").
// With more than one target each runs in a process of its own (`--child TARGET`), unless --in-process: a worker thread
// abandoned after a timeout cannot be stopped, and in a shared process it went on allocating and CPU-burning beside
// the next targets, whose working-set checks then reported it as theirs (bench/RESULTS.md, fuzzing item 16); a
// process that dies (a stack overflow) is reported as that target's finding and the other targets go on.
var names = new List<string>();
double seconds = 20;
var cpuTime = false;
ulong seed = 1;
var jobs = 1;
var list = false;
string? replay = null;
string? findings = null;
string? repo = null;
var inProcess = false;
var child = false;
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--seconds": seconds = double.Parse(Value(), CultureInfo.InvariantCulture); cpuTime = false; break;
        case "--cpu-seconds": seconds = double.Parse(Value(), CultureInfo.InvariantCulture); cpuTime = true; break;
        case "--seed": seed = ulong.Parse(Value(), CultureInfo.InvariantCulture); break;
        case "--jobs": jobs = Math.Max(1, int.Parse(Value(), CultureInfo.InvariantCulture)); break;
        case "--findings": findings = Value(); break;
        case "--repo": repo = Value(); break;
        case "--list": list = true; break;
        case "--replay": replay = Value(); break;
        case "--in-process": inProcess = true; break;
        case "--child": child = true; inProcess = true; break;
        case "-h" or "--help":
            Console.WriteLine("usage: fuzz.sh [TARGET ...] [--seconds N | --cpu-seconds N] [--seed S] [--jobs J] [--findings DIR] [--list] [--in-process]\n       fuzz.sh --replay TARGET FILE...");
            return 0;
        default:
            if (args[i].StartsWith("--", StringComparison.Ordinal)) { Console.Error.WriteLine($"fuzz: unknown option {args[i]}"); return 2; }
            names.Add(args[i]);
            break;
    }
}

var root = repo ?? SeedFiles.FindRepositoryRoot(Environment.CurrentDirectory);
var skipped = new List<string>();
var all = FuzzTargets.All(root, skipped);

if (replay is not null)
{
    var target = all.FirstOrDefault(t => t.Name == replay);
    if (target is null) { Console.Error.WriteLine($"fuzz: no target '{replay}'; --list shows them"); return 2; }
    using var executor = new Executor(target);
    var bad = 0;
    foreach (var file in names)
    {
        var outcome = executor.Run(File.ReadAllBytes(file));
        Console.WriteLine($"{file}: {outcome}");
        if (outcome.IsFinding) { bad++; Console.WriteLine(outcome.Detail); }
    }
    return bad == 0 ? 0 : 1;
}

// in the order the names are given (a long run can put the targets that matter most first), each target once
var selected = names.Count == 0 ? all
    : names.SelectMany(n => all.Where(t => t.Name == n || t.Name.StartsWith(n.TrimEnd('*', '.') + ".", StringComparison.Ordinal)))
        .Distinct().ToList();
if (selected.Count == 0) { Console.Error.WriteLine($"fuzz: no target matches {string.Join(' ', names)}; --list shows them"); return 2; }

if (list)
{
    foreach (var t in selected) Console.WriteLine(t is CatalogerTarget c ? $"{t.Name,-36} as {c.Path}" : t.Name);
    foreach (var s in skipped) Console.WriteLine($"# cataloger {s}: no candidate path it wants; not fuzzed");
    return 0;
}

var seeds = new SeedFiles(root);
findings ??= Path.Combine(root, "artifacts", "fuzz", "findings");
var limits = new ExecutionLimits { CpuTime = cpuTime };
if (!child)
{
    Console.WriteLine($"fuzz: {selected.Count} target(s), {seconds:0.#} s{(cpuTime ? " of CPU time" : "")} each, seed {seed}, {jobs} at a time; findings go to {findings}");
    Console.WriteLine($"{"target",-36} {"execs",10} {"execs/s",9} {"seeds",6} {"classes",7} findings");
}
long executions = 0;
var total = 0;
var gate = new object();
var isolate = !inProcess && selected.Count > 1;
// one target at a time per worker, in order (the default partitioner would hand each worker a range of the list)
Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(selected.ToList(), loadBalance: true), new ParallelOptions { MaxDegreeOfParallelism = jobs }, target =>
{
    if (isolate)
    {
        var run = ChildRun.Start(target.Name, root, seed, seconds, cpuTime, findings);
        lock (gate)
        {
            foreach (var line in run.Lines) Console.WriteLine(line);
            executions += run.Executions;
            total += run.Findings;
        }
        return;
    }
    var campaign = new Campaign(target, seeds.For(target), seed, limits, findings);
    var result = campaign.Run(TimeSpan.FromSeconds(seconds));
    lock (gate)
    {
        executions += result.Executions;
        total += result.Findings.Count;
        Console.WriteLine($"{result.Target,-36} {result.Executions,10} {result.ExecutionsPerSecond,9:0} {result.Seeds,6} {result.OutcomeClasses,7} {result.Findings.Count}");
        foreach (var f in result.Findings) Console.WriteLine($"  FINDING {f.Outcome} -> {f.SavedAs}");
    }
});
Console.WriteLine(child ? $"{ChildRun.Trailer} {executions} {total}" : $"fuzz: {executions} executions, {total} finding(s)");
// a worker abandoned after a timeout may still be running: leave without waiting for it
Console.Out.Flush();
Environment.Exit(total == 0 ? 0 : 1);
return 0;
