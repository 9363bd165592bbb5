// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.Java;
using Bulwark.Cataloging.Ecosystems.Cargo;
using Bulwark.Cataloging.Ecosystems.Python;
using Bulwark.Cataloging.Ecosystems.Binaries;
using Bulwark.Cataloging.Ecosystems.Go;
using Bulwark.Cataloging.Ecosystems.Npm;
using Bulwark.Cataloging.Ecosystems.CocoaPods;
using Bulwark.Cataloging.Ecosystems.Dart;
using Bulwark.Cataloging.Ecosystems.Elixir;
using Bulwark.Cataloging.Ecosystems.GitHubActions;
using Bulwark.Cataloging.Ecosystems.Php;
using Bulwark.Cataloging.Ecosystems.Ruby;
using Bulwark.Cataloging.Ecosystems.Swift;

namespace Bulwark.Cataloging;

/// The one registration list: every built-in cataloger, readable in one screen.
public static class Catalogers
{
    public static IReadOnlyList<ICataloger> BuiltIn { get; } =
    [
        new PomCataloger(),
        new GradleLockfileCataloger(),
        new JavaArchiveCataloger(),
        new CargoLockCataloger(),
        new InstalledPackageCataloger(),
        new PdmLockCataloger(),
        new PipfileLockCataloger(),
        new PoetryLockCataloger(),
        new RequirementsTxtCataloger(),
        new UvLockCataloger(),
        new GoModCataloger(),
        new GoBinaryCataloger(),
        new CargoAuditableCataloger(),
        new Ecosystems.DotNet.PackagesLockCataloger(),
        new Ecosystems.DotNet.ProjectAssetsCataloger(),
        new Ecosystems.DotNet.DepsJsonCataloger(),
        new Ecosystems.DotNet.PackagesConfigCataloger(),
        new Ecosystems.DotNet.ProjectFileCataloger(),
        new Ecosystems.DotNet.NuspecCataloger(),
        new Ecosystems.DotNet.NupkgCataloger(),
        new PackageLockCataloger(),
        new YarnLockCataloger(),
        new PnpmLockCataloger(),
        new NodeModulesCataloger(),
        new GemfileLockCataloger(),
        new GemspecCataloger(),
        new ComposerLockCataloger(),
        new ComposerInstalledCataloger(),
        new PubspecLockCataloger(),
        new MixLockCataloger(),
        new PackageResolvedCataloger(),
        new PodfileLockCataloger(),
        new GitHubActionsCataloger(),
        new Ecosystems.Linux.OsReleaseCataloger(),
        new Ecosystems.Debian.DpkgCataloger(),
        new Ecosystems.Alpine.ApkInstalledCataloger(),
        new Ecosystems.Rpm.RpmDbCataloger(),
    ];
}
