// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Core;

/// The SPDX license list (annex A): license ids and exception ids with their full names, embedded as resources.
public static class SpdxLicenseList
{
    private static readonly Lazy<Table> Licenses = new(() => Load("spdx-licenses.tsv"));
    private static readonly Lazy<Table> Exceptions = new(() => Load("spdx-exceptions.tsv"));

    /// The license list version the embedded ids come from ("3.28").
    public static string Version => Licenses.Value.Version;

    public static IReadOnlyCollection<string> LicenseIds => Licenses.Value.Ids;
    public static IReadOnlyCollection<string> ExceptionIds => Exceptions.Value.Ids;

    /// Finds a license id in any letter case and returns it as the list spells it ("apache-2.0" → "Apache-2.0").
    public static bool TryGetLicenseId(string id, out string canonical) => Licenses.Value.TryGetId(id, out canonical);

    /// Finds an exception id (the ids allowed after WITH) in any letter case.
    public static bool TryGetExceptionId(string id, out string canonical) => Exceptions.Value.TryGetId(id, out canonical);

    /// Finds a license by its full name ("MIT License", "Apache License 2.0"), ignoring case.
    public static bool TryGetLicenseIdByName(string name, out string id) => Licenses.Value.TryGetIdByName(name, out id);

    public static bool TryGetExceptionIdByName(string name, out string id) => Exceptions.Value.TryGetIdByName(name, out id);

    public static string? LicenseName(string id) => Licenses.Value.Name(id);

    // plain dictionaries: a frozen one costs more to build (about a millisecond each, at every start) than it saves on
    // the few lookups of a run
    private sealed class Table(string version, Dictionary<string, (string Id, string Name)> byId, Dictionary<string, string> byName)
    {
        private IReadOnlyCollection<string>? _ids;

        public string Version { get; } = version;
        public IReadOnlyCollection<string> Ids => _ids ??= [.. byId.Values.Select(v => v.Id).Order(StringComparer.Ordinal)];

        public bool TryGetId(string id, out string canonical)
        {
            canonical = byId.TryGetValue(id, out var hit) ? hit.Id : "";
            return canonical.Length > 0;
        }

        public bool TryGetIdByName(string name, out string id)
        {
            id = byName.TryGetValue(name.Trim(), out var hit) ? hit : "";
            return id.Length > 0;
        }

        public string? Name(string id) => byId.TryGetValue(id, out var hit) ? hit.Name : null;
    }

    private static Table Load(string resource)
    {
        using var stream = typeof(SpdxLicenseList).Assembly.GetManifestResourceStream("Bulwark.Core.Licenses." + resource)
            ?? throw new InvalidOperationException($"The embedded resource {resource} is missing from Bulwark.Core.");
        using var reader = new StreamReader(stream);
        var byId = new Dictionary<string, (string, string)>(1024, StringComparer.OrdinalIgnoreCase);
        var byName = new Dictionary<string, string>(1024, StringComparer.OrdinalIgnoreCase);
        var version = "";
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith('#'))
            {
                // "# … (v1.1-3.28.0) …": the license list version is the part after the schema version
                var open = line.LastIndexOf('(');
                var close = line.LastIndexOf(')');
                if (open >= 0 && close > open)
                {
                    var parts = line[(open + 1)..close].Split('-');
                    var numbers = parts[^1].Split('.');
                    version = numbers.Length >= 2 ? $"{numbers[0]}.{numbers[1]}" : parts[^1];
                }
                continue;
            }
            var tab = line.IndexOf('\t');
            if (tab <= 0) continue;
            var id = line[..tab];
            var name = line[(tab + 1)..];
            byId[id] = (id, name);
            byName.TryAdd(name, id);
        }
        return new Table(version, byId, byName);
    }
}
