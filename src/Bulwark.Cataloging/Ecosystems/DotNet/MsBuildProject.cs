// SPDX-License-Identifier: Apache-2.0
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.DotNet;

/// One item of a project (PackageReference, PackageVersion, GlobalPackageReference, ProjectReference) with its
/// metadata: the raw text and the value after property expansion (null when it could not be evaluated).
internal sealed class MsBuildItem(string type, string include, FilePath file, int? line)
{
    public string Type { get; } = type;
    public string Include { get; } = include;
    public FilePath File { get; } = file;
    public int? Line { get; } = line;
    public Dictionary<string, (string Raw, string? Value)> Metadata { get; } = new(StringComparer.OrdinalIgnoreCase);

    public (string Raw, string? Value)? Get(string name) => Metadata.TryGetValue(name, out var m) ? m : null;
}

/// A simple MSBuild evaluation of a project file, enough to find its package references and its own identity.
///
/// What it does, in MSBuild's order: Directory.Build.props (nearest above the project), Directory.Packages.props
/// (nearest above), the project, Directory.Build.targets; `Import`s with a relative path (and the usual
/// `$([MSBuild]::GetPathOfFileAbove(...))` idiom) inline. Properties are evaluated first, last definition winning;
/// items afterwards with the final properties. `$(Name)` is expanded; property functions, item lists and
/// environment variables are not (such values count as unresolved). Conditions understand `==`, `!=`, `and`,
/// `or`, `!` and parentheses; a condition we cannot evaluate counts as true, and so does an item condition that
/// reads an undefined property (`'$(TargetFramework)' == 'net48'` in a multi-targeting project), so a
/// conditional reference is reported rather than missed.
internal sealed partial class MsBuildProject
{
    private const int MaxFiles = 24;
    private const int MaxValueLength = 64 * 1024;
    private const int MaxNesting = 32;

    private readonly Dictionary<string, string?> _properties = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(XElement Group, FilePath File)> _itemGroups = [];
    private readonly HashSet<FilePath> _loaded = [];
    private readonly Dictionary<string, (string Raw, string? Value)> _packageReferenceDefaults = new(StringComparer.OrdinalIgnoreCase);

    public FilePath Path { get; }
    public bool IsSdkStyle { get; private set; }
    public List<MsBuildItem> Items { get; } = [];

    private readonly IFileTree _tree;

    private MsBuildProject(IFileTree tree, FilePath path)
    {
        _tree = tree;
        Path = path;
    }

    /// A property's evaluated value; null when it is undefined or could not be evaluated.
    public string? Property(string name) => _properties.TryGetValue(name, out var v) ? v : null;

    /// True unless the project (or a props file) turns central package management off explicitly.
    public bool CentralVersionsAllowed => !string.Equals(Property("ManagePackageVersionsCentrally"), "false", StringComparison.OrdinalIgnoreCase);

    /// The name restore gives the project: PackageId, else AssemblyName, else the file name.
    public string Name =>
        NonEmpty(Property("PackageId")) ?? NonEmpty(Property("AssemblyName")) ?? FileStem(Path.FileName);

    /// The version restore gives the project: PackageVersion, else Version, else VersionPrefix[-VersionSuffix],
    /// else the SDK default 1.0.0 (non-SDK projects have none).
    public string Version
    {
        get
        {
            var v = NonEmpty(Property("PackageVersion")) ?? NonEmpty(Property("Version"));
            if (v is null && NonEmpty(Property("VersionPrefix")) is { } prefix)
                v = NonEmpty(Property("VersionSuffix")) is { } suffix ? $"{prefix}-{suffix}" : prefix;
            v ??= IsSdkStyle ? "1.0.0" : "";
            return NuGetVersion.Normalise(v) ?? v;
        }
    }

    public static string FileStem(string fileName)
    {
        var dot = fileName.LastIndexOf('.');
        return dot > 0 ? fileName[..dot] : fileName;
    }

