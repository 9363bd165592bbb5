// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using System.Text;

namespace Bulwark.Hygiene.Secrets;

/// The commit a finding was read from (history scans); null for the working tree.
public sealed record CommitOrigin(string Sha, string Author, DateTimeOffset Date);

/// One secret found: where (path, 1-based line and column in UTF-16 code units), by which rule, and its fingerprint.
public sealed record SecretFinding(string RuleId, string Description, string Path, int Line, int Column, string Secret)
{
    /// Identifies the finding across runs and commits: the rule, the file and a hash of the secret, not its line, so
    /// an acknowledged secret stays acknowledged when code moves around it (baselines, SARIF partialFingerprints).
    public string Fingerprint { get; } = ComputeFingerprint(RuleId, Path, Secret);

    public CommitOrigin? Commit { get; init; }

    /// The secret as shown to people: its first 4 characters and an ellipsis, or all of it when asked.
    public string Shown(bool redact) => redact ? Redact(Secret) : Secret;

    public static string Redact(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return secret.Length <= 4 ? "…" : string.Concat(secret.AsSpan(0, 4), "…");
    }

    public static string ComputeFingerprint(string ruleId, string path, string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var secretHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
        var key = SHA256.HashData(Encoding.UTF8.GetBytes($"{ruleId}\n{path}\n{secretHash}"));
        return Convert.ToHexStringLower(key.AsSpan(0, 16));
    }

    /// Report order: by file, line, column, rule; then (history scans) by commit date and id.
    public static int Compare(SecretFinding? a, SecretFinding? b)
    {
        if (ReferenceEquals(a, b)) return 0;
        if (a is null) return -1;
        if (b is null) return 1;
        var c = string.CompareOrdinal(a.Path, b.Path);
        if (c != 0) return c;
        c = a.Line.CompareTo(b.Line);
        if (c != 0) return c;
        c = a.Column.CompareTo(b.Column);
        c = string.CompareOrdinal(a.RuleId, b.RuleId);
        if (c != 0 || a.Commit is null || b.Commit is null) return c;
        c = a.Commit.Date.CompareTo(b.Commit.Date);
        return c != 0 ? c : string.CompareOrdinal(a.Commit.Sha, b.Commit.Sha);
    }
}
