// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using System.Text.RegularExpressions;
using Bulwark.Core;

namespace Bulwark.Hygiene.Workflows.Fix;

/// Resolves an action's tag or branch to the commit it names today with `git ls-remote`, against
/// https://github.com/OWNER/REPO or, with a mirror directory, against DIR/OWNER/REPO.git (bare repositories).
public sealed partial class GitRefResolver
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly string? _mirrors;
    private readonly Dictionary<(string, string, string), string> _cache = [];

    /// <paramref name="mirrors"/>: a directory of bare repositories named OWNER/REPO.git, or null for GitHub.
    public GitRefResolver(string? mirrors = null)
    {
        if (mirrors is not null && !Directory.Exists(mirrors))
            throw new UsageException($"--resolve-from {mirrors}: no such directory. Give a directory of bare repositories named OWNER/REPO.git.");
        _mirrors = mirrors is null ? null : Path.GetFullPath(mirrors);
    }

    /// The remote `git ls-remote` asks for owner/repo.
    public string Remote(string owner, string repo) =>
        _mirrors is null ? $"https://github.com/{owner}/{repo}" : Path.Combine(_mirrors, owner, repo + ".git");

    /// The full commit SHA <paramref name="reference"/> names in owner/repo: an annotated tag peeled to its commit,
    /// a lightweight tag, or else a branch. Throws <see cref="InputException"/> with the reason when it cannot.
    public string Resolve(string owner, string repo, string reference)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(repo);
        ArgumentNullException.ThrowIfNull(reference);
        if (!Name().IsMatch(owner) || !Name().IsMatch(repo) || owner is "." or ".." || repo is "." or "..")
            throw new InputException($"'{owner}/{repo}' is not a GitHub repository name.");
        // a ref starting with '-' would be read as an option by git; '..' and ':' are not valid in ref names
        if (!RefName().IsMatch(reference) || reference.Contains("..", StringComparison.Ordinal))
            throw new InputException($"'{reference}' is not a tag or branch name git accepts.");
        if (_cache.TryGetValue((owner, repo, reference), out var known)) return known;

        var remote = Remote(owner, repo);
        if (_mirrors is not null && !Directory.Exists(remote))
            throw new InputException($"no mirror {remote}.");
        var (exit, stdout, stderr) = Git(["ls-remote", remote, $"refs/tags/{reference}", $"refs/tags/{reference}^{{}}", $"refs/heads/{reference}"]);
        if (exit != 0)
            throw new InputException($"git ls-remote {remote} failed (exit {exit}): {stderr.Trim()}");
        var refs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab == 40 && Sha().IsMatch(line[..40])) refs[line[(tab + 1)..].TrimEnd('\r')] = line[..40];
        }
        // the peeled entry names the commit an annotated tag points to; a lightweight tag names it directly
        var sha = refs.GetValueOrDefault($"refs/tags/{reference}^{{}}")
            ?? refs.GetValueOrDefault($"refs/tags/{reference}")
            ?? refs.GetValueOrDefault($"refs/heads/{reference}")
            ?? throw new InputException($"{owner}/{repo} has no tag or branch '{reference}'.");
        _cache[(owner, repo, reference)] = sha;
        return sha;
    }

    private static (int Exit, string Stdout, string Stderr) Git(string[] arguments)
    {
        var psi = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        psi.Environment["GIT_TERMINAL_PROMPT"] = "0"; // never wait for a password on a private or missing repository
        psi.Environment["LC_ALL"] = "C";
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InputException("git did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InputException($"cannot run git ({e.Message}); install git to resolve tags.", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Limit))
            {
                process.Kill(entireProcessTree: true);
                throw new InputException($"git ls-remote did not finish within {Limit.TotalSeconds:N0} s.");
            }
            return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,100}$")]
    private static partial Regex Name();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_./+-]{0,199}$")]
    private static partial Regex RefName();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex Sha();
}