    /// Evaluates the project at <paramref name="path"/>. When the file is missing (a ProjectReference to a project
    /// outside the scanned tree) the props files of its directory are still evaluated, as for an empty SDK project.
    public static async Task<MsBuildProject> LoadAsync(IFileTree tree, FilePath path, string? text, CancellationToken ct)
    {
        var project = new MsBuildProject(tree, path);
        var stem = FileStem(path.FileName);
        project._properties["MSBuildProjectName"] = stem;
        project._properties["MSBuildProjectFile"] = path.FileName;
        project._properties["MSBuildProjectExtension"] = path.Extension;
        text ??= await ReadAsync(tree, path, ct).ConfigureAwait(false);
        XDocument? doc = null;
        if (text is not null)
        {
            doc = DotNetFiles.ParseXml(text, "Fix the project file's XML.");
            if (doc.Root is null || doc.Root.Name.LocalName != "Project")
                throw new InputException($"line {DotNetFiles.LineOf(doc.Root!) ?? 1}: the root element is <{doc.Root?.Name.LocalName}>, expected <Project>. This is not an MSBuild project file.");
            project.IsSdkStyle = doc.Root.Attribute("Sdk") is not null
                || DotNetFiles.Children(doc.Root, "Sdk").Any()
                || DotNetFiles.Children(doc.Root, "Import").Any(i => i.Attribute("Sdk") is not null);
        }
        else
        {
            project.IsSdkStyle = true;
        }

        // MSBuild's own order: Directory.Build.props and Directory.Packages.props come in through the SDK's props
        // before the project body, Directory.Build.targets after it.
        if (FindAbove(tree, path.Directory, "Directory.Build.props") is { } buildProps)
            await project.ImportAsync(buildProps, ct).ConfigureAwait(false);
        if (FindAbove(tree, path.Directory, "Directory.Packages.props") is { } packagesProps)
            await project.ImportAsync(packagesProps, ct).ConfigureAwait(false);
        if (doc?.Root is { } root)
        {
            project._loaded.Add(path);
            await project.EvaluatePropertiesAsync(root, path, ct).ConfigureAwait(false);
        }
        if (FindAbove(tree, path.Directory, "Directory.Build.targets") is { } buildTargets)
            await project.ImportAsync(buildTargets, ct).ConfigureAwait(false);

        project.EvaluateItems();
        return project;
    }

    /// The nearest file of that name in <paramref name="directory"/> or above, inside the tree.
    public static FilePath? FindAbove(IFileTree tree, string directory, string fileName)
    {
        var dir = directory;
        while (true)
        {
            var candidate = new FilePath(dir.Length == 0 ? fileName : $"{dir}/{fileName}");
            if (tree.Exists(candidate)) return candidate;
            if (dir.Length == 0) return null;
            var slash = dir.LastIndexOf('/');
            dir = slash < 0 ? "" : dir[..slash];
        }
    }

