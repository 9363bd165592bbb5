// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Bulwark.Core;

/// The frame every SARIF 2.1.0 log Bulwark writes shares (scan, secrets, ci audit): one run whose tool is Bulwark.
public static class SarifLog
{
    /// The OASIS schema the logs declare (and are validated against in tests).
    public const string SchemaUri = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

    /// The tool's information URI in every log.
    public const string InformationUri = "https://github.com/bulwark-security/bulwark";

    /// Writes `{"$schema", "version": "2.1.0", "runs": [{"tool": {"driver": {"name", "version", "informationUri",
    /// "rules": [` and leaves the rules array open: the caller writes its rules, then closes with <see cref="EndDriver"/>.
    public static void StartRun(Utf8JsonWriter w, string toolVersion)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteStartObject();
        w.WriteString("$schema", SchemaUri);
        w.WriteString("version", "2.1.0");
        w.WriteStartArray("runs");
        w.WriteStartObject();
        w.WriteStartObject("tool");
        w.WriteStartObject("driver");
        w.WriteString("name", "bulwark");
        w.WriteString("version", toolVersion);
        w.WriteString("informationUri", InformationUri);
        w.WriteStartArray("rules");
    }

    /// Closes the rules array, the driver and the tool, leaving the run open for its results.
    public static void EndDriver(Utf8JsonWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// Writes a result's `"locations": [{"physicalLocation": …}]` (one file, an optional region) and its
    /// `"partialFingerprints": {key: value}`, the part of a result every Bulwark log shares.
    public static void WriteLocation(Utf8JsonWriter w, string uri, int? line, int? column, string fingerprintKey, string fingerprint,
        string? uriBaseId = null)
    {
        WriteLocations(w, uri, line, column, uriBaseId);
        w.WriteStartObject("partialFingerprints");
        w.WriteString(fingerprintKey, fingerprint);
        w.WriteEndObject();
    }

    /// Writes `"locations": [{"physicalLocation": …}]`: one file and an optional region (a result's, or a
    /// notification's without a region).
    public static void WriteLocations(Utf8JsonWriter w, string uri, int? line = null, int? column = null, string? uriBaseId = null)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteStartArray("locations");
        w.WriteStartObject();
        w.WriteStartObject("physicalLocation");
        w.WriteStartObject("artifactLocation");
        w.WriteString("uri", uri);
        if (uriBaseId is not null) w.WriteString("uriBaseId", uriBaseId);
        w.WriteEndObject();
        if (line is { } startLine)
        {
            w.WriteStartObject("region");
            w.WriteNumber("startLine", startLine);
            if (column is { } startColumn) w.WriteNumber("startColumn", startColumn);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
    }

    /// Closes the run (after its results), the runs array and the log, flushes, and ends the file with a newline.
    public static void EndRun(Utf8JsonWriter w, Stream output)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(output);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        output.WriteByte((byte)'\n');
    }

    /// A path relative to the repository root as a relative URI reference: '/'-separated, no leading '/' (files
    /// inside an image are named by their path in the image), and every character outside RFC 3986's unreserved and
    /// path sets percent-encoded, ':' included so a first segment is never read as a scheme.
    public static string RelativeUri(string path)
    {
        var trimmed = path.Replace('\\', '/').TrimStart('/');
        if (trimmed.Length == 0) return ".";
        var sb = new StringBuilder(trimmed.Length);
        foreach (var b in Encoding.UTF8.GetBytes(trimmed))
        {
            var c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '/' or '!' or '$' or '&' or '\'' or '(' or ')' or '*' or '+' or ',' or ';' or '=' or '@'))
                sb.Append(c);
            else
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
