// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Cataloging.Ecosystems.Npm;

namespace Bulwark.Cataloging.Tests.Ecosystems.Npm;

/// Hostile input: every npm cataloger must record it as unreadable (or read nothing), never fail inside.
public sealed class RobustnessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bulwark-npm-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, string> Inputs()
    {
        var random = new Random(42);
        var binary = new byte[4096];
        random.NextBytes(binary);
        return new()
        {
            { "binary", Convert.ToBase64String(binary) },
            { "nul bytes", "\0\0\0\0{\0}" },
            { "deep json", new string('[', 100_000) + new string(']', 100_000) },
            { "deep json objects", string.Concat(Enumerable.Repeat("{\"dependencies\":{\"a\":", 2000)) + "{}" + new string('}', 4000) },
            { "deep yaml flow", "lockfileVersion: '9.0'\npackages: " + new string('[', 100_000) },
            { "deep yaml blocks", "lockfileVersion: '9.0'\n" + string.Concat(Enumerable.Range(0, 3000).Select(i => new string(' ', i) + "k:\n")) },
            { "compact yaml sequences", "__metadata:\n  x: " + string.Concat(Enumerable.Repeat("- ", 50_000)) + "x\n" },
            { "yaml alias bomb", "lockfileVersion: '9.0'\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\npackages: *c\nsnapshots: *c\nimporters: *c\n" },
            { "duplicate yaml keys", "lockfileVersion: '9.0'\npackages:\n  a@1.0.0: {}\n  a@1.0.0: {}\n" },
            { "undefined alias", "lockfileVersion: '9.0'\npackages: *nope\n" },
            { "wrong shapes", "{\"lockfileVersion\": 3, \"packages\": [1, 2], \"dependencies\": \"x\", \"name\": 7}" },
            { "wrong v1 shapes", "{\"lockfileVersion\": 1, \"dependencies\": {\"a\": {\"version\": 5, \"requires\": [1], \"dependencies\": 3}}}" },
            { "workspace pattern", "{\"lockfileVersion\": 3, \"packages\": {\"\": {\"name\": \"r\", \"workspaces\": [\"[z-a]\", \"" + new string('*', 5000) + "a\"]}, \"x/y\": {\"name\": \"y\"}}}" },
            { "odd yarn", "# yarn lockfile v1\n\n\"a@1\":\n  version \"1\"\n   odd indent\n" },
            { "yarn headers only", string.Concat(Enumerable.Repeat("a@1, \"b@2\":\n", 1000)) },
            { "empty names", "{\"lockfileVersion\": 3, \"packages\": {\"node_modules/\": {\"version\": \"1\"}, \"node_modules/@\": {\"version\": \"1\"}}}" },
        };
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task Never_fails_inside_a_cataloger_on_hostile_input(string name, string content)
    {
        foreach (var file in (string[])["package-lock.json", "yarn.lock", "pnpm-lock.yaml", "node_modules/x/package.json"])
        {
            var path = Path.Combine(_dir, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, content, Encoding.UTF8);
        }
        var yarnBerry = Path.Combine(_dir, "berry", "yarn.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(yarnBerry)!);
        await File.WriteAllTextAsync(yarnBerry, "__metadata:\n  version: 8\n" + content, Encoding.UTF8);

        var result = await Catalog.RunAsync(new Bulwark.Cataloging.FileSources.DirectoryFileTree(_dir),
            [new PackageLockCataloger(), new YarnLockCataloger(), new PnpmLockCataloger(), new NodeModulesCataloger()]);

        Assert.All(result.Unreadable, u => Assert.False(u.Reason.Contains("internal error", StringComparison.Ordinal), $"{name}: {u.Location} {u.Reason}"));
    }

    [Theory]
    [InlineData("packages/*", "packages/app", true)]
    [InlineData("packages/*", "packages/app/sub", false)]
    [InlineData("packages/*", "other/packages/app", false)]
    [InlineData("./tools/cli", "tools/cli", true)]
    [InlineData("apps/**", "apps/web/site", true)]
    [InlineData("apps/**/x-*", "apps/a/b/x-y", true)]
    [InlineData("pkg-?", "pkg-a", true)]
    [InlineData("pkg-?", "pkg-ab", false)]
    public void Matches_workspace_patterns(string pattern, string folder, bool matches) =>
        Assert.Equal(matches, WorkspacePattern.Matches(pattern, folder));
}
