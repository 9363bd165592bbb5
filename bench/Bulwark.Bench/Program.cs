// SPDX-License-Identifier: Apache-2.0
// Phase timings for `bulwark sbom` on a directory, to find where time goes (bench/README in RESULTS.md):
//   dotnet run -c Release --project bench/Bulwark.Bench -- DIR
using System.Diagnostics;
using Bulwark.Cataloging;
using Bulwark.Cataloging.FileSources;

var dir = args.Length > 0 ? args[0] : ".";
for (var round = 0; round < 3; round++)
{
    var sw = Stopwatch.StartNew();
    var tree = new DirectoryFileTree(dir);
    var files = tree.Files().ToList();
    var walk = sw.Elapsed.TotalMilliseconds;
    Console.WriteLine($"round {round}: walk {files.Count} files {walk:F0} ms");
    foreach (var c in Catalogers.BuiltIn)
    {
        sw.Restart();
        var n = 0;
        foreach (var f in files) if (c.Wants(f.Path)) n++;
        var wants = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        var result = await Catalog.RunAsync(tree, [c]);
        var run = sw.Elapsed.TotalMilliseconds;
        if (n > 0 || wants > 2) Console.WriteLine($"  {c.Name,-26} wants {n,6} files in {wants,6:F1} ms; run {run,7:F0} ms, {result.Packages.Count} packages");
    }
}
