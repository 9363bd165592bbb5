// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.GitHubActions;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;
using Bulwark.Hygiene.Findings;
using Bulwark.Hygiene.Workflows.GitHubActions;
using Bulwark.Hygiene.Workflows.GitLab;

namespace Bulwark.Hygiene.Workflows;

/// Audits the CI definitions of a source tree: GitHub Actions workflows and actions, and GitLab CI files.
public static class WorkflowAudit
{
    /// The kinds of CI file this audit reads.
    public enum FileKind
    {
        None,
        GitHubWorkflow,
        GitHubAction,
        GitLabCi,
    }

    private static readonly GitHubActionsCataloger Cataloger = new();

    /// What a relative path ('/'-separated) is, by its path alone.
    public static FileKind Classify(string relativePath)
    {
        var path = new FilePath(relativePath);
        if (path.FileName == ".gitlab-ci.yml" && !path.HasDirectorySegment("node_modules")) return FileKind.GitLabCi;
        // the SBOM cataloger's path test: workflows directly in .github/workflows and action.yml anywhere
        if (!Cataloger.Wants(path)) return FileKind.None;
        return path.FileName is "action.yml" or "action.yaml" ? FileKind.GitHubAction : FileKind.GitHubWorkflow;
    }

    /// Audits <paramref name="root"/>: a directory (walked without following symbolic links, `.git` skipped) or a
    /// single CI file. Throws <see cref="InputException"/> when the path does not exist.
    public static AuditReport Run(string root, CancellationToken ct = default)
    {
        var full = Path.GetFullPath(root);
        var files = new List<(string Relative, string Full, FileKind Kind)>();
        var unreadable = new List<UnreadableFile>();
        if (File.Exists(full))
        {
            var name = Path.GetFileName(full);
            var kind = Classify(name) is var k and not FileKind.None ? k
                : name is "action.yml" or "action.yaml" ? FileKind.GitHubAction
                : name.EndsWith(".gitlab-ci.yml", StringComparison.Ordinal) ? FileKind.GitLabCi
                : FileKind.GitHubWorkflow; // a single file named on the command line: audit it as a workflow
            files.Add((name, full, kind));
        }
        else if (Directory.Exists(full))
            Walk(full, "", files, unreadable, ct);
        else
            throw new InputException($"Cannot audit {root}: no such file or directory. Give a repository checkout or a workflow file.");

        files.Sort((a, b) => string.CompareOrdinal(a.Relative, b.Relative));
        var findings = new List<Finding>();
        foreach (var (relative, path, kind) in files)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                var file = YamlFile.Load(ReadBounded(path));
                AuditFile(relative, kind, file, findings);
            }
            catch (Exception e) when (e is InputException or IOException or UnauthorizedAccessException)
            {
                unreadable.Add(new UnreadableFile(relative, e.Message));
            }
        }
        // a step reused through a YAML alias is one node met twice: one finding
        var distinct = findings.Distinct().ToList();
        distinct.Sort(Finding.Compare);
        unreadable.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return new AuditReport(full, [.. files.Select(f => f.Relative)], distinct, unreadable);
    }

    /// Applies the rules for <paramref name="kind"/> to one loaded file.
    public static void AuditFile(string relativePath, FileKind kind, YamlFile file, List<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(findings);
        switch (kind)
        {
            case FileKind.GitHubWorkflow: GitHubActionsAuditor.AuditWorkflow(relativePath, file, findings); break;
            case FileKind.GitHubAction: GitHubActionsAuditor.AuditAction(relativePath, file, findings); break;
            case FileKind.GitLabCi: GitLabCiAuditor.Audit(relativePath, file, findings); break;
            case FileKind.None: break;
        }
    }

    /// Reads at most one byte past the limit, so a huge file costs nothing before it is refused.
    internal static byte[] ReadBounded(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var buffer = new byte[Math.Min(stream.Length, YamlFile.MaxBytes + 1L)];
        var n = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (n > YamlFile.MaxBytes || stream.Length > YamlFile.MaxBytes)
            throw new InputException($"{stream.Length:N0} bytes, over the {YamlFile.MaxBytes:N0}-byte limit for a CI file; not audited.");
        return n == buffer.Length ? buffer : buffer[..n];
    }

    private static void Walk(string dir, string relative, List<(string, string, FileKind)> files, List<UnreadableFile> unreadable, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        FileSystemInfo[] entries;
        try
        {
            entries = new DirectoryInfo(dir).GetFileSystemInfos();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // a directory we may not list: say so, and audit the rest of the tree
            unreadable.Add(new UnreadableFile(relative.Length == 0 ? "." : relative, $"cannot list the directory ({e.Message})."));
            return;
        }
        foreach (var entry in entries)
        {
            // never leave the tree through a link, and never read a link's target as if it were here
            if (entry.LinkTarget is not null) continue;
            var rel = relative.Length == 0 ? entry.Name : $"{relative}/{entry.Name}";
            if (entry is DirectoryInfo)
            {
                if (entry.Name is ".git" or "node_modules") continue;
                Walk(entry.FullName, rel, files, unreadable, ct);
            }
            else if (Classify(rel) is var kind and not FileKind.None)
                files.Add((rel, entry.FullName, kind));
        }
    }
}
