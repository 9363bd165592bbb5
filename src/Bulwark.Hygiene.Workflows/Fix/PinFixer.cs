// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Core;
using Bulwark.Hygiene.Workflows.GitHubActions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Bulwark.Hygiene.Workflows.Fix;

/// A `uses:` rewritten to a commit SHA.
public sealed record PinnedAction(string Path, int Line, int Column, string Uses, string Sha, bool TagKeptAsComment);

/// A `uses:` left as it was, and why.
public sealed record UnpinnedAction(string Path, int Line, int Column, string Uses, string Reason);

/// What `--fix` did.
public sealed record FixResult(IReadOnlyList<PinnedAction> Pinned, IReadOnlyList<UnpinnedAction> Unresolved);

/// Rewrites `uses: owner/repo@tag` to `uses: owner/repo@&lt;sha&gt; # tag` in workflow and action files. Only the
/// bytes of the ref (and an inserted comment) change: the edit is made in the file's bytes at the scalar's recorded
/// position, so comments, quoting, indentation, line endings and everything else stay byte for byte, and the file is
/// replaced atomically.
public static class PinFixer
{
    public static FixResult Run(AuditReport report, Func<ActionReference, string> resolve, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(resolve);
        var pinned = new List<PinnedAction>();
        var unresolved = new List<UnpinnedAction>();
        var unreadable = report.Unreadable.Select(u => u.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var relative in report.Files)
        {
            ct.ThrowIfCancellationRequested();
            var kind = WorkflowAudit.Classify(relative);
            if (unreadable.Contains(relative) || kind is not (WorkflowAudit.FileKind.GitHubWorkflow or WorkflowAudit.FileKind.GitHubAction)) continue;
            var path = File.Exists(report.Root) ? report.Root : Path.Combine(report.Root, relative);
            var file = YamlFile.Load(WorkflowAudit.ReadBounded(path));
            var edited = Edit(relative, file, resolve, pinned, unresolved);
            if (edited is not null) WriteAtomically(path, edited);
        }
        return new FixResult(pinned, unresolved);
    }

    /// The file's new bytes, or null when nothing changed.
    internal static byte[]? Edit(string relative, YamlFile file, Func<ActionReference, string> resolve, List<PinnedAction> pinned, List<UnpinnedAction> unresolved)
    {
        ArgumentNullException.ThrowIfNull(file);
        var edits = new List<(int Start, int End, string Replacement)>();
        foreach (var uses in UsesNodes(file.Root))
        {
            if (ActionReference.TryParse(uses.Value) is not { IsPinned: false } action) continue;
            var (line, column) = ((int)uses.Start.Line, (int)uses.Start.Column);
            var source = file.Source(uses);
            var refStart = RefOffset(uses, source, action.Ref);
            if (refStart < 0)
            {
                unresolved.Add(new UnpinnedAction(relative, line, column, uses.Value!, "the value is written in a form this fixer does not rewrite (escapes or a block scalar); pin it by hand."));
                continue;
            }
            string sha;
            try
            {
                sha = resolve(action);
            }
            catch (InputException e)
            {
                unresolved.Add(new UnpinnedAction(relative, line, column, uses.Value!, e.Message));
                continue;
            }
            var start = (int)uses.Start.Index + refStart;
            edits.Add((start, start + action.Ref.Length, sha));
            // keep the tag as a comment when nothing but blanks or a comment follows the value on its line
            var end = (int)uses.End.Index;
            var lineEnd = file.Text.IndexOf('\n', end);
            var rest = file.Text[end..(lineEnd < 0 ? file.Text.Length : lineEnd)].Trim();
            var comment = rest.Length == 0 || rest.StartsWith('#');
            if (comment) edits.Add((end, end, $" # {action.Ref}"));
            pinned.Add(new PinnedAction(relative, line, column, uses.Value!, sha, comment));
        }
        if (edits.Count == 0) return null;

        // character offsets in the text become byte offsets in the file (after any byte-order mark)
        var output = new MemoryStream(file.Bytes.Length + edits.Count * 48);
        output.Write(file.Bytes, 0, file.Preamble);
        var at = file.Preamble;
        var charAt = 0;
        foreach (var (start, end, replacement) in edits.OrderBy(e => e.Start).ThenBy(e => e.End))
        {
            var byteStart = at + Encoding.UTF8.GetByteCount(file.Text.AsSpan(charAt, start - charAt));
            output.Write(file.Bytes, at, byteStart - at);
            output.Write(Encoding.UTF8.GetBytes(replacement));
            at = byteStart + Encoding.UTF8.GetByteCount(file.Text.AsSpan(start, end - start));
            charAt = end;
        }
        output.Write(file.Bytes, at, file.Bytes.Length - at);
        return output.ToArray();
    }

    /// Where the ref starts in the scalar's source, or -1 when the source is not the plain text of the value.
    private static int RefOffset(YamlScalarNode uses, string source, string reference)
    {
        var inner = uses.Style switch
        {
            ScalarStyle.Plain => source,
            ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted when source.Length >= 2 => source[1..^1],
            _ => null,
        };
        if (inner is null || inner != uses.Value) return -1; // an escape or line fold: the value is not written verbatim
        var offset = uses.Style == ScalarStyle.Plain ? 0 : 1;
        return inner.EndsWith("@" + reference, StringComparison.Ordinal) ? offset + inner.Length - reference.Length : -1;
    }

    /// Every `uses:` of a workflow's jobs and steps and of an action's composite steps, in file order.
    private static IEnumerable<YamlScalarNode> UsesNodes(YamlNode? root)
    {
        var found = new List<YamlScalarNode>();
        void Steps(YamlNode? steps)
        {
            foreach (var step in steps.Items())
                if (step.Child("uses") is YamlScalarNode u) found.Add(u);
        }
        foreach (var (_, job) in root.Child("jobs").Entries())
        {
            if (job.Child("uses") is YamlScalarNode u) found.Add(u);
            Steps(job.Child("steps"));
        }
        Steps(root.Child("runs").Child("steps"));
        // an anchored step reused by an alias is the same node: rewrite it once
        return found.Distinct(ReferenceEqualityComparer.Instance).Cast<YamlScalarNode>().OrderBy(n => n.Start.Index);
    }

    private static void WriteAtomically(string path, byte[] content)
    {
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.bulwark-fix.tmp");
        try
        {
            File.WriteAllBytes(temp, content);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, File.GetUnixFileMode(full));
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
