// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Java;

/// Reads Gradle dependency locks (https://docs.gradle.org/current/userguide/dependency_locking.html):
/// gradle.lockfile, one `group:artifact:version=configuration,…` line per module and an `empty=` line for
/// configurations that resolve to nothing; and the legacy gradle/dependency-locks/&lt;configuration&gt;.lockfile,
/// one `group:artifact:version` line per module.
public sealed class GradleLockfileCataloger : ICataloger
{
    /// Real lockfiles are kilobytes; a bigger file is not read into memory.
    private const long MaxSize = 64L << 20;

    public string Name => "gradle-lockfile";

    public bool Wants(FilePath path) =>
        path.FileName == "gradle.lockfile"
        || (path.Extension == ".lockfile" && (path.Directory == "gradle/dependency-locks" || path.Directory.EndsWith("/gradle/dependency-locks", StringComparison.Ordinal)));

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        if (input.Size > MaxSize)
            throw new InputException($"the file is {input.Size:N0} bytes, over the {MaxSize:N0}-byte limit for a Gradle lockfile; not read.");
        var text = await input.ReadTextAsync(ct).ConfigureAwait(false);
        // legacy files hold one configuration each, named by the file
        string? legacyConfiguration = input.Path.FileName == "gradle.lockfile" ? null : input.Path.FileName[..^".lockfile".Length];
        var packages = new PackageSightings();
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            var coordinates = eq < 0 ? line : line[..eq];
            if (coordinates == "empty") continue; // configurations that resolved to no modules
            var configurations = eq < 0
                ? (legacyConfiguration is null ? [] : [legacyConfiguration])
                : line[(eq + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (eq < 0 && legacyConfiguration is null)
                throw new InputException($"line {lineNumber}: expected 'group:artifact:version=configurations', found '{Shorten(line)}'. Regenerate the lockfile with 'gradle dependencies --write-locks'.");

            var parts = coordinates.Split(':');
            if (parts.Length != 3 || parts.Any(p => p.Length == 0 || p.Any(char.IsWhiteSpace)))
                throw new InputException($"line {lineNumber}: expected 'group:artifact:version', found '{Shorten(coordinates)}'. Regenerate the lockfile with 'gradle dependencies --write-locks'.");

            var package = MavenArtifact.Create(parts[0], parts[1], parts[2], input.LocationAt(lineNumber)) with
            {
                Scope = ScopeOf(configurations),
            };
            package = package.WithProperty("gradle:configurations", string.Join(',', configurations));
            packages.Add(package);
        }
        // a module locked on several lines (only in a damaged or hostile file) is merged once, not line by line
        return packages.Merged();
    }

    /// The strongest need among the configurations that lock the module: a test configuration (testCompileClasspath,
    /// intellijPlatformTestClasspath, …) is Dev, compile-only and annotation-processor paths are Optional, and
    /// runtime paths and configurations we do not know (build tools, custom ones) are Required.
    internal static Scope ScopeOf(IReadOnlyCollection<string> configurations)
    {
        if (configurations.Count == 0) return Scope.Required;
        return configurations.Select(ScopeOfConfiguration).Min();
    }

    private static Scope ScopeOfConfiguration(string configuration)
    {
        if (configuration.StartsWith("test", StringComparison.Ordinal) || configuration.Contains("Test", StringComparison.Ordinal))
            return Scope.Dev;
        if (configuration.EndsWith("compileClasspath", StringComparison.OrdinalIgnoreCase)
            || configuration.EndsWith("annotationProcessor", StringComparison.OrdinalIgnoreCase)
            || configuration.EndsWith("compileOnly", StringComparison.OrdinalIgnoreCase))
            return Scope.Optional; // on the compile path only: provided at run time by someone else, if at all
        return Scope.Required;
    }

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..80] + "…";
}
