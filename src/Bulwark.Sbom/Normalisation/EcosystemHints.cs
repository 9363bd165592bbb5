// SPDX-License-Identifier: Apache-2.0
using System.Collections.Frozen;
using Bulwark.Core;

namespace Bulwark.Sbom.Normalisation;

/// One statement in a document about which ecosystem a component belongs to: the ecosystem, or null when the
/// statement names a kind of thing that has none (Syft's "binary"), and where it was read, for the report.
/// Namespace, name and version are set when the statement itself names the package (a download URL, an SPDX
/// package-manager locator), and Purl when it is a whole purl.
internal sealed record EcosystemHint(Ecosystem? Ecosystem, string Source, string? Namespace = null, string? Name = null, string? Version = null)
{
    public Purl? Purl { get; init; }
}

/// The ecosystem hints other tools leave on components that have no purl. Each table maps a value the tool writes
/// to an ecosystem; a value not in a table is no hint (it is neither trusted nor guessed at).
internal static class EcosystemHints
{
    public const string SyftType = "syft:package:type";
    public const string SyftLanguage = "syft:package:language";
    public const string TrivyType = "aquasecurity:trivy:PkgType";
    public const string TrivySourceName = "aquasecurity:trivy:SrcName";
    public const string SyftSource = "syft:metadata:source";

