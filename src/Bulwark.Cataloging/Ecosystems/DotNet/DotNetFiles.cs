// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.DotNet;

/// Reading the JSON and XML files of .NET builds safely: wrong shapes become <see cref="InputException"/>s with
/// the JSON path or XML line, never other exceptions.
internal static class DotNetFiles
{
    public static readonly string[] ProjectExtensions = [".csproj", ".fsproj", ".vbproj"];

    // the project files of a tree that is not on disk, by directory: listed once per tree, on first use
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IFileTree, Lazy<ILookup<string, FilePath>>> ProjectsByDirectory = [];

    private static Lazy<ILookup<string, FilePath>> ListProjects(IFileTree tree) => new(
        () => tree.Files().Where(f => ProjectExtensions.Contains(f.Path.Extension)).ToLookup(f => f.Path.Directory, f => f.Path, StringComparer.Ordinal),
        LazyThreadSafetyMode.ExecutionAndPublication);

    /// Every file reading a project may open: the project and projects it references, Directory.Build.props and
    /// .targets, Directory.Packages.props, imported *.props, *.targets and *.proj files, and what restore wrote
    /// (packages.lock.json, packages.&lt;project&gt;.lock.json or a NuGetLockFilePath ending in .json, obj/project.assets.json).
    /// An import with another extension is not covered; such imports are rare and only add properties.
    public static bool MayRead(FilePath path)
    {
        var extension = path.Extension;
        return ProjectExtensions.Contains(extension)
            || extension is ".props" or ".targets" or ".proj"
            || (extension == ".json" && (path.FileName == "project.assets.json" || path.FileName.Contains("lock", StringComparison.OrdinalIgnoreCase)));
    }

    public static async Task<JsonDocument> ParseJsonAsync(CatalogInput input, string rebuildHint, CancellationToken ct)
    {
        if (input.Size == 0) throw new InputException($"the file is empty. {rebuildHint}");
        return await JsonInput.ParseAsync(input, JsonInput.Lenient, ct).ConfigureAwait(false);
    }

