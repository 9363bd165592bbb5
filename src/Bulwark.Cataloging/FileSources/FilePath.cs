// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Cataloging.FileSources;

/// A '/'-separated path relative to the root of a file tree, with no leading '/' and no '.' or '..' segments.
public readonly record struct FilePath : IComparable<FilePath>
{
    public string Value { get; }

    public FilePath(string value)
    {
        Value = Normalise(value);
    }

    /// The last segment: "package-lock.json".
    public string FileName
    {
        get
        {
            var i = Value.LastIndexOf('/');
            return i < 0 ? Value : Value[(i + 1)..];
        }
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

    /// The extension including the dot, lowercased: ".jar".
    public string Extension
    {
        get
        {
            var name = FileName;
            var i = name.LastIndexOf('.');
            return i <= 0 ? "" : name[i..].ToLowerInvariant();
        }
    }

    /// Segments of the path.
    public string[] Segments => Value.Length == 0 ? [] : Value.Split('/');

    /// True when any directory segment equals <paramref name="segment"/>.
    public bool HasDirectorySegment(string segment)
    {
        var dir = Directory;
        if (dir.Length == 0) return false;
        foreach (var s in dir.Split('/')) if (s == segment) return true;
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
