// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using System.Text.Json;
using Bulwark.Core;

namespace Bulwark.Vulnerabilities.Vex;

/// The formats <see cref="VexDocuments"/> reads.
public enum VexFormat { OpenVex, CycloneDxJson, CycloneDxXml }

/// Statements read from one VEX document, and what in it could not be used (a product named only by a CPE, an
/// affects ref to a component of another BOM): reported so that VEX never silently fails to apply.
public sealed record VexDocument(string Path, VexFormat Format, ImmutableArray<VexStatement> Statements, ImmutableArray<string> Warnings);

/// Reads VEX statements from an OpenVEX, CycloneDX JSON or CycloneDX XML document, detected from its content.
public static class VexDocuments
{
    /// VEX documents are small; a larger file is refused before it is read rather than parsed without bound.
    public const long MaxBytes = 64L << 20;

    internal static readonly JsonDocumentOptions JsonOptions = new() { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 };

    /// Reads every statement of the VEX document at <paramref name="path"/>; throws InputException on a bad file.
    public static ImmutableArray<VexStatement> Read(string path) => Load(path).Statements;

    /// Reads the VEX document at <paramref name="path"/> with the warnings about what could not be resolved.
    public static VexDocument Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = ReadBytes(path);
        return Parse(bytes, path);
    }

    /// Reads a VEX document from memory; <paramref name="source"/> names it in messages and statement sources.
    public static VexDocument Parse(ReadOnlyMemory<byte> content, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var span = content.Span;
        var bom = span.StartsWith("\uFEFF"u8) ? 3 : 0;
        var start = bom;
        while (start < span.Length && span[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') start++;
        if (start == span.Length)
            throw new InputException($"Cannot read {source}: the file is empty. Give an OpenVEX or CycloneDX VEX document.");
        if (span[start] == (byte)'<') return CycloneDxVexReader.ReadXml(content, source);
        if (span[start] is not ((byte)'{' or (byte)'['))
            throw new InputException($"Cannot read {source}: it is neither JSON nor XML. Give an OpenVEX document or a CycloneDX VEX document (JSON or XML).");

        // System.Text.Json checks UTF-8 only when a string is read, and then throws InvalidOperationException
        if (!System.Text.Unicode.Utf8.IsValid(span))
            throw new InputException($"Cannot read {source}: line {LineOfFirstInvalidUtf8(span)}: the text is not valid UTF-8, which JSON (and OpenVEX) requires. Save the file as UTF-8.");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(content[bom..], JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InputException($"Cannot read {source}: line {(e.LineNumber ?? 0) + 1}: not valid JSON ({e.Message}). Check that the file is a complete VEX document.", e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            // an unpaired surrogate escape ("\ud800") parses and throws InvalidOperationException only when read
            if (JsonText.NeedsCheck(span)) JsonText.RequireReadableStrings(root, source);
            if (root.ValueKind != JsonValueKind.Object)
                throw new InputException($"Cannot read {source}: the document is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object. Give an OpenVEX or CycloneDX VEX document.");
            // an in-toto statement carrying OpenVEX as its predicate (what `vexctl attest` signs)
            if (root.TryGetProperty("predicateType", out var predicateType) && predicateType.ValueKind == JsonValueKind.String
                && predicateType.GetString()!.StartsWith("https://openvex.dev/ns", StringComparison.Ordinal)
                && root.TryGetProperty("predicate", out var predicate) && predicate.ValueKind == JsonValueKind.Object)
                return OpenVexReader.Read(predicate, source, "predicate.");
            if (root.TryGetProperty("bomFormat", out var bomFormat) && bomFormat.ValueKind == JsonValueKind.String && bomFormat.GetString() == "CycloneDX")
                return CycloneDxVexReader.ReadJson(root, source);
            if (root.TryGetProperty("@context", out _) || root.TryGetProperty("statements", out _))
                return OpenVexReader.Read(root, source, "");
            throw new InputException($"Cannot read {source}: it is JSON but neither OpenVEX (no @context or statements) nor CycloneDX (no \"bomFormat\": \"CycloneDX\"). Give an OpenVEX or CycloneDX VEX document.");
        }
    }

    private static int LineOfFirstInvalidUtf8(ReadOnlySpan<byte> span)
    {
        var line = 1;
        for (var i = 0; i < span.Length;)
        {
            if (System.Text.Rune.DecodeFromUtf8(span[i..], out _, out var consumed) != System.Buffers.OperationStatus.Done) return line;
            if (span[i] == (byte)'\n') line++;
            i += consumed;
        }
        return line;
    }

    internal static byte[] ReadBytes(string path)
    {
        if (Directory.Exists(path)) throw new InputException($"Cannot read {path}: it is a directory. Give the path of a VEX document.");
        if (!File.Exists(path)) throw new InputException($"Cannot read {path}: no such file. Give the path of an OpenVEX or CycloneDX VEX document.");
        using var stream = File.OpenRead(path);
        if (stream.Length > MaxBytes)
            throw new InputException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Cannot read {path}: it has {stream.Length:N0} bytes, more than the {MaxBytes >> 20} MiB a VEX document may have here. Split it into smaller documents."));
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
