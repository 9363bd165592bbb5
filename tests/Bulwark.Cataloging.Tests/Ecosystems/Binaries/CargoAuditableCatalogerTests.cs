// SPDX-License-Identifier: Apache-2.0
using System.IO.Compression;
using System.Text;
using Bulwark.Cataloging.Ecosystems.Binaries;
using Bulwark.Core;

namespace Bulwark.Cataloging.Tests.Ecosystems.Binaries;

public sealed class CargoAuditableCatalogerTests : IDisposable
{
    private static readonly CargoAuditableCataloger Cataloger = new();
    private readonly ScratchDirectory _scratch = new();

    public void Dispose() => _scratch.Dispose();

    // What `cargo auditable build` embeds for a small CLI (cargo-auditable.schema.json): a root crate from a
    // local path, runtime crates from crates.io, a git crate, and a proc-macro pulled in at build time only.
    private const string Audit = """
        {"format":1,"packages":[
          {"name":"mytool","version":"0.3.0","source":"local","dependencies":[1,2,4],"root":true},
          {"name":"anyhow","version":"1.0.86","source":"crates.io"},
          {"name":"serde","version":"1.0.203","source":"crates.io","dependencies":[3]},
          {"name":"serde_derive","version":"1.0.203","source":"crates.io","kind":"build","dependencies":[]},
          {"name":"patched-log","version":"0.4.21","source":"git"},
          {"name":"helper","version":"0.1.0","source":"local","kind":"runtime"}
        ]}
        """;

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Reads_the_crates_a_rust_binary_was_built_from(bool is64, bool bigEndian)
    {
        var path = _scratch.Write("mytool", AuditableElf(Zlib(Audit), is64, bigEndian));

        var result = await CatalogerRun.FileAsync(Cataloger, path);

        Assert.Empty(result.Unreadable);
        Assert.Equal(
        [
            "pkg:cargo/anyhow@1.0.86",
            "pkg:cargo/helper@0.1.0",
            "pkg:cargo/mytool@0.3.0",
            "pkg:cargo/patched-log@0.4.21",
            "pkg:cargo/serde@1.0.203",
            "pkg:cargo/serde_derive@1.0.203",
        ], result.Packages.Select(p => p.Purl.ToString()));

        var root = result.Single("pkg:cargo/mytool@0.3.0");
        Assert.True(root.IsRoot);
        Assert.Equal(PackageKind.Application, root.Kind);
        Assert.Equal(["pkg:cargo/anyhow@1.0.86", "pkg:cargo/patched-log@0.4.21", "pkg:cargo/serde@1.0.203"],
            root.DependsOn.Select(p => p.ToString()));
        Assert.False(root.Properties.ContainsKey("bulwark:source"));

        var serde = result.Single("pkg:cargo/serde@1.0.203");
        Assert.Equal(Scope.Required, serde.Scope);
        Assert.Equal("registry", serde.Properties["bulwark:source"]);
        Assert.Equal("pkg:cargo/serde_derive@1.0.203", serde.DependsOn.Single().ToString());

        var derive = result.Single("pkg:cargo/serde_derive@1.0.203");
        Assert.Equal(Scope.Dev, derive.Scope);
        Assert.Equal("build", derive.Properties["cargo:kind"]);

        Assert.Equal("git", result.Single("pkg:cargo/patched-log@0.4.21").Properties["bulwark:source"]);
        Assert.Equal("path", result.Single("pkg:cargo/helper@0.1.0").Properties["bulwark:source"]);
        Assert.Equal(Scope.Required, result.Single("pkg:cargo/helper@0.1.0").Scope);
        Assert.All(result.Packages, p => Assert.Equal("mytool", p.Locations.Single().Path));
    }

    [Fact]
    public async Task Reads_the_audit_data_of_a_real_rustc_linked_program()
    {
        var path = _scratch.Gunzip("Ecosystems/Binaries/testdata/hello-auditable-linux-amd64.gz");

        var result = await CatalogerRun.FileAsync(Cataloger, path);

        Assert.Empty(result.Unreadable);
        Assert.Equal(["pkg:cargo/hello-auditable@0.1.0", "pkg:cargo/itoa@1.0.11"], result.Packages.Select(p => p.Purl.ToString()));
        var root = result.Single("pkg:cargo/hello-auditable@0.1.0");
        Assert.True(root.IsRoot);
        Assert.Equal("pkg:cargo/itoa@1.0.11", root.DependsOn.Single().ToString());
        Assert.Equal("registry", result.Single("pkg:cargo/itoa@1.0.11").Properties["bulwark:source"]);
    }

    [Fact]
    public async Task Finds_nothing_in_an_executable_without_audit_data()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, "Ecosystems/Go/testdata/not-go-program");

        Assert.Empty(result.Unreadable);
        Assert.Empty(result.Packages);
    }

    [Fact]
    public async Task Refuses_audit_data_that_inflates_beyond_the_limit()
    {
        // 64 MB of spaces compress to about 64 KB: a zip bomb in miniature
        var json = new StringBuilder("{\"packages\":[],\"padding\":\"").Append(' ', 64 << 20).Append("\"}").ToString();
        var path = _scratch.Write("bomb", AuditableElf(Zlib(json)));

        var result = await CatalogerRun.FileAsync(Cataloger, path);

        Assert.Empty(result.Packages);
        Assert.Equal("the .dep-v0 section inflates to more than 16,777,216 bytes; not read (a real dependency list is far smaller).",
            Assert.Single(result.Unreadable).Reason);
    }

    [Theory]
    [InlineData("""{"packages":[{"name":"a","version":"1.0.0","source":"crates.io","dependencies":[7]}]}""",
        "package a in the .dep-v0 JSON depends on index 7, which is not in the package list.")]
    [InlineData("""{"format":1}""", "the .dep-v0 JSON has no \"packages\" array. Rebuild the binary with cargo auditable.")]
    [InlineData("""{"packages":[{"version":"1.0.0","source":"crates.io"}]}""", "a package in the .dep-v0 JSON has no name.")]
    [InlineData("""{"packages":[""", "line 1: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed. LineNumber: 0 | BytePositionInLine: 13.")]
    public async Task Records_bad_audit_data_as_unreadable(string json, string reason)
    {
        var path = _scratch.Write("bad", AuditableElf(Zlib(json)));

        var result = await CatalogerRun.FileAsync(Cataloger, path);

        Assert.Empty(result.Packages);
        Assert.Equal(reason, Assert.Single(result.Unreadable).Reason);
    }

    [Fact]
    public async Task Records_a_section_that_is_not_zlib_as_unreadable()
    {
        var path = _scratch.Write("notzlib", AuditableElf(Encoding.UTF8.GetBytes("{\"packages\":[]} is not compressed")));

        var result = await CatalogerRun.FileAsync(Cataloger, path);

        Assert.Empty(result.Packages);
        Assert.StartsWith("the .dep-v0 section is not zlib-compressed data (", Assert.Single(result.Unreadable).Reason);
    }

    private static byte[] AuditableElf(byte[] section, bool is64 = true, bool bigEndian = false) =>
        new SyntheticElf(is64, bigEndian)
            .Section(".text", new byte[128], 0x401000)
            .Section(".dep-v0", section, 0x480000)
            .Build();

    private static byte[] Zlib(string json)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.SmallestSize)) z.Write(Encoding.UTF8.GetBytes(json));
        return output.ToArray();
    }
}
