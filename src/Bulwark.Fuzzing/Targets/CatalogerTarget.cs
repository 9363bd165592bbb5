// SPDX-License-Identifier: Apache-2.0
using System.Text;
using System.Text.Json;
using System.Xml;
using Bulwark.Cataloging;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

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
    public override bool IsExpected(Exception e) => e is InputException or FormatException or JsonException or XmlException
        or InvalidDataException or IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException
        or DecoderFallbackException or InvalidPurlException;

    private sealed class OneFileTree(FilePath path, byte[] content) : IFileTree
    {
        public string Description => "fuzz input";

        public IEnumerable<FileEntry> Files(Action<FilePath, string>? onWarning = null) => [new FileEntry(path, content.Length)];

        public Stream? TryOpen(FilePath other) => other == path ? new MemoryStream(content, writable: false) : null;

        public bool Exists(FilePath other) => other == path;
    }
}
