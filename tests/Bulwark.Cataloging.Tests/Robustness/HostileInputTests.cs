// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;
using Bulwark.Cataloging.Tests.Ecosystems.Java;
using Bulwark.Testing;

namespace Bulwark.Cataloging.Tests.Robustness;

/// Damaged copies of every kind of file each cataloger reads (real lockfiles from the corpus and the scenario files
/// of the tests) must give packages or an unreadable file with an input reason: never an internal error, an
/// exception out of the run, or a hang. A failing input is saved under the temp directory for a regression file.
public sealed class HostileInputTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);

    /// Seeds per cataloger: today every file (maven-pom has the most, 20); spread samples if the test data grows.
    private static readonly int MaxSeeds = int.TryParse(Environment.GetEnvironmentVariable("BULWARK_HOSTILE_SEEDS"), out var n) ? n : 24;

    /// Another salt gives other damage from the same seeds (the default keeps runs repeatable).
    private static readonly string Salt = Environment.GetEnvironmentVariable("BULWARK_HOSTILE_SALT") ?? "";

    private static readonly string TestData = TestPaths.Project("Bulwark.Cataloging.Tests");

    public static IEnumerable<string> Roots =>
    [
        TestPaths.Lockfiles,
        Path.Combine(TestData, "Ecosystems"),
        Path.Combine(TestData, "Robustness", "testdata"),
    ];

    public static TheoryData<string> CatalogerNames() => [.. Catalogers.BuiltIn.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(CatalogerNames))]
    public async Task Damaged_copies_of_every_seed_are_read_or_recorded_as_unreadable_input(string name)
    {
        var cataloger = Catalogers.BuiltIn.Single(c => c.Name == name);
        var failures = new List<string>();
        var runs = 0;
        foreach (var (root, seed) in Seeds(cataloger))
        {
            var bytes = root.Length == 0 ? Generated(seed) : await File.ReadAllBytesAsync(Path.Combine(root, seed.Value));
            var random = new Random(Mutations.StableHash(Salt + name + "/" + seed.Value));
            using var dir = new TempDirectory();
            var neighbours = CopyNeighbours(cataloger, root, seed, dir.Path);
            var target = Path.Combine(dir.Path, seed.Value);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (root.Length == 0)
            {
                // a generated seed must be read, or its damaged copies would test nothing
                await File.WriteAllBytesAsync(target, bytes);
                var intact = await Catalog.RunAsync(new DirectoryFileTree(dir.Path), [cataloger]);
                Assert.True(intact.Packages.Count > 0 && intact.Unreadable.Count == 0, $"the generated {seed} gave {intact.Packages.Count} packages");
            }
            foreach (var (mutation, damaged) in Mutations.All(bytes, random))
            {
                await File.WriteAllBytesAsync(target, damaged);
                runs++;
                if (await RunAsync(cataloger, dir.Path) is { } failure)
                    failures.Add($"{seed} ({mutation}): {failure}; saved as {Save(name, seed, mutation, damaged)}");
            }
            // then the lockfile intact and each neighbour damaged (package.json, pyproject.toml, go.sum, a project file…)
            await File.WriteAllBytesAsync(target, bytes);
            foreach (var neighbour in neighbours)
            {
                var path = Path.Combine(dir.Path, neighbour.Value);
                var intact = await File.ReadAllBytesAsync(path);
                foreach (var (mutation, damaged) in Mutations.All(intact, random))
                {
                    await File.WriteAllBytesAsync(path, damaged);
                    runs++;
                    if (await RunAsync(cataloger, dir.Path) is { } failure)
                        failures.Add($"{seed} with {neighbour.FileName} ({mutation}): {failure}; saved as {Save(name, neighbour, mutation, damaged)}");
                }
                await File.WriteAllBytesAsync(path, intact);
            }
        }
        Assert.True(runs > 0, $"no seed file for {name}");
        Assert.True(failures.Count == 0, $"{failures.Count} of {runs} damaged files failed:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task Random_bytes_named_like_each_wanted_file_are_recorded_as_unreadable_or_read_as_nothing()
    {
        using var dir = new TempDirectory();
        var random = new Random(20261122);
        string[] names =
        [
            "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "node_modules/x/package.json",
            "poetry.lock", "Pipfile.lock", "uv.lock", "pdm.lock", "requirements.txt", "site/x-1.0.dist-info/METADATA",
            "pom.xml", "gradle.lockfile", "app.jar", "lib.war", "Cargo.lock", "go.mod", "bin/app", "app.exe",
            "packages.lock.json", "obj/project.assets.json", "app.deps.json", "packages.config", "app.csproj", "x.nuspec", "x.nupkg",
            "Gemfile.lock", "specifications/x-1.0.gemspec", "composer.lock", "vendor/composer/installed.json",
            "pubspec.lock", "mix.lock", "Package.resolved", "Podfile.lock", ".github/workflows/ci.yml",
        ];
        foreach (var name in names)
        {
            var path = Path.Combine(dir.Path, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var bytes = new byte[64 * 1024];
            random.NextBytes(bytes);
            await File.WriteAllBytesAsync(path, bytes);
        }
        var tree = new DirectoryFileTree(dir.Path);
        var wanted = tree.Files().Count(f => Catalogers.BuiltIn.Any(c => c.Wants(f.Path)));
        Assert.Equal(names.Length, wanted);

        var result = await WithinAsync(Catalog.RunAsync(tree, Catalogers.BuiltIn), Limit);

        Assert.Empty(result.Packages);
        Assert.All(result.Unreadable, u => Assert.False(u.Reason.StartsWith("internal error", StringComparison.Ordinal), $"{u.Location}: {u.Reason}"));
        // a jar that is not a zip says so
        Assert.Equal("not a zip archive: no end of central directory record in its last 64 KiB.",
            result.Unreadable.Single(u => u.Location.Path == "app.jar" && u.Cataloger == "java-archive").Reason);
    }

    [Fact]
    public async Task A_50_MB_single_line_file_named_like_each_text_lockfile_is_handled_quickly()
    {
        using var dir = new TempDirectory();
        var line = new byte[50 << 20];
        var pattern = "{\"a\": \"b==1.0 \\\\ \", [x] = 'y' #"u8;
        for (var i = 0; i < line.Length; i++) line[i] = pattern[i % pattern.Length];
        var slow = new List<string>();
        foreach (var name in new[] { "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "poetry.lock", "requirements.txt", "pom.xml",
                     "gradle.lockfile", "Cargo.lock", "go.mod", "Gemfile.lock", "composer.lock", "pubspec.lock", "mix.lock",
                     "Podfile.lock", "packages.lock.json", "app.csproj", ".github/workflows/ci.yml", "Package.resolved", "uv.lock" })
        {
            var path = Path.Combine(dir.Path, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, line);
            var started = DateTime.UtcNow;
            var result = await WithinAsync(Catalog.RunAsync(new DirectoryFileTree(dir.Path), Catalogers.BuiltIn), TimeSpan.FromSeconds(20));
            Assert.All(result.Unreadable, u => Assert.False(u.Reason.StartsWith("internal error", StringComparison.Ordinal), $"{u.Location}: {u.Reason}"));
            if (DateTime.UtcNow - started is { TotalSeconds: > 10 } took) slow.Add($"{name} took {took}");
            File.Delete(path);
        }
        Assert.Empty(slow);
    }

    [Fact]
    public async Task A_1_GB_sparse_lockfile_is_reported_too_large_without_reading_it()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "package-lock.json");
        await using (var f = new FileStream(path, FileMode.CreateNew)) f.SetLength(1L << 30);

        var result = await WithinAsync(Catalog.RunAsync(new DirectoryFileTree(dir.Path), Catalogers.BuiltIn), Limit);

        var u = Assert.Single(result.Unreadable);
        Assert.Equal("npm-package-lock", u.Cataloger);
        Assert.Equal("file is too large for npm-package-lock: 1,073,741,824 bytes, over its 268,435,456-byte limit; not read", u.Reason);
    }

    [Fact]
    public async Task A_300_MB_sparse_archive_and_neighbour_are_handled_quickly()
    {
        using var dir = new TempDirectory();
        foreach (var name in new[] { "app.jar", "x.nupkg", "go.mod", "go.sum", "package-lock.json", "package.json" })
        {
            await using var f = new FileStream(Path.Combine(dir.Path, name), FileMode.CreateNew);
            if (name == "go.mod") await f.WriteAsync("module example.com/app\n\ngo 1.22\n\nrequire example.com/a v1.0.0\n"u8.ToArray());
            else if (name == "package-lock.json") await f.WriteAsync("{\"lockfileVersion\": 1, \"dependencies\": {\"a\": {\"version\": \"1.0.0\"}}}"u8.ToArray());
            else f.SetLength(300L << 20);
        }

        var result = await WithinAsync(Catalog.RunAsync(new DirectoryFileTree(dir.Path), Catalogers.BuiltIn), Limit);

        Assert.Equal(["app.jar", "go.mod", "package-lock.json", "x.nupkg"], result.Unreadable.Select(u => u.Location.Path).Order(StringComparer.Ordinal));
        Assert.All(result.Unreadable, u => Assert.False(u.Reason.StartsWith("internal error", StringComparison.Ordinal), $"{u.Location}: {u.Reason}"));
        Assert.Contains("go.sum: file is too large", result.Unreadable.Single(u => u.Location.Path == "go.mod").Reason, StringComparison.Ordinal);
        Assert.Contains("package.json: file is too large", result.Unreadable.Single(u => u.Location.Path == "package-lock.json").Reason, StringComparison.Ordinal);
    }

    /// Files the cataloger wants under the roots, spread over each root's sorted list, at most <see cref="MaxSeeds"/>.
    private static IEnumerable<(string Root, FilePath Path)> Seeds(ICataloger cataloger)
    {
        var all = new List<(string, FilePath)>();
        foreach (var root in Roots.Where(Directory.Exists))
        {
            all.AddRange(new DirectoryFileTree(root).Files()
                .Where(f => cataloger.Wants(f.Path) && f.Size > 0 && f.Size < (4 << 20))
                .Select(f => (root, f.Path))
                .OrderBy(x => x.Path));
        }
        // archives have no files among the test data (their tests build them): a small one is built here
        all.AddRange(new FilePath[] { "lib/app-1.0.jar", "packages/acme.widgets.1.2.0.nupkg" }.Where(cataloger.Wants).Select(p => ("", p)));
        if (all.Count <= MaxSeeds) return all;
        return Enumerable.Range(0, MaxSeeds).Select(i => all[i * all.Count / MaxSeeds]);
    }

    internal static byte[] Generated(FilePath seed) => seed.Extension switch
    {
        ".jar" => new JarBuilder()
            .Manifest(("Implementation-Title", "app"), ("Implementation-Version", "1.0"))
            .PomProperties("com.example", "app", "1.0")
            .Text("META-INF/maven/com.example/app/pom.xml", "<project><groupId>com.example</groupId><artifactId>app</artifactId><version>1.0</version>"
                + "<licenses><license><name>MIT</name></license></licenses></project>")
            .Nested("BOOT-INF/lib/lib-2.0.jar", new JarBuilder().PomProperties("com.example", "lib", "2.0"))
            .Build(),
        ".nupkg" => new JarBuilder()
            .Text("Acme.Widgets.nuspec", "<?xml version=\"1.0\"?><package xmlns=\"http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd\">"
                + "<metadata><id>Acme.Widgets</id><version>1.2.0</version><authors>Acme</authors><license type=\"expression\">MIT</license>"
                + "<dependencies><group targetFramework=\"net8.0\"><dependency id=\"Newtonsoft.Json\" version=\"13.0.3\" /></group></dependencies></metadata></package>")
            .Build(),
        _ => throw new ArgumentException($"no generated seed for {seed}"),
    };

    // the seed's neighbours in its own directory, undamaged: a damaged lockfile is read with its manifest beside it
    private static List<FilePath> CopyNeighbours(ICataloger cataloger, string root, FilePath seed, string to)
    {
        var copied = new List<FilePath>();
        if (cataloger is not IReadsNeighbours reads || root.Length == 0) return copied;
        var from = Path.Combine(root, seed.Directory);
        foreach (var file in Directory.EnumerateFiles(from).Order(StringComparer.Ordinal))
        {
            var relative = seed.Sibling(Path.GetFileName(file));
            if (relative == seed || cataloger.Wants(relative) || !reads.MayRead(relative) || new FileInfo(file).Length > (1 << 20)) continue;
            var target = Path.Combine(to, relative.Value);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            copied.Add(relative);
        }
        return copied;
    }

    /// The failure, or null when the run recorded only packages and input errors.
    private static async Task<string?> RunAsync(ICataloger cataloger, string dir)
    {
        var run = Task.Run(() => Catalog.RunAsync(new DirectoryFileTree(dir), [cataloger], new CatalogOptions { MaxParallelism = 1 }));
        if (await Task.WhenAny(run, Task.Delay(Limit)) != run) return $"no result within {Limit.TotalSeconds} s";
        if (run.Exception is { } e) return $"the run threw {e.InnerException?.GetType().Name}: {e.InnerException?.Message}";
        return run.Result.Unreadable.FirstOrDefault(u => u.Reason.StartsWith("internal error", StringComparison.Ordinal))?.Reason;
    }

    private static async Task<T> WithinAsync<T>(Task<T> task, TimeSpan limit)
    {
        Assert.True(await Task.WhenAny(task, Task.Delay(limit)) == task, $"no result within {limit.TotalSeconds} s");
        return await task;
    }

    private static string Save(string cataloger, FilePath seed, string mutation, byte[] bytes)
    {
        var dir = Path.Combine(Path.GetTempPath(), "bulwark-hostile", cataloger);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, $"{mutation}-{seed.FileName}");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("bulwark-hostile-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
