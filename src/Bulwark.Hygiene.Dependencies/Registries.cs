// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Hygiene.Dependencies;

/// The registries packages may come from: each ecosystem's public one, plus those the user allows (--registry URL,
/// `registries:` in .bulwark/deps.yaml). A URL is allowed when it lies under an allowed one: same scheme, host and
/// port, and a path that starts with the allowed path on a segment boundary.
public sealed class Registries
{
    /// The public registries, by ecosystem (names as in findings): where each package manager fetches by default.
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Public { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        // registry.yarnpkg.com is a CNAME of the npm registry that yarn v1 writes into yarn.lock
        ["npm"] = ["https://registry.npmjs.org/", "https://registry.yarnpkg.com/", "https://registry.npmjs.com/"],
        ["PyPI"] = ["https://pypi.org/simple/", "https://pypi.python.org/simple/", "https://files.pythonhosted.org/"],
        ["NuGet"] = ["https://api.nuget.org/v3/index.json", "https://www.nuget.org/api/v2/"],
        ["crates.io"] = ["https://github.com/rust-lang/crates.io-index", "https://index.crates.io/", "https://static.crates.io/"],
        ["RubyGems"] = ["https://rubygems.org/", "https://index.rubygems.org/"],
        ["Packagist"] = ["https://repo.packagist.org/", "https://packagist.org/"],
    };

    private readonly List<Uri> _extra;

    public Registries(IEnumerable<string> extra)
    {
        ArgumentNullException.ThrowIfNull(extra);
        _extra = [.. extra.Select(u => Parse(u) ?? throw new ArgumentException($"'{u}' is not an absolute http(s) URL.", nameof(extra)))];
    }

    /// The registries allowed beyond the public ones, as given.
    public IReadOnlyList<string> Extra => [.. _extra.Select(u => u.ToString())];

    /// True when <paramref name="url"/> lies under the public registry of <paramref name="ecosystem"/> or an allowed one.
    public bool IsAllowed(string ecosystem, string url)
    {
        if (Parse(url) is not { } u) return false;
        var bases = Public.TryGetValue(ecosystem, out var p) ? p.Select(Parse).OfType<Uri>().Concat(_extra) : _extra;
        return bases.Any(b => Under(u, b));
    }

    /// An absolute http(s) URL, or null.
    public static Uri? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim();
        // Cargo's index sources carry the protocol in front: "registry+https://…", "sparse+https://…"
        foreach (var prefix in (string[])["registry+", "sparse+"])
            if (t.StartsWith(prefix, StringComparison.Ordinal)) t = t[prefix.Length..];
        return Uri.TryCreate(t, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp) ? u : null;
    }

    // the host in ASCII (IDNA), or null for a host IDNA refuses ("a\u05D0b": Latin beside Hebrew), which TryCreate
    // accepts and IdnHost then throws on (found by the deps.gemfile fuzz target). Such a URL lies under no allowed
    // registry, so it is reported rather than let through.
    private static string? AsciiHost(Uri url)
    {
        try
        {
            return url.IdnHost;
        }
        catch (UriFormatException)
        {
            return null;
        }
    }

    private static bool Under(Uri url, Uri registry)
    {
        if (!string.Equals(url.Scheme, registry.Scheme, StringComparison.OrdinalIgnoreCase)
            || AsciiHost(url) is not { } host || !string.Equals(host, AsciiHost(registry), StringComparison.OrdinalIgnoreCase)
            || url.Port != registry.Port) return false;
        var basePath = registry.AbsolutePath.TrimEnd('/');
        if (basePath.Length == 0) return true;
        var path = url.AbsolutePath;
        // ".../v3/index.json" names a feed whose packages live elsewhere on the host: the host is what counts
        if (basePath.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return true;
        return path.Equals(basePath, StringComparison.Ordinal) || path.StartsWith(basePath + "/", StringComparison.Ordinal)
            || path.TrimEnd('/').Equals(basePath, StringComparison.Ordinal);
    }
}
