// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.DotNet;
using Bulwark.Core;

namespace Bulwark.Cataloging.Tests.Ecosystems.DotNet;

public class DumpTests
{
    public static string Dump(CatalogResult r) => string.Join("\n", r.Packages.Select(p =>
        $"{p.Purl} scope={p.Scope} root={p.IsRoot} kind={p.Kind} hashes={string.Join(",", p.Hashes)} lic={string.Join(",", p.Licenses)} loc={string.Join(",", p.Locations)} props={string.Join(",", p.Properties.Select(kv => kv.Key + "=" + kv.Value))} refs={string.Join(",", p.ExternalReferences.Select(e => e.Type + "=" + e.Url))}\n    -> {string.Join(" ", p.DependsOn)}"))
        + "\nUNREADABLE: " + string.Join("\n", r.Unreadable.Select(u => u.Location + " " + u.Reason));

    [Fact]
    public async Task Dump_all()
    {
        var env = Environment.GetEnvironmentVariable("DUMP");
        if (env is null) return;
        var parts = env.Split('|');
        ICataloger c = parts[0] switch
        {
            "lock" => new PackagesLockCataloger(),
            "assets" => new ProjectAssetsCataloger(),
            "deps" => new DepsJsonCataloger(),
            "config" => new PackagesConfigCataloger(),
            "nuspec" => new NuspecCataloger(),
            _ => new ProjectFileCataloger(),
        };
        var r = parts[1].EndsWith('/') ? await CatalogerRun.DirectoryAsync(c, parts[1]) : await CatalogerRun.FileAsync(c, parts[1]);
        File.WriteAllText("/tmp/dotnet-dump.txt", Dump(r));
    }
}
