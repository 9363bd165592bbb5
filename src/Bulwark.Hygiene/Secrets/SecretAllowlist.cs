// SPDX-License-Identifier: Apache-2.0
using System.Text.RegularExpressions;
using Bulwark.Cataloging.FileSources;

namespace Bulwark.Hygiene.Secrets;

/// What the user has said is not a secret: paths not to read, secrets matching a pattern or holding a stop-word, and
/// rules turned off. Read from `.bulwark/secrets.yaml` (see <see cref="SecretsConfig"/>).
public sealed class SecretAllowlist
{
    public static SecretAllowlist Empty { get; } = new();

    public IReadOnlyList<Glob> Paths { get; init; } = [];
    /// Matched against the secret itself (compiled NonBacktracking, so a pattern cannot hang the scan).
    public IReadOnlyList<Regex> Secrets { get; init; } = [];
    /// Case-insensitive substrings: a secret that contains one is not reported.
    public IReadOnlyList<string> StopWords { get; init; } = [];
    public IReadOnlySet<string> DisabledRules { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    public bool AllowsPath(string path) => Paths.Any(g => g.IsMatch(path));

    public bool AllowsSecret(string secret)
    {
        foreach (var word in StopWords)
            if (secret.Contains(word, StringComparison.OrdinalIgnoreCase)) return true;
        foreach (var pattern in Secrets)
            if (pattern.IsMatch(secret)) return true;
        return false;
    }
}
