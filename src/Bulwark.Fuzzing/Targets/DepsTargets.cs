// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Cataloging.FileSources;
using Bulwark.Fuzzing.Mutation;
using Bulwark.Hygiene.Dependencies;
using Bulwark.Hygiene.Secrets;

namespace Bulwark.Fuzzing.Targets;

/// One manifest or lockfile as `deps check` reads it (src/Bulwark.Hygiene.Dependencies, whose readers are its own:
/// TOML, JSON, yarn.lock, pnpm-lock YAML events, PEP 508/440, npm specs, the content hashes). The input is the file
/// at <paramref name="path"/> of an in-memory tree; <paramref name="companions"/> are the files that make the check
/// read it (a lockfile is read through its manifest). Allowed: nothing. A file `deps check` cannot read is recorded
/// as unreadable in its report, so any exception out of the check is a crash of the whole verb.
public sealed class DepsTarget(string name, string path, params (string Path, string Text)[] companions) : FuzzTarget
{
    private const string PackageJson = """{ "name": "app", "dependencies": { "ms": "^2.1.0", "left-pad": "1.3.0" }, "devDependencies": { "@types/node": "*" } }""";
    private const string PyProject = "[project]\nname = \"app\"\ndependencies = [\"requests>=2\", \"flask==3.0.0\"]\n\n[tool.poetry.dependencies]\npython = \"^3.11\"\nrequests = \"^2.31\"\n";

    public static IEnumerable<FuzzTarget> All() =>
    [
        new DepsTarget("deps.package-json", "package.json"),
        new DepsTarget("deps.package-lock", "package-lock.json", ("package.json", PackageJson)),
        new DepsTarget("deps.yarn-lock", "yarn.lock", ("package.json", PackageJson)),
        new DepsTarget("deps.pnpm-lock", "pnpm-lock.yaml", ("package.json", PackageJson)),
        new DepsTarget("deps.npm-installed", "node_modules/ms/package.json", ("package.json", PackageJson)),
        new DepsTarget("deps.npmrc", ".npmrc"),
        new DepsTarget("deps.pyproject", "pyproject.toml"),
        new DepsTarget("deps.poetry-lock", "poetry.lock", ("pyproject.toml", PyProject)),
        new DepsTarget("deps.uv-lock", "uv.lock", ("pyproject.toml", PyProject)),
        new DepsTarget("deps.pipfile", "Pipfile"),
        new DepsTarget("deps.pipfile-lock", "Pipfile.lock", ("Pipfile", "[packages]\nrequests = \"*\"\n")),
        new DepsTarget("deps.requirements", "requirements.txt"),
        new DepsTarget("deps.dotnet-project", "App.csproj"),
        new DepsTarget("deps.nuget-lock", "packages.lock.json",
            ("App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><RestorePackagesWithLockFile>true</RestorePackagesWithLockFile></PropertyGroup><ItemGroup><PackageReference Include=\"Newtonsoft.Json\" Version=\"13.0.3\" /></ItemGroup></Project>")),
        new DepsTarget("deps.nuget-config", "nuget.config"),
        new DepsTarget("deps.go-mod", "go.mod"),
        new DepsTarget("deps.go-sum", "go.sum", ("go.mod", "module example.com/app\n\ngo 1.22\n\nrequire golang.org/x/text v0.14.0\n")),
        new DepsTarget("deps.cargo-toml", "Cargo.toml"),
        new DepsTarget("deps.cargo-lock", "Cargo.lock", ("Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\n\n[dependencies]\nserde = \"1\"\n")),
        new DepsTarget("deps.cargo-config", ".cargo/config.toml"),
        new DepsTarget("deps.gemfile", "Gemfile"),
        new DepsTarget("deps.gemfile-lock", "Gemfile.lock", ("Gemfile", "source \"https://rubygems.org\"\ngem \"rails\", \"~> 7.1\"\n")),
        new DepsTarget("deps.composer-json", "composer.json"),
        new DepsTarget("deps.composer-lock", "composer.lock", ("composer.json", """{ "require": { "monolog/monolog": "^3.0" } }""")),
    ];

    private readonly FilePath _path = new(path);

    public override string Name => name;

    public override InputFormat Format => _path.Extension switch
    {
        ".json" => InputFormat.Json,
        ".yaml" => InputFormat.Yaml,
        ".csproj" or ".config" => InputFormat.Xml,
        // TOML and the line-oriented files: Cargo.lock, poetry.lock, uv.lock, Pipfile, go.mod, go.sum, Gemfile, yarn.lock, .npmrc
        _ => InputFormat.TomlLike,
    };

