// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using Bulwark.Core;
using Bulwark.Vulnerabilities.Matching;

namespace Bulwark.Vulnerabilities.Vex;

/// What applying VEX statements to findings produced: findings still standing (annotated ones included), the ones a
/// not_affected or fixed statement suppressed, and the ones an affected or under_investigation statement annotated.
/// Every list is sorted by <see cref="Finding.Compare"/>.
public sealed record VexOutcome(ImmutableArray<Finding> Kept, ImmutableArray<SuppressedFinding> Suppressed, ImmutableArray<SuppressedFinding> Annotated)
{
    /// Statements that applied to no finding (no finding has their vulnerability in a package they name), in the order
    /// given: for telling users which VEX had nothing to do, rather than letting it fail to apply silently.
    public ImmutableArray<VexStatement> Unmatched { get; init; } = [];
}

/// Applies VEX statements to findings by vulnerability id (or alias) and normalised product purl.
/// <remarks>
/// A statement applies to a finding when its vulnerability id or one of its aliases is one of the finding's ids
/// (CVE and GHSA ids compare case-insensitively) and one of its products covers the finding's package
/// (<see cref="VexPurls.Covers"/>). When several apply, the one with the newest timestamp decides (a statement without
/// a timestamp is older than any with one); on equal timestamps the later one in the order given wins, as OpenVEX
/// statements are "a sequence, each overriding the previous ones".
/// </remarks>
public static class VexApplier
{
    /// Applies <paramref name="statements"/> to <paramref name="findings"/>; the newest applicable statement decides.
    private static bool IsSorted(ImmutableArray<Finding> findings)
    {
        for (var i = 1; i < findings.Length; i++) if (Finding.Compare(findings[i - 1], findings[i]) > 0) return false;
        return true;
    }

    public static VexOutcome Apply(IEnumerable<Finding> findings, IEnumerable<VexStatement> statements)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(statements);
        var ordered = statements.ToList();
        var byId = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < ordered.Count; i++)
        {
            foreach (var id in ordered[i].VulnerabilityAliases.Prepend(ordered[i].VulnerabilityId).Select(VulnerabilityKey).Distinct(StringComparer.Ordinal))
            {
                if (!byId.TryGetValue(id, out var list)) byId[id] = list = [];
                list.Add(i);
            }
        }

        var applied = new bool[ordered.Count];
        var kept = ImmutableArray.CreateBuilder<Finding>();
        var suppressed = ImmutableArray.CreateBuilder<SuppressedFinding>();
        var annotated = ImmutableArray.CreateBuilder<SuppressedFinding>();
        // no statements (the usual scan): every finding stands, and there is nothing to look up per finding; findings
        // already in order (a match result) are kept as they are rather than copied (a large scan's list is a large object)
        if (ordered.Count == 0 && findings is ImmutableArray<Finding> given && IsSorted(given)) return new VexOutcome(given, [], []);
        var sorted = findings.ToList();
        sorted.Sort(Finding.Compare);
        if (ordered.Count == 0) return new VexOutcome([.. sorted], [], []);
        foreach (var finding in sorted)
        {
            var winner = -1;
            var candidates = finding.Ids.Append(finding.Id).Select(VulnerabilityKey).Distinct(StringComparer.Ordinal)
                .SelectMany(id => byId.TryGetValue(id, out var list) ? list : []).Distinct().Order();
            foreach (var i in candidates)
            {
                var s = ordered[i];
                if (!s.Products.Any(p => VexPurls.Covers(p, finding.Package.Purl))) continue;
                applied[i] = true;
                if (winner < 0 || Nullable.Compare(s.Timestamp, ordered[winner].Timestamp) >= 0) winner = i;
            }
            if (winner < 0)
            {
                kept.Add(finding);
                continue;
            }
            var statement = ordered[winner];
            if (statement.Status is VexStatus.NotAffected or VexStatus.Fixed)
            {
                suppressed.Add(new SuppressedFinding(finding, statement));
            }
            else
            {
                kept.Add(finding);
                annotated.Add(new SuppressedFinding(finding, statement));
            }
        }
        return new VexOutcome(kept.ToImmutable(), suppressed.ToImmutable(), annotated.ToImmutable())
        {
            Unmatched = [.. ordered.Where((_, i) => !applied[i])],
        };
    }

    /// The key a vulnerability id is compared by: CVE and GHSA ids are case-insensitive (upper-cased); an NVD or
    /// GitHub advisory URL given as the id stands for the id it ends with; other ids compare exactly.
    internal static string VulnerabilityKey(string id)
    {
        var text = id.Trim();
        var slash = text.LastIndexOf('/');
        if (slash >= 0 && text.Contains("://", StringComparison.Ordinal) && IsCaseInsensitive(text[(slash + 1)..])) text = text[(slash + 1)..];
        return IsCaseInsensitive(text) ? text.ToUpperInvariant() : text;
    }

    private static bool IsCaseInsensitive(string id) =>
        id.StartsWith("CVE-", StringComparison.OrdinalIgnoreCase) || id.StartsWith("GHSA-", StringComparison.OrdinalIgnoreCase);
}

/// Whether a VEX product purl speaks about a package purl.
public static class VexPurls
{
    /// True when <paramref name="product"/> names the same package as <paramref name="package"/> after normalisation:
    /// equal type; namespace and name equal under the purl type's rules (<see cref="Purl"/>; Go module paths ignoring
    /// case as the golang type asks) and the ecosystem's (<see cref="PackageNames"/>: PEP 503 for PyPI,
    /// case-insensitive NuGet, crates.io and Packagist); the product's
    /// version, when it has one, equal to the package's; the product's qualifiers a subset of the package's; and its
    /// subpath, when it has one, equal.
    public static bool Covers(Purl product, Purl package)
    {
        ArgumentNullException.ThrowIfNull(product);
        ArgumentNullException.ThrowIfNull(package);
        if (!string.Equals(product.Type, package.Type, StringComparison.Ordinal)) return false;
        if (!string.Equals(NameKey(product), NameKey(package), StringComparison.Ordinal)) return false;
        if (product.Version is not null && !string.Equals(product.Version, package.Version, StringComparison.Ordinal)) return false;
        foreach (var (key, value) in product.Qualifiers)
            if (!package.Qualifiers.TryGetValue(key, out var other) || !string.Equals(value, other, StringComparison.Ordinal)) return false;
        return product.Subpath is null || string.Equals(product.Subpath, package.Subpath, StringComparison.Ordinal);
    }

    private static string NameKey(Purl purl) => purl.Type switch
    {
        // the purl-spec golang type lowercases namespace and name; Purl keeps Go module paths as written (they are
        // case-sensitive for the Go proxy), but a VEX producer following the spec writes them in lowercase
        "golang" => purl.FullName.ToLowerInvariant(),
        _ => Ecosystem.FromPurlType(purl.Type) is { OsvName.Length: > 0 } ecosystem
            ? PackageNames.Normalise(ecosystem.OsvName, purl.FullName)
            : purl.FullName,
    };
}
