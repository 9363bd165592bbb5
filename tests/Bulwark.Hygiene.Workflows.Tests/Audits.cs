// SPDX-License-Identifier: Apache-2.0
using Bulwark.Testing;

namespace Bulwark.Hygiene.Workflows.Tests;

/// Runs the rules over one fixture and renders each finding as "line:column RULE", in report order.
internal static class Audits
{
    public static string TestData(string folder, string name) =>
        Path.Combine(TestPaths.Project("Bulwark.Hygiene.Workflows.Tests"), folder, "testdata", name);

    public static List<Finding> Findings(string folder, string name, WorkflowAudit.FileKind kind)
    {
        var file = YamlFile.Load(File.ReadAllBytes(TestData(folder, name)));
        var findings = new List<Finding>();
        WorkflowAudit.AuditFile(name, kind, file, findings);
        var distinct = findings.Distinct().ToList();
        distinct.Sort(Finding.Compare);
        return distinct;
    }

    public static string[] Positions(string folder, string name, WorkflowAudit.FileKind kind) =>
        [.. Findings(folder, name, kind).Select(f => $"{f.Line}:{f.Column} {f.Rule.Id}")];
}
