// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Python;

/// Reads pip requirements files (requirements*.txt) and the files they include with -r and -c.
/// Pinned requirements (==, ===) give versions; others are kept with an empty version and their specifier,
/// unless a constraints file or another line of the run pins the same name.
public sealed partial class RequirementsTxtCataloger : ICataloger, IReadsNeighbours
{
    /// Include depth beyond which -r/-c lines are ignored; cycles are already cut by remembering visited files.
    private const int MaxIncludeDepth = 32;

    public string Name => "python-requirements";

    /// Reads files included with -r/-c: any name, but by custom *.txt or *.in (pip-tools).
    public bool MayRead(FilePath path) => path.Extension is ".txt" or ".in";

    public bool Wants(FilePath path)
    {
        var name = path.FileName;
        return name.StartsWith("requirements", StringComparison.OrdinalIgnoreCase) && name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase);
    }

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        var run = new Run(input, ct);
        await run.ReadFileAsync(input.Path, await input.ReadTextAsync(ct).ConfigureAwait(false), constraints: false, depth: 0).ConfigureAwait(false);

        // a version pinned elsewhere in the run (a constraints file or another line) pins an unpinned requirement
        var pins = run.Constraints.ToDictionary(StringComparer.Ordinal);
        foreach (var group in run.Entries.Where(e => e.Version.Length > 0 && e.Source is null).GroupBy(e => e.Requirement.NormalisedName))
        {
            var versions = group.Select(e => e.Version).Distinct(StringComparer.Ordinal).ToList();
            if (versions.Count == 1) pins.TryAdd(group.Key, versions[0]);
        }

        var packages = new List<Package>();
        foreach (var e in run.Entries)
        {
            var version = e.Version.Length == 0 && e.Source is null ? pins.GetValueOrDefault(e.Requirement.NormalisedName) ?? "" : e.Version;
            var package = Package.Create(Ecosystem.PyPI, e.Requirement.Name, version, e.Location) with { Hashes = e.Hashes }
                with { ExternalReferences = e.Reference is null ? [] : [e.Reference] };
            package = package
                .WithProperty("bulwark:source", e.Source)
                .WithProperty("python:marker", e.Requirement.Marker)
                .WithProperty("python:specifier", e.Requirement.PinnedVersion is null ? e.Requirement.Specifier : null)
                .WithProperty("python:extras", string.Join(',', e.Requirement.Extras));
            packages.Add(package);
        }
        // one package per purl per file
        return PackageSightings.Merge(packages);
    }

    private sealed record Entry(PythonRequirement Requirement, string Version, string? Source, ExternalReference? Reference,
        ImmutableArray<Digest> Hashes, FileLocation Location);

    private sealed class Run(CatalogInput input, CancellationToken ct)
    {
        private readonly HashSet<string> _visited = new(StringComparer.Ordinal);
        public List<Entry> Entries { get; } = [];
        public Dictionary<string, string> Constraints { get; } = new(StringComparer.Ordinal);

        public async Task ReadFileAsync(FilePath path, string text, bool constraints, int depth)
        {
            if (!_visited.Add(path.Value)) return; // already read: an include cycle or a repeated include
            foreach (var (line, content) in LogicalLines(text))
            {
                ct.ThrowIfCancellationRequested();
                if (content.StartsWith('-'))
                {
                    var (option, argument) = SplitOption(content);
                    switch (option)
                    {
                        case "-r" or "--requirement" or "-c" or "--constraint" when argument.Length > 0:
                            if (depth >= MaxIncludeDepth || argument.Contains("://", StringComparison.Ordinal)) break;
                            // included files resolve against the including file's directory
                            if (path.Resolve(argument) is not { } included) break;
                            var includedText = await input.TryReadTextAsync(included, ct).ConfigureAwait(false);
                            if (includedText is null) break; // a missing include cannot be read; the packages we can read still count
                            await ReadFileAsync(included, includedText, constraints || option is "-c" or "--constraint", depth + 1).ConfigureAwait(false);
                            break;
                        case "-e" or "--editable" when argument.Length > 0:
                            AddUrlRequirement(argument, Location(path, line), editable: true);
                            break;
                        default:
                            break; // --index-url, --extra-index-url, --find-links, --trusted-host, --pre…: not packages
                    }
                    continue;
                }

                var (requirementText, hashes) = SplitRequirementOptions(content);
                if (constraints)
                {
                    if (PythonRequirement.TryParse(requirementText, out var c) && c.PinnedVersion is { } pin) Constraints[c.NormalisedName] = pin;
                    continue;
                }
                if (LooksLikeUrlOrPath(requirementText))
                {
                    AddUrlRequirement(requirementText, Location(path, line), editable: false, hashes);
                    continue;
                }
                if (!PythonRequirement.TryParse(requirementText, out var requirement))
                    throw new InputException($"line {line}: '{Shorten(requirementText)}' is not a valid requirement. Fix the line or run 'pip install -r' to see pip's message.");
                if (requirement.Url is { } url)
                {
                    var (source, reference) = Classify(url);
                    Entries.Add(new(requirement, VersionFromFileName(url) ?? "", source, reference, hashes, Location(path, line)));
                    continue;
                }
                Entries.Add(new(requirement, requirement.PinnedVersion ?? "", null, null, hashes, Location(path, line)));
            }
        }

        private FileLocation Location(FilePath path, int line) => new(path.Value, line, input.Location.Layer);

        /// "-e git+https://…#egg=name", "git+https://…", "./local/pkg", "https://host/pkg-1.0.tar.gz": named by #egg= or the archive's file name.
        private void AddUrlRequirement(string text, FileLocation location, bool editable, ImmutableArray<Digest> hashes = default)
        {
            var url = text.Trim();
            var name = EggName(url) ?? NameFromFileName(url);
            if (name is null) return; // an unnamed local directory (-e .): nothing to identify it by
            var (source, reference) = Classify(url);
            if (editable && source == "url") source = "path";
            var requirement = new PythonRequirement(name, [], "", url, null);
            Entries.Add(new(requirement, VersionFromFileName(url) ?? "", source, reference, hashes.IsDefault ? [] : hashes, location));
        }
    }

    private static (string Source, ExternalReference? Reference) Classify(string url)
    {
        if (VcsPattern().Match(url) is { Success: true } vcs)
            return (vcs.Groups[1].Value.Equals("git", StringComparison.OrdinalIgnoreCase) ? "git" : "url", new ExternalReference("vcs", url));
        if (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            return ("url", new ExternalReference("distribution", url));
        return ("path", null);
    }

    /// A bare URL or path ("git+https://…", "./pkg", "https://…/x.whl"), not a PEP 508 "name @ url".
    private static bool LooksLikeUrlOrPath(string text) =>
        !NameAtPattern().IsMatch(text)
        && (text.Contains("://", StringComparison.Ordinal) || text.StartsWith('.') || text.StartsWith('/') || text.StartsWith('~') || VcsPattern().IsMatch(text));

    private static string? EggName(string url)
    {
        var m = EggPattern().Match(url);
        if (!m.Success) return null;
        var egg = m.Groups[1].Value;
        // legacy "#egg=name-1.0": the name is before a dash followed by a digit
        var versioned = Regex.Match(egg, @"^(.+?)-\d", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return versioned.Success ? versioned.Groups[1].Value : egg;
    }

    /// "pkg-1.0-py3-none-any.whl" or "pkg-1.0.tar.gz" at the end of a URL or path.
    private static (string Name, string Version)? Archive(string url)
    {
        var path = url.Split('#')[0].Split('?')[0].TrimEnd('/');
        var file = path[(path.LastIndexOf('/') + 1)..];
        if (file.EndsWith(".whl", StringComparison.OrdinalIgnoreCase))
        {
            var parts = file.Split('-');
            return parts.Length >= 5 ? (parts[0], parts[1]) : null;
        }
        var m = SdistPattern().Match(file);
        return m.Success ? (m.Groups["name"].Value, m.Groups["version"].Value) : null;
    }

    private static string? NameFromFileName(string url) => Archive(url)?.Name;
    private static string? VersionFromFileName(string url) => Archive(url)?.Version;

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "…";

    /// Splits "-r other.txt", "--requirement=other.txt", "-rother.txt" into option and argument.
    private static (string Option, string Argument) SplitOption(string line)
    {
        if (line.StartsWith("--", StringComparison.Ordinal))
        {
            var end = line.IndexOfAny(['=', ' ', '\t']);
            return end < 0 ? (line, "") : (line[..end], line[(end + 1)..].Trim());
        }
        if (line.Length > 2 && !char.IsWhiteSpace(line[2])) return (line[..2], line[2..].Trim());
        return (line.Length >= 2 ? line[..2] : line, line.Length > 2 ? line[2..].Trim() : "");
    }

    /// "name==1 --hash=sha256:… --hash sha256:…": the requirement and its hashes (other per-requirement options are dropped).
    private static (string Requirement, ImmutableArray<Digest> Hashes) SplitRequirementOptions(string line)
    {
        var m = OptionStartPattern().Match(line);
        if (!m.Success) return (line, []);
        var hashes = ImmutableArray.CreateBuilder<Digest>();
        foreach (Match h in HashPattern().Matches(line[m.Index..]))
        {
            var value = h.Groups[1].Value;
            var colon = value.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && Digest.TryCreate(value[..colon], value[(colon + 1)..], out var d)) hashes.Add(d);
        }
        return (line[..m.Index].Trim(), hashes.ToImmutable());
    }

    /// Physical lines joined at a trailing backslash, comments removed, blank lines dropped; each with its first line number.
    private static IEnumerable<(int Line, string Content)> LogicalLines(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var start = i + 1;
            var current = lines[i].TrimEnd('\r');
            var parts = new List<string>();
            while (current.EndsWith('\\') && i + 1 < lines.Length)
            {
                parts.Add(current[..^1]);
                current = lines[++i].TrimEnd('\r');
            }
            parts.Add(current.EndsWith('\\') ? current[..^1] : current);
            var joined = CommentPattern().Replace(string.Join(' ', parts), "").Trim();
            if (joined.Length > 0) yield return (start, joined);
        }
    }

    // pip: a comment starts at a '#' at the start of a line or after whitespace
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\])?\s*@", RegexOptions.CultureInvariant)]
    private static partial Regex NameAtPattern();

    [GeneratedRegex(@"(^|\s)#.*$", RegexOptions.CultureInvariant)]
    private static partial Regex CommentPattern();

    [GeneratedRegex(@"\s--[A-Za-z]", RegexOptions.CultureInvariant)]
    private static partial Regex OptionStartPattern();

    [GeneratedRegex(@"--hash[=\s]\s*(\S+)", RegexOptions.CultureInvariant)]
    private static partial Regex HashPattern();

    [GeneratedRegex(@"^(git|hg|svn|bzr)\+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex VcsPattern();

    [GeneratedRegex(@"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)", RegexOptions.CultureInvariant)]
    private static partial Regex EggPattern();

    [GeneratedRegex(@"^(?<name>[A-Za-z0-9][A-Za-z0-9._]*(?:-[A-Za-z_][A-Za-z0-9._]*)*)-(?<version>[0-9][A-Za-z0-9._+!-]*)\.(?:tar\.gz|tar\.bz2|tar\.xz|zip|tgz)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SdistPattern();
}
