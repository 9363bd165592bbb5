// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Fuzzing.Mutation;

/// Stacks one to four mutations on an input: structure-aware ones for the target's format about half the time
/// (falling back to byte-level ones when the input no longer has that structure), byte-level ones otherwise.
public static class Mutator
{
    public static byte[] Mutate(byte[] input, InputFormat format, Rng rng, MutationContext ctx)
    {
        var output = input;
        for (var n = 1 + rng.Next(4); n > 0; n--)
        {
            var structured = rng.Chance(2) ? Structured(output, format, rng, ctx) : null;
            output = structured ?? ByteMutators.Apply(output, rng, ctx);
            if (output.Length > ctx.MaxSize) output = output.AsSpan(0, ctx.MaxSize).ToArray();
        }
        return output;
    }

    /// The format an <see cref="InputFormat.Auto"/> input looks like.
    public static InputFormat Sniff(ReadOnlySpan<byte> input)
    {
        if (GzipMutator.IsGzip(input) || TarMutator.Headers(input.Length >= 512 ? input[..512].ToArray() : []).Count > 0) return InputFormat.Tar;
        var text = input.TrimStart(" \t\r\n"u8);
        if (text.StartsWith("\uFEFF"u8)) text = text[3..];
        if (text.IsEmpty) return InputFormat.Text;
        return text[0] switch
        {
            (byte)'{' or (byte)'[' => InputFormat.Json,
            (byte)'<' => InputFormat.Xml,
            _ => text.IndexOf(": "u8) >= 0 && text.IndexOf(" = "u8) < 0 ? InputFormat.Yaml : InputFormat.TomlLike,
        };
    }

    private static byte[]? Structured(byte[] input, InputFormat format, Rng rng, MutationContext ctx) => format switch
    {
        // a TOML table header starts with '[' too: JSON that does not parse is tried as lines
        InputFormat.Auto => Sniff(input) is var sniffed && Structured(input, sniffed, rng, ctx) is { } done ? done
            : sniffed == InputFormat.Json ? LineMutator.MutateToml(input, rng, ctx) : null,
        InputFormat.Json => JsonMutator.Mutate(input, rng, ctx),
        InputFormat.Xml => XmlMutator.Mutate(input, rng, ctx),
        InputFormat.Yaml => LineMutator.MutateYaml(input, rng, ctx),
        InputFormat.TomlLike => LineMutator.MutateToml(input, rng, ctx),
        InputFormat.Tar => GzipMutator.IsGzip(input) ? GzipMutator.Mutate(input, rng, ctx) : TarMutator.Mutate(input, rng, ctx),
        _ => null,
    };
}
