// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Bulwark.Core;

namespace Bulwark.Hygiene.Commits;

/// What `bulwark commits verify` reports: one verdict per commit of the range, in `git rev-list` order.
public sealed record CommitReport
{
    public required string Repository { get; init; }
    public required string Range { get; init; }
    public required ImmutableArray<CommitVerification> Results { get; init; }
    public required string ToolVersion { get; init; }

    public bool AllGood => Results.All(r => r.Status == CommitStatus.Good);

    public int Count(CommitStatus status) => Results.Count(r => r.Status == status);

    private static readonly JsonWriterOptions JsonOptions = new()
    {
        Indented = true,
        Encoder = Bulwark.Core.RelaxedJsonEncoder.Instance,
    };

    /// `{"schemaVersion", "tool", "repository", "range", "summary": {"commits", "good", <status>: n…}, "commits": [...]}` (docs/commits-verify.md).
    public void WriteJson(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var w = new Utf8JsonWriter(output, JsonOptions);
        w.WriteStartObject();
        w.WriteString("schemaVersion", "1.0");
        w.WriteStartObject("tool");
        w.WriteString("name", "bulwark");
        w.WriteString("version", ToolVersion);
        w.WriteEndObject();
        w.WriteString("repository", Repository);
        w.WriteString("range", Range);
        w.WriteStartObject("summary");
        w.WriteNumber("commits", Results.Length);
        foreach (var status in Enum.GetValues<CommitStatus>())
            w.WriteNumber(CommitVerification.StatusName(status), Count(status));
        w.WriteBoolean("passed", AllGood);
        w.WriteEndObject();
        w.WriteStartArray("commits");
        foreach (var r in Results)
        {
            w.WriteStartObject();
            w.WriteString("sha", r.Commit.Sha);
            w.WriteString("status", CommitVerification.StatusName(r.Status));
            w.WriteString("signatureType", CommitVerification.KindName(r.Kind));
            w.WriteStartObject("committer");
            w.WriteString("name", r.Commit.CommitterName);
            w.WriteString("email", r.Commit.CommitterEmail);
            w.WriteString("date", Stamp(r.Commit.CommitterTime));
            w.WriteEndObject();
            w.WriteString("subject", r.Commit.Subject);
            // every field is always present; null means unknown or not applicable (as in the scan report)
            w.WriteString("signer", r.Signer);
            w.WriteString("keyAlgorithm", r.KeyAlgorithm);
            w.WriteString("fingerprint", r.Fingerprint);
            w.WriteString("primaryKeyFingerprint", r.PrimaryFingerprint);
            if (r.SignedAt is { } at) w.WriteString("signedAt", Stamp(at));
            else w.WriteNull("signedAt");
            w.WriteString("detail", r.Detail);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        output.WriteByte((byte)'\n');
    }

    internal static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// SARIF 2.1.0: one rule per failing status met, one result per commit that is not good, located at the repository
    /// root (GitHub code scanning needs a file location) and at the commit (a logical location named by its SHA).
    public void WriteSarif(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var failing = Results.Where(r => r.Status != CommitStatus.Good).ToList();
        var rules = failing.Select(r => r.Status).Distinct().Order().ToList();
        using var w = new Utf8JsonWriter(output, JsonOptions);
        SarifLog.StartRun(w, ToolVersion);
        foreach (var status in rules)
        {
            w.WriteStartObject();
            w.WriteString("id", RuleId(status));
            w.WriteString("name", "CommitSignature/" + CommitVerification.StatusName(status));
            w.WriteStartObject("shortDescription");
            w.WriteString("text", RuleText(status));
            w.WriteEndObject();
            w.WriteStartObject("fullDescription");
            w.WriteString("text", RuleText(status) + ": the commit's signature does not establish that the committer wrote it with an allowed key.");
            w.WriteEndObject();
            w.WriteStartObject("defaultConfiguration");
            w.WriteString("level", status is CommitStatus.Unsigned or CommitStatus.Unsupported ? "warning" : "error");
            w.WriteEndObject();
            w.WriteStartObject("help");
            w.WriteString("text", "Commits must be signed by a key in the keyring (--keyring) or allowed-signers file (--allowed-signers) that " +
                                  "carries the committer's email, was valid when it signed, and was not revoked. Re-sign the commits " +
                                  "(git rebase --exec 'git commit --amend --no-edit -S') or add the signer's key.");
            w.WriteEndObject();
            w.WriteStartObject("properties");
            w.WriteStartArray("tags");
            w.WriteStringValue("security");
            w.WriteStringValue("supply-chain");
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        SarifLog.EndDriver(w);
        w.WriteStartArray("results");
        foreach (var r in failing)
        {
            w.WriteStartObject();
            w.WriteString("ruleId", RuleId(r.Status));
            w.WriteNumber("ruleIndex", rules.IndexOf(r.Status));
            w.WriteString("level", r.Status is CommitStatus.Unsigned or CommitStatus.Unsupported ? "warning" : "error");
            w.WriteStartObject("message");
            w.WriteString("text", $"Commit {r.Commit.Sha[..Math.Min(12, r.Commit.Sha.Length)]} ({r.Commit.Subject}): {r.Detail}");
            w.WriteEndObject();
            // a commit has no file: the location is the repository root, and the commit itself a logical location
            w.WriteStartArray("locations");
            w.WriteStartObject();
            w.WriteStartObject("physicalLocation");
            w.WriteStartObject("artifactLocation");
            w.WriteString("uri", ".");
            w.WriteString("uriBaseId", "%SRCROOT%");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartArray("logicalLocations");
            w.WriteStartObject();
            w.WriteString("name", r.Commit.Sha);
            w.WriteString("fullyQualifiedName", "commit:" + r.Commit.Sha);
            w.WriteString("kind", "object");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartObject("partialFingerprints");
            w.WriteString("bulwarkCommit/v1", $"{r.Commit.Sha}:{CommitVerification.StatusName(r.Status)}");
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        SarifLog.EndRun(w, output);
    }

    private static string RuleId(CommitStatus status) => "commit-" + CommitVerification.StatusName(status);

    private static string RuleText(CommitStatus status) => status switch
    {
        CommitStatus.Unsigned => "Commit is not signed",
        CommitStatus.UnknownKey => "Commit is signed by an unknown key",
        CommitStatus.BadSignature => "Commit signature does not verify",
        CommitStatus.ExpiredKey => "Commit is signed by a key that had expired",
        CommitStatus.RevokedKey => "Commit is signed by a revoked key",
        CommitStatus.SignerNotAllowed => "Commit signer is not allowed for the committer's email",
        _ => "Commit signature cannot be verified by Bulwark",
    };
}
