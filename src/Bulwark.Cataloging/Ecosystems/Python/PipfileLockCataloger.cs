// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Python;

/// Reads Pipfile.lock: "default" packages are Required, "develop" packages Dev. The format records no edges.
public sealed class PipfileLockCataloger : ICataloger
{
    public string Name => "python-pipfile-lock";
    public bool Wants(FilePath path) => path.FileName == "Pipfile.lock";

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        using var doc = await JsonInput.ParseAsync(input, JsonInput.Strict, ct).ConfigureAwait(false);
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
            throw new InputException("Pipfile.lock is not a JSON object. Run 'pipenv lock' to rebuild it.");
        var packages = new List<Package>();
        foreach (var (section, scope) in new[] { ("default", Scope.Required), ("develop", Scope.Dev) })
        {
            if (!doc.RootElement.TryGetProperty(section, out var entries) || entries.ValueKind != JsonValueKind.Object) continue;
            foreach (var entry in entries.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.Object)
                    throw new InputException($"'{section}.{entry.Name}' is not an object. Run 'pipenv lock' to rebuild Pipfile.lock.");
                packages.Add(Read(entry.Name, entry.Value, scope, input.Location));
            }
        }
        return PackageSightings.Merge(packages);
    }

    private static Package Read(string name, JsonElement e, Scope scope, FileLocation location)
    {
        var version = String(e, "version") is { } v ? v.TrimStart('=').Trim() : "";
        var hashes = new SortedSet<Digest>(DigestOrder.Instance);
        if (e.TryGetProperty("hashes", out var hs) && hs.ValueKind == JsonValueKind.Array)
            foreach (var h in hs.EnumerateArray())
                if (h.ValueKind == JsonValueKind.String && Digest.TryParse(h.GetString(), out var d)) hashes.Add(d);

        var package = Package.Create(Ecosystem.PyPI, name, version, location) with { Scope = scope, Hashes = [.. hashes] };
        package = package.WithProperty("python:marker", String(e, "markers"));
        if (String(e, "git") is { } git)
        {
            var r = String(e, "ref");
            return package.WithProperty("bulwark:source", "git") with
            {
                ExternalReferences = [new("vcs", (git.StartsWith("git+", StringComparison.Ordinal) ? git : "git+" + git) + (r is null ? "" : "@" + r))],
            };
        }
        if (String(e, "path") is not null) return package.WithProperty("bulwark:source", "path");
        if (String(e, "file") is { } file)
            return file.StartsWith("http", StringComparison.OrdinalIgnoreCase)
                ? package.WithProperty("bulwark:source", "url") with { ExternalReferences = [new("distribution", file)] }
                : package.WithProperty("bulwark:source", "path");
        return package;
    }

    private static string? String(JsonElement e, string property) =>
        e.TryGetProperty(property, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
}
