// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging;

/// Finds packages in files of one kind (STYLE.md: a name, a cheap path test, a read method).
/// A cataloger does not catch its own parse errors: it throws <see cref="InputException"/> (or a parser's own
/// format exception) and the catalog run records the file as unreadable and goes on.
public interface ICataloger
{
    /// Stable name, recorded in the SBOM and listed by `sbom --catalogers`.
    string Name { get; }

    /// Path only, no I/O: called for every file in the tree.
    bool Wants(FilePath path);

    Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct);
}

/// One file handed to a cataloger, with access to the rest of the tree for the neighbours some formats need
/// (go.sum beside go.mod, a parent pom, Directory.Packages.props above a project).
public sealed class CatalogInput(IFileTree tree, FilePath path, Stream content, long size, string? layer = null)
{
    public IFileTree Tree { get; } = tree;
    public FilePath Path { get; } = path;
    /// The file's bytes. Readable once, from the start; may not be seekable.
    public Stream Content { get; } = content;
    public long Size { get; } = size;
    /// Where the file is, for package locations.
    public FileLocation Location { get; } = new(path.Value, null, layer);

    public FileLocation LocationAt(int line) => Location with { Line = line };

    private const int ReadBuffer = 1 << 16;

    /// Reads the whole file as UTF-8 text (a BOM is dropped).
    public async Task<string> ReadTextAsync(CancellationToken ct)
    {
        // 64 KiB at a time: StreamReader's default 1 KiB buffer makes a 350 KB lockfile 350 reads
        using var reader = new StreamReader(Content, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, ReadBuffer, leaveOpen: true);
        return await reader.ReadToEndAsync(ct).ConfigureAwait(false);
    }

    /// Reads another file of the tree as text, or null when it does not exist.
    public async Task<string?> TryReadTextAsync(FilePath other, CancellationToken ct)
    {
        await using var s = Tree.TryOpen(other);
        if (s is null) return null;
        CheckNeighbourSize(other, s);
        using var reader = new StreamReader(s, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, ReadBuffer);
        return await reader.ReadToEndAsync(ct).ConfigureAwait(false);
    }

    /// Reads and parses a neighbour (pyproject.toml beside poetry.lock, a workspace member's Cargo.toml), or null when
    /// it does not exist. A neighbour that cannot be read or parsed makes the file unreadable as before, but the reason
    /// names the neighbour ("pyproject.toml beside it: line 3: …", "crates/cli/Cargo.toml: …"), not only the file being
    /// catalogued, so the user fixes the right file.
    public async Task<T?> TryReadNeighbourAsync<T>(FilePath other, Func<string, T> parse, CancellationToken ct) where T : class
    {
        ArgumentNullException.ThrowIfNull(parse);
        try
        {
            var text = await TryReadTextAsync(other, ct).ConfigureAwait(false);
            return text is null ? null : parse(text);
        }
        catch (Exception e) when (Catalog.IsInputError(e))
        {
            var name = other.Directory == Path.Directory ? $"{other.FileName} beside it" : other.Value;
            throw new InputException($"{name}: {Catalog.Describe(e)}", e);
        }
    }

    /// A neighbour is read whole, like the file itself: one past <see cref="Catalog.MaxTextFileSize"/> is not read.
    internal static void CheckNeighbourSize(FilePath other, Stream s)
    {
        if (s.CanSeek && s.Length > Catalog.MaxTextFileSize)
            throw new InputException($"{other}: file is too large: {s.Length:N0} bytes, over the {Catalog.MaxTextFileSize:N0}-byte limit; not read.");
    }
}
