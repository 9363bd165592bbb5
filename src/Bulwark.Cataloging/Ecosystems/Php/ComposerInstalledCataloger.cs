// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Php;

/// Reads what Composer installed into vendor/: vendor/composer/installed.json, a bare array of packages (Composer 1)
/// or {"packages": [...], "dev-package-names": [...]} (Composer 2).
public sealed class ComposerInstalledCataloger : ICataloger
{
    public string Name => "composer-installed";

    public bool Wants(FilePath path) =>
        path.FileName == "installed.json"
        && (path.Directory == "vendor/composer" || path.Directory.EndsWith("/vendor/composer", StringComparison.Ordinal));

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        var bytes = JsonInput.Checked(await JsonInput.ReadAsync(input.Content, input.Size, ct).ConfigureAwait(false));
        if (JsonInput.IsBlank(bytes.Span)) return []; // an empty file locks nothing
        using var doc = JsonInput.Parse(bytes, JsonInput.Strict);
        var root = doc.RootElement;
        JsonElement list;
        var dev = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        switch (root.ValueKind)
        {
            case JsonValueKind.Array:
                list = root;
                break;
            case JsonValueKind.Object when root.TryGetProperty("packages", out var packages) && packages.ValueKind == JsonValueKind.Array:
                list = packages;
                if (root.TryGetProperty("dev-package-names", out var names) && names.ValueKind == JsonValueKind.Array)
                    foreach (var n in names.EnumerateArray())
                        if (n.ValueKind == JsonValueKind.String) dev.Add(n.GetString()!);
                break;
            default:
                throw new InputException("line 1: installed.json must be an array of packages or an object with a \"packages\" array. Run 'composer install' to rewrite it.");
        }

        var byName = new Dictionary<string, Purl>(StringComparer.Ordinal);
        var byProvided = new Dictionary<string, Purl>(StringComparer.Ordinal);
        var found = new List<(JsonElement Json, Package Package)>();
        var i = 0;
        foreach (var e in list.EnumerateArray())
        {
            var name = ComposerPackage.Name(e, "packages", i++);
            var p = ComposerPackage.ToPackage(e, name, input.Location, dev.Contains(name) ? Scope.Dev : Scope.Required);
            if (!byName.TryAdd(name.ToLowerInvariant(), p.Purl)) continue;
            found.Add((e, p));
        }
        foreach (var (json, p) in found)
            foreach (var provided in ComposerPackage.Provides(json))
                byProvided.TryAdd(provided.ToLowerInvariant(), p.Purl);
        return [.. found.Select(x => x.Package with { DependsOn = ComposerPackage.Resolve(ComposerPackage.Requires(x.Json), byName, byProvided) })];
    }
}
