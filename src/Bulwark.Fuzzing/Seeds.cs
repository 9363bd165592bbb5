// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Fuzzing;

/// Where seeds come from: every file under tests/**/testdata and ../shared/corpora (beside the repository, found
/// the way tests/Shared/TestPaths finds it), named by a '/'-separated path relative to tests/ or to corpora/.
public sealed class SeedFiles
{
    private const long MaxSeedBytes = 1 << 20;
    private readonly List<(string Relative, string Full)> _files = [];

    public SeedFiles(string repositoryRoot)
    {
        RepositoryRoot = repositoryRoot;
        var tests = Path.Combine(repositoryRoot, "tests");
        if (Directory.Exists(tests))
            foreach (var file in Directory.EnumerateFiles(tests, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(tests, file).Replace('\\', '/');
                // the fuzzer's own regression files are replayed by the tests, not used as seeds
                if (relative.Contains("/testdata/", StringComparison.Ordinal) && !relative.StartsWith("Bulwark.Fuzzing.Tests/", StringComparison.Ordinal)
                    && !relative.Contains("/bin/", StringComparison.Ordinal) && !relative.Contains("/obj/", StringComparison.Ordinal))
                    _files.Add((relative, file));
            }
        var corpora = Path.GetFullPath(Path.Combine(repositoryRoot, "..", "shared", "corpora"));
        if (Directory.Exists(corpora))
            foreach (var file in Directory.EnumerateFiles(corpora, "*", SearchOption.AllDirectories))
                _files.Add(("corpora/" + Path.GetRelativePath(corpora, file).Replace('\\', '/'), file));
        _files.Sort((a, b) => string.CompareOrdinal(a.Relative, b.Relative));
    }

    public string RepositoryRoot { get; }

    public int Count => _files.Count;

    /// The seeds of one target: its matching files (at most <paramref name="max"/>, spread evenly over the sorted
    /// list, each at most 1 MiB) and the ones it builds itself. Never empty: an empty input is the last resort.
    public List<byte[]> For(FuzzTarget target, int max = 300)
    {
        ArgumentNullException.ThrowIfNull(target);
        var matching = _files.Where(f => target.IsSeed(f.Relative)).ToList();
        var pieces = new List<byte[]>();
        foreach (var (_, full) in matching)
        {
            var info = new FileInfo(full);
            if (info.Length > MaxSeedBytes) continue;
            pieces.AddRange(target.SeedsFrom(File.ReadAllBytes(full)));
        }
        var step = Math.Max(1.0, pieces.Count / (double)max);
        var seeds = new List<byte[]>();
        for (var i = 0.0; i < pieces.Count && seeds.Count < max; i += step) seeds.Add(pieces[(int)i]);
        seeds.AddRange(target.ExtraSeeds());
        if (seeds.Count == 0) seeds.Add([]);
        return seeds;
    }

    /// The repository root above <paramref name="start"/> (the directory holding Bulwark.slnx).
    public static string FindRepositoryRoot(string start)
    {
        var dir = new DirectoryInfo(start);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Bulwark.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException($"Cannot find Bulwark.slnx above {start}; run from the repository or pass --repo.");
    }
}
