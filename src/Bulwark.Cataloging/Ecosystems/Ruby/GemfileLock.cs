// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Ruby;

/// Where a locked gem comes from: a GEM, GIT, PATH or PLUGIN SOURCE section of Gemfile.lock.
internal sealed record GemSource(string Kind, string? Remote, IReadOnlyDictionary<string, string> Options);

/// One `name (version[-platform])` line under `specs:`, with the names of its dependencies.
internal sealed record LockedGem(string Name, string Version, string? Platform, GemSource Source, int Line, IReadOnlyList<string> Dependencies)
{
    /// The text between the parentheses, as CHECKSUMS repeats it.
    public string FullVersion => Platform is null ? Version : $"{Version}-{Platform}";
}

/// One line of DEPENDENCIES: a gem the Gemfile asks for; `!` marks one pinned to a non-default source.
internal sealed record GemRequirement(string Name, string? Requirement, bool Pinned, int Line);

/// Bundler's Gemfile.lock, read line by line. The format is indentation-based: section names at column 0,
/// section options at 2 spaces, specs at 4 and their dependencies at 6 (bundler/lib/bundler/lockfile_parser.rb).
internal sealed class GemfileLock
{
    public List<LockedGem> Specs { get; } = [];
    public List<GemRequirement> Dependencies { get; } = [];
    public List<string> Platforms { get; } = [];
    /// Digests by "name (version[-platform])".
    public Dictionary<string, List<Digest>> Checksums { get; } = new(StringComparer.Ordinal);
    public string? BundledWith { get; private set; }
    public string? RubyVersion { get; private set; }
    /// False when the file holds no section at all (an empty file).
    public bool HasSections { get; private set; }

    // The three line shapes, read by hand rather than with regular expressions (the first generated regex used in a
    // run initialises every regex of the assembly: ~2 ms of a 40 ms run):
    //   spec:       name " (" version ")"                with name [^\s()!]+ and version [^()\s]+
    //   dependency: name (" (" requirement ")")? "!"?    with requirement [^()]*
    //   checksum:   name " (" version ")" (" " sums)?    with sums \S+

    private static int NameEnd(string s)
    {
        var i = 0;
        while (i < s.Length && !char.IsWhiteSpace(s[i]) && s[i] is not ('(' or ')' or '!')) i++;
        return i;
    }

    // " (" version ")" at i; the index after ")" or -1
    private static int VersionInParentheses(string s, int i, out string version)
    {
        version = "";
        if (!s.AsSpan(i).StartsWith(" (", StringComparison.Ordinal)) return -1;
        var j = i + 2;
        var k = j;
        while (k < s.Length && !char.IsWhiteSpace(s[k]) && s[k] is not ('(' or ')')) k++;
        if (k == j || k >= s.Length || s[k] != ')') return -1;
        version = s[j..k];
        return k + 1;
    }

    internal static bool TrySpecLine(string s, out string name, out string version)
    {
        var n = NameEnd(s);
        name = s[..n];
        version = "";
        return n > 0 && VersionInParentheses(s, n, out version) == s.Length;
    }

    internal static bool TryDependencyLine(string s, out string name, out string? requirement, out bool pinned)
    {
        var n = NameEnd(s);
        name = s[..n];
        requirement = null;
        pinned = false;
        if (n == 0) return false;
        var rest = s.AsSpan(n);
        if (rest.StartsWith(" (", StringComparison.Ordinal))
        {
            var close = rest[2..].IndexOfAny('(', ')');
            if (close < 0 || rest[2 + close] != ')') return false;
            requirement = rest.Slice(2, close).ToString();
            rest = rest[(3 + close)..];
        }
        if (rest.Length == 1 && rest[0] == '!') { pinned = true; return true; }
        return rest.Length == 0;
    }

    internal static bool TryChecksumLine(string s, out string name, out string version, out string sums)
    {
        var n = NameEnd(s);
        name = s[..n];
        version = "";
        sums = "";
        if (n == 0) return false;
        var end = VersionInParentheses(s, n, out version);
        if (end < 0) return false;
        if (end == s.Length) return true;
        if (s[end] != ' ' || end + 1 == s.Length) return false;
        for (var i = end + 1; i < s.Length; i++)
            if (char.IsWhiteSpace(s[i])) return false;
        sums = s[(end + 1)..];
        return true;
    }

    private static readonly HashSet<string> SourceSections = new(StringComparer.Ordinal) { "GEM", "GIT", "PATH", "PLUGIN SOURCE" };

    public static GemfileLock Parse(string text)
    {
        var lockFile = new GemfileLock();
        string? section = null;
        Dictionary<string, string>? options = null;
        GemSource? source = null;
        var inSpecs = false;
        LockedGem? current = null;
        List<string>? currentDeps = null;

        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNo = i + 1;
            var line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0) continue;
            if (line.StartsWith("<<<<<<<", StringComparison.Ordinal) || line.StartsWith(">>>>>>>", StringComparison.Ordinal))
                throw new InputException($"line {lineNo}: unresolved merge conflict marker. Resolve the conflict and run 'bundle lock'.");

