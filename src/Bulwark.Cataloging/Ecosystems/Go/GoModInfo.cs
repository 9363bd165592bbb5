// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using System.Text;

namespace Bulwark.Cataloging.Ecosystems.Go;

/// A module as the build information records it; <see cref="Replace"/> is what the build really used.
internal sealed record GoModule(string Path, string Version, string Sum, GoModule? Replace = null);

/// The module-info text embedded in a Go binary, as `go version -m` prints it (Go source, runtime/debug/mod.go,
/// BuildInfo.String and ParseBuildInfo): tab-separated lines
///   path  &lt;main package path&gt;
///   mod   &lt;main module path&gt; &lt;version&gt; [&lt;h1 sum&gt;]
///   dep   &lt;module path&gt; &lt;version&gt; [&lt;h1 sum&gt;]
///   =&gt;    &lt;replacement path&gt; &lt;version&gt; [&lt;h1 sum&gt;]   (replaces the mod or dep line above it)
///   build &lt;key&gt;=&lt;value&gt;   (key and value Go-quoted when they hold spaces, tabs, quotes or newlines)
internal sealed record GoModInfo(string? Path, GoModule? Main, IReadOnlyList<GoModule> Deps, IReadOnlyList<KeyValuePair<string, string>> Settings)
{
    public string? Setting(string key) => Settings.LastOrDefault(s => s.Key == key).Value;

    /// Parses the text; lines it does not know are skipped, as newer toolchains may add kinds.
    public static GoModInfo Parse(string text)
    {
        string? path = null;
        GoModule? main = null;
        var deps = new List<GoModule>();
        var settings = new List<KeyValuePair<string, string>>();
        var lastWasMain = false;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var tab = line.IndexOf('\t');
            if (tab < 0) continue;
            var kind = line[..tab];
            var rest = line[(tab + 1)..];
            switch (kind)
            {
                case "path":
                    path = rest;
                    break;
                case "mod" when ToModule(rest) is { } m:
                    main = m;
                    lastWasMain = true;
                    break;
                case "dep" when ToModule(rest) is { } d:
                    deps.Add(d);
                    lastWasMain = false;
                    break;
                case "=>" when ToModule(rest) is { } r:
                    if (lastWasMain && main is not null) main = main with { Replace = r };
                    else if (!lastWasMain && deps.Count > 0) deps[^1] = deps[^1] with { Replace = r };
                    break;
                case "build" when TryParseSetting(rest, out var setting):
                    settings.Add(setting);
                    break;
            }
        }
        return new GoModInfo(path, main, deps, settings);
    }

    private static GoModule? ToModule(string fields)
    {
        var f = fields.Split('\t');
        if (f[0].Length == 0) return null;
        return new GoModule(f[0], f.Length > 1 ? f[1] : "", f.Length > 2 ? f[2] : "");
    }

    private static bool TryParseSetting(string text, out KeyValuePair<string, string> setting)
    {
        setting = default;
        string key;
        int rest;
        if (text.StartsWith('"'))
        {
            if (!TryUnquotePrefix(text, 0, out key, out rest)) return false;
            if (rest >= text.Length || text[rest] != '=') return false;
        }
        else
        {
            rest = text.IndexOf('=', StringComparison.Ordinal);
            if (rest <= 0) return false;
            key = text[..rest];
        }
        var raw = text[(rest + 1)..];
        string value;
        if (raw.StartsWith('"'))
        {
            if (!TryUnquotePrefix(raw, 0, out value, out var end) || end != raw.Length) return false;
        }
        else value = raw;
        setting = new(key, value);
        return true;
    }

    /// Reads a Go double-quoted string literal (strconv.Quote's output) starting at <paramref name="start"/>.
    private static bool TryUnquotePrefix(string s, int start, out string value, out int end)
    {
        value = "";
        end = start;
        var bytes = new List<byte>();
        var i = start + 1;
        Span<byte> utf8 = stackalloc byte[4];
        while (i < s.Length)
        {
            var c = s[i];
            if (c == '"')
            {
                value = Encoding.UTF8.GetString(bytes.ToArray());
                end = i + 1;
                return true;
            }
            if (c != '\\')
            {
                var n = Encoding.UTF8.GetBytes(s.AsSpan(i, char.IsHighSurrogate(c) && i + 1 < s.Length ? 2 : 1), utf8);
                for (var k = 0; k < n; k++) bytes.Add(utf8[k]);
                i += char.IsHighSurrogate(c) && i + 1 < s.Length ? 2 : 1;
                continue;
            }
            if (i + 1 >= s.Length) return false;
            var e = s[i + 1];
            i += 2;
            switch (e)
            {
                case 'a': bytes.Add(7); break;
                case 'b': bytes.Add(8); break;
                case 'f': bytes.Add(12); break;
                case 'n': bytes.Add(10); break;
                case 'r': bytes.Add(13); break;
                case 't': bytes.Add(9); break;
                case 'v': bytes.Add(11); break;
                case '\\' or '"' or '\'': bytes.Add((byte)e); break;
                case 'x' when i + 2 <= s.Length && byte.TryParse(s.AsSpan(i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var x):
                    bytes.Add(x);
                    i += 2;
                    break;
                case 'u' or 'U':
                {
                    var len = e == 'u' ? 4 : 8;
                    if (i + len > s.Length || !int.TryParse(s.AsSpan(i, len), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var cp)
                        || cp < 0 || cp > 0x10FFFF || cp is >= 0xD800 and <= 0xDFFF) return false;
                    bytes.AddRange(Encoding.UTF8.GetBytes(char.ConvertFromUtf32(cp)));
                    i += len;
                    break;
                }
                case >= '0' and <= '7' when i + 2 <= s.Length:
                {
                    var octal = s.Substring(i - 1, 3);
                    if (octal.Any(ch => ch is < '0' or > '7')) return false;
                    var v = Convert.ToInt32(octal, 8);
                    if (v > 255) return false;
                    bytes.Add((byte)v);
                    i += 2;
                    break;
                }
                default: return false;
            }
        }
        return false;
    }
}
