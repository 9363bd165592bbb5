// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using System.Globalization;

namespace Bulwark.Hygiene.Tests.Secrets.History;

/// A git repository made with the real git in a temporary directory. Each commit is one minute after the last
/// (from 2024-01-02T03:04:05Z) and made by "Test Author &lt;author@bulwark.invalid&gt;" unless told otherwise, so the
/// SHAs are the same on every run. Global and system git configuration are not read; signing is off.
internal sealed class TestRepository : IDisposable
{
    public static readonly DateTimeOffset Start = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
    public const string Author = "Test Author <author@bulwark.invalid>";

    private readonly string _dir;
    private int _commits;

    public TestRepository(bool init = true)
    {
        _dir = Directory.CreateTempSubdirectory("bulwark-history-").FullName;
        Root = Path.Combine(_dir, "repo");
        Directory.CreateDirectory(Root);
        if (init) Git("init", "-q", "-b", "main");
    }

    public string Root { get; }

    /// A directory beside the repository for clones, baselines and reports.
    public string Scratch => _dir;

    /// The author date the next commit gets.
    public DateTimeOffset NextDate => Start.AddMinutes(_commits);

    public void Write(string path, string content)
    {
        var full = Path.Combine(Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    public void WriteBytes(string path, byte[] content)
    {
        var full = Path.Combine(Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
    }

    public void Delete(string path) => File.Delete(Path.Combine(Root, path));

    /// Stages everything and commits it; the new commit's SHA.
    public string Commit(string message, string author = "Test Author", string email = "author@bulwark.invalid")
    {
        Git("add", "-A");
        return CommitStaged(message, author, email);
    }

    /// Commits what is staged (nothing more); the new commit's SHA.
    public string CommitStaged(string message, string author = "Test Author", string email = "author@bulwark.invalid")
    {
        var date = NextDate.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        _commits++;
        RunGit(Root, ["-c", "commit.gpgsign=false", "commit", "-q", "--allow-empty", "-m", message], new Dictionary<string, string>
        {
            ["GIT_AUTHOR_NAME"] = author,
            ["GIT_AUTHOR_EMAIL"] = email,
            ["GIT_AUTHOR_DATE"] = date,
            ["GIT_COMMITTER_DATE"] = date,
        });
        return Git("rev-parse", "HEAD");
    }

    public string Git(params string[] args) => RunGit(Root, args, null);

    public static string RunGit(string directory, string[] args, IReadOnlyDictionary<string, string>? environment)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        psi.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        psi.Environment["GIT_AUTHOR_NAME"] = psi.Environment["GIT_COMMITTER_NAME"] = "Test Author";
        psi.Environment["GIT_AUTHOR_EMAIL"] = psi.Environment["GIT_COMMITTER_EMAIL"] = "author@bulwark.invalid";
        psi.Environment["GIT_AUTHOR_DATE"] = psi.Environment["GIT_COMMITTER_DATE"] = "2024-01-02T03:04:05Z";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"git {string.Join(' ', args)} failed: {stderr}");
        return stdout.Result.Trim();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