    /// Files of the same name anywhere in the test data and corpora.
    public override bool IsSeed(string relativePath) =>
        relativePath.EndsWith("/" + _path.FileName, StringComparison.Ordinal)
        && (_path.FileName != "package.json" || relativePath.Contains("node_modules/", StringComparison.Ordinal) == _path.Value.StartsWith("node_modules/", StringComparison.Ordinal));

    public override IEnumerable<byte[]> ExtraSeeds() => companions.Length == 0 ? [] : [Encoding.UTF8.GetBytes(companions[0].Text)];

    public override IReadOnlyList<string> Dictionary { get; } =
        ["git+https://github.com/a/b.git", "github:a/b", "file:../x", "link:../x", "http://", "https://registry.npmjs.org/", "*", "latest",
         ">=1.0", "^1.0.0", "~1.2", "==1.0.0", "--index-url", "-e ", "git+ssh://", "preinstall", "postinstall", "integrity", "resolved",
         "version", "dependencies", "[[package]]", "source = ", "checksum", "path = ", "registry = ", "content-hash", "_meta", "hash"];

    public override void Run(byte[] input)
    {
        var files = new Dictionary<FilePath, byte[]> { [_path] = input };
        foreach (var (p, text) in companions) files[new FilePath(p)] = Encoding.UTF8.GetBytes(text);
        _ = DependencyCheck.Run(new MemoryFileTree(files), "fuzz", DependencyCheckOptions.Default);
    }

    public override bool IsExpected(Exception e) => false;
}

/// The settings files `.bulwark/secrets.yaml` and `.bulwark/deps.yaml` and a `secrets --baseline` file: read from a
/// file of this process's own.
/// Allowed: <see cref="Bulwark.Core.InputException"/> (the verb's usage error for a bad config).
public sealed class SettingsTarget(string name, string fileName, Action<string> load) : FuzzTarget
{
    public static IEnumerable<FuzzTarget> All() =>
    [
        new SettingsTarget("settings.secrets", "secrets.yaml", p => SecretsConfig.Load(p, SecretRules.BuiltIn.Select(r => r.Id))),
        new SettingsTarget("settings.deps", "deps.yaml", p => DepsConfig.Load(p)),
        new SettingsTarget("settings.secrets-baseline", "baseline.json", p => SecretBaseline.Load(p)),
    ];

    public override string Name => name;
    public override InputFormat Format => fileName.EndsWith(".json", StringComparison.Ordinal) ? InputFormat.Json : InputFormat.Yaml;

    public override bool IsSeed(string relativePath) => relativePath.EndsWith("/" + fileName, StringComparison.Ordinal);

    public override IEnumerable<byte[]> ExtraSeeds() => new[]
    {
        "allow:\n  paths: [\"docs/**\", \"**/testdata/**\"]\n  regexes: [\"^AKIA[A-Z0-9]{12}TEST$\"]\n  stopwords: [\"sandbox\"]\nrules:\n  disable: [\"jwt\"]\n",
        "registries:\n  - https://npm.example.internal/\n  - https://pkgs.example.internal/pypi/simple/\nrules:\n  disable: [\"BW-DEP-007\"]\n",
        "{\n  \"version\": 1,\n  \"findings\": [\n    { \"fingerprint\": \"aws-access-key:src/a.py:3:1c8b\" }\n  ]\n}\n",
    }.Select(Encoding.UTF8.GetBytes);

    public override IReadOnlyList<string> Dictionary { get; } = ["allow:", "paths:", "regexes:", "stopwords:", "rules:", "disable:", "registries:", "- ", "[", "]", "&a", "*a", "%TAG ! "];

    public override void Run(byte[] input)
    {
        // a file per run: tests run targets side by side, and a worker abandoned after a timeout may still hold one
        var file = Path.Combine(Path.GetTempPath(), $"bulwark-fuzz-{Guid.NewGuid():N}-{fileName}");
        File.WriteAllBytes(file, input);
        try
        {
            load(file);
        }
        finally
        {
            File.Delete(file);
        }
    }
}

/// Files held in memory, by path.
internal sealed class MemoryFileTree(IReadOnlyDictionary<FilePath, byte[]> files) : IFileTree
{
    public string Description => "fuzz input";

    public IEnumerable<FileEntry> Files(Action<FilePath, string>? onWarning = null) => files.Select(f => new FileEntry(f.Key, f.Value.Length));

    public Stream? TryOpen(FilePath path) => files.TryGetValue(path, out var content) ? new MemoryStream(content, writable: false) : null;

    public bool Exists(FilePath path) => files.ContainsKey(path);
}
