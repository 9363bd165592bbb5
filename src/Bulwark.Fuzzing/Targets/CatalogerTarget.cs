// SPDX-License-Identifier: Apache-2.0
using System.Text;
using System.Text.Json;
using System.Xml;
using Bulwark.Cataloging;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;
using Bulwark.Fuzzing.Mutation;

namespace Bulwark.Fuzzing.Targets;

/// One cataloger from <see cref="Catalogers.BuiltIn"/>, handed the input as the one file of an in-memory tree under a
/// path it wants. Allowed: the errors a catalog run records as an unreadable file (ICataloger's contract); anything
/// else is what the run reports as "internal error in cataloger".
public sealed class CatalogerTarget(ICataloger cataloger, FilePath path) : FuzzTarget
{
    /// Paths tried, in order, to find one each cataloger wants (its file name as it appears in real trees).
    public static readonly string[] CandidatePaths =
    [
        "pom.xml", "gradle.lockfile", "lib/app.jar", "Cargo.lock", "usr/bin/app", "usr/lib/python3/site-packages/x-1.0.dist-info/METADATA",
        "pdm.lock", "Pipfile.lock", "poetry.lock", "requirements.txt", "uv.lock", "go.mod", "packages.lock.json",
        "obj/project.assets.json", "app.deps.json", "packages.config", "app.csproj", "x.nuspec", "x.1.0.0.nupkg",
        "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "node_modules/x/package.json", "Gemfile.lock",
        "specifications/x-1.0.gemspec", "x.gemspec", "composer.lock", "vendor/composer/installed.json", "pubspec.lock", "mix.lock",
        "Package.resolved", "Podfile.lock", ".github/workflows/ci.yml", "etc/os-release", "var/lib/dpkg/status",
        "lib/apk/db/installed", "var/lib/rpm/rpmdb.sqlite", "usr/local/bin/app",
    ];

    /// One target per cataloger that wants one of <see cref="CandidatePaths"/>; the rest are named in <paramref name="skipped"/>.
    public static IEnumerable<CatalogerTarget> ForAll(IReadOnlyList<ICataloger> catalogers, List<string> skipped)
    {
        foreach (var c in catalogers)
        {
            var path = CandidatePaths.Select(p => new FilePath(p)).FirstOrDefault(c.Wants);
            if (path.Value is null) skipped.Add(c.Name);
            else yield return new CatalogerTarget(c, path);
        }
    }

    public ICataloger Cataloger { get; } = cataloger;
    public FilePath Path { get; } = path;

    public override string Name => "cataloger." + Cataloger.Name;

    /// A seed is a file the cataloger wants under some tail of its path (testdata/var/lib/dpkg/status → var/lib/dpkg/status).
    public override bool IsSeed(string relativePath)
    {
        var segments = relativePath.Split('/');
        for (var i = segments.Length - 1; i >= 0; i--)
            if (Cataloger.Wants(new FilePath(string.Join('/', segments[i..])))) return true;
        return false;
    }

    public override IReadOnlyList<string> Dictionary { get; } =
        ["version", "name", "dependencies", "packages", "integrity", "resolved", "source", "checksum", "sha512-", "git+", "file:", "link:",
         "workspace:", "npm:", "@", "^1.0.0", "1.0.0", "*", "${project.version}", "<dependency>", "<version>", "[[package]]", "Package:", "Status: install ok installed"];

    public override void Run(byte[] input)
    {
        var tree = new OneFileTree(Path, input);
        using var content = new MemoryStream(input, writable: false);
        var packages = Cataloger.ReadAsync(new CatalogInput(tree, Path, content, input.Length), CancellationToken.None).GetAwaiter().GetResult();
        // what the catalog run does next with every package: merge by purl and normalise
        _ = Catalog.Merge(packages);
    }

    /// The errors <c>Catalog</c> records as an unreadable file rather than an internal error.
    public override bool IsExpected(Exception e) => Expected(e);

    internal static bool Expected(Exception e) => Catalog.IsInputError(e);

    private sealed class OneFileTree(FilePath path, byte[] content) : IFileTree
    {
        public string Description => "fuzz input";

        public IEnumerable<FileEntry> Files(Action<FilePath, string>? onWarning = null) => [new FileEntry(path, content.Length)];

        public Stream? TryOpen(FilePath other) => other == path ? new MemoryStream(content, writable: false) : null;

        public bool Exists(FilePath other) => other == path;
    }
}

