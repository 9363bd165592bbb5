// SPDX-License-Identifier: Apache-2.0
using System.Reflection;

namespace Bulwark.Cli;

internal static class BulwarkVersion
{
    /// The informational version without build metadata ("0.1.0").
    public static string Current { get; } =
        (typeof(BulwarkVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0")
        .Split('+')[0];
}
