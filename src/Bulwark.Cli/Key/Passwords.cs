// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Cli.Key;

/// Where key passwords come from: BULWARK_PASSWORD, else COSIGN_PASSWORD (so Cosign scripts keep working), else a
/// prompt on the terminal. A variable set to the empty string is an explicit empty password; the prompt never gives one
/// for a new key.
internal static class Passwords
{
    public const string Variable = "BULWARK_PASSWORD";
    public const string CosignVariable = "COSIGN_PASSWORD";

    private static string? FromEnvironment(CliContext context) => context.Environment(Variable) ?? context.Environment(CosignVariable);

    /// The password for a key being created: asked twice on the terminal, and never empty unless set so explicitly.
    public static string ForNewKey(CliContext context)
    {
        if (FromEnvironment(context) is { } set) return set;
        var prompt = context.PromptSecret ?? throw NoPassword("encrypt the new private key");
        var first = prompt("Enter password for private key: ");
        if (first.Length == 0)
            throw new UsageException($"An empty password is allowed only explicitly: set {Variable}='' to create a key without one.");
        var again = prompt("Enter password for private key again: ");
        if (!string.Equals(first, again, StringComparison.Ordinal)) throw new UsageException("The two passwords differ; run the command again.");
        return first;
    }

    /// The password for an existing encrypted key, asked once on the terminal (Enter alone is the empty password).
    public static string ForExistingKey(CliContext context, string source)
    {
        if (FromEnvironment(context) is { } set) return set;
        var prompt = context.PromptSecret ?? throw NoPassword($"decrypt {source}");
        return prompt($"Enter password for private key {source}: ");
    }

    private static UsageException NoPassword(string purpose) =>
        new($"A password is needed to {purpose}, and there is no terminal to ask on: set {Variable} (or {CosignVariable}).");
}
