// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Sbom.Normalisation;

/// Reads the ecosystem (and, where the path spells them, the name and version) out of a public registry URL, as
/// SPDX download locations and suppliers give them. Only registries whose URL layout names one ecosystem are
/// known; any other host is no hint.
internal static class RegistryUrls
{
    public static EcosystemHint? Parse(string url)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")) return null;
        var segs = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        var source = url;
        switch (uri.Host.ToLowerInvariant())
        {
            case "registry.npmjs.org" or "registry.yarnpkg.com":
            {
                // /name/-/name-1.0.0.tgz, /@scope/name/-/name-1.0.0.tgz, /@scope%2fname, /name
                var dash = Array.IndexOf(segs, "-");
                var nameSegs = dash >= 0 ? segs[..dash] : segs;
                var name = string.Join('/', nameSegs);
                if (name.Length == 0) return new(Ecosystem.Npm, source);
                string? version = null;
                if (dash >= 0 && dash + 1 < segs.Length)
                {
                    var file = segs[dash + 1];
                    var bare = name[(name.LastIndexOf('/') + 1)..];
                    if (file.StartsWith(bare + "-", StringComparison.Ordinal) && file.EndsWith(".tgz", StringComparison.Ordinal))
                        version = file[(bare.Length + 1)..^4];
                }
                return new(Ecosystem.Npm, source, null, name, version);
            }
            case "www.npmjs.com" or "npmjs.com" when segs.Length >= 2 && segs[0] == "package":
            {
                var rest = segs[1..];
                var v = Array.IndexOf(rest, "v");
                var nameSegs = v >= 0 ? rest[..v] : rest;
                return new(Ecosystem.Npm, source, null, string.Join('/', nameSegs), v >= 0 && v + 1 < rest.Length ? rest[v + 1] : null);
            }
            case "pypi.org" or "pypi.python.org" when segs.Length >= 2 && segs[0] is "project" or "simple":
                return new(Ecosystem.PyPI, source, null, segs[1], segs.Length >= 3 && segs[0] == "project" ? segs[2] : null);
            case "pypi.org" or "pypi.python.org" or "files.pythonhosted.org":
                // file names do not separate name and version reliably (sdists of old packages); the ecosystem is enough
                return new(Ecosystem.PyPI, source);
            case "repo1.maven.org" or "repo.maven.apache.org" or "central.maven.org":
            {
                // /maven2/org/apache/logging/log4j/log4j-core/2.14.1/log4j-core-2.14.1.jar
                var m = Array.IndexOf(segs, "maven2");
                var path = m >= 0 ? segs[(m + 1)..] : segs;
                if (path.Length >= 4 && path[^1].StartsWith(path[^3] + "-" + path[^2], StringComparison.Ordinal))
                    return new(Ecosystem.Maven, source, string.Join('.', path[..^3]), path[^3], path[^2]);
                if (path.Length >= 3)
                    return new(Ecosystem.Maven, source, string.Join('.', path[..^2]), path[^2], path[^1]);
                return new(Ecosystem.Maven, source);
            }
            case "proxy.golang.org":
            {
                // /github.com/!burnt!sushi/toml/@v/v0.3.1.zip: capitals are escaped as '!' + lowercase (go mod proxy protocol)
                var at = Array.IndexOf(segs, "@v");
                if (at <= 0) return new(Ecosystem.Go, source);
                var module = GoUnescape(string.Join('/', segs[..at]));
                string? version = null;
                if (at + 1 < segs.Length)
                {
                    var file = segs[at + 1];
                    var dot = file.LastIndexOf('.');
                    version = GoUnescape(dot > 0 ? file[..dot] : file);
                }
                return new(Ecosystem.Go, source, null, module, version);
            }
            case "pkg.go.dev" when segs.Length > 0:
            {
                var path = string.Join('/', segs);
                var at = path.IndexOf('@', StringComparison.Ordinal);
                return new(Ecosystem.Go, source, null, at > 0 ? path[..at] : path, at > 0 ? path[(at + 1)..] : null);
            }
            case "crates.io" or "static.crates.io":
                // /api/v1/crates/serde/1.0.0/download, /crates/serde/serde-1.0.0.crate, /crates/serde/1.0.0
                if (segs.Length >= 5 && segs[0] == "api" && segs[2] == "crates") return new(Ecosystem.Cargo, source, null, segs[3], segs[4]);
                if (segs.Length >= 2 && segs[0] == "crates")
                    return new(Ecosystem.Cargo, source, null, segs[1],
                        segs.Length >= 3 && !segs[2].EndsWith(".crate", StringComparison.Ordinal) ? segs[2]
                        : segs.Length >= 3 && segs[2].StartsWith(segs[1] + "-", StringComparison.Ordinal) ? segs[2][(segs[1].Length + 1)..^6] : null);
                return new(Ecosystem.Cargo, source);
            case "rubygems.org" or "www.rubygems.org":
                // /gems/rack-2.2.3.gem (name and version split at the last '-' before a digit), /gems/rack/versions/2.2.3
                if (segs.Length == 2 && segs[0] == "gems" && segs[1].EndsWith(".gem", StringComparison.Ordinal))
                {
                    var file = segs[1][..^4];
                    for (var i = file.Length - 2; i > 0; i--)
                        if (file[i] == '-' && char.IsAsciiDigit(file[i + 1])) return new(Ecosystem.RubyGems, source, null, file[..i], file[(i + 1)..]);
                    return new(Ecosystem.RubyGems, source);
                }
                if (segs.Length >= 2 && segs[0] == "gems")
                    return new(Ecosystem.RubyGems, source, null, segs[1], segs.Length >= 4 && segs[2] == "versions" ? segs[3] : null);
                return new(Ecosystem.RubyGems, source);
            case "www.nuget.org" or "nuget.org" or "api.nuget.org":
                // /api/v2/package/Id/1.0.0, /packages/Id/1.0.0, /v3-flatcontainer/id/1.0.0/id.1.0.0.nupkg
                if (segs.Length >= 5 && segs[0] == "api" && segs[2] == "package") return new(Ecosystem.NuGet, source, null, segs[3], segs[4]);
                if (segs.Length >= 2 && segs[0] == "packages") return new(Ecosystem.NuGet, source, null, segs[1], segs.Length >= 3 ? segs[2] : null);
                if (segs.Length >= 3 && segs[0] == "v3-flatcontainer") return new(Ecosystem.NuGet, source, null, segs[1], segs[2]);
                return new(Ecosystem.NuGet, source);
            case "packagist.org" or "repo.packagist.org":
                // /packages/vendor/name, /p2/vendor/name.json
                if (segs.Length >= 3 && segs[0] is "packages" or "p2" or "p")
                    return new(Ecosystem.Packagist, source, segs[1], segs[2].EndsWith(".json", StringComparison.Ordinal) ? segs[2][..^5] : segs[2]);
                return new(Ecosystem.Packagist, source);
            case "pub.dev" when segs.Length >= 2 && segs[0] == "packages":
                return new(Ecosystem.Pub, source, null, segs[1], segs.Length >= 4 && segs[2] == "versions" ? segs[3] : null);
            case "hex.pm" when segs.Length >= 2 && segs[0] == "packages":
                return new(Ecosystem.Hex, source, null, segs[1], segs.Length >= 3 ? segs[2] : null);
            default:
                return null;
        }
    }

    private static string GoUnescape(string s)
    {
        if (!s.Contains('!', StringComparison.Ordinal)) return s;
        var sb = new System.Text.StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
            sb.Append(s[i] == '!' && i + 1 < s.Length ? char.ToUpperInvariant(s[++i]) : s[i]);
        return sb.ToString();
    }
}
