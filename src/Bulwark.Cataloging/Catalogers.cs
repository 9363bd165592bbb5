// SPDX-License-Identifier: Apache-2.0
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
        new GemfileLockCataloger(),
        new GemspecCataloger(),
        new ComposerLockCataloger(),
        new ComposerInstalledCataloger(),
        new PubspecLockCataloger(),
        new MixLockCataloger(),
        new PackageResolvedCataloger(),
        new PodfileLockCataloger(),
        new GitHubActionsCataloger(),
    ];
}
