// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using System.Text.Json;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Php;

/// One package entry as composer.lock and vendor/composer/installed.json both write it.
internal static class ComposerPackage
{
    /// Real packages are "vendor/name"; a requirement without '/' is a platform requirement (php, ext-json,
    /// lib-icu, composer-plugin-api) that Composer checks but never installs.
    public static bool IsPlatform(string name) => !name.Contains('/');

    public static string Name(JsonElement e, string file, int index) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String && n.GetString() is { Length: > 0 } s
            ? s
            : throw new InputException($"{file}: package #{index + 1} has no \"name\". Run 'composer update --lock' to rebuild it.");

    public static Package ToPackage(JsonElement e, string name, FileLocation location, Scope scope)
    {
        var version = Str(e, "version");
        var p = Package.Create(Ecosystem.Packagist, name, version, location) with { Scope = scope };

        var refs = new List<ExternalReference>();
        if (e.TryGetProperty("dist", out var dist) && dist.ValueKind == JsonValueKind.Object)
        {
            if (Str(dist, "url") is { Length: > 0 } url && Str(dist, "type") != "path") refs.Add(new("distribution", url));
            // an empty shasum is the norm for GitHub zipballs, which are not stable byte for byte
            if (Str(dist, "shasum") is { Length: > 0 } sha && Digest.TryCreate("sha1", sha, out var d)) p = p with { Hashes = [d] };
            if (Str(dist, "type") == "path") p = p.WithProperty("bulwark:source", "path").WithProperty("bulwark:path", Str(dist, "url"));
        }
        if (e.TryGetProperty("source", out var source) && source.ValueKind == JsonValueKind.Object)
        {
            if (Str(source, "url") is { Length: > 0 } url && Str(source, "type") is "git" or "hg" or "svn" or "fossil") refs.Add(new("vcs", url));
            p = p.WithProperty("bulwark:revision", Str(source, "reference"));
            // installed from the repository itself when there is no archive to download
            if (!p.Properties.ContainsKey("bulwark:source") && (!e.TryGetProperty("dist", out var dd) || dd.ValueKind != JsonValueKind.Object))
                p = p.WithProperty("bulwark:source", Str(source, "type") switch { "git" => "git", "path" => "path", _ => null });
        }

        var licenses = ImmutableArray<string>.Empty;
        if (e.TryGetProperty("license", out var lic))
        {
            licenses = lic.ValueKind switch
            {
                JsonValueKind.Array => StringsOf(lic),
                JsonValueKind.String when lic.GetString() is { Length: > 0 } one => [one],
                _ => [],
            };
        }
        p = p with { Licenses = licenses, ExternalReferences = [.. refs], Description = Str(e, "description") };
        // library is the default; metapackage, composer-plugin, project and the like are worth keeping
        var type = Str(e, "type");
        return type is null or "library" ? p : p.WithProperty("composer:type", type);
    }

    // loops rather than LINQ over JsonElement and JsonProperty: those instantiations are JIT-compiled at start
    private static ImmutableArray<string> StringsOf(JsonElement array)
    {
        var strings = ImmutableArray.CreateBuilder<string>();
        foreach (var x in array.EnumerateArray())
            if (x.ValueKind == JsonValueKind.String && x.GetString() is { Length: > 0 } s) strings.Add(s);
        return strings.ToImmutable();
    }

    /// Names this package requires at run time ("require"), without platform requirements.
    public static IEnumerable<string> Requires(JsonElement e, string key = "require")
    {
        var names = new List<string>();
        if (e.TryGetProperty(key, out var r) && r.ValueKind == JsonValueKind.Object)
            foreach (var x in r.EnumerateObject())
                if (!IsPlatform(x.Name)) names.Add(x.Name);
        return names;
    }

    /// Names a package stands in for: its "replace" and "provide" keys (a fork that replaces its original).
    public static IEnumerable<string> Provides(JsonElement e) => Requires(e, "replace").Concat(Requires(e, "provide"));

    public static string? Str(JsonElement e, string key) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// Requirements resolved to locked packages: by name, else by a package that replaces or provides that name.
    public static ImmutableArray<Purl> Resolve(IEnumerable<string> names, IReadOnlyDictionary<string, Purl> byName,
        IReadOnlyDictionary<string, Purl> byProvided) =>
        [.. names.Select(n => byName.TryGetValue(n.ToLowerInvariant(), out var p) ? p : byProvided.GetValueOrDefault(n.ToLowerInvariant()))
            .OfType<Purl>().Distinct()];
}
