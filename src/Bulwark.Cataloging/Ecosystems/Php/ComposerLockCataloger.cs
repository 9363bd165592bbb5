// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using Bulwark.Cataloging.Ecosystems.Ruby;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Php;

/// Reads Composer's composer.lock: "packages" are Required, "packages-dev" Dev, with "require" edges resolved to the
/// locked packages; the sibling composer.json, when present, is the root.
public sealed class ComposerLockCataloger : ICataloger, IReadsNeighbours
{
    public string Name => "composer-lock";

    /// Reads composer.json beside the lockfile.
    public bool MayRead(FilePath path) => path.FileName == "composer.json";

    public bool Wants(FilePath path) => path.FileName == "composer.lock";

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        var bytes = JsonInput.Checked(await JsonInput.ReadAsync(input.Content, input.Size, ct).ConfigureAwait(false));
        if (JsonInput.IsBlank(bytes.Span)) return []; // an empty file locks nothing
        using var doc = JsonInput.Parse(bytes, JsonInput.Strict);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new InputException("line 1: composer.lock must hold a JSON object with \"packages\". Run 'composer update --lock' to rebuild it.");

        var entries = new List<(JsonElement Json, string Name, Scope Scope)>();
        foreach (var (key, scope) in new[] { ("packages", Scope.Required), ("packages-dev", Scope.Dev) })
        {
            if (!root.TryGetProperty(key, out var list) || list.ValueKind == JsonValueKind.Null) continue;
            if (list.ValueKind != JsonValueKind.Array)
                throw new InputException($"\"{key}\" is not an array. Run 'composer update --lock' to rebuild composer.lock.");
            var i = 0;
            foreach (var e in list.EnumerateArray())
                entries.Add((e, ComposerPackage.Name(e, key, i++), scope));
        }

        var byName = new Dictionary<string, Purl>(StringComparer.Ordinal);
        var byProvided = new Dictionary<string, Purl>(StringComparer.Ordinal);
        var packages = new List<(JsonElement Json, Package Package)>();
        foreach (var (json, name, scope) in entries)
        {
            var p = ComposerPackage.ToPackage(json, name, input.Location, scope);
            if (!byName.TryAdd(name.ToLowerInvariant(), p.Purl)) continue; // listed twice: the first wins
            packages.Add((json, p));
        }
        foreach (var (json, p) in packages)
            foreach (var provided in ComposerPackage.Provides(json))
                byProvided.TryAdd(provided.ToLowerInvariant(), p.Purl);

        // a loop, not Select over the (JsonElement, Package) pairs: that instantiation is JIT-compiled at start
        var result = new List<Package>(packages.Count);
        foreach (var (json, package) in packages)
            result.Add(package with { DependsOn = ComposerPackage.Resolve(ComposerPackage.Requires(json), byName, byProvided) });

        var manifestPath = input.Path.Sibling("composer.json");
        JsonDocument? manifest;
        try
        {
            manifest = await JsonInput.TryParseAsync(input.Tree, manifestPath, JsonInput.Strict, ct).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new InputException($"{manifestPath}: line {(e.LineNumber ?? 0) + 1}: not valid JSON. Fix it, then run 'composer validate'.", e);
        }
        catch (InputException e)
        {
            throw new InputException($"{manifestPath}: {e.Message}", e);
        }
        if (manifest is not null)
        {
            using var _ = manifest;
            result.Add(ComposerRoot(manifest, input, byName, byProvided));
        }
        return result;
    }

    private static Package ComposerRoot(JsonDocument doc, CatalogInput input,
        Dictionary<string, Purl> byName, Dictionary<string, Purl> byProvided)
    {
        var path = input.Path.Sibling("composer.json");
        var m = doc.RootElement;
        if (m.ValueKind != JsonValueKind.Object)
            throw new InputException($"{path}: line 1: composer.json must hold a JSON object. Fix it, then run 'composer validate'.");
        // a project's composer.json may leave out "name"; the directory names it then
        var name = ComposerPackage.Str(m, "name") is { Length: > 0 } n ? n : ProjectName.Of(input);
        var root = Package.Create(Ecosystem.Packagist, name, ComposerPackage.Str(m, "version"), input.Location) with
        {
            IsRoot = true,
            Kind = PackageKind.Application,
            Description = ComposerPackage.Str(m, "description"),
            Licenses = m.TryGetProperty("license", out var l) && l.ValueKind == JsonValueKind.String && l.GetString() is { Length: > 0 } one ? [one]
                : l.ValueKind == JsonValueKind.Array ? [.. l.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!)]
                : [],
            DependsOn = ComposerPackage.Resolve(ComposerPackage.Requires(m).Concat(ComposerPackage.Requires(m, "require-dev")), byName, byProvided),
        };
        return root.WithProperty("composer:type", ComposerPackage.Str(m, "type"));
    }
}
