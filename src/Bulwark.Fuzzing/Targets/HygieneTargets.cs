// SPDX-License-Identifier: Apache-2.0
using System.Text;
using System.Text.RegularExpressions;
using Bulwark.Fuzzing.Mutation;
using Bulwark.Hygiene.Secrets;
using Bulwark.Hygiene.Workflows;

namespace Bulwark.Fuzzing.Targets;

/// CI files (src/Bulwark.Hygiene.Workflows): loaded with the bounded YAML reader and audited as one kind of file.
/// Allowed: <see cref="Bulwark.Core.InputException"/>, which `ci audit` records as an unreadable file.
public sealed class WorkflowTarget(string name, WorkflowAudit.FileKind kind, string path) : FuzzTarget
{
    public static IEnumerable<FuzzTarget> All() =>
    [
        new WorkflowTarget("workflows.github", WorkflowAudit.FileKind.GitHubWorkflow, ".github/workflows/ci.yml"),
        new WorkflowTarget("workflows.github-action", WorkflowAudit.FileKind.GitHubAction, "action.yml"),
        new WorkflowTarget("workflows.gitlab", WorkflowAudit.FileKind.GitLabCi, ".gitlab-ci.yml"),
    ];

    public override string Name => name;
    public override InputFormat Format => InputFormat.Yaml;

    public override bool IsSeed(string relativePath) =>
        (relativePath.EndsWith(".yml", StringComparison.Ordinal) || relativePath.EndsWith(".yaml", StringComparison.Ordinal))
        && (relativePath.Contains("Workflows.Tests", StringComparison.Ordinal) || relativePath.Contains("GitHubActions", StringComparison.Ordinal));

    public override IReadOnlyList<string> Dictionary { get; } =
        ["on:", "pull_request_target", "workflow_run", "issue_comment", "jobs:", "steps:", "uses:", "run:", "with:", "env:", "permissions:",
         "write-all", "contents: write", "${{ github.event.pull_request.head.ref }}", "${{ github.head_ref }}", "actions/checkout@v4",
         "actions/checkout@" + new string('a', 40), "docker://alpine:3", "secrets: inherit", "runs:", "using: composite", "image:",
         "script:", "include:", "rules:", "variables:", "$CI_COMMIT_REF_NAME", "<<: *defaults", "&defaults"];

    public override void Run(byte[] input)
    {
        var file = YamlFile.Load(input);
        WorkflowAudit.AuditFile(path, kind, file, []);
    }
}

/// The secret rules on arbitrary text (src/Bulwark.Hygiene/Secrets). Nothing is allowed to throw: a rule that
/// times out (<see cref="RegexMatchTimeoutException"/>) is a finding too, since the issue asks every rule to stay
/// bounded on adversarial input.
public sealed class SecretsTarget : FuzzTarget
{
    private static readonly SecretScanner Scanner = new(SecretRules.BuiltIn);

    public override string Name => "secrets.rules";
    public override InputFormat Format => InputFormat.Text;
    public override int MaxInputSize => 512 << 10;

    public override bool IsSeed(string relativePath) => relativePath.StartsWith("Bulwark.Hygiene.Tests/Secrets/", StringComparison.Ordinal);

    /// Shapes of real credentials, assembled here so no file in the repository looks like one.
    public override IEnumerable<byte[]> ExtraSeeds() =>
        new[]
        {
            "aws_access_key_id = " + "AKIA" + "Z7QW3RT5YU8IOP2A" + "\naws_secret_access_key = " + new string('k', 40),
            "token: " + "ghp_" + new string('a', 36),
            "GITLAB=" + "glpat-" + new string('x', 20),
            "slack " + "xoxb-" + "1234567890-1234567890123-" + new string('z', 24),
            "-----BEGIN " + "RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA" + new string('Q', 64) + "\n-----END RSA PRIVATE KEY-----\n",
            "password = \"" + "hunter2hunter2" + "\"  # bulwark:allow",
            "stripe " + "sk_live_" + new string('4', 24),
            "npm_" + new string('n', 36),
        }.Select(Encoding.UTF8.GetBytes);

    public override IReadOnlyList<string> Dictionary { get; } =
        SecretRules.BuiltIn.SelectMany(r => r.Keywords).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    public override void Run(byte[] input) => _ = Scanner.Scan("fuzz.txt", Encoding.UTF8.GetString(input));

    public override bool IsExpected(Exception e) => false;
}
