// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;

namespace Bulwark.Cataloging.Tests.FileSources;

public class GlobTests
{
    [Theory]
    [InlineData("*.md", "README.md", true)]
    [InlineData("*.md", "docs/guide.md", true)]
    [InlineData("*.md", "docs/guide.mdx", false)]
    [InlineData("node_modules", "a/node_modules/x/package.json", true)]
    [InlineData("test/**", "test/a/b.json", true)]
    [InlineData("test/**", "src/test/b.json", false)]
    [InlineData("**/fixtures/*.json", "a/b/fixtures/x.json", true)]
    [InlineData("**/fixtures/*.json", "fixtures/x.json", true)]
    [InlineData("**/fixtures/*.json", "fixtures/deeper/x.json", false)]
    [InlineData("src/?.js", "src/a.js", true)]
    [InlineData("src/?.js", "src/ab.js", false)]
    [InlineData("[ab].txt", "b.txt", true)]
    [InlineData("[!ab].txt", "b.txt", false)]
    [InlineData("./build", "build/out.json", true)]
    public void Matches_paths_like_a_shell_glob(string pattern, string path, bool expected) =>
        Assert.Equal(expected, new Glob(pattern).IsMatch(path));

    [Fact]
    public void Rejects_an_empty_pattern() => Assert.Throws<ArgumentException>(() => new Glob(" "));
}

public class FilePathTests
{
    [Theory]
    [InlineData("a/node_modules/b/package.json", "node_modules", true)]
    [InlineData("node_modules/package.json", "node_modules", true)]
    [InlineData("node_modules", "node_modules", false)]
    [InlineData("a/xnode_modules/package.json", "node_modules", false)]
    [InlineData("package.json", "package.json", false)]
    public void Finds_a_directory_segment_but_not_the_file_name(string path, string segment, bool expected) =>
        Assert.Equal(expected, new FilePath(path).HasDirectorySegment(segment));

    [Theory]
    [InlineData("dir/Archive.JAR", "Archive.JAR", ".jar", "dir")]
    [InlineData("README", "README", "", "")]
    [InlineData(".gitignore", ".gitignore", "", "")]
    [InlineData("./a//b/../c.json", "c.json", ".json", "a")]
    public void Splits_name_extension_and_directory(string path, string name, string ext, string dir)
    {
        var p = new FilePath(path);
        Assert.Equal((name, ext, dir), (p.FileName, p.Extension, p.Directory));
    }
}
