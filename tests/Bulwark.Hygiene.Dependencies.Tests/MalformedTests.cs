// SPDX-License-Identifier: Apache-2.0
using Bulwark.Hygiene.Findings;
namespace Bulwark.Hygiene.Dependencies.Tests;

public class MalformedTests
{
    [Fact]
    public void Broken_files_are_reported_as_not_checked_and_the_rest_of_the_tree_is_checked()
    {
        var report = Checks.Run("malformed");
        Assert.Equal(["BW-DEP-001 go/go.mod:1 -"], Checks.Lines(report));
        Assert.Equal(
        [
            "entities/App.csproj",
            "npm/package.json",
            "toml/pyproject.toml",
            "utf8/Cargo.lock",
            "xml/App.csproj",
        ], report.Unreadable.Select(u => u.Path));
        Assert.Equal("line 1: expected ']' to close the table header, found end of line.", report.Unreadable[2].Reason);
        Assert.Equal("the file is not valid UTF-8. Save it as UTF-8 and try again.", report.Unreadable[3].Reason);
        Assert.StartsWith("not valid XML (For security reasons DTD is prohibited", report.Unreadable[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lockfile_that_is_not_an_object_is_not_checked()
    {
        using var tree = new TempTree();
        tree.Write("package.json", """{ "dependencies": { "ms": "^2.1.0" } }""");
        tree.Write("package-lock.json", "[1, 2, 3]");
        var report = tree.Check();
        Assert.Empty(report.Findings);
        Assert.Equal(new UnreadableFile("package-lock.json", "a package lockfile must be a JSON object."), Assert.Single(report.Unreadable));
    }

    [Fact]
    public void Values_of_unexpected_kinds_are_skipped_not_fatal()
    {
        using var tree = new TempTree();
        tree.Write("package.json", """{ "dependencies": { "ms": 2, "a": "1.0.0" }, "devDependencies": [] }""");
        tree.Write("package-lock.json", """{ "packages": { "": { "dependencies": "x" }, "node_modules/a": 7 } }""");
        var report = tree.Check();
        Assert.Equal(["BW-DEP-002 package.json:1 a"], Checks.Lines(report));
        Assert.Empty(report.Unreadable);
    }

    [Fact]
    public void Deeply_nested_yaml_is_refused_without_exhausting_the_stack()
    {
        using var tree = new TempTree();
        tree.Write("package.json", """{ "dependencies": { "ms": "^2.1.0" } }""");
        tree.Write("pnpm-lock.yaml", "a: " + new string('[', 100_000) + new string(']', 100_000) + "\n");
        var report = tree.Check();
        var unreadable = Assert.Single(report.Unreadable);
        Assert.Equal("line 1: nested more than 256 levels deep; not a real lockfile.", unreadable.Reason);
    }

    [Fact]
    public void Pnpm_lock_yaml_that_trips_yamldotnet_is_reported_not_fatal()
    {
        using var tree = new TempTree();
        tree.Write("package.json", """{ "dependencies": { "ms": "^2.1.0" } }""");
        // YamlDotNet's scanner throws ArgumentNullException on this directive at the very end
        tree.Write("a/pnpm-lock.yaml", "lockfileVersion: '9.0'\n%TAG ! ");
        tree.Write("a/package.json", "{}");
        // a reserved directive that ends the file on a multiple of 1,024 characters: YamlDotNet's scanner spun on it
        const string head = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      ms:\n        specifier: ^2.1.0\n        version: 2.1.3\n#";
        const string tail = "\n%00 = ";
        tree.Write("pnpm-lock.yaml", head + new string('x', 1024 - head.Length - tail.Length) + tail);
        var report = tree.Check();
        Assert.Empty(report.Findings);
        var unreadable = Assert.Single(report.Unreadable);
        Assert.Equal("a/pnpm-lock.yaml", unreadable.Path);
        Assert.StartsWith("line 1: YAML the parser cannot read (", unreadable.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_aliases_are_not_expanded()
    {
        using var tree = new TempTree();
        var yaml = new System.Text.StringBuilder("lockfileVersion: '9.0'\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 30; i++) yaml.Append($"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n");
        tree.Write("pnpm-lock.yaml", yaml.ToString());
        var report = tree.Check();
        Assert.Empty(report.Findings);
        Assert.Empty(report.Unreadable);
    }

    [Fact]
    public void A_file_over_the_size_limit_is_not_read()
    {
        using var tree = new TempTree();
        using (var f = File.Create(Path.Combine(tree.Root, "Cargo.lock"))) f.SetLength(DependencyTree.MaxFileSize + 1);
        var unreadable = Assert.Single(tree.Check().Unreadable);
        Assert.Equal("67,108,865 bytes, over the 67,108,864-byte limit for a manifest or lockfile; not checked.", unreadable.Reason);
    }

    [Fact]
    public void A_path_that_is_not_a_directory_is_an_input_error()
    {
        var e = Assert.Throws<Bulwark.Core.InputException>(() => DependencyCheck.Run(Checks.Fixture("does-not-exist"), DependencyCheckOptions.Default));
        Assert.Contains("no such directory", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Vendored_and_excluded_directories_are_not_checked()
    {
        using var tree = new TempTree();
        tree.Write("vendor/lib/package.json", """{ "dependencies": { "ms": "^2.1.0" } }""");
        tree.Write("examples/package.json", """{ "dependencies": { "ms": "^2.1.0" } }""");
        var report = DependencyCheck.Run(tree.Root, DependencyCheckOptions.Default with { Excludes = [new Bulwark.Cataloging.FileSources.Glob("examples")] });
        Assert.Empty(report.Files);
    }

    [Fact]
    public void A_symbolic_link_out_of_the_tree_is_not_followed()
    {
        using var outside = new TempTree();
        outside.Write("package.json", """{ "dependencies": { "ms": "^2.1.0" } }""");
        using var tree = new TempTree();
        File.CreateSymbolicLink(Path.Combine(tree.Root, "package.json"), Path.Combine(outside.Root, "package.json"));
        var report = tree.Check();
        Assert.Empty(report.Findings);
        Assert.Equal("package.json", Assert.Single(report.Unreadable).Path);
    }

    [Fact]
    public void Hostile_nesting_and_huge_values_are_reported_briefly()
    {
        using var tree = new TempTree();
        tree.Write("a/package.json", "{\"dependencies\":" + new string('[', 100_000) + new string(']', 100_000) + "}");
        tree.Write("b/Cargo.toml", "a = " + new string('[', 100_000) + new string(']', 100_000) + "\n");
        tree.Write("c/requirements.txt", new string('a', 1_000_000) + "!\nb>=" + new string('1', 100_000) + "\n");
        var report = tree.Check();
        Assert.Equal(["a/package.json", "b/Cargo.toml", "c/requirements.txt"], report.Unreadable.Select(u => u.Path));
        Assert.StartsWith("line 1: not valid JSON (The maximum configured depth of 256 has been exceeded", report.Unreadable[0].Reason, StringComparison.Ordinal);
        Assert.Equal("line 1: values are nested more than 128 deep.", report.Unreadable[1].Reason);
        Assert.True(report.Unreadable[2].Reason.Length < 200, report.Unreadable[2].Reason);
        var floating = Assert.Single(report.Findings);
        Assert.Equal("BW-DEP-006", floating.Rule.Id);
        Assert.Equal(DependencyTree.MaxMessageLength, floating.Message.Length);
        Assert.EndsWith("…", floating.Message, StringComparison.Ordinal);
    }
}