            var indent = line.Length - line.TrimStart(' ').Length;
            var content = line[indent..];
            if (content.StartsWith('\t') || line.StartsWith('\t'))
                throw new InputException($"line {lineNo}: tab indentation; Gemfile.lock indents with spaces. Run 'bundle lock' to rebuild it.");

            if (indent == 0)
            {
                Flush();
                section = content;
                lockFile.HasSections = true;
                inSpecs = false;
                source = null;
                options = SourceSections.Contains(section) ? new Dictionary<string, string>(StringComparer.Ordinal) : null;
                if (!IsSectionName(section))
                    throw new InputException($"line {lineNo}: '{Shorten(content)}' is not a Gemfile.lock section name. Run 'bundle lock' to rebuild it.");
                continue;
            }
            if (section is null)
                throw new InputException($"line {lineNo}: indented line before any section. Run 'bundle lock' to rebuild it.");

            if (options is not null)
            {
                // GEM / GIT / PATH / PLUGIN SOURCE
                if (indent == 2)
                {
                    Flush();
                    if (content == "specs:")
                    {
                        inSpecs = true;
                        source = new GemSource(section, options.GetValueOrDefault("remote"), options);
                        continue;
                    }
                    var colon = content.IndexOf(": ", StringComparison.Ordinal);
                    if (colon > 0) options[content[..colon]] = content[(colon + 2)..].Trim();
                    continue;
                }
                if (!inSpecs || source is null)
                    throw new InputException($"line {lineNo}: gem listed outside 'specs:'. Run 'bundle lock' to rebuild it.");
                if (indent == 4)
                {
                    Flush();
                    if (!TrySpecLine(content, out var specName, out var fullVersion))
                        throw new InputException($"line {lineNo}: expected 'name (version)' but found '{Shorten(content)}'. Run 'bundle lock' to rebuild it.");
                    var (version, platform) = SplitPlatform(fullVersion);
                    currentDeps = [];
                    current = new LockedGem(specName, version, platform, source, lineNo, currentDeps);
                    continue;
                }
                if (indent == 6 && current is not null && currentDeps is not null)
                {
                    if (!TryDependencyLine(content, out var depName, out _, out _))
                        throw new InputException($"line {lineNo}: expected 'name (requirement)' but found '{Shorten(content)}'. Run 'bundle lock' to rebuild it.");
                    currentDeps.Add(depName);
                    continue;
                }
                throw new InputException($"line {lineNo}: unexpected indentation of {indent} spaces. Run 'bundle lock' to rebuild it.");
            }

            switch (section)
            {
                case "PLATFORMS" when indent == 2:
                    lockFile.Platforms.Add(content);
                    break;
                case "DEPENDENCIES" when indent == 2:
                {
                    if (!TryDependencyLine(content, out var depName, out var requirement, out var pinned))
                        throw new InputException($"line {lineNo}: expected 'name (requirement)' but found '{Shorten(content)}'. Run 'bundle lock' to rebuild it.");
                    lockFile.Dependencies.Add(new GemRequirement(depName, requirement, pinned, lineNo));
                    break;
                }
                case "CHECKSUMS" when indent == 2:
                {
                    if (!TryChecksumLine(content, out var sumName, out var sumVersion, out var sums))
                        throw new InputException($"line {lineNo}: expected 'name (version) sha256=<hex>' but found '{Shorten(content)}'. Run 'bundle lock' to rebuild it.");
                    var digests = new List<Digest>();
                    // "sha256=<hex>", several separated by commas; an algorithm we do not know is left out
                    foreach (var sum in sums.Split(',', StringSplitOptions.RemoveEmptyEntries))
                    {
                        var eq = sum.IndexOf('=');
                        if (eq > 0 && Digest.TryCreate(sum[..eq], sum[(eq + 1)..], out var d)) digests.Add(d);
                    }
                    lockFile.Checksums[$"{sumName} ({sumVersion})"] = digests;
                    break;
                }
                case "BUNDLED WITH" when indent >= 2:
                    lockFile.BundledWith = content.Trim();
                    break;
                case "RUBY VERSION" when indent >= 2:
                    lockFile.RubyVersion = content.Trim().StartsWith("ruby ", StringComparison.Ordinal) ? content.Trim()[5..] : content.Trim();
                    break;
                default:
                    break; // a section or option of a newer Bundler: not needed for packages
            }
        }
        Flush();
        return lockFile;

        void Flush()
        {
            if (current is not null) lockFile.Specs.Add(current);
            current = null;
            currentDeps = null;
        }
    }

    /// Bundler writes a non-Ruby platform after the version: "1.17.4-x86_64-linux-gnu". A gem version itself never
    /// holds '-' (RubyGems turns "1.0-rc" into "1.0.pre.rc"), so the first '-' starts the platform.
    private static (string Version, string? Platform) SplitPlatform(string text)
    {
        var dash = text.IndexOf('-');
        return dash > 0 && dash < text.Length - 1 ? (text[..dash], text[(dash + 1)..]) : (text, null);
    }

    private static bool IsSectionName(string s) => s.Length > 0 && s.All(c => char.IsAsciiLetterUpper(c) || c == ' ' || c == '_');

    private static string Shorten(string s) => s.Length > 80 ? s[..80] + "…" : s;
}
