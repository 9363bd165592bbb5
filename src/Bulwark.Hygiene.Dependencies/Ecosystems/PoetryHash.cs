// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using System.Text;
using Bulwark.Cataloging.Formats.Toml;

namespace Bulwark.Hygiene.Dependencies.Ecosystems;

/// The `content-hash` Poetry records in poetry.lock: SHA-256 of json.dumps(relevant, sort_keys=True) of the parts of
/// pyproject.toml that change what gets locked. Which parts has changed between Poetry releases, so every known
/// variant is computed and the lock is stale only when it matches none.
internal static class PoetryHash
{
    private static readonly string[] LegacyKeys = ["dependencies", "source", "extras", "dev-dependencies"];

    /// The hashes Poetry 2.x, 1.2–1.8 and 1.0–1.1 would record for <paramref name="pyproject"/> (variants whose
    /// content is not reproduced, such as floats, are left out).
    public static IReadOnlyList<string> Candidates(TomlTable pyproject)
    {
        ArgumentNullException.ThrowIfNull(pyproject);
        var poetry = TomlFile.Table(pyproject, "tool", "poetry");
        var variants = new List<object>();

        // Poetry 2: [project] requires-python, dependencies, optional-dependencies; [tool.poetry] legacy keys (null
        // when absent, unless [project] has content) and group; [dependency-groups]
        var project = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var key in (string[])["requires-python", "dependencies", "optional-dependencies"])
            if (TomlFile.Table(pyproject, "project") is { } p && p.TryGetValue(key, out var v)) project[key] = v;
        var relevantPoetry = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var key in (string[])[.. LegacyKeys, "group"])
        {
            var value = poetry is not null && poetry.TryGetValue(key, out var v) ? v : null;
            if (value is null && (!LegacyKeys.Contains(key) || project.Count > 0)) continue;
            relevantPoetry[key] = value;
        }
        if (project.Count > 0)
        {
            var content = new SortedDictionary<string, object?>(StringComparer.Ordinal)
            {
                ["project"] = project,
                ["tool"] = new SortedDictionary<string, object?>(StringComparer.Ordinal) { ["poetry"] = relevantPoetry },
            };
            if (pyproject.TryGetValue("dependency-groups", out var groups) && groups is TomlTable { Count: > 0 }) content["dependency-groups"] = groups;
            variants.Add(content);
        }
        else variants.Add(relevantPoetry);

        // Poetry 1.2 to 1.8, and 1.0 to 1.1: the keys are always present, null when absent
        foreach (var keys in new[] { new[] { "dependencies", "group", "source", "extras" }, new[] { "dependencies", "dev-dependencies", "source", "extras" } })
        {
            var content = new SortedDictionary<string, object?>(StringComparer.Ordinal);
            foreach (var key in keys) content[key] = poetry is not null && poetry.TryGetValue(key, out var v) ? v : null;
            variants.Add(content);
        }

        var hashes = new List<string>();
        foreach (var variant in variants)
        {
            if (PythonJson.Dumps(variant, compact: false) is { } json)
                hashes.Add(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json))));
        }
        return hashes;
    }
}