    private static async Task<string?> ReadAsync(IFileTree tree, FilePath path, CancellationToken ct)
    {
        await using var s = tree.TryOpen(path);
        if (s is null) return null;
        CatalogInput.CheckNeighbourSize(path, s);
        using var reader = new StreamReader(s, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return await reader.ReadToEndAsync(ct).ConfigureAwait(false);
    }

    private async Task ImportAsync(FilePath file, CancellationToken ct)
    {
        if (_loaded.Count >= MaxFiles || !_loaded.Add(file)) return;
        var text = await ReadAsync(_tree, file, ct).ConfigureAwait(false);
        if (text is null) return;
        XDocument doc;
        try
        {
            doc = DotNetFiles.ParseXml(text, "Fix its XML.");
        }
        catch (System.Xml.XmlException e)
        {
            throw new InputException($"cannot read imported {file}: line {e.LineNumber}: {e.Message}", e);
        }
        catch (InputException e)
        {
            throw new InputException($"cannot read imported {file}: {e.Message}", e);
        }
        if (doc.Root is null || doc.Root.Name.LocalName != "Project") return;
        await EvaluatePropertiesAsync(doc.Root, file, ct).ConfigureAwait(false);
    }

    // Pass 1: properties and imports in document order; item groups are kept for pass 2.
    private async Task EvaluatePropertiesAsync(XElement container, FilePath file, CancellationToken ct, int depth = 0)
    {
        // Choose inside When inside Choose…: real projects nest a few levels; a pathological file must not exhaust the stack
        if (depth > MaxNesting)
            throw new InputException($"line {DotNetFiles.LineOf(container) ?? 1}: Choose/ImportGroup elements nest more than {MaxNesting} deep. Simplify the project file.");
        foreach (var e in container.Elements())
        {
            switch (e.Name.LocalName)
            {
                case "PropertyGroup":
                    if (Condition(e, forItems: false) == false) break;
                    foreach (var p in e.Elements())
                    {
                        if (Condition(p, forItems: false) == false) continue;
                        var (value, complete, _) = Expand(p.Value);
                        _properties[p.Name.LocalName] = complete ? value : null;
                    }
                    break;
                case "ItemGroup" or "ItemDefinitionGroup":
                    _itemGroups.Add((e, file));
                    break;
                case "Choose":
                    // the first When whose condition holds (or cannot be evaluated), else Otherwise
                    var branch = DotNetFiles.Children(e, "When").FirstOrDefault(w => Condition(w, forItems: false) != false)
                        ?? DotNetFiles.Child(e, "Otherwise");
                    if (branch is not null) await EvaluatePropertiesAsync(branch, file, ct, depth + 1).ConfigureAwait(false);
                    break;
                case "Import":
                    if (e.Attribute("Sdk") is not null || Condition(e, forItems: false) == false) break;
                    if (ImportTarget(e.Attribute("Project")?.Value, file) is { } target)
                        await ImportAsync(target, ct).ConfigureAwait(false);
                    break;
                case "ImportGroup":
                    if (Condition(e, forItems: false) == false) break;
                    await EvaluatePropertiesAsync(e, file, ct, depth + 1).ConfigureAwait(false);
                    break;
            }
        }
    }

    private FilePath? ImportTarget(string? project, FilePath importer)
    {
        if (string.IsNullOrWhiteSpace(project)) return null;
        // the two idioms for chaining to a parent props file:
        //   $([MSBuild]::GetPathOfFileAbove('Directory.Build.props', '$(MSBuildThisFileDirectory)../'))
        //   $([MSBuild]::GetDirectoryNameOfFileAbove($(MSBuildThisFileDirectory).., Directory.Build.props))\Directory.Build.props
        // both need the "[MSBuild]::Get…" call: without it, the regular expressions (and the set-up of every regex
        // of the assembly that the first use costs, ~2 ms) are skipped
        var callsAbove = project.Contains("[MSBuild]::Get", StringComparison.OrdinalIgnoreCase);
        var pathAbove = callsAbove ? PathOfFileAbove().Match(project) : Match.Empty;
        if (pathAbove.Success)
            return FindAboveFrom(importer, pathAbove.Groups[2].Success ? pathAbove.Groups[2].Value : pathAbove.Groups[3].Value, pathAbove.Groups[1].Value);
        var directoryAbove = callsAbove ? DirectoryNameOfFileAbove().Match(project) : Match.Empty;
        if (directoryAbove.Success)
        {
            var found = FindAboveFrom(importer, directoryAbove.Groups[1].Value, directoryAbove.Groups[2].Value.Trim());
            return found is { } f ? (FilePath?)f.Sibling(directoryAbove.Groups[3].Value.Replace('\\', '/')) : null;
        }
        // $(MSBuildThisFileDirectory) is the importing file's directory: a relative path does the same
        var (value, complete, _) = Expand(project.Replace("$(MSBuildThisFileDirectory)", "./", StringComparison.OrdinalIgnoreCase));
        if (!complete || value.Length == 0 || value.StartsWith('/') || value.Contains(':', StringComparison.Ordinal)) return null;
        return importer.Resolve(value);
    }

    private FilePath? FindAboveFrom(FilePath importer, string start, string fileName)
    {
        start = start.Trim().Trim('\'', '"').Replace("$(MSBuildThisFileDirectory)", "./", StringComparison.OrdinalIgnoreCase);
        if (start.Contains("$(", StringComparison.Ordinal)) return null;
        var startFile = importer.Resolve(start.TrimEnd('/', '\\') + "/x");
        return startFile is { } f ? FindAbove(_tree, f.Directory, fileName) : null;
    }

    [GeneratedRegex(@"^\s*\$\(\[MSBuild\]::GetPathOfFileAbove\(\s*'?([^',)]+)'?\s*(?:,\s*(?:'([^']*)'|([^',]*?)))?\s*\)\)\s*$", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex PathOfFileAbove();

    [GeneratedRegex(@"^\s*\$\(\[MSBuild\]::GetDirectoryNameOfFileAbove\(\s*'?([^,']*)'?\s*,\s*'?([^')]+)'?\s*\)\)[\\/]+(.+?)\s*$", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex DirectoryNameOfFileAbove();

    // Pass 2: items with the final property values.
    private void EvaluateItems()
    {
        // item definitions apply to every item of their type, wherever the definition stands (MSBuild evaluates them first)
        // loops with a test rather than Where over (XElement, FilePath) tuples: LINQ instantiations over value tuples are
        // JIT-compiled at start
        foreach (var (group, _) in _itemGroups)
        {
            if (group.Name.LocalName != "ItemDefinitionGroup") continue;
            foreach (var def in DotNetFiles.Children(group, "PackageReference"))
                foreach (var m in Metadata(def)) _packageReferenceDefaults[m.Key] = m.Value;
        }

        foreach (var (group, file) in _itemGroups)
        {
            if (group.Name.LocalName != "ItemGroup") continue;
            if (Condition(group, forItems: true) == false) continue;
            foreach (var e in group.Elements())
            {
                var type = e.Name.LocalName;
                if (type is not ("PackageReference" or "PackageVersion" or "GlobalPackageReference" or "ProjectReference")) continue;
                if (Condition(e, forItems: true) == false) continue;
                var metadata = Metadata(e);
                if (e.Attribute("Include")?.Value is { } include)
                {
                    foreach (var name in SplitList(include))
                    {
                        var item = new MsBuildItem(type, name, file, DotNetFiles.LineOf(e));
                        if (type == "PackageReference")
                            foreach (var d in _packageReferenceDefaults) item.Metadata[d.Key] = d.Value;
                        foreach (var m in metadata) item.Metadata[m.Key] = m.Value;
                        Items.Add(item);
                    }
                }
                else if (e.Attribute("Update")?.Value is { } update)
                {
                    var names = SplitList(update).ToHashSet(StringComparer.OrdinalIgnoreCase);
                    foreach (var item in Items.Where(i => i.Type == type && names.Contains(i.Include)))
                        foreach (var m in metadata) item.Metadata[m.Key] = m.Value;
                }
                else if (e.Attribute("Remove")?.Value is { } remove)
                {
                    var names = SplitList(remove).ToHashSet(StringComparer.OrdinalIgnoreCase);
                    Items.RemoveAll(i => i.Type == type && names.Contains(i.Include));
                }
            }
        }
    }

    private IEnumerable<string> SplitList(string list)
    {
        var (value, complete, _) = Expand(list);
        if (!complete) return [];
        return value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private Dictionary<string, (string Raw, string? Value)> Metadata(XElement e)
    {
        var result = new Dictionary<string, (string, string?)>(StringComparer.OrdinalIgnoreCase);
        foreach (var a in e.Attributes())
        {
            if (a.IsNamespaceDeclaration || a.Name.LocalName is "Include" or "Update" or "Remove" or "Exclude" or "Condition") continue;
            var (value, complete, undefined) = Expand(a.Value);
            result[a.Name.LocalName] = (a.Value, complete && !undefined ? value : null);
        }
        foreach (var c in e.Elements())
        {
            if (Condition(c, forItems: true) == false) continue;
            var (value, complete, undefined) = Expand(c.Value);
            result[c.Name.LocalName] = (c.Value, complete && !undefined ? value : null);
        }
        return result;
    }

    /// Expands $(Name) references. Complete is false when the text uses what we do not evaluate (property
    /// functions, item lists, metadata) or a property whose own value was not evaluated; UsedUndefined is true
    /// when it reads a property that is not defined (MSBuild reads it as empty).
    private (string Value, bool Complete, bool UsedUndefined) Expand(string text)
    {
        if (!text.Contains("$(", StringComparison.Ordinal) && !text.Contains("@(", StringComparison.Ordinal) && !text.Contains("%(", StringComparison.Ordinal))
            return (text.Trim(), true, false);
        var sb = new StringBuilder();
        var complete = true;
        var undefined = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '$' or '@' or '%' && i + 1 < text.Length && text[i + 1] == '(')
            {
                var close = MatchingParen(text, i + 1);
                if (close < 0) { complete = false; break; }
                var inner = text[(i + 2)..close];
                i = close;
                if (c != '$' || inner.Length == 0 || !inner.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-'))
                {
                    complete = false;
                    continue;
                }
                if (_properties.TryGetValue(inner, out var v))
                {
                    if (v is null) complete = false;
                    else sb.Append(v);
                }
                else undefined = true;
                if (sb.Length > MaxValueLength) return ("", false, undefined);
                continue;
            }
            sb.Append(c);
        }
        return (sb.ToString().Trim(), complete, undefined);
    }

    private static int MatchingParen(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')' && --depth == 0) return i;
        }
        return -1;
    }

    /// The element's Condition: true, false, or null when we cannot tell.
    private bool? Condition(XElement e, bool forItems)
    {
        var text = e.Attribute("Condition")?.Value;
        if (string.IsNullOrWhiteSpace(text)) return true;
        return new ConditionParser(text, this, forItems).Parse();
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    /// Recursive descent over MSBuild's condition grammar (the part we evaluate), in three-valued logic.
    private sealed class ConditionParser(string text, MsBuildProject project, bool forItems)
    {
        private int _pos;
        private int _depth;

        public bool? Parse()
        {
            var result = Or();
            SkipSpace();
            return _pos == text.Length ? result : null;
        }

        private bool? Or()
        {
            var left = And();
            while (Keyword("or"))
            {
                var right = And();
                left = left == true || right == true ? true : left == false && right == false ? false : null;
            }
            return left;
        }

        private bool? And()
        {
            var left = Unary();
            while (Keyword("and"))
            {
                var right = Unary();
                left = left == false || right == false ? false : left == true && right == true ? true : null;
            }
            return left;
        }

        private bool? Unary()
        {
            SkipSpace();
            // "((((…" or "!!!!…" a hundred thousand deep: give up (unknown) rather than recurse off the stack
            if (++_depth > MaxNesting)
            {
                _pos = text.Length;
                return null;
            }
            try
            {
                return UnaryBody();
            }
            finally
            {
                _depth--;
            }
        }

        private bool? UnaryBody()
        {
            if (_pos < text.Length && text[_pos] == '!' && !(_pos + 1 < text.Length && text[_pos + 1] == '='))
            {
                _pos++;
                var v = Unary();
                return v is null ? null : !v;
            }
            if (_pos < text.Length && text[_pos] == '(')
            {
                _pos++;
                var v = Or();
                SkipSpace();
                if (_pos < text.Length && text[_pos] == ')') _pos++;
                else return null;
                return v;
            }
            var left = Operand();
            SkipSpace();
            string? op = null;
            foreach (var candidate in (string[])["==", "!=", "<=", ">=", "<", ">"])
            {
                if (string.CompareOrdinal(text, _pos, candidate, 0, candidate.Length) == 0) { op = candidate; break; }
            }
            if (op is null)
            {
                if (left is { Known: true } l && (l.Value.Equals("true", StringComparison.OrdinalIgnoreCase) || l.Value.Equals("false", StringComparison.OrdinalIgnoreCase)))
                    return l.Value.Equals("true", StringComparison.OrdinalIgnoreCase);
                return null;
            }
            _pos += op.Length;
            var right = Operand();
            if (left is not { Known: true } a || right is not { Known: true } b) return null;
            return op switch
            {
                "==" => string.Equals(a.Value, b.Value, StringComparison.OrdinalIgnoreCase),
                "!=" => !string.Equals(a.Value, b.Value, StringComparison.OrdinalIgnoreCase),
                _ => null,  // numeric and version comparisons are not evaluated
            };
        }

        private (string Value, bool Known)? Operand()
        {
            SkipSpace();
            if (_pos >= text.Length) return null;
            if (text[_pos] == '\'')
            {
                var end = text.IndexOf('\'', _pos + 1);
                if (end < 0) { _pos = text.Length; return null; }
                var raw = text[(_pos + 1)..end];
                _pos = end + 1;
                var (value, complete, undefined) = project.Expand(raw);
                return (value, complete && !(forItems && undefined));
            }
            var start = _pos;
            if (text[_pos] is '$' or '@' or '%' && _pos + 1 < text.Length && text[_pos + 1] == '(')
            {
                var close = MatchingParen(text, _pos + 1);
                _pos = close < 0 ? text.Length : close + 1;
                var (value, complete, undefined) = project.Expand(text[start.._pos]);
                return (value, complete && !(forItems && undefined));
            }
            while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] is '.' or '_' or '-')) _pos++;
            var word = text[start.._pos];
            if (word.Length == 0) { _pos = text.Length; return null; }
            SkipSpace();
            if (_pos < text.Length && text[_pos] == '(')
            {
                // a function such as Exists(...) or HasTrailingSlash(...): not evaluated
                var close = MatchingParen(text, _pos);
                _pos = close < 0 ? text.Length : close + 1;
                return (word, false);
            }
            return (word, true);
        }

        private bool Keyword(string keyword)
        {
            SkipSpace();
            if (_pos + keyword.Length > text.Length || string.Compare(text, _pos, keyword, 0, keyword.Length, StringComparison.OrdinalIgnoreCase) != 0)
                return false;
            var after = _pos + keyword.Length;
            if (after < text.Length && char.IsAsciiLetterOrDigit(text[after])) return false;
            _pos = after;
            return true;
        }

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++;
        }
    }
}
