// SPDX-License-Identifier: Apache-2.0
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging;

/// Reads JSON input the one safe way. <see cref="JsonDocument"/> accepts invalid UTF-8 inside strings and property
/// names and only <see cref="JsonElement.GetString"/> throws later (an InvalidOperationException, which would read as
/// a bug of ours); so the bytes are checked for UTF-8 first, a byte order mark is dropped, and nesting is bounded.
internal static class JsonInput
{
    /// Deeper than any real manifest or lockfile nests.
    public const int MaxDepth = 256;

    /// Plain JSON (RFC 8259): composer, Pipfile.lock, Package.resolved, cargo auditable's .dep-v0.
    public static readonly JsonDocumentOptions Strict = new() { MaxDepth = MaxDepth };

    /// What npm's and NuGet's own readers tolerate: comments and trailing commas.
    public static readonly JsonDocumentOptions Lenient = new()
    {
        MaxDepth = MaxDepth, AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip,
    };

    /// Reads the file's bytes and parses them (<see cref="Parse"/>).
    public static async Task<JsonDocument> ParseAsync(CatalogInput input, JsonDocumentOptions options, CancellationToken ct) =>
        Parse(await ReadAsync(input.Content, input.Size, ct).ConfigureAwait(false), options);

    /// Parses another file of the tree, or returns null when it does not exist.
    public static async Task<JsonDocument?> TryParseAsync(IFileTree tree, FilePath path, JsonDocumentOptions options, CancellationToken ct)
    {
        await using var stream = tree.TryOpen(path);
        if (stream is null) return null;
        CatalogInput.CheckNeighbourSize(path, stream);
        return Parse(await ReadAsync(stream, stream.CanSeek ? stream.Length : 0, ct).ConfigureAwait(false), options);
    }

    /// Parses checked bytes: throws <see cref="InputException"/> for invalid UTF-8 and <see cref="JsonException"/> for bad JSON.
    /// The document keeps a reference to <paramref name="bytes"/>.
    public static JsonDocument Parse(ReadOnlyMemory<byte> bytes, JsonDocumentOptions options)
    {
        var doc = JsonDocument.Parse(Checked(bytes), options);
        try
        {
            // escaped unpaired surrogates ("\ud800") are valid UTF-8 bytes but no string: refused here, not at GetString
            if (JsonText.NeedsCheck(bytes.Span)) JsonText.RequireReadableStrings(doc.RootElement, "the file");
        }
        catch
        {
            doc.Dispose();
            throw;
        }
        return doc;
    }

    /// Reads a whole stream into memory.
    public static async Task<ReadOnlyMemory<byte>> ReadAsync(Stream stream, long sizeHint, CancellationToken ct)
    {
        if (sizeHint > Array.MaxLength) throw new InputException($"the file is {sizeHint:N0} bytes, too large to read as JSON.");
        using var buffer = new MemoryStream(sizeHint is > 0 and < int.MaxValue ? (int)sizeHint : 0);
        await stream.CopyToAsync(buffer, ct).ConfigureAwait(false);
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    /// The bytes without a UTF-8 byte order mark; throws <see cref="InputException"/> where they are not UTF-8.
    public static ReadOnlyMemory<byte> Checked(ReadOnlyMemory<byte> bytes)
    {
        var bom = bytes.Span.StartsWith("\uFEFF"u8) ? 3 : 0;
        bytes = bytes[bom..];
        if (Utf8.IsValid(bytes.Span)) return bytes;
        var offset = FirstInvalid(bytes.Span);
        var line = bytes.Span[..offset].Count((byte)'\n') + 1;
        offset += bom;
        throw new InputException($"line {line} (byte {offset:N0}): the file is not valid UTF-8, so it is not valid JSON. Save it as UTF-8 and try again.");
    }

    /// True for a file of only JSON whitespace (an empty file).
    public static bool IsBlank(ReadOnlySpan<byte> bytes) => bytes.TrimStart(" \t\r\n"u8).IsEmpty;

    private static int FirstInvalid(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done) return offset;
            offset += consumed;
        }
        return offset;
    }
}
