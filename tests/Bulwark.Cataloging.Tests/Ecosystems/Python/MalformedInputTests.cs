// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Cataloging.Ecosystems.Cargo;
using Bulwark.Cataloging.Ecosystems.Python;
using Bulwark.Testing;

namespace Bulwark.Cataloging.Tests.Ecosystems.Python;

/// Hostile and broken input must end as a recorded unreadable file (or no packages), never as a crash of another
/// exception type, a hang, or a blow-up: every Python and Cargo cataloger is fed garbage, truncated real files and
/// values of the wrong type.
public sealed class MalformedInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bulwark-python-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, string> Targets => new()
    {
        { "requirements.txt", "pip-requirements/sigstore__sigstore-python/install/requirements.txt" },
        { "poetry.lock", "poetry/python-poetry__poetry/poetry.lock" },
        { "Pipfile.lock", "pipenv/pypa__pipenv/Pipfile.lock" },
        { "uv.lock", "uv/sigstore__sigstore-python/uv.lock" },
        { "pdm.lock", "poetry/python-poetry__poetry/poetry.lock" },
        { "site/x-1.0.dist-info/METADATA", "pipenv/pypa__pipenv/Pipfile" },
        { "Cargo.lock", "cargo/zizmorcore__zizmor/Cargo.lock" },
    };

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Garbage_truncations_and_wrong_types_never_crash_a_cataloger(string fileName, string corpus)
    {
        var real = await File.ReadAllBytesAsync(CatalogerRun.Corpus(corpus));
        var random = new Random(fileName.Length);
        var inputs = new List<byte[]>
        {
            Array.Empty<byte>(),
            new byte[] { 0, 0, 0, 0xFF, 0xFE },
            Bytes(new string('[', 10_000)),
            Bytes(new string('{', 10_000)),
            Bytes("[[package]]\nname = 1\nversion = []\n"),
            Bytes("package = 1\nmetadata = 2\ndefault = 3\n"),
            Bytes("[[package]]\nname = \"a\"\nversion = \"1\"\ndependencies = [1, {name = 2}]\nsource = 1\nfiles = \"x\"\ngroups = 1\n"),
            Bytes("{\"default\": {\"a\": 1}, \"develop\": []}"),
            Bytes("{\"default\": {\"a\": {\"version\": 1, \"hashes\": \"x\", \"git\": 2}}}"),
            Bytes("Name: a\nVersion: 1\nRequires-Dist: \u0000\u0001[[[\n"),
            Bytes(new string('x', 5 << 20)),
        };
        for (var i = 0; i < 5; i++)
        {
            var noise = new byte[random.Next(1, 4096)];
            random.NextBytes(noise);
            inputs.Add(noise);
        }
        for (var i = 1; i <= 8; i++) inputs.Add(real[..(real.Length * i / 9)]);

        foreach (var cataloger in new ICataloger[]
        {
            new RequirementsTxtCataloger(), new PoetryLockCataloger(), new PipfileLockCataloger(), new UvLockCataloger(),
            new PdmLockCataloger(), new InstalledPackageCataloger(), new CargoLockCataloger(),
        })
        {
            if (!cataloger.Wants(fileName)) continue;
            foreach (var input in inputs)
            {
                var path = Path.Combine(_dir, fileName);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllBytesAsync(path, input);
                var result = await CatalogerRun.DirectoryAsync(cataloger, _dir).WaitAsync(TimeSpan.FromSeconds(30));
                Assert.All(result.Unreadable, u => Assert.DoesNotContain("internal error", u.Reason, StringComparison.Ordinal));
            }
        }
    }

    [Theory]
    [InlineData("poetry.lock")]
    [InlineData("pdm.lock")]
    public async Task A_broken_pyproject_beside_a_lockfile_is_named_in_the_reason(string lockName)
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, lockName), "[[package]]\nname = \"a\"\nversion = \"1\"\n");
        await File.WriteAllTextAsync(Path.Combine(_dir, "pyproject.toml"), "[project]\nname = \"a\"\nx = " + new string('[', 200) + new string(']', 200) + "\n");
        ICataloger cataloger = lockName == "poetry.lock" ? new PoetryLockCataloger() : new PdmLockCataloger();
        var result = await CatalogerRun.DirectoryAsync(cataloger, _dir);
        // the lockfile is unreadable as before, but the reason says which file to fix
        Assert.Equal("pyproject.toml beside it: line 3: values are nested more than 128 deep.", Assert.Single(result.Unreadable).Reason);
    }

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);
}
