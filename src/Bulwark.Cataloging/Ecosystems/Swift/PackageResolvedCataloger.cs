// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Swift;

/// Reads Swift Package Manager pins from Package.resolved: version 1 ({"object": {"pins": [{"package",
/// "repositoryURL", "state"}]}}) and versions 2 and 3 ({"pins": [{"identity", "kind", "location", "state"}]}).
/// The file records no edges between pins.
public sealed class PackageResolvedCataloger : ICataloger
{
    public string Name => "swift-package-resolved";

    public bool Wants(FilePath path) => path.FileName == "Package.resolved";

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        var bytes = JsonInput.Checked(await JsonInput.ReadAsync(input.Content, input.Size, ct).ConfigureAwait(false));
        if (JsonInput.IsBlank(bytes.Span)) return []; // an empty file pins nothing
        using var doc = JsonInput.Parse(bytes, JsonInput.Strict);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new InputException("line 1: Package.resolved must hold a JSON object with \"pins\". Run 'swift package resolve' to rebuild it.");

        // version 1 nests the pins in "object"
        var pinsOwner = root.TryGetProperty("object", out var obj) && obj.ValueKind == JsonValueKind.Object ? obj : root;
        if (!pinsOwner.TryGetProperty("pins", out var pins) || pins.ValueKind == JsonValueKind.Null) return [];
        if (pins.ValueKind != JsonValueKind.Array)
            throw new InputException("\"pins\" is not an array. Run 'swift package resolve' to rebuild Package.resolved.");

        var packages = new List<Package>();
        var seen = new HashSet<Purl>();
        var index = 0;
        foreach (var pin in pins.EnumerateArray())
        {
            index++;
            if (pin.ValueKind != JsonValueKind.Object)
                throw new InputException($"pin #{index} is not an object. Run 'swift package resolve' to rebuild Package.resolved.");
            var p = ToPackage(pin, index, input.Location);
            if (seen.Add(p.Purl)) packages.Add(p);
        }
        return packages;
    }

    private static Package ToPackage(JsonElement pin, int index, FileLocation location)
    {
        var identity = Str(pin, "identity") ?? Str(pin, "package");
        var url = Str(pin, "location") ?? Str(pin, "repositoryURL");
        var kind = Str(pin, "kind");
        var state = pin.TryGetProperty("state", out var s) && s.ValueKind == JsonValueKind.Object ? s : default;
        var version = state.ValueKind == JsonValueKind.Object ? Str(state, "version") : null;
        var revision = state.ValueKind == JsonValueKind.Object ? Str(state, "revision") : null;
        var branch = state.ValueKind == JsonValueKind.Object ? Str(state, "branch") : null;
        // purl-spec swift needs a version: a pin on a branch or a commit has only its revision
        var purlVersion = version is { Length: > 0 } ? version : revision;
        if (string.IsNullOrEmpty(purlVersion))
            throw new InputException($"pin #{index} ({identity ?? url}) has neither a version nor a revision. Run 'swift package resolve' to rebuild Package.resolved.");

        string ns, name;
        if (kind == "registry" && identity is { } id && id.IndexOf('.') is > 0 and var dot)
        {
            // a registry identity is "scope.name" (SE-0292)
            (ns, name) = (id[..dot], id[(dot + 1)..]);
        }
        else if (url is { Length: > 0 } && SplitLocation(url) is { } split)
        {
            (ns, name) = split;
        }
        else
        {
            throw new InputException($"pin #{index} ({identity}) has no location a purl can be made from. Run 'swift package resolve' to rebuild Package.resolved.");
        }

        var p = new Package
        {
            Ecosystem = Ecosystem.SwiftUrl,
            Name = $"{ns}/{name}",
            Version = version ?? revision ?? "",
            Purl = new Purl("swift", ns, name, purlVersion),
            Locations = [location],
        };
        p = p.WithProperty("bulwark:revision", revision).WithProperty("git:branch", branch).WithProperty("swift:identity", identity);
        if (kind is "localSourceControl" or "fileSystem")
            p = p.WithProperty("bulwark:source", "path").WithProperty("bulwark:path", url);
        else if (kind is not "registry" && url is { Length: > 0 })
            p = p with { ExternalReferences = [new ExternalReference("vcs", url)] };
        if (kind == "registry") p = p.WithProperty("bulwark:source", "registry");
        if (version is null && revision is not null && kind != "registry") p = p.WithProperty("bulwark:source", "git");
        return p;
    }

    /// "https://github.com/apple/swift-nio.git" → ("github.com/apple", "swift-nio"); also scp-like
    /// "git@github.com:apple/swift-nio.git" and local paths ("/src/pkg" → ("src", "pkg")).
    internal static (string Namespace, string Name)? SplitLocation(string location)
    {
        string hostAndPath;
        if (Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.Scheme != Uri.UriSchemeFile && !string.IsNullOrEmpty(uri.Host))
        {
            var path = Uri.UnescapeDataString(uri.AbsolutePath); // AbsolutePath is percent-encoded; the purl encodes again
            hostAndPath = uri.IsDefaultPort ? uri.Host + path : $"{uri.Host}:{uri.Port}{path}";
        }
        else if (location.IndexOf(':') is > 0 and var colon && !location.StartsWith('/') && location.IndexOf('@') is var at && at < colon)
        {
            hostAndPath = location[(at + 1)..colon] + "/" + location[(colon + 1)..];
        }
        else
        {
            hostAndPath = location.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? location["file://".Length..] : location;
        }
        var segments = hostAndPath.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2) return null;
        var name = segments[^1];
        if (name.EndsWith(".git", StringComparison.OrdinalIgnoreCase)) name = name[..^4];
        if (name.Length == 0) return null;
        return (string.Join('/', segments[..^1]), name);
    }

    private static string? Str(JsonElement e, string key) =>
        e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
