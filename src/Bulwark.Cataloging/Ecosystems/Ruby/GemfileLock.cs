// SPDX-License-Identifier: Apache-2.0
using System.Text.RegularExpressions;
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
internal sealed partial class GemfileLock
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

    [GeneratedRegex(@"^(?<name>[^\s()!]+) \((?<version>[^()\s]+)\)$")]
    private static partial Regex SpecLine();

    [GeneratedRegex(@"^(?<name>[^\s()!]+)(?: \((?<req>[^()]*)\))?(?<pinned>!)?$")]
    private static partial Regex DependencyLine();

    [GeneratedRegex(@"^(?<name>[^\s()!]+) \((?<version>[^()\s]+)\)(?: (?<sums>\S+))?$")]
    private static partial Regex ChecksumLine();

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
                    var m = SpecLine().Match(content);
                    if (!m.Success)
                        throw new InputException($"line {lineNo}: expected 'name (version)' but found '{Shorten(content)}'. Run 'bundle lock' to rebuild it.");
                    var (version, platform) = SplitPlatform(m.Groups["version"].Value);
                    currentDeps = [];
                    current = new LockedGem(m.Groups["name"].Value, version, platform, source, lineNo, currentDeps);
                    continue;
                }
                if (indent == 6 && current is not null && currentDeps is not null)
                {
                    var m = DependencyLine().Match(content);
                    if (!m.Success)
                        throw new InputException($"line {lineNo}: expected 'name (requirement)' but found '{Shorten(content)}'. Run 'bundle lock' to rebuild it.");
                    currentDeps.Add(m.Groups["name"].Value);
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
                    var m = DependencyLine().Match(content);
                    if (!m.Success)
                        throw new InputException($"line {lineNo}: expected 'name (requirement)' but found '{Shorten(content)}'. Run 'bundle lock' to rebuild it.");
                    lockFile.Dependencies.Add(new GemRequirement(m.Groups["name"].Value,
                        m.Groups["req"].Success ? m.Groups["req"].Value : null, m.Groups["pinned"].Success, lineNo));
                    break;
                }
                case "CHECKSUMS" when indent == 2:
                {
                    var m = ChecksumLine().Match(content);
                    if (!m.Success)
                        throw new InputException($"line {lineNo}: expected 'name (version) sha256=<hex>' but found '{Shorten(content)}'. Run 'bundle lock' to rebuild it.");
                    var digests = new List<Digest>();
                    // "sha256=<hex>", several separated by commas; an algorithm we do not know is left out
                    foreach (var sum in m.Groups["sums"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries))
                    {
                        var eq = sum.IndexOf('=');
                        if (eq > 0 && Digest.TryCreate(sum[..eq], sum[(eq + 1)..], out var d)) digests.Add(d);
                    }
                    lockFile.Checksums[$"{m.Groups["name"].Value} ({m.Groups["version"].Value})"] = digests;
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
