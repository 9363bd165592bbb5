// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;

namespace Bulwark.Hygiene.Workflows.Tests.Fix;

/// A directory of bare repositories named OWNER/REPO.git, made with the real git: commits, lightweight and annotated
/// tags, branches. Dates and identities are fixed, so the SHAs are the same on every run.
internal sealed class BareRepos : IDisposable
{
    private readonly TempTree _tree = new();

    public string Root => Path.Combine(_tree.Root, "mirrors");

    /// Creates OWNER/REPO.git with one commit per message on main, then runs each (kind, name, commit index)
    /// tag: "light" for a lightweight tag, "annotated" for an annotated one, "branch" for a branch.
    public void Create(string repository, int commits, params (string Kind, string Name, int Commit)[] refs)
    {
        var work = Path.Combine(_tree.Root, "work", repository);
        Directory.CreateDirectory(work);
        Git(work, "init", "-q", "-b", "main");
        var shas = new List<string>();
        for (var i = 0; i < commits; i++)
        {
            Git(work, "commit", "-q", "--allow-empty", "-m", $"{repository} commit {i + 1}");
            shas.Add(Git(work, "rev-parse", "HEAD"));
        }
        foreach (var (kind, name, commit) in refs)
        {
            switch (kind)
            {
                case "light": Git(work, "tag", name, shas[commit]); break;
                case "annotated": Git(work, "tag", "-a", name, "-m", $"release {name}", shas[commit]); break;
                case "branch": Git(work, "branch", "-f", name, shas[commit]); break;
                default: throw new ArgumentException(kind, nameof(refs));
            }
        }
        var bare = Path.Combine(Root, repository + ".git");
        Directory.CreateDirectory(bare);
        Git(bare, "init", "-q", "--bare");
        Git(work, "push", "-q", bare, "refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*");
    }

    /// `git rev-parse REV` in OWNER/REPO.git.
    public string RevParse(string repository, string rev) => Git(Path.Combine(Root, repository + ".git"), "rev-parse", rev);

    public static string Git(string directory, params string[] arguments)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        psi.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        psi.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        psi.Environment["GIT_AUTHOR_NAME"] = psi.Environment["GIT_COMMITTER_NAME"] = "Bulwark Test";
        psi.Environment["GIT_AUTHOR_EMAIL"] = psi.Environment["GIT_COMMITTER_EMAIL"] = "test@bulwark.invalid";
        psi.Environment["GIT_AUTHOR_DATE"] = psi.Environment["GIT_COMMITTER_DATE"] = "2024-01-02T03:04:05Z";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"git {string.Join(' ', arguments)} failed: {stderr}");
        return stdout.Result.Trim();
    }

    public void Dispose() => _tree.Dispose();
}
