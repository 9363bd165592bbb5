// SPDX-License-Identifier: Apache-2.0
using System.Text;

namespace Bulwark.Cataloging.Ecosystems.Java;

/// Expands ${name} references against a pom's properties, recursively. A reference to a missing property, a cycle
/// (a = ${b}, b = ${a}) or a result over <see cref="MaxLength"/> (a = ${b}${b}, b = ${c}${c}, …) makes the whole text
/// unresolved: we never guess part of a version.
internal sealed class PomInterpolator(IReadOnlyDictionary<string, string> properties)
{
    public const int MaxLength = 4096;
    private const int MaxDepth = 64;
    private readonly Dictionary<string, string?> _expanded = new(StringComparer.Ordinal);
    private readonly HashSet<string> _active = new(StringComparer.Ordinal);

    /// The text with every reference expanded, or null when any reference cannot be.
    public string? Resolve(string? text) => text is null ? null : Expand(text, 0);

    private string? Expand(string text, int depth)
    {
        if (!text.Contains("${", StringComparison.Ordinal)) return text;
        if (depth > MaxDepth) return null;
        var sb = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var start = text.IndexOf("${", i, StringComparison.Ordinal);
            var end = start < 0 ? -1 : text.IndexOf('}', start + 2);
            if (end < 0)
            {
                sb.Append(text, i, text.Length - i); // no (closed) reference left: the rest is literal
                break;
            }
            sb.Append(text, i, start - i);
            var value = Property(text[(start + 2)..end].Trim(), depth);
            if (value is null) return null;
            sb.Append(value);
            if (sb.Length > MaxLength) return null;
            i = end + 1;
        }
        return sb.ToString();
    }

    private string? Property(string name, int depth)
    {
        if (_expanded.TryGetValue(name, out var done)) return done;
        if (!properties.TryGetValue(name, out var raw)) return null;
        // a name already being expanded is part of a cycle; so is everything that reaches it, so caching null is right
        if (!_active.Add(name)) return null;
        var value = Expand(raw, depth + 1);
        _active.Remove(name);
        _expanded[name] = value;
        return value;
    }
}
