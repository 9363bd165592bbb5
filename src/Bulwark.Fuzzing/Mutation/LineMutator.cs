// SPDX-License-Identifier: Apache-2.0
using System.Text;

namespace Bulwark.Fuzzing.Mutation;

/// Line-level mutations for YAML and TOML-like text: lines duplicated, dropped, swapped, re-indented, spliced in
/// from other seeds, and values or keys replaced by ones the format treats specially.
public static class LineMutator
{
    private static readonly string[] YamlValues =
    [
        "", "~", "null", "''", "\"", "'", "{", "}", "[", "]", "[]", "{}", "&a x", "*a", "*missing", "!!binary AAAA", "!!map", "!tag x",
        "|", ">", "|-", "? x", "- x", "- - - x", "\"\\u0000\"", "\"\\uD800\"", "0x1F", "1e999", ".inf", ".nan", "yes", "no", "<<: *a",
        "${{ github.event.issue.title }}", "@sha256:", "&a [*a, *a, *a, *a, *a, *a, *a, *a]",
    ];

    private static readonly string[] TomlValues =
    [
        "", "\"\"", "\"", "'", "\"\"\"", "'''", "[", "]", "[]", "{", "{}", "{ a = 1 }", "[[", "]]", "1e999", "nan", "inf", "-0",
        "true", "1979-05-27T07:32:00Z", "\"\\u0000\"", "\"\\uD800\"", "\"\\UFFFFFFFF\"", "0x7fffffffffffffff", "0b2", "1__0",
        "[\"a\", [\"b\", [\"c\"]]]", "\"sha256:\"", "\"registry+https://github.com/rust-lang/crates.io-index\"",
    ];

    public static byte[] MutateYaml(byte[] input, Rng rng, MutationContext ctx) => Mutate(input, rng, ctx, YamlValues, ": ");

    public static byte[] MutateToml(byte[] input, Rng rng, MutationContext ctx) => Mutate(input, rng, ctx, TomlValues, " = ");

    private static byte[] Mutate(byte[] input, Rng rng, MutationContext ctx, string[] values, string separator)
    {
        var text = Encoding.UTF8.GetString(input);
        var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count == 0) lines.Add("");
        var i = rng.Next(lines.Count);
        switch (rng.Next(10))
        {
            case 0:
                for (var n = rng.Chance(8) ? 1 + rng.Next(200) : 1; n > 0; n--) lines.Insert(i, lines[i]);
                break;
            case 1:
                if (lines.Count > 1) lines.RemoveAt(i);
                break;
            case 2:
                var j = rng.Next(lines.Count);
                (lines[i], lines[j]) = (lines[j], lines[i]);
                break;
            case 3:
                lines[i] = rng.Chance(2) ? new string(' ', 1 + rng.Next(8)) + lines[i] : lines[i].TrimStart();
                break;
            case 4 or 5:
                lines[i] = WithValue(lines[i], Pick(values, rng, ctx), separator);
                break;
            case 6:
                lines[i] = WithKey(lines[i], ctx.Dictionary.Count > 0 && rng.Chance(2) ? rng.Pick(ctx.Dictionary) : rng.Pick(ByteMutators.GenericTokens), separator);
                break;
            case 7:
                // a line from another seed, or a table header / list item built from one
                if (ctx.Seeds.Count > 0)
                {
                    var other = Encoding.UTF8.GetString(rng.Pick(ctx.Seeds)).Split('\n');
                    lines.Insert(i, other[rng.Next(other.Length)].TrimEnd('\r'));
                }
                break;
            case 8:
                lines.Insert(i, separator == ": " ? "- " + Pick(values, rng, ctx) : "[" + (rng.Chance(2) ? "[package]]" : Pick(values, rng, ctx) + "]"));
                break;
            default:
                // a block of lines repeated (long documents, anchors reused, duplicate keys and tables)
                var start = rng.Next(lines.Count);
                var length = 1 + rng.Next(Math.Min(20, lines.Count - start));
                var block = lines.GetRange(start, length);
                for (var n = 1 + rng.Next(rng.Chance(8) ? 50 : 2); n > 0; n--) lines.InsertRange(start, block);
                break;
        }
        var joined = string.Join(newline, lines);
        return Encoding.UTF8.GetBytes(joined.Length > ctx.MaxSize ? joined[..ctx.MaxSize] : joined);
    }

    private static string Pick(string[] values, Rng rng, MutationContext ctx) => rng.Next(4) switch
    {
        0 => rng.Pick(ByteMutators.InterestingNumbers),
        1 when ctx.Dictionary.Count > 0 => rng.Pick(ctx.Dictionary),
        _ => rng.Pick(values),
    };

    private static string WithValue(string line, string value, string separator)
    {
        var at = line.IndexOf(separator.Trim(), StringComparison.Ordinal);
        return at < 0 ? line + separator + value : line[..(at + 1)] + " " + value;
    }

    private static string WithKey(string line, string key, string separator)
    {
        var at = line.IndexOf(separator.Trim(), StringComparison.Ordinal);
        var indent = line.Length - line.TrimStart().Length;
        return at < 0 ? line[..indent] + key + separator + line.TrimStart() : line[..indent] + key + line[at..];
    }
}
