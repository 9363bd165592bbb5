// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Cataloging;

/// The one registration list: every built-in cataloger, readable in one screen.
public static class Catalogers
{
    public static IReadOnlyList<ICataloger> BuiltIn { get; } =
    [
        new Ecosystems.DotNet.PackagesLockCataloger(),
        new Ecosystems.DotNet.ProjectAssetsCataloger(),
        new Ecosystems.DotNet.DepsJsonCataloger(),
        new Ecosystems.DotNet.PackagesConfigCataloger(),
        new Ecosystems.DotNet.ProjectFileCataloger(),
        new Ecosystems.DotNet.NuspecCataloger(),
        new Ecosystems.DotNet.NupkgCataloger(),
    ];
}
