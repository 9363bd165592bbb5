// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Core;
using System.Text.Json;
using Bulwark.Sbom.CycloneDx;
using Bulwark.Sbom.Spdx;

namespace Bulwark.Sbom;

/// Reads an SBOM file in any supported format, recognising the format from the first bytes.
public static class SbomReader
{
    /// How many leading bytes <see cref="Detect"/> needs to see.
    public const int DetectLength = 8192;

    /// Recognises the format from the start of a document: null when it is none Bulwark reads.
    public static SbomFormat? Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) head = head[3..];   // UTF-8 byte order mark
        var text = Encoding.UTF8.GetString(head).TrimStart();
        if (text.StartsWith('{'))
        {
            // JSON: CycloneDX must say bomFormat, SPDX spdxVersion, as members of the document object: the word in a
            // value (an SPDX package's copyright text "bomFormat") decides nothing (found by the sbom.convert target)
            if (TopLevelMember(head, out var complete) is { } member) return member;
            // the whole object was in the head, and it names neither: no word in a value decides otherwise
            if (complete) return null;
            // the head ended before either member, or is not JSON (the reader then says where): both usually come
            // first but need not, so the words anywhere in the head decide
            if (text.Contains("\"bomFormat\"", StringComparison.Ordinal)) return SbomFormat.CycloneDxJson;
            if (text.Contains("\"spdxVersion\"", StringComparison.Ordinal)) return SbomFormat.SpdxJson;
            return null;
        }
        if (text.StartsWith('<'))
            return text.Contains("http://cyclonedx.org/schema/bom/", StringComparison.Ordinal) ? SbomFormat.CycloneDxXml : null;
        // tag-value: "SPDXVersion: SPDX-2.3", possibly after comment lines
        foreach (var line in text.Split('\n'))
        {
            var l = line.Trim();
            if (l.Length == 0 || l.StartsWith('#')) continue;
            return l.StartsWith("SPDXVersion:", StringComparison.Ordinal) ? SbomFormat.SpdxTagValue : null;
        }
        return null;
    }

    // which of "bomFormat" and "spdxVersion" the head names first as a member of the top-level object
    private static SbomFormat? TopLevelMember(ReadOnlySpan<byte> head, out bool complete)
    {
        complete = false;
        var reader = new Utf8JsonReader(head, isFinalBlock: false,
            new JsonReaderState(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 256 }));
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0)
                {
                    complete = true;
                    return null;
                }
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1) continue;
                if (reader.ValueTextEquals("bomFormat"u8)) return SbomFormat.CycloneDxJson;
                if (reader.ValueTextEquals("spdxVersion"u8)) return SbomFormat.SpdxJson;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // damaged JSON, or a name whose escape is no text (InvalidOperationException from ValueTextEquals): the
            // words decide, and the format's reader reports the damage with its place
        }
        return null;
    }

    /// Reads a document, detecting its format; <paramref name="source"/> names it in error messages.
    public static Sbom Read(Stream input, string source = "<input>")
    {
        ArgumentNullException.ThrowIfNull(input);
        var seekable = input.CanSeek ? input : Buffer(input);
        var start = seekable.Position;
        var head = new byte[DetectLength];
        var n = seekable.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        seekable.Position = start;
        var format = Detect(head.AsSpan(0, n))
            ?? throw new InputException($"Cannot read {source}: it is not an SBOM Bulwark recognises. Supported formats: CycloneDX JSON or XML (1.2 to 1.6), SPDX 2.3 JSON or tag-value.");
        return Read(seekable, format, source);
    }

    /// Reads a document in a known format.
    public static Sbom Read(Stream input, SbomFormat format, string source = "<input>") => format switch
    {
        SbomFormat.CycloneDxJson => CycloneDxJsonReader.Read(input, source),
        SbomFormat.CycloneDxXml => CycloneDxXmlReader.Read(input, source),
        SbomFormat.SpdxJson => WithSource(source, () => SpdxJsonReader.Read(input)),
        SbomFormat.SpdxTagValue => WithSource(source, () => SpdxTagValueReader.Read(input)),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    // the SPDX readers report line and field; this adds which file (STYLE.md: add context and rethrow)
    private static Sbom WithSource(string source, Func<Sbom> read)
    {
        try
        {
            return read();
        }
        catch (InputException e)
        {
            throw new InputException($"Cannot read {source}: {e.Message}", e);
        }
        catch (JsonException e)
        {
            throw new InputException($"Cannot read {source}: line {(e.LineNumber ?? 0) + 1}: not valid JSON ({e.Message.Split('.')[0]}). Check that the file is complete.", e);
        }
    }

    private static MemoryStream Buffer(Stream input)
    {
        var copy = new MemoryStream();
        input.CopyTo(copy);
        copy.Position = 0;
        return copy;
    }
}
