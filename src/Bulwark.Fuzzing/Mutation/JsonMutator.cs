// SPDX-License-Identifier: Apache-2.0
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bulwark.Fuzzing.Mutation;

/// Parses valid JSON to a node tree and changes values, keys or nesting, then writes it back; null when the input
/// is not JSON (the caller falls back to byte mutations).
public static class JsonMutator
{
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 256, AllowTrailingCommas = true };

    public static byte[]? Mutate(byte[] input, Rng rng, MutationContext ctx)
    {
        try
        {
            return MutateTree(input, rng, ctx);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // a change the node tree refuses (a key already present, a node moved between parents), or escaped lone
            // surrogates that parse lazily but cannot be written back: byte mutations take over
            return null;
        }
    }

    private static byte[]? MutateTree(byte[] input, Rng rng, MutationContext ctx)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(input, NodeOptions, DocumentOptions);
        }
        catch (JsonException)
        {
            return null;
        }
        if (root is null) return null;
        var nodes = new List<JsonNode>();
        Collect(root, nodes, 0);
        var target = rng.Pick(nodes);
        switch (rng.Next(9))
        {
            case 0 or 1:
                Replace(target, Value(rng, ctx), ref root);
                break;
            case 2:
                if (target.Parent is JsonObject o1 && target.GetPropertyName() is var name)
                {
                    o1.Remove(name);
                    var renamed = RenamedKey(name, rng, ctx);
                    if (!o1.ContainsKey(renamed)) o1[renamed] = target;
                }
                break;
            case 3:
                if (target.Parent is JsonObject o2) o2.Remove(target.GetPropertyName());
                else if (target.Parent is JsonArray a2) a2.Remove(target);
                break;
            case 4:
                if (target.Parent is JsonArray a3) a3.Insert(rng.Next(a3.Count + 1), target.DeepClone());
                else if (target.Parent is JsonObject o3) o3[target.GetPropertyName() + rng.Next(10)] = target.DeepClone();
                break;
            case 5:
                // nesting: wrap the node in an array or object a few levels deep
                var wrapped = target.DeepClone();
                for (var depth = 1 + rng.Next(rng.Chance(8) ? 200 : 4); depth > 0; depth--)
                    wrapped = rng.Chance(2) ? new JsonArray(wrapped) : new JsonObject { [rng.Chance(2) ? "a" : Key(rng, ctx)] = wrapped };
                Replace(target, wrapped, ref root);
                break;
            case 6:
                // splice a subtree of another seed in
                if (OtherNode(rng, ctx) is { } graft) Replace(target, graft, ref root);
                break;
            case 7:
                if (target is JsonObject o4 && !o4.ContainsKey(Key(rng, ctx) is var k ? k : "")) o4[k] = Value(rng, ctx);
                else if (target is JsonArray a4) a4.Add(Value(rng, ctx));
                break;
            default:
                // the type of a value changes: string ↔ number ↔ array ↔ object
                Replace(target, target switch
                {
                    JsonValue v when v.GetValueKind() == JsonValueKind.String => rng.Chance(2) ? JsonValue.Create(rng.Next(-2, 1000)) : new JsonArray(v.DeepClone()),
                    JsonValue v => JsonValue.Create(v.ToJsonString()),
                    JsonArray a => a.Count > 0 ? a[0]?.DeepClone() : new JsonObject(),
                    _ => new JsonArray(),
                }, ref root);
                break;
        }
        var text = root?.ToJsonString(new JsonSerializerOptions { MaxDepth = 1024, WriteIndented = rng.Chance(4) }) ?? "null";
        return Encoding.UTF8.GetBytes(text);
    }

    private static void Collect(JsonNode node, List<JsonNode> into, int depth)
    {
        into.Add(node);
        if (depth > 64) return;
        switch (node)
        {
            case JsonObject o: foreach (var (_, child) in o) if (child is not null) Collect(child, into, depth + 1); break;
            case JsonArray a: foreach (var child in a) if (child is not null) Collect(child, into, depth + 1); break;
        }
    }

    private static void Replace(JsonNode target, JsonNode? replacement, ref JsonNode? root)
    {
        switch (target.Parent)
        {
            case JsonObject o: o[target.GetPropertyName()] = replacement; break;
            case JsonArray a: a[target.GetElementIndex()] = replacement; break;
            default: root = replacement; break;
        }
    }

    private static JsonNode? OtherNode(Rng rng, MutationContext ctx)
    {
        if (ctx.Seeds.Count == 0) return null;
        try
        {
            var other = JsonNode.Parse(rng.Pick(ctx.Seeds), NodeOptions, DocumentOptions);
            if (other is null) return null;
            var nodes = new List<JsonNode>();
            Collect(other, nodes, 0);
            var pick = rng.Pick(nodes);
            return pick.DeepClone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Key(Rng rng, MutationContext ctx) =>
        ctx.Dictionary.Count > 0 && rng.Chance(2) ? rng.Pick(ctx.Dictionary) : rng.Pick(ByteMutators.GenericTokens) + rng.Next(3);

    private static string RenamedKey(string name, Rng rng, MutationContext ctx) => rng.Next(4) switch
    {
        0 => name.ToUpperInvariant(),
        1 => "",
        2 => name + name,
        _ => Key(rng, ctx),
    };

    /// A value that sits on a boundary: empty, huge, negative, the wrong type, a dictionary word.
    public static JsonNode? Value(Rng rng, MutationContext ctx) => rng.Next(14) switch
    {
        0 => null,
        1 => JsonValue.Create(""),
        2 => JsonValue.Create(rng.Pick(ByteMutators.InterestingIntegers)),
        3 => JsonValue.Create(rng.Pick(ByteMutators.InterestingNumbers)),
        4 => JsonValue.Create(double.MaxValue),
        5 => JsonValue.Create(-0.5),
        6 => JsonValue.Create(rng.Chance(2)),
        7 => new JsonArray(),
        8 => new JsonObject(),
        9 => JsonValue.Create(new string((char)rng.Next(32, 127), 1 + rng.Next(rng.Chance(4) ? 100_000 : 300))),
        10 => JsonValue.Create(rng.Pick(ByteMutators.GenericTokens)),
        11 => JsonValue.Create("sha256:" + new string('0', 64)),
        _ => JsonValue.Create(ctx.Dictionary.Count > 0 ? rng.Pick(ctx.Dictionary) : "x"),
    };
}
