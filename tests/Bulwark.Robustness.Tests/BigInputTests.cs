// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging;
using Bulwark.Hygiene.Secrets;

namespace Bulwark.Robustness.Tests;

/// The 1 GB single-line file of the corpus, as a generated stream (never written to disk): catalogers and the secrets
/// scanner skip it by its size, and when the listing under-states the size (a file growing while read) they stop at
/// their limit instead of reading or holding a gigabyte.
public sealed class BigInputTests
{
    private const long OneGigabyte = 1L << 30;

    [Theory]
    [InlineData("package-lock.json", "npm-package-lock")]
    [InlineData("requirements.txt", "python-requirements")]
    [InlineData("yarn.lock", "yarn-lock")]
    public async Task A_1_GB_single_line_lockfile_is_skipped_by_its_size_without_reading_it(string name, string cataloger)
    {
        var tree = new GeneratedTree(name, OneGigabyte, OneGigabyte);

        var result = await Corpus.WithinAsync(Catalog.RunAsync(tree, Catalogers.BuiltIn), name);

        var u = Assert.Single(result.Unreadable);
        Assert.Equal(cataloger, u.Cataloger);
        Assert.Equal($"file is too large for {cataloger}: 1,073,741,824 bytes, over its 268,435,456-byte limit; not read", u.Reason);
        Assert.Empty(result.Packages);
        Assert.Equal(0, tree.BytesRead);
    }

    [Theory]
    [InlineData("package-lock.json", "npm-package-lock")]
    [InlineData("requirements.txt", "python-requirements")]
    public async Task A_1_GB_single_line_lockfile_listed_as_small_is_read_only_to_the_limit(string name, string cataloger)
    {
        var tree = new GeneratedTree(name, OneGigabyte, 1024);

        var result = await Corpus.WithinAsync(Catalog.RunAsync(tree, Catalogers.BuiltIn), name);

        var u = Assert.Single(result.Unreadable);
        Assert.Equal(cataloger, u.Cataloger);
        Assert.Equal($"{name}: the file grew past the 268,435,456-byte limit while being read (it was listed at 1,024 bytes); not read. "
            + "Catalog it again once it stops changing.", u.Reason);
        Assert.True(tree.BytesRead <= Catalog.MaxTextFileSize + (1 << 20), $"read {tree.BytesRead:N0} bytes");
    }

    [Fact]
    public void A_1_GB_single_line_file_is_skipped_by_the_secrets_scanner_without_reading_it()
    {
        var tree = new GeneratedTree("config.env", OneGigabyte, OneGigabyte);

        var result = WorkingTreeScan.Scan(tree, new SecretScanner(SecretRules.BuiltIn), SecretAllowlist.Empty, new SecretScanOptions());

        Assert.Empty(result.Findings);
        Assert.Equal(new SkippedFile("config.env", "larger than 10 MiB (1 GiB); not scanned"), Assert.Single(result.Skipped));
        Assert.Equal(0, tree.BytesRead);
    }

    [Fact]
    public void A_1_GB_single_line_file_listed_as_small_is_read_by_the_secrets_scanner_only_to_its_limit()
    {
        var tree = new GeneratedTree("config.env", OneGigabyte, 1024);

        var result = WorkingTreeScan.Scan(tree, new SecretScanner(SecretRules.BuiltIn), SecretAllowlist.Empty, new SecretScanOptions());

        Assert.Empty(result.Findings);
        Assert.Equal(new SkippedFile("config.env", "grew beyond 10 MiB while being read; not scanned"), Assert.Single(result.Skipped));
        Assert.True(tree.BytesRead <= (11L << 20), $"read {tree.BytesRead:N0} bytes");
    }
}
