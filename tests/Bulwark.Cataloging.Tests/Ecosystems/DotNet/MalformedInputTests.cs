// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.DotNet;
using static Bulwark.Cataloging.Tests.Ecosystems.DotNet.DotNetAssert;

namespace Bulwark.Cataloging.Tests.Ecosystems.DotNet;

/// Every .NET format, empty or broken: recorded as unreadable with a reason, never an internal error, never packages.
public class MalformedInputTests
{
    private static ICataloger For(string name) => name switch
    {
        "lock" => new PackagesLockCataloger(),
        "assets" => new ProjectAssetsCataloger(),
        "deps" => new DepsJsonCataloger(),
        "config" => new PackagesConfigCataloger(),
        "project" => new ProjectFileCataloger(),
        "nuspec" => new NuspecCataloger(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [InlineData("lock", "packages.empty.lock.json", "the file is empty. Run 'dotnet restore --force-evaluate' to rebuild it.")]
    [InlineData("lock", "packages.truncated.lock.json", "line 7: Expected start of a property name or value")]
    [InlineData("lock", "packages.version3.lock.json", "lock file version 3 is not supported (versions 1 and 2 are).")]
    [InlineData("lock", "packages.wrong-shape.lock.json", "dependencies[\"net8.0\"] is Number, expected an object.")]
    [InlineData("lock", "packages.no-resolved.lock.json", "dependencies[\"net8.0\"][\"Polly\"] has no \"resolved\" version.")]
    [InlineData("assets", "assets-empty/project.assets.json", "the file is empty. Run 'dotnet restore' to rebuild it.")]
    [InlineData("assets", "assets-malformed/project.assets.json", "line 1: Expected start of a property name or value")]
    [InlineData("assets", "assets-wrong-shape/project.assets.json", "targets[\"net8.0\"] key \"Polly\" is not of the form \"Name/Version\".")]
    [InlineData("deps", "empty.deps.json", "the file is empty. Rebuild or republish the application to regenerate it.")]
    [InlineData("deps", "truncated.deps.json", "line 2: Expected depth to be zero")]
    [InlineData("deps", "wrong-shape.deps.json", "targets[\".NETCoreApp,Version=v8.0\"] is Array, expected an object.")]
    [InlineData("config", "packages.empty.config", "the file is empty.")]
    [InlineData("config", "packages.malformed.config", "line 4: Name cannot begin with the '<' character")]
    [InlineData("config", "packages.missing-version.config", "line 4: <package> needs both 'id' and 'version' attributes.")]
    [InlineData("project", "empty.csproj", "the file is empty. Fix the project file's XML.")]
    [InlineData("project", "malformed.csproj", "line 4: The 'PackageReference' start tag on line 3 position 6 does not match")]
    [InlineData("project", "not-a-project.csproj", "line 1: the root element is <Solution>, expected <Project>.")]
    [InlineData("nuspec", "empty.nuspec", "the file is empty.")]
    [InlineData("nuspec", "malformed.nuspec", "line 3: Unexpected end of file has occurred.")]
    [InlineData("nuspec", "missing-id.nuspec", "line 3: <metadata> has no <id>.")]
    [InlineData("nuspec", "entity-expansion.nuspec", "For security reasons DTD is prohibited in this XML document.")]
    public async Task Records_a_broken_file_as_unreadable_with_the_reason(string cataloger, string file, string reason)
    {
        var result = await CatalogerRun.FileAsync(For(cataloger), $"{Testdata}/malformed/{file}");

        Assert.Empty(result.Packages);
        var unreadable = Assert.Single(result.Unreadable);
        Assert.Equal(file[(file.LastIndexOf('/') + 1)..], unreadable.Location.Path);
        Assert.StartsWith(reason, unreadable.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Never_fails_with_an_internal_error_on_truncated_or_corrupted_files()
    {
        // every scenario file cut at twenty points and with bytes flipped: each copy is read or recorded with a
        // reason, never an exception of the wrong kind (an "internal error")
        string[] sources =
        [
            CatalogerRun.Corpus("nuget-lock/bitwarden__server/src/Api/packages.lock.json"),
            CatalogerRun.Corpus("nuget-cpm/microsoft__component-detection/Directory.Packages.props"),
            .. new[] { "lock-v2/App/packages.lock.json", "assets-web/project.assets.json", "deps/MyApp.deps.json", "packages-config/LegacyApp/packages.config",
                "nuspec/Acme.Widgets.nuspec", "cpm/src/App/App.csproj", "plain/Plain.csproj" }
                .Select(f => Path.Combine(Bulwark.Testing.TestPaths.Project("Bulwark.Cataloging.Tests"), Testdata, f)),
        ];
        var dir = Directory.CreateTempSubdirectory("bulwark-dotnet-");
        try
        {
            var random = new Random(20261122);
            var n = 0;
            foreach (var source in sources)
            {
                var bytes = await File.ReadAllBytesAsync(source);
                var name = Path.GetFileName(source) switch
                {
                    "Directory.Packages.props" => "Fuzz.csproj",   // read as a project: same XML evaluation
                    var f => f,
                };
                for (var cut = 0; cut < 20; cut++)
                {
                    var copy = bytes[..(bytes.Length * cut / 20)];
                    if (cut % 2 == 1 && copy.Length > 0)
                        for (var flip = 0; flip < 8; flip++) copy[random.Next(copy.Length)] = (byte)random.Next(256);
                    var target = Directory.CreateDirectory(Path.Combine(dir.FullName, $"case{n++}"));
                    var obj = name == "project.assets.json" ? Directory.CreateDirectory(Path.Combine(target.FullName, "obj")).FullName : target.FullName;
                    await File.WriteAllBytesAsync(Path.Combine(obj, name), copy);
                }
            }

            var catalogers = Catalogers.BuiltIn.Where(c => c.GetType().Namespace == typeof(PackagesLockCataloger).Namespace).ToList();
            var result = await Catalog.RunAsync(new Bulwark.Cataloging.FileSources.DirectoryFileTree(dir.FullName), catalogers);

            Assert.NotEmpty(result.Unreadable);
            Assert.All(result.Unreadable, u => Assert.DoesNotContain("internal error", u.Reason, StringComparison.Ordinal));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_broken_project_file_beside_a_lock_does_not_hide_the_lock()
    {
        // malformed/ holds malformed.csproj, the conventional project name for a lock in that directory
        var dir = Directory.CreateTempSubdirectory("bulwark-dotnet-");
        try
        {
            var app = Directory.CreateDirectory(Path.Combine(dir.FullName, "App"));
            await File.WriteAllTextAsync(Path.Combine(app.FullName, "App.csproj"), "<Project><ItemGroup>");
            await File.WriteAllTextAsync(Path.Combine(app.FullName, "packages.lock.json"),
                """{ "version": 1, "dependencies": { "net8.0": { "Polly": { "type": "Direct", "resolved": "8.4.0" } } } }""");

            var result = await Catalog.RunAsync(new Bulwark.Cataloging.FileSources.DirectoryFileTree(dir.FullName), [new PackagesLockCataloger(), new ProjectFileCataloger()]);

            Assert.Equal(["pkg:nuget/App", "pkg:nuget/Polly@8.4.0"], result.Purls());
            var unreadable = Assert.Single(result.Unreadable);
            Assert.Equal("App/App.csproj", unreadable.Location.Path);
            Assert.Equal("nuget-project", unreadable.Cataloger);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
