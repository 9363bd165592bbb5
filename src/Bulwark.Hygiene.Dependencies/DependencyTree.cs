// SPDX-License-Identifier: Apache-2.0
using System.Text;
using System.Text.Json;
using System.Xml;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;
using Bulwark.Hygiene.Findings;
using YamlDotNet.Core;

namespace Bulwark.Hygiene.Dependencies;

/// The manifests and lockfiles of one tree while it is checked: which exist, their parsed contents (each file read
/// and parsed at most once, and reported unreadable at most once), and the findings collected so far.
internal sealed class DependencyTree(IFileTree files, Registries registries, IReadOnlySet<string> disabledRules)
{
    /// Larger than any real manifest or lockfile; a larger one is refused before it is read.
    public const long MaxFileSize = 64L << 20;

    private readonly SortedSet<string> _paths = new(StringComparer.Ordinal);
    private readonly List<Finding> _findings = [];
    private readonly Dictionary<string, UnreadableFile> _unreadable = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, Type), object?> _parsed = [];

    public Registries Registries { get; } = registries;

    /// The files found, in path order.
    public IReadOnlyCollection<string> Paths => _paths;

    public void Add(string path) => _paths.Add(path);

    public bool Has(string path) => _paths.Contains(path);

    /// True when any file (not only a manifest or lockfile) exists at <paramref name="path"/> in the tree.
    public bool ExistsOnDisk(string path) => Has(path) || files.Exists(new FilePath(path));

    /// A file beside <paramref name="path"/>.
    public static string Sibling(string path, string name) => new FilePath(path).Sibling(name).Value;

    public static string DirectoryOf(string path) => new FilePath(path).Directory;

    /// The nearest of <paramref name="names"/> in <paramref name="directory"/> or a directory above it, or null.
    public string? FindUp(string directory, params string[] names)
    {
        var dir = directory;
        while (true)
        {
            foreach (var n in names)
            {
                var candidate = dir.Length == 0 ? n : $"{dir}/{n}";
                if (Has(candidate)) return candidate;
            }
            if (dir.Length == 0) return null;
            var slash = dir.LastIndexOf('/');
            dir = slash < 0 ? "" : dir[..slash];
        }
    }

    /// True when a local path written in <paramref name="file"/> stays inside the checked tree.
    public static bool StaysInside(string file, string localPath)
    {
        var p = localPath.Trim();
        if (p.Length == 0) return true;
        if (p.StartsWith('/') || p.StartsWith('\\') || p.StartsWith('~') || (p.Length > 1 && p[1] == ':')) return false;
        return new FilePath(file).Resolve(p) is not null;
    }

    /// Longer than any real message; values quoted from a hostile file are cut so a report stays readable.
    public const int MaxMessageLength = 1000;

    public void Report(Rule rule, string path, int? line, string ecosystem, string? package, string message)
    {
        if (disabledRules.Contains(rule.Id)) return;
        _findings.Add(new Finding(rule, path, line, ecosystem, package is null ? null : Clip(package, 200), Clip(message, MaxMessageLength)));
    }

    public void Unreadable(string path, string reason) => _unreadable.TryAdd(path, new UnreadableFile(path, Clip(reason, MaxMessageLength)));

    /// <paramref name="text"/>, or its first <paramref name="max"/> characters and "…".
    public static string Clip(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    /// The file as UTF-8 text (a byte order mark dropped), or null when it cannot be read.
    public string? Text(string path) => Parse(path, DecodeUtf8);

    /// Reads and parses a file once; a parse error makes it unreadable (null) with the parser's message. With
    /// <paramref name="keep"/> false the result is not kept for a second reader (installed packages in node_modules:
    /// thousands of files, each read once).
    public T? Parse<T>(string path, Func<byte[], T> parse, bool keep = true) where T : class
    {
        if (_parsed.TryGetValue((path, typeof(T)), out var cached)) return (T?)cached;
        if (_unreadable.ContainsKey(path)) return null;
        T? result = null;
        try
        {
            result = parse(Read(path));
        }
        catch (Exception e) when (e is InputException or JsonException or YamlException or XmlException or IOException
            or UnauthorizedAccessException or FormatException)
        {
            Unreadable(path, Reason(e));
        }
        if (keep) _parsed[(path, typeof(T))] = result;
        return result;
    }

    private byte[] Read(string path)
    {
        using var stream = files.TryOpen(new FilePath(path)) ?? throw new InputException("the file disappeared during the check.");
        if (stream.CanSeek && stream.Length > MaxFileSize)
            throw new InputException($"{stream.Length:N0} bytes, over the {MaxFileSize:N0}-byte limit for a manifest or lockfile; not checked.");
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = stream.Read(chunk)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > MaxFileSize)
                throw new InputException($"over the {MaxFileSize:N0}-byte limit for a manifest or lockfile; not checked.");
        }
        return buffer.ToArray();
    }

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public static string DecodeUtf8(byte[] bytes)
    {
        var span = bytes.AsSpan();
        if (span.StartsWith("\uFEFF"u8)) span = span[3..];
        try
        {
            return StrictUtf8.GetString(span);
        }
        catch (DecoderFallbackException e)
        {
            throw new InputException("the file is not valid UTF-8. Save it as UTF-8 and try again.", e);
        }
    }

    private static string Reason(Exception e) => e switch
    {
        JsonException j when j.LineNumber is { } l => $"line {l + 1}: not valid JSON ({FirstSentence(j.Message)}).",
        JsonException j => $"not valid JSON ({FirstSentence(j.Message)}).",
        YamlException y => $"line {y.Start.Line}: not valid YAML ({y.Message}).",
        XmlException x when x.LineNumber > 0 => $"line {x.LineNumber}: not valid XML ({FirstSentence(x.Message)}).",
        XmlException x => $"not valid XML ({FirstSentence(x.Message)}).",
        _ => e.Message,
    };

    private static string FirstSentence(string message)
    {
        var i = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var s = (i > 0 ? message[..i] : message).Trim();
        return s.TrimEnd('.');
    }

    public DependencyReport Report(string root)
    {
        var distinct = _findings.Distinct().ToList();
        distinct.Sort(Finding.Compare);
        var unreadable = _unreadable.Values.OrderBy(u => u.Path, StringComparer.Ordinal).ToList();
        return new DependencyReport(root, [.. _paths], distinct, unreadable);
    }
}