    // Syft's pkg.Type values (syft/pkg/type.go). Types that are not a package ecosystem map to null: a stated
    // "this is a binary" is a reason to leave the component unmatchable, not to look for another hint.
    private static readonly FrozenDictionary<string, Ecosystem?> SyftTypes = new Dictionary<string, Ecosystem?>(StringComparer.Ordinal)
    {
        ["npm"] = Ecosystem.Npm,
        ["python"] = Ecosystem.PyPI,
        ["java-archive"] = Ecosystem.Maven,
        ["jenkins-plugin"] = Ecosystem.Maven,
        ["go-module"] = Ecosystem.Go,
        ["rust-crate"] = Ecosystem.Cargo,
        ["gem"] = Ecosystem.RubyGems,
        ["php-composer"] = Ecosystem.Packagist,
        ["dotnet"] = Ecosystem.NuGet,
        ["dart-pub"] = Ecosystem.Pub,
        ["hex"] = Ecosystem.Hex,
        ["cocoapods"] = Ecosystem.CocoaPods,
        ["github-action"] = Ecosystem.GitHubActions,
        ["deb"] = Ecosystem.Debian,
        ["apk"] = Ecosystem.Alpine,
        ["rpm"] = Ecosystem.Rpm,
        ["binary"] = null,
        ["linux-kernel"] = null,
        ["linux-kernel-module"] = null,
        ["graalvm-native-image"] = null,
        ["UnknownPackage"] = null,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // syft:package:language, used only when the component has no syft:package:type (a Python *binary* is the
    // interpreter, not a PyPI package, so the type decides when there is one)
    private static readonly FrozenDictionary<string, Ecosystem> SyftLanguages = new Dictionary<string, Ecosystem>(StringComparer.Ordinal)
    {
        ["javascript"] = Ecosystem.Npm,
        ["python"] = Ecosystem.PyPI,
        ["java"] = Ecosystem.Maven,
        ["go"] = Ecosystem.Go,
        ["rust"] = Ecosystem.Cargo,
        ["ruby"] = Ecosystem.RubyGems,
        ["php"] = Ecosystem.Packagist,
        ["dotnet"] = Ecosystem.NuGet,
        ["dart"] = Ecosystem.Pub,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Trivy's analyzer types (pkg/fanal/types/const.go): language lockfiles and binaries, and OS families
    private static readonly FrozenDictionary<string, Ecosystem?> TrivyTypes = new Dictionary<string, Ecosystem?>(StringComparer.Ordinal)
    {
        ["npm"] = Ecosystem.Npm, ["yarn"] = Ecosystem.Npm, ["pnpm"] = Ecosystem.Npm, ["node-pkg"] = Ecosystem.Npm, ["bun"] = Ecosystem.Npm,
        ["pip"] = Ecosystem.PyPI, ["pipenv"] = Ecosystem.PyPI, ["poetry"] = Ecosystem.PyPI, ["uv"] = Ecosystem.PyPI, ["python-pkg"] = Ecosystem.PyPI,
        ["jar"] = Ecosystem.Maven, ["pom"] = Ecosystem.Maven, ["gradle"] = Ecosystem.Maven, ["sbt"] = Ecosystem.Maven,
        ["gomod"] = Ecosystem.Go, ["gobinary"] = Ecosystem.Go,
        ["cargo"] = Ecosystem.Cargo, ["rustbinary"] = Ecosystem.Cargo, ["rust-binary"] = Ecosystem.Cargo,
        ["bundler"] = Ecosystem.RubyGems, ["gemspec"] = Ecosystem.RubyGems,
        ["composer"] = Ecosystem.Packagist, ["composer-vendor"] = Ecosystem.Packagist,
        ["nuget"] = Ecosystem.NuGet, ["dotnet-core"] = Ecosystem.NuGet, ["packages-props"] = Ecosystem.NuGet,
        ["pub"] = Ecosystem.Pub, ["hex"] = Ecosystem.Hex, ["cocoapods"] = Ecosystem.CocoaPods,
        ["debian"] = Ecosystem.Debian, ["ubuntu"] = Ecosystem.Debian,
        ["alpine"] = Ecosystem.Alpine, ["wolfi"] = Ecosystem.Alpine, ["chainguard"] = Ecosystem.Alpine,
        ["redhat"] = Ecosystem.Rpm, ["centos"] = Ecosystem.Rpm, ["rocky"] = Ecosystem.Rpm, ["alma"] = Ecosystem.Rpm,
        ["amazon"] = Ecosystem.Rpm, ["oracle"] = Ecosystem.Rpm, ["fedora"] = Ecosystem.Rpm,
        ["conda-pkg"] = null, ["conan"] = null, ["julia"] = null, ["swift"] = null, ["bitnami"] = null,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // the purl namespace of an OS package Trivy types by distribution
    private static readonly FrozenDictionary<string, string> TrivyDistroNamespaces = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["debian"] = "debian", ["ubuntu"] = "ubuntu", ["alpine"] = "alpine", ["wolfi"] = "wolfi", ["chainguard"] = "chainguard",
        ["redhat"] = "redhat", ["centos"] = "centos", ["rocky"] = "rocky", ["alma"] = "almalinux", ["amazon"] = "amazon",
        ["oracle"] = "oracle", ["fedora"] = "fedora",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // cdxgen and the CycloneDX property taxonomy name properties by ecosystem ("cdx:npm:…", "cdx:gomod:…")
    private static readonly (string Prefix, Ecosystem Ecosystem)[] CdxPrefixes =
    [
        ("cdx:npm:", Ecosystem.Npm), ("cdx:pypi:", Ecosystem.PyPI), ("cdx:pip:", Ecosystem.PyPI), ("cdx:python:", Ecosystem.PyPI),
        ("cdx:poetry:", Ecosystem.PyPI), ("cdx:maven:", Ecosystem.Maven), ("cdx:gradle:", Ecosystem.Maven),
        ("cdx:gomod:", Ecosystem.Go), ("cdx:go:", Ecosystem.Go), ("cdx:cargo:", Ecosystem.Cargo), ("cdx:gem:", Ecosystem.RubyGems),
        ("cdx:composer:", Ecosystem.Packagist), ("cdx:nuget:", Ecosystem.NuGet), ("cdx:dotnet:", Ecosystem.NuGet), ("cdx:pub:", Ecosystem.Pub),
    ];

    // cdxgen's "SrcFile": the manifest or lockfile the component was read from names its ecosystem
    private static readonly FrozenDictionary<string, Ecosystem> SourceFiles = new Dictionary<string, Ecosystem>(StringComparer.Ordinal)
    {
        ["package-lock.json"] = Ecosystem.Npm, ["npm-shrinkwrap.json"] = Ecosystem.Npm, ["yarn.lock"] = Ecosystem.Npm,
        ["pnpm-lock.yaml"] = Ecosystem.Npm, ["package.json"] = Ecosystem.Npm,
        ["requirements.txt"] = Ecosystem.PyPI, ["Pipfile.lock"] = Ecosystem.PyPI, ["poetry.lock"] = Ecosystem.PyPI,
        ["uv.lock"] = Ecosystem.PyPI, ["pyproject.toml"] = Ecosystem.PyPI, ["setup.py"] = Ecosystem.PyPI,
        ["pom.xml"] = Ecosystem.Maven, ["gradle.lockfile"] = Ecosystem.Maven, ["build.gradle"] = Ecosystem.Maven, ["build.gradle.kts"] = Ecosystem.Maven,
        ["go.mod"] = Ecosystem.Go, ["go.sum"] = Ecosystem.Go,
        ["Cargo.lock"] = Ecosystem.Cargo, ["Cargo.toml"] = Ecosystem.Cargo,
        ["Gemfile.lock"] = Ecosystem.RubyGems, ["composer.lock"] = Ecosystem.Packagist, ["composer.json"] = Ecosystem.Packagist,
        ["packages.lock.json"] = Ecosystem.NuGet, ["packages.config"] = Ecosystem.NuGet, ["pubspec.lock"] = Ecosystem.Pub, ["mix.lock"] = Ecosystem.Hex,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// Every hint the package carries, strongest first: a tool's own type, then a language, then property namespaces,
    /// then package-manager references and registry URLs.
    public static List<EcosystemHint> For(Package p)
    {
        var hints = new List<EcosystemHint>();
        if (p.Properties.TryGetValue(SyftType, out var syftType) && SyftTypes.TryGetValue(syftType, out var st))
            hints.Add(new(st, $"{SyftType}={syftType}", Namespace: st == Ecosystem.Debian ? p.Properties.GetValueOrDefault("syft:metadata:distro") : null));
        else if (p.Properties.TryGetValue(SyftLanguage, out var lang) && SyftLanguages.TryGetValue(lang, out var sl))
            hints.Add(new(sl, $"{SyftLanguage}={lang}"));
        if (p.Properties.TryGetValue(TrivyType, out var trivyType) && TrivyTypes.TryGetValue(trivyType, out var tt))
            hints.Add(new(tt, $"{TrivyType}={trivyType}", Namespace: TrivyDistroNamespaces.GetValueOrDefault(trivyType)));
        foreach (var key in p.Properties.Keys)
            foreach (var (prefix, eco) in CdxPrefixes)
                if (key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    hints.Add(new(eco, $"property {key}"));
                    break;
                }
        if (p.Properties.TryGetValue("SrcFile", out var srcFile)
            && SourceFiles.TryGetValue(srcFile[(srcFile.LastIndexOfAny(['/', '\\']) + 1)..], out var fileEco))
            hints.Add(new(fileEco, $"SrcFile {srcFile}"));
        foreach (var (key, value) in p.Properties)
            if (key.StartsWith(SpdxPackageManagerPrefix, StringComparison.Ordinal) && PackageManagerRef(key[SpdxPackageManagerPrefix.Length..], value) is { } h)
                hints.Add(h);
        foreach (var r in p.ExternalReferences.Where(r => r.Type is "distribution" or "distribution-intake"))
            if (RegistryUrls.Parse(r.Url) is { } h) hints.Add(h with { Source = "download location " + r.Url });
        if (p.Supplier is { } supplier)
            foreach (var word in supplier.Split([' ', '(', ')', '<', '>'], StringSplitOptions.RemoveEmptyEntries))
                if (word.StartsWith("https://", StringComparison.Ordinal) && RegistryUrls.Parse(word) is { } h)
                    hints.Add(h with { Source = "supplier " + word });
        foreach (var r in p.ExternalReferences.Where(r => r.Type == "website"))
            if (RegistryUrls.Parse(r.Url) is { } h) hints.Add(h with { Source = "homepage " + r.Url });
        return hints;
    }

    /// The property the SPDX reader keeps a package-manager reference in when the package has no parsable purl.
    public const string SpdxPackageManagerPrefix = Spdx.SpdxSbomMapper.PackageManagerRefProperty + ":";

    // SPDX 2.3 Annex F, PACKAGE-MANAGER: maven-central "group:artifact[:version]", npm "name@version",
    // nuget "Name/version", bower "name#version"; purl (a locator that did not parse as it stood)
    private static EcosystemHint? PackageManagerRef(string type, string locator)
    {
        locator = locator.Trim();
        var source = $"SPDX PACKAGE-MANAGER {type} {locator}";
        switch (type.ToLowerInvariant())
        {
            case "maven-central":
            {
                var parts = locator.Split(':');
                return parts.Length is 2 or 3 && parts.All(x => x.Length > 0)
                    ? new(Ecosystem.Maven, source, parts[0], parts[1], parts.Length == 3 ? parts[2] : null) : null;
            }
            case "npm":
            {
                var at = locator.LastIndexOf('@');
                return at > 0 ? new(Ecosystem.Npm, source, null, locator[..at], locator[(at + 1)..]) : new(Ecosystem.Npm, source, null, locator);
            }
            case "nuget":
            {
                var slash = locator.IndexOf('/');
                return slash > 0 ? new(Ecosystem.NuGet, source, null, locator[..slash], locator[(slash + 1)..]) : new(Ecosystem.NuGet, source, null, locator);
            }
            case "purl":
                return PurlText.Repair(locator) is { } purl && Ecosystem.FromPurlType(purl.Type) is { } eco && eco != Ecosystem.Generic
                    ? new(eco, source, purl.Namespace, purl.Name, purl.Version) { Purl = purl }
                    : null;
            default:
                return null;
        }
    }
}
