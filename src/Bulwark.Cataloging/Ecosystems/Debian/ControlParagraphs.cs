// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Cataloging.Ecosystems.Debian;

/// One paragraph of a Debian control file: fields by name (case-insensitive, Debian Policy §5.1) and the line it starts on.
public sealed class ControlParagraph(int line, Dictionary<string, string> fields)
{
    public int Line { get; } = line;
    public IReadOnlyDictionary<string, string> Fields { get; } = fields;

    /// A field's value (continuation lines joined with '\n'), or null when the paragraph lacks it.
    public string? this[string name] => Fields.TryGetValue(name, out var v) ? v : null;

    /// The first line of a field (a multi-line field's synopsis), trimmed; null when absent or blank.
    public string? FirstLine(string name)
    {
        var v = this[name];
        if (v is null) return null;
        var nl = v.IndexOf('\n');
        var first = (nl < 0 ? v : v[..nl]).Trim();
        return first.Length == 0 ? null : first;
    }
}

/// Reads RFC 822-style control paragraphs (Debian Policy §5.1): "Name: value" lines, continuation lines that start
/// with a space or tab, paragraphs separated by blank lines. dpkg's status file, status.d entries and DEP-5 copyright
/// files all use it. Lines that are neither a field nor a continuation are skipped, so one damaged entry does not
/// lose every other package; a file with no field at all is not a control file and is rejected.
public static class ControlParagraphs
{
    /// The paragraphs of a control file, each with the line it starts on; a file of only blank lines has none.
    /// Read line by line without copying the file: a status file runs to megabytes, and a multi-line value is joined
    /// once at its end rather than line by line (which was quadratic in its length).
    public static IReadOnlyList<ControlParagraph> Parse(string text, string pathForMessages)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<ControlParagraph>();
        // field names repeat in every paragraph: each spelling becomes a string once
        var names = new Dictionary<string, string>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        Dictionary<string, string>? fields = null;
        string? last = null;                          // the field continuation lines extend, if any
        string? value = null;                         // its first line
        System.Text.StringBuilder? more = null;       // and its continuation lines, once it has any
        var start = 0;
        var lineNo = 0;
        var sawText = false;

        void Flush()
        {
            if (last is null) return;
            fields![last] = more is null ? value! : more.ToString();
            (last, value, more) = (null, null, null);
        }

        for (var at = 0; at <= text.Length;)
        {
            var end = text.IndexOf('\n', at);
            if (end < 0) end = text.Length;
            var line = text.AsSpan(at, end - at).TrimEnd('\r');
            at = end + 1;
            lineNo++;
            if (line.Trim().Length == 0)
            {
                Flush();
                if (fields is { Count: > 0 }) result.Add(new ControlParagraph(start, fields));
                fields = null;
                continue;
            }
            sawText = true;
            if (line[0] is ' ' or '\t')
            {
                if (last is not null)
                {
                    // " ." stands for an empty line inside a multi-line value
                    var cont = line.Trim();
                    (more ??= new System.Text.StringBuilder(value)).Append('\n').Append(cont is "." ? [] : cont);
                }
                continue;
            }
            if (line[0] == '#') continue; // comments are allowed in source control files and copyright files
            var colon = line.IndexOf(':');
            if (colon <= 0 || HasWhiteSpace(line[..colon]))
            {
                Flush();
                continue;
            }
            Flush();
            if (fields is null) { fields = new(StringComparer.OrdinalIgnoreCase); start = lineNo; }
            var name = line[..colon];
            if (!names.TryGetValue(name, out var known)) names[name] = known = name.ToString();
            last = known;
            value = line[(colon + 1)..].Trim().ToString();
        }
        Flush();
        if (fields is { Count: > 0 }) result.Add(new ControlParagraph(start, fields));
        if (sawText && result.Count == 0)
            throw new Core.InputException($"Cannot read {pathForMessages}: it has no 'Name: value' fields, so it is not a Debian control file. Check that the file is not damaged.");
        return result;
    }

    private static bool HasWhiteSpace(ReadOnlySpan<char> name)
    {
        foreach (var c in name) if (char.IsWhiteSpace(c)) return true;
        return false;
    }
}