    /// Loads XML with DTDs refused (no entity expansion, no external resolution) and line numbers kept.
    public static XDocument ParseXml(string text, string rebuildHint)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new InputException($"the file is empty. {rebuildHint}");
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        return BoundedXml.Load(text, settings);
    }

    public static int? LineOf(XObject node) => node is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : null;

    /// Child elements by local name, whatever XML namespace the file uses (nuspec has five).
    public static IEnumerable<XElement> Children(XElement parent, string localName) =>
        parent.Elements().Where(e => e.Name.LocalName.Equals(localName, StringComparison.Ordinal));

    public static XElement? Child(XElement parent, string localName) => Children(parent, localName).FirstOrDefault();

    /// The members of an optional JSON object; an absent or null member has none, any other kind is an error.
    /// The distinct targets of (target, dev) edges in order: a loop, as LINQ over the tuples is JIT-compiled at start.
    public static List<Purl> Targets(List<(Purl Target, bool Dev)> edges)
    {
        var seen = new HashSet<Purl>();
        var targets = new List<Purl>(edges.Count);
        foreach (var (target, _) in edges)
            if (seen.Add(target)) targets.Add(target);
        return targets;
    }

    public static IEnumerable<JsonProperty> Members(JsonElement parent, string name, string where)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return [];
        return value.ValueKind == JsonValueKind.Object
            ? value.EnumerateObject()
            : throw new InputException($"{where}.{name} is {value.ValueKind}, expected an object. Regenerate the file.");
    }

    /// An object value or an error naming where it was expected.
    public static JsonElement Object(JsonProperty p, string where) =>
        p.Value.ValueKind == JsonValueKind.Object ? p.Value
        : throw new InputException($"{where}[\"{p.Name}\"] is {p.Value.ValueKind}, expected an object. Regenerate the file.");

    /// An optional string member; numbers are read as their text, other kinds are an error.
    public static string? String(JsonElement obj, string name, string where)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var v)) return null;
        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.Null => null,
            JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
            _ => throw new InputException($"{where}.{name} is {v.ValueKind}, expected a string. Regenerate the file."),
        };
    }

    /// The string value of a member such as a dependency's version range.
    public static string StringValue(JsonProperty p, string where) =>
        p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? ""
        : throw new InputException($"{where}[\"{p.Name}\"] is {p.Value.ValueKind}, expected a string. Regenerate the file.");

    /// The format version number at the top of a lock or assets file.
    public static int FormatVersion(JsonElement root, string file, string rebuildHint)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new InputException($"the top level is {root.ValueKind}, expected an object. {rebuildHint}");
        if (!root.TryGetProperty("version", out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var n))
            throw new InputException($"{file} has no numeric \"version\". {rebuildHint}");
        return n;
    }

    /// contentHash / sha512 values: base64 SHA-512 of the .nupkg (with or without an "sha512-" prefix).
    public static IEnumerable<Digest> Sha512(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64)) return [];
        var sri = base64.Contains('-', StringComparison.Ordinal) && base64.StartsWith("sha", StringComparison.OrdinalIgnoreCase) ? base64 : "sha512-" + base64;
        return Digest.TryParseIntegrity(sri, out var d) ? [d] : [];
    }

    /// "Newtonsoft.Json/13.0.3" → ("Newtonsoft.Json", "13.0.3"), as assets and deps.json key libraries.
    public static (string Name, string Version) SplitLibraryKey(string key, string where)
    {
        var slash = key.IndexOf('/');
        if (slash <= 0 || slash == key.Length - 1)
            throw new InputException($"{where} key \"{key}\" is not of the form \"Name/Version\". Regenerate the file.");
        return (key[..slash], key[(slash + 1)..]);
    }

    /// The project file beside a lock file or packages.config (.csproj, .fsproj or .vbproj), when exactly one is there.
    /// The tree offers no directory listing, so the conventional names (the preferred one, then the directory's) are
    /// tried first; then a tree on disk lists that directory, and any other tree (an image) is listed once for its
    /// project files.
    public static FilePath? SiblingProject(CatalogInput input, string? preferredName = null)
    {
        var names = new List<string>();
        if (!string.IsNullOrEmpty(preferredName)) names.Add(preferredName);
        var dirName = DirectoryName(input.Tree, input.Path.Directory);
        if (dirName.Length > 0 && !names.Contains(dirName, StringComparer.Ordinal)) names.Add(dirName);
        foreach (var name in names)
        {
            var found = ProjectExtensions.Select(ext => input.Path.Sibling(name + ext)).Where(input.Tree.Exists).ToList();
            if (found.Count == 1) return found[0];
            if (found.Count > 1) return null;
        }
        if (input.Tree is not DirectoryFileTree disk)
        {
            var inDirectory = ProjectsByDirectory.GetValue(input.Tree, ListProjects).Value[input.Path.Directory].Take(2).ToList();
            return inDirectory.Count == 1 ? inDirectory[0] : (FilePath?)null;
        }
        try
        {
            var onDisk = Directory.EnumerateFiles(Path.Combine(disk.Root, input.Path.Directory))
                .Select(Path.GetFileName)
                .Where(f => f is not null && ProjectExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .Select(f => input.Path.Sibling(f!))
                .Where(input.Tree.Exists)   // the tree's own rules: inside the root, links resolved
                .Take(2)
                .ToList();
            return onDisk.Count == 1 ? onDisk[0] : (FilePath?)null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;  // the listing is a hint for naming the root; without it the directory name is used
        }
    }

    /// The name of a directory of the tree; for the tree's top directory, the name it has on disk when the tree is a
    /// directory (a lockfile at the top of `bulwark sbom .` still belongs to a named project), else "".
    public static string DirectoryName(IFileTree tree, string directory)
    {
        if (directory.Length > 0) return directory[(directory.LastIndexOf('/') + 1)..];
        return tree is DirectoryFileTree d ? Path.GetFileName(Path.TrimEndingDirectorySeparator(d.Root)) : "";
    }

    /// A short framework name for a full one: ".NETCoreApp,Version=v8.0" → "net8.0" (NuGet's folder names).
    public static string ShortFramework(string framework)
    {
        var comma = framework.IndexOf(",Version=v", StringComparison.OrdinalIgnoreCase);
        if (comma < 0) return framework;
        var id = framework[..comma];
        var version = framework[(comma + ",Version=v".Length)..];
        var major = version.Split('.')[0];
        return id.ToUpperInvariant() switch
        {
            ".NETCOREAPP" when int.TryParse(major, System.Globalization.CultureInfo.InvariantCulture, out var m) && m >= 5 => "net" + version,
            ".NETCOREAPP" => "netcoreapp" + version,
            ".NETSTANDARD" => "netstandard" + version,
            ".NETFRAMEWORK" => "net" + version.Replace(".", "", StringComparison.Ordinal),
            _ => framework,
        };
    }
}
