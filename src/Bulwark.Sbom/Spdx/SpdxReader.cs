// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Sbom.Spdx;

/// Reads an SPDX 2.2/2.3 document in either serialisation, telling JSON ('{' … "spdxVersion") from tag-value
/// ("SPDXVersion:") by looking at the text.
public static class SpdxReader
{
    /// The serialisation of an SPDX document, or null when the text is neither.
    public static SbomFormat? Sniff(string text)
    {
        var head = text.AsSpan(0, Math.Min(text.Length, 64 * 1024)).TrimStart("\uFEFF \t\r\n");
        if (head.StartsWith("{") && head.Contains("\"spdxVersion\"", StringComparison.Ordinal)) return SbomFormat.SpdxJson;
        if (head.Contains("SPDXVersion:", StringComparison.Ordinal)) return SbomFormat.SpdxTagValue;
        return null;
    }

    public static Sbom Read(string text) => Sniff(text) switch
    {
        SbomFormat.SpdxJson => SpdxJsonReader.Read(text),
        SbomFormat.SpdxTagValue => SpdxTagValueReader.Read(text),
        _ => throw new InputException("This is not an SPDX document: it has neither a JSON \"spdxVersion\" nor a tag-value 'SPDXVersion:' line. Bulwark reads SPDX 2.2 and 2.3 JSON and tag-value."),
    };

    public static Sbom Read(Stream input)
    {
        using var reader = new StreamReader(input, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Read(reader.ReadToEnd());
    }
}
