// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Cataloging.FileSources;

/// A '/'-separated path relative to the root of a file tree, with no leading '/' and no '.' or '..' segments.
public readonly record struct FilePath : IComparable<FilePath>
{
    public string Value { get; }

    /// The last segment: "package-lock.json". Computed once: catalogers' Wants look at it for every file.
    public string FileName { get; }

    /// The extension including the dot, lowercased: ".jar" ("" when there is none).
    public string Extension { get; }

    public FilePath(string value)
    {
        Value = Normalise(value);
        var slash = Value.LastIndexOf('/');
        FileName = slash < 0 ? Value : Value[(slash + 1)..];
        var dot = FileName.LastIndexOf('.');
        Extension = dot <= 0 ? "" : LowerExtension(FileName.AsSpan(dot));
    }

    /// The parent directory ("" at the root).
    public string Directory
    {
        get
        {
            var i = Value.LastIndexOf('/');
            return i < 0 ? "" : Value[..i];
        }
    }

    /// Segments of the path.
    public string[] Segments => Value.Length == 0 ? [] : Value.Split('/');

    /// True when any directory segment equals <paramref name="segment"/>. No allocation: Wants calls it per file.
    public bool HasDirectorySegment(string segment)
    {
        var dir = Value.AsSpan(0, Math.Max(0, Value.Length - FileName.Length - 1));
        while (!dir.IsEmpty)
        {
            var slash = dir.IndexOf('/');
            var part = slash < 0 ? dir : dir[..slash];
            if (part.SequenceEqual(segment)) return true;
            if (slash < 0) break;
            dir = dir[(slash + 1)..];
        }
        return false;
    }

    /// A path beside this one: "a/b/go.mod".Sibling("go.sum") = "a/b/go.sum".
    public FilePath Sibling(string name) => Directory.Length == 0 ? new(name) : new($"{Directory}/{name}");

    /// Resolves a relative reference ("../parent/pom.xml") against this file's directory; null if it leaves the root.
    public FilePath? Resolve(string relative)
    {
        var parts = new List<string>(Directory.Length == 0 ? [] : Directory.Split('/'));
        foreach (var seg in relative.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (seg == ".") continue;
            if (seg == "..")
            {
                if (parts.Count == 0) return null;
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(seg);
        }
        return new FilePath(string.Join('/', parts));
    }

    public int CompareTo(FilePath other) => string.CompareOrdinal(Value, other.Value);
    public override string ToString() => Value;
    public static implicit operator FilePath(string value) => new(value);

    private static string LowerExtension(ReadOnlySpan<char> ext)
    {
        foreach (var c in ext)
        {
            if (char.IsAsciiLetterUpper(c) || c > 127) return ext.ToString().ToLowerInvariant();
        }
        return ext.ToString();
    }

    private static string Normalise(string value)
    {
        value = (value ?? "").Replace('\\', '/');
        if (!value.Contains("//") && !value.StartsWith('/') && !value.EndsWith('/') && !value.Contains("./")) return value;
        var parts = new List<string>();
        foreach (var seg in value.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (seg == ".") continue;
            if (seg == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(seg);
        }
        return string.Join('/', parts);
    }
}
