// SPDX-License-Identifier: Apache-2.0
using System.IO.Compression;
using System.Text.Json;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Binaries;

/// Reads the crate list that cargo-auditable (https://github.com/rust-secure-code/cargo-auditable) embeds in Rust
/// executables: section ".dep-v0" (ELF, PE; "__DATA,.dep-v0" on Mach-O) holding zlib-compressed JSON
/// {"packages":[{"name","version","source","kind","dependencies":[indices],"root"}]}. "kind" is "runtime" when
/// absent; "root" is false when absent; "source" is "crates.io", "local", "git", "registry" or another string.
public sealed class CargoAuditableCataloger : ICataloger, IFileSizeLimit, IConfirmsByHead
{
    /// Archives and executables are read in place (seeking), not whole: no limit beyond the run's.
    public long MaxFileSize => long.MaxValue;

    // The compressed section and the JSON it inflates to are bounded, so a crafted file cannot exhaust memory
    // (a zlib stream can expand a thousandfold). Real dependency lists are tens of kilobytes.
    private const int MaxCompressedBytes = 8 << 20;
    private const int MaxJsonBytes = 16 << 20;

    public string Name => "cargo-auditable-binary";

    public bool Wants(FilePath path) => ExecutablePath.IsCandidate(path);

    public bool WantsHead(ReadOnlySpan<byte> head) => ExecutableFile.HasMagic(head);

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        if (await SeekableContent.OpenExecutableAsync(input, ct).ConfigureAwait(false) is not (Stream stream, bool owned)) return [];
        try
        {
            var exe = await ExecutableFile.TryReadAsync(stream, ct).ConfigureAwait(false);
            if (exe?.Section(".dep-v0") is not { } section) return [];
            if (section.FileSize > MaxCompressedBytes)
                throw new InputException($"the .dep-v0 section is {section.FileSize:N0} bytes, over the {MaxCompressedBytes:N0}-byte limit; not read.");
            var compressed = await exe.ReadSectionAsync(section, MaxCompressedBytes, ct).ConfigureAwait(false);
            var json = await InflateAsync(compressed, ct).ConfigureAwait(false);
            return ToPackages(json, input.Location);
        }
        finally
        {
            if (owned) await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<byte[]> InflateAsync(byte[] compressed, CancellationToken ct)
    {
        await using var zlib = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        try
        {
            int n;
            while ((n = await zlib.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                if (output.Length + n > MaxJsonBytes)
                    throw new InputException($"the .dep-v0 section inflates to more than {MaxJsonBytes:N0} bytes; not read (a real dependency list is far smaller).");
                output.Write(buffer, 0, n);
            }
        }
        catch (InvalidDataException e)
        {
            throw new InputException($"the .dep-v0 section is not zlib-compressed data ({e.Message}); the binary is corrupt.", e);
        }
        return output.ToArray();
    }

    private static List<Package> ToPackages(byte[] json, FileLocation location)
    {
        using var doc = JsonInput.Parse(json, JsonInput.Strict);
        if (!doc.RootElement.TryGetProperty("packages", out var list) || list.ValueKind != JsonValueKind.Array)
            throw new InputException("the .dep-v0 JSON has no \"packages\" array. Rebuild the binary with cargo auditable.");
        var entries = list.EnumerateArray().ToList();
        var basics = new List<Package>(entries.Count);
        foreach (var e in entries)
        {
            if (e.ValueKind != JsonValueKind.Object) throw new InputException("an entry of the .dep-v0 \"packages\" array is not an object.");
            var name = Text(e, "name");
            var version = Text(e, "version");
            if (string.IsNullOrEmpty(name)) throw new InputException("a package in the .dep-v0 JSON has no name.");
            var root = e.TryGetProperty("root", out var r) && r.ValueKind == JsonValueKind.True;
            var kind = Text(e, "kind");
            var source = Text(e, "source");
            var p = Package.Create(Ecosystem.Cargo, name, version, location);
            if (root) p = p with { IsRoot = true, Kind = PackageKind.Application };
            // build dependencies (build scripts, proc macros) run while compiling; their code is not in the binary
            if (kind == "build") p = (p with { Scope = Scope.Dev }).WithProperty("cargo:kind", "build");
            if (!root)
            {
                p = p.WithProperty("bulwark:source", source switch
                {
                    "local" => "path",
                    "git" => "git",
                    "crates.io" or "registry" => "registry",
                    _ => null,
                });
            }
            if (source is not null && source != "crates.io") p = p.WithProperty("cargo:source", source);
            basics.Add(p);
        }

        var packages = new List<Package>(basics.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var deps = new List<Purl>();
            if (entries[i].TryGetProperty("dependencies", out var d) && d.ValueKind == JsonValueKind.Array)
            {
                foreach (var index in d.EnumerateArray())
                {
                    if (!index.TryGetInt32(out var j) || j < 0 || j >= basics.Count)
                        throw new InputException($"package {basics[i].Name} in the .dep-v0 JSON depends on index {index}, which is not in the package list.");
                    deps.Add(basics[j].Purl);
                }
            }
            packages.Add(basics[i] with { DependsOn = [.. deps] });
        }
        return PackageSightings.Merge(packages);
    }

    private static string? Text(JsonElement e, string property) =>
        e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
