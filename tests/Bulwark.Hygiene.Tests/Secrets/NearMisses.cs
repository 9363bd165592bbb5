// SPDX-License-Identifier: Apache-2.0
using Bulwark.Hygiene.Secrets;

namespace Bulwark.Hygiene.Tests.Secrets;

/// The negative sample of every rule: its planted secret turned into something no scanner should report.
internal static class NearMisses
{
    /// For a rule that checks placeholders: 8 characters in the middle of the secret become "xxxxxxxx", as a
    /// template or documentation writes it. For a rule that finds a block (a PEM key, a PuTTY file): the block cut off
    /// in the middle of its secret, as a truncated paste or a doc's "..." leaves it.
    public static string For(Plant plant, string secret)
    {
        var rule = SecretRules.BuiltIn.Single(r => r.Id == plant.RuleId);
        var at = plant.Content.IndexOf(secret, StringComparison.Ordinal);
        if (at < 0) throw new InvalidOperationException($"{plant.RuleId}: the secret is not in the planted text");
        if (rule.Locate is not null) return plant.Content[..(at + secret.Length / 2)];
        var middle = Math.Max(0, secret.Length / 2 - 4);
        var masked = secret.Length < 8 ? new string('x', secret.Length) : string.Concat(secret.AsSpan(0, middle), "xxxxxxxx", secret.AsSpan(middle + 8));
        return string.Concat(plant.Content.AsSpan(0, at), masked, plant.Content.AsSpan(at + secret.Length));
    }
}
