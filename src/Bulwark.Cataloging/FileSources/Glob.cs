// SPDX-License-Identifier: Apache-2.0
using System.Text;
using System.Text.RegularExpressions;

namespace Bulwark.Cataloging.FileSources;

/// A path glob as --exclude takes it: '*' within a segment, '**' across segments, '?' one character,
/// '[abc]' a class. A pattern without '/' matches a file or directory name at any depth.
public sealed class Glob
{
    private readonly Regex _regex;
    public string Pattern { get; }

    public Glob(string pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern)) throw new ArgumentException("An empty glob matches nothing.", nameof(pattern));
        Pattern = pattern;
        var p = pattern.Replace('\\', '/').TrimStart('.').TrimStart('/');
        if (pattern.StartsWith("./", StringComparison.Ordinal) || pattern.StartsWith('/')) p = pattern.TrimStart('.', '/');
        var anchored = p.Contains('/');
        p = p.TrimEnd('/');
        var sb = new StringBuilder(anchored ? "^" : "^(?:.*/)?");
        for (var i = 0; i < p.Length; i++)
        {
            var c = p[i];
            if (c == '*' && i + 1 < p.Length && p[i + 1] == '*')
            {
                // '**/' matches zero or more directories; a trailing '**' matches everything below
                if (i + 2 < p.Length && p[i + 2] == '/') { sb.Append("(?:.*/)?"); i += 2; }
                else { sb.Append(".*"); i += 1; }
            }
            else if (c == '*') sb.Append("[^/]*");
            else if (c == '?') sb.Append("[^/]");
            else if (c == '[')
            {
                var end = p.IndexOf(']', i + 1);
                if (end < 0) { sb.Append("\\["); continue; }
                var cls = p[(i + 1)..end];
                if (cls.StartsWith('!')) cls = "^" + cls[1..];
                sb.Append('[').Append(cls.Replace("\\", "\\\\")).Append(']');
                i = end;
            }
            else sb.Append(Regex.Escape(c.ToString()));
        }
        // a directory pattern also excludes everything beneath it
        sb.Append("(?:/.*)?$");
        _regex = new Regex(sb.ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    public bool IsMatch(string relativePath) => _regex.IsMatch(relativePath);
}
