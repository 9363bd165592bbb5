// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Npm;

/// The parts of a package.json manifest the npm catalogers use.
internal sealed record PackageJson(
    string? Name,
    string? Version,
    IReadOnlyList<KeyValuePair<string, string>> Dependencies,
    IReadOnlyList<KeyValuePair<string, string>> DevDependencies,
    IReadOnlyList<KeyValuePair<string, string>> OptionalDependencies,
    IReadOnlyList<KeyValuePair<string, string>> PeerDependencies,
    IReadOnlyList<string> Workspaces,
    IReadOnlyList<string> Licenses,
    string? Resolved,
    string? Integrity,
    Scope InstallScope)
{
    /// npm reads package.json leniently (comments, trailing commas).
    public static JsonDocumentOptions Options => JsonInput.Lenient;

    /// Parses another file of the tree, or null when it does not exist; throws for invalid UTF-8 or JSON.
    public static async Task<PackageJson?> TryParseAsync(FileSources.IFileTree tree, FileSources.FilePath path, CancellationToken ct)
    {
        using var doc = await JsonInput.TryParseAsync(tree, path, Options, ct).ConfigureAwait(false);
        return doc is null ? null : From(doc.RootElement);
    }

    /// Reads a package.json beside (or below) a lockfile, or null when there is none. A package.json that is
    /// not valid JSON makes the lockfile unreadable too: without it the root and the dev scopes would be guesses.
    public static async Task<PackageJson?> TryReadAsync(CatalogInput input, FileSources.FilePath path, CancellationToken ct)
    {
        try
        {
            return await TryParseAsync(input.Tree, path, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JsonException or Core.InputException)
        {
            throw new Core.InputException($"{path}: {e.Message} Fix the package.json beside the lockfile.", e);
        }
    }

    public static PackageJson From(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new JsonException("package.json is not a JSON object.");
        return new(
            String(root, "name"),
            String(root, "version"),
            Map(root, "dependencies"),
            Map(root, "devDependencies"),
            Map(root, "optionalDependencies"),
            Map(root, "peerDependencies"),
            ReadWorkspaces(root),
            ReadLicenses(root),
            String(root, "_resolved"),
            String(root, "_integrity"),
            // npm 5 and 6 recorded why a package was installed in the installed package.json
            True(root, "_development") ? Scope.Dev : True(root, "_optional") ? Scope.Optional : Scope.Required);
    }

    public static string? String(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static bool True(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    /// A string-to-string object ("dependencies"); non-string values are skipped.
    public static IReadOnlyList<KeyValuePair<string, string>> Map(JsonElement obj, string name)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var m) || m.ValueKind != JsonValueKind.Object) return [];
        var list = new List<KeyValuePair<string, string>>();
        foreach (var p in m.EnumerateObject())
            list.Add(new(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? "" : ""));
        return list;
    }

    /// "license": "MIT" | {"type": "MIT"}; legacy "licenses": [{"type": …}] or ["MIT"].
    public static IReadOnlyList<string> ReadLicenses(JsonElement obj)
    {
        var list = new List<string>();
        if (obj.ValueKind != JsonValueKind.Object) return list;
        if (obj.TryGetProperty("license", out var l)) AddLicense(list, l);
        if (obj.TryGetProperty("licenses", out var ls))
        {
            if (ls.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in ls.EnumerateArray()) AddLicense(list, item);
            }
            else AddLicense(list, ls);
        }
        return list;
    }

    private static void AddLicense(List<string> list, JsonElement value)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Object => String(value, "type"),
            _ => null,
        };
        if (!string.IsNullOrWhiteSpace(text) && !list.Contains(text.Trim())) list.Add(text.Trim());
    }

    /// "workspaces": ["packages/*"] or {"packages": ["packages/*"]} (the yarn v1 form).
    private static IReadOnlyList<string> ReadWorkspaces(JsonElement root)
    {
        if (!root.TryGetProperty("workspaces", out var w)) return [];
        if (w.ValueKind == JsonValueKind.Object && w.TryGetProperty("packages", out var p)) w = p;
        if (w.ValueKind != JsonValueKind.Array) return [];
        return [.. w.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!)];
    }
}
