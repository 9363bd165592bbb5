// SPDX-License-Identifier: Apache-2.0
using System.Formats.Tar;
using System.Text;
using Bulwark.Fuzzing.Mutation;

namespace Bulwark.Fuzzing.Tests;

public sealed class MutatorTests
{
    private static readonly byte[] Json = """{"name":"a","version":"1.0.0","dependencies":{"b":"^2.0.0"},"list":[1,2,3]}"""u8.ToArray();
    private static readonly byte[] Xml = """<project xmlns="http://maven.apache.org/POM/4.0.0"><dependency a="1"><version>1.0</version></dependency></project>"""u8.ToArray();
    private static readonly byte[] Yaml = "jobs:\n  build:\n    steps:\n      - uses: actions/checkout@v4\n"u8.ToArray();
    private static readonly byte[] Toml = "version = 3\n\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n"u8.ToArray();
    private static readonly MutationContext Context = new([Json, Xml, Yaml, Toml], ["version", "name"]);

    public static TheoryData<string> Formats() => new(Enum.GetNames<InputFormat>());

    [Theory]
    [MemberData(nameof(Formats))]
    public void The_same_seed_gives_the_same_mutations(string format)
    {
        var f = Enum.Parse<InputFormat>(format);
        var input = Input(f);
        var first = Run(f, input, 42);
        var second = Run(f, input, 42);
        Assert.Equal(first, second);
        Assert.NotEqual(first, Run(f, input, 43));
    }

    [Fact]
    public void Every_byte_mutator_is_deterministic_per_seed()
    {
        foreach (var (name, apply) in ByteMutators.All)
        {
            var a = apply(Json, new Rng(7), Context);
            var b = apply(Json, new Rng(7), Context);
            Assert.True(a.AsSpan().SequenceEqual(b), name);
        }
    }

    [Fact]
    public void The_json_mutator_keeps_valid_json_valid()
    {
        var rng = new Rng(3);
        var valid = 0;
        for (var i = 0; i < 200; i++)
        {
            if (JsonMutator.Mutate(Json, rng, Context) is not { } output) continue;
            using var doc = System.Text.Json.JsonDocument.Parse(output, new System.Text.Json.JsonDocumentOptions { MaxDepth = 1024 });
            valid++;
        }
        Assert.True(valid > 150, $"{valid} of 200 mutations were written back");
    }

    [Fact]
    public void The_tar_mutator_recomputes_header_checksums()
    {
        var tar = Tar();
        var rng = new Rng(11);
        var readable = 0;
        for (var i = 0; i < 200; i++)
        {
            var output = TarMutator.Mutate(tar, rng, Context);
            Assert.NotNull(output);
            try
            {
                using var reader = new TarReader(new MemoryStream(output));
                if (reader.GetNextEntry() is not null) readable++;
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or ArgumentException or InvalidOperationException or EndOfStreamException or NotSupportedException or OverflowException)
            {
            }
        }
        // most mutations still pass the checksum test, so they reach the code behind it
        Assert.True(readable > 100, $"{readable} of 200 mutated archives had a readable first header");
    }

    [Fact]
    public void The_tar_mutator_finds_every_header()
    {
        Assert.Equal([0, 1024], TarMutator.Headers(Tar()));
    }

    [Fact]
    public void The_gzip_mutator_mostly_writes_gzip_that_inflates()
    {
        var gz = GzipMutator.Deflate(Tar());
        var rng = new Rng(5);
        var inflated = 0;
        for (var i = 0; i < 100; i++)
            if (GzipMutator.Mutate(gz, rng, Context) is { } output && GzipMutator.Inflate(output) is not null) inflated++;
        Assert.InRange(inflated, 30, 100);
        Assert.Null(GzipMutator.Mutate("not gzip"u8.ToArray(), rng, Context));
    }

    [Fact]
    public void Inputs_are_recognised_by_their_first_bytes()
    {
        Assert.Equal(InputFormat.Json, Mutator.Sniff(Json));
        Assert.Equal(InputFormat.Xml, Mutator.Sniff(Xml));
        Assert.Equal(InputFormat.Yaml, Mutator.Sniff(Yaml));
        Assert.Equal(InputFormat.TomlLike, Mutator.Sniff(Toml));
        Assert.Equal(InputFormat.Tar, Mutator.Sniff(Tar()));
        Assert.Equal(InputFormat.Tar, Mutator.Sniff(GzipMutator.Deflate(Tar())));
    }

    [Fact]
    public void Outputs_never_exceed_the_size_limit()
    {
        var ctx = Context with { MaxSize = 100 };
        var rng = new Rng(9);
        for (var i = 0; i < 500; i++) Assert.True(Mutator.Mutate(Json, InputFormat.Json, rng, ctx).Length <= 100);
    }

    private static byte[] Input(InputFormat f) => f switch
    {
        InputFormat.Json => Json,
        InputFormat.Xml => Xml,
        InputFormat.Yaml => Yaml,
        InputFormat.TomlLike => Toml,
        InputFormat.Tar => GzipMutator.Deflate(Tar()),
        _ => "pkg:npm/a@1.0.0"u8.ToArray(),
    };

    private static List<byte[]> Run(InputFormat f, byte[] input, ulong seed)
    {
        var rng = new Rng(seed);
        return [.. Enumerable.Range(0, 50).Select(_ => Mutator.Mutate(input, f, rng, Context))];
    }

    internal static byte[] Tar()
    {
        using var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true))
        {
            writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "a.txt") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(new string('a', 300))) });
            writer.WriteEntry(new UstarTarEntry(TarEntryType.SymbolicLink, "b") { LinkName = "a.txt" });
        }
        return output.ToArray();
    }
}