/// A cataloger's read of the manifest beside its lockfile (Cargo.toml beside Cargo.lock, package.json beside yarn.lock,
/// mix.exs beside mix.lock, …): the input is that sibling, and a fixed small lockfile is the file catalogued, so the
/// sibling's reader (which the one-file targets never reach) meets hostile bytes. Allowed: as
/// <see cref="CatalogerTarget"/>.
public sealed class SiblingTarget(string name, ICataloger cataloger, string mainPath, string mainText, string siblingPath) : FuzzTarget
{
    public static IEnumerable<FuzzTarget> All()
    {
        ICataloger By(string n) => Catalogers.BuiltIn.Single(c => c.Name == n);
        return
        [
            new SiblingTarget("sibling.cargo-toml", By("cargo-lock"), "Cargo.lock",
                "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\"serde\"]\n\n[[package]]\nname = \"serde\"\nversion = \"1.0.200\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"" + new string('a', 64) + "\"\n",
                "Cargo.toml"),
            new SiblingTarget("sibling.go-sum", By("go-mod"), "go.mod",
                "module example.com/app\n\ngo 1.22\n\nrequire (\n\tgolang.org/x/text v0.14.0\n\tgithub.com/a/b v1.2.3 // indirect\n)\n", "go.sum"),
            new SiblingTarget("sibling.pubspec-yaml", By("pubspec-lock"), "pubspec.lock",
                "packages:\n  http:\n    dependency: \"direct main\"\n    description:\n      name: http\n      url: \"https://pub.dev\"\n    source: hosted\n    version: \"1.2.1\"\nsdks:\n  dart: \">=3.3.0 <4.0.0\"\n",
                "pubspec.yaml"),
            new SiblingTarget("sibling.pyproject-toml", By("python-poetry-lock"), "poetry.lock",
                "[[package]]\nname = \"requests\"\nversion = \"2.32.3\"\ndescription = \"\"\noptional = false\npython-versions = \">=3.8\"\nfiles = []\n\n[metadata]\nlock-version = \"2.0\"\npython-versions = \"^3.11\"\ncontent-hash = \"" + new string('0', 64) + "\"\n",
                "pyproject.toml"),
            new SiblingTarget("sibling.gemfile", By("gemfile-lock"), "Gemfile.lock",
                "GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (3.0.8)\n\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n  rack (~> 3.0)\n\nBUNDLED WITH\n   2.5.3\n",
                "Gemfile"),
            new SiblingTarget("sibling.package-json", By("yarn-lock"), "yarn.lock",
                "# yarn lockfile v1\n\n\nms@^2.1.0:\n  version \"2.1.3\"\n  resolved \"https://registry.yarnpkg.com/ms/-/ms-2.1.3.tgz\"\n  integrity sha512-" + new string('A', 86) + "==\n",
                "package.json"),
            new SiblingTarget("sibling.mix-exs", By("mix-lock"), "mix.lock",
                "%{\n  \"jason\": {:hex, :jason, \"1.4.1\", \"" + new string('a', 64) + "\", [:mix], [], \"hexpm\", \"" + new string('b', 64) + "\"},\n}\n",
                "mix.exs"),
            new SiblingTarget("sibling.composer-json", By("composer-lock"), "composer.lock",
                "{\"packages\": [{\"name\": \"monolog/monolog\", \"version\": \"3.5.0\", \"type\": \"library\"}], \"packages-dev\": []}", "composer.json"),
        ];
    }

    private readonly FilePath _main = new(mainPath);
    private readonly FilePath _sibling = new(siblingPath);
    private readonly byte[] _mainBytes = Encoding.UTF8.GetBytes(mainText);

    public override string Name => name;

    public override InputFormat Format => _sibling.Extension switch
    {
        ".json" => InputFormat.Json,
        ".yaml" => InputFormat.Yaml,
        ".props" => InputFormat.Xml,
        _ => InputFormat.TomlLike,
    };

    public override bool IsSeed(string relativePath) =>
        relativePath.EndsWith("/" + _sibling.FileName, StringComparison.Ordinal) && !relativePath.Contains("node_modules/", StringComparison.Ordinal);

    public override IReadOnlyList<string> Dictionary { get; } =
        ["dependencies", "dev-dependencies", "devDependencies", "[dependencies]", "[tool.poetry.dependencies]", "gem ", "group :test do", "end",
         "deps do", "{:jason, \"~> 1.4\"}", "require", "require-dev", "workspace", "path = ", "git = ", "h1:", "/go.mod h1:", "^1.0.0"];

    public override void Run(byte[] input)
    {
        var tree = new MemoryFileTree(new Dictionary<FilePath, byte[]> { [_main] = _mainBytes, [_sibling] = input });
        using var content = new MemoryStream(_mainBytes, writable: false);
        var packages = cataloger.ReadAsync(new CatalogInput(tree, _main, content, _mainBytes.Length), CancellationToken.None).GetAwaiter().GetResult();
        _ = Catalog.Merge(packages);
    }

    public override bool IsExpected(Exception e) => CatalogerTarget.Expected(e);
}
