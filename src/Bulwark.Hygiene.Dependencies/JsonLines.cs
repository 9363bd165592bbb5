// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;

namespace Bulwark.Hygiene.Dependencies;

/// The line of each property of a JSON document down to a fixed depth, found with one forward scan of the bytes,
/// since <see cref="JsonDocument"/> keeps no positions. Properties are named by their path of keys:
/// <c>Line("packages", "node_modules/left-pad", "resolved")</c>.
public sealed class JsonLines
{
    /// Deep enough for every property this check reports (package-lock.json: packages → key → field).
    public const int MaxDepth = 4;

    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);

    /// Indexes <paramref name="json"/>; comments and trailing commas are allowed, as npm and NuGet allow them.
    public static JsonLines Index(ReadOnlySpan<byte> json)
    {
        var index = new JsonLines();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions
        {
            MaxDepth = 256, AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip,
        });
        var names = new string?[MaxDepth + 1];
        var line = 1;
        var counted = 0;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName) continue;
                var depth = reader.CurrentDepth; // the root object's own keys are at depth 1
                if (depth > MaxDepth) continue;
                // a property only counts when every enclosing value is an object reached through named keys
                if (depth > 1 && names[depth - 1] is null) continue;
                names[depth] = reader.GetString();
                for (var d = depth + 1; d <= MaxDepth; d++) names[d] = null;
                var start = (int)reader.TokenStartIndex;
                line += json[counted..start].Count((byte)'\n');
                counted = start;
                index._lines.TryAdd(Key(names.AsSpan(1, depth)), line);
            }
        }
        catch (JsonException)
        {
            // the document parser reports the error with its position; the lines found so far are still right
        }
        return index;
    }

    /// The 1-based line of the property at <paramref name="path"/>, or null when it is not there.
    public int? Line(params string[] path) => _lines.TryGetValue(Key(path), out var l) ? l : null;

    private static string Key(ReadOnlySpan<string?> names) => string.Join('\u0000', names.ToArray());
}
