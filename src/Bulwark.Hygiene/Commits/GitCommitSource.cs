// SPDX-License-Identifier: Apache-2.0
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Bulwark.Core;

namespace Bulwark.Hygiene.Commits;

/// Reads the commits of a revision range through the git CLI: `git rev-list` names them, then one
/// `git cat-file --batch` process streams every object. Nothing else of the repository is read.
public static class GitCommitSource
{
    private const int MaxCommitBytes = 64 << 20;

    /// The commits of RANGE (git revision-range syntax: `main..feature`, `A...B`, a single rev for its ancestry;
    /// null means HEAD), or of every ref with <paramref name="all"/>, newest first as `git rev-list` orders them.
    public static async IAsyncEnumerable<GitCommit> ReadAsync(string repository, string? range, bool all,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        if (!Directory.Exists(repository)) throw new InputException($"Cannot read commits in {repository}: no such directory.");
        if (range is not null && (range.Length == 0 || range.StartsWith('-')))
            throw new UsageException($"'{range}' is not a revision range: write e.g. main..feature, HEAD~10..HEAD or a branch name.");
        string[] revArgs = all ? ["rev-list", "--all"] : ["rev-list", "--end-of-options", range ?? "HEAD"];
        var shas = await RevListAsync(repository, revArgs, range ?? (all ? "--all" : "HEAD"), ct).ConfigureAwait(false);
        if (shas.Count == 0) yield break;

        using var process = Start(repository, ["cat-file", "--batch"]);
        var stderrTask = process.StandardError.ReadToEndAsync(ct);
        var writer = Task.Run(async () =>
        {
            var input = process.StandardInput;
            foreach (var sha in shas) await input.WriteAsync(sha + "\n").ConfigureAwait(false);
            input.Close();
        }, ct);
        var stdout = new BufferedStream(process.StandardOutput.BaseStream, 1 << 16);
        var finished = false;
        try
        {
            foreach (var sha in shas)
            {
                ct.ThrowIfCancellationRequested();
                var header = ReadLine(stdout) ?? throw new InputException($"git cat-file ended early in {repository}: {await stderrTask.ConfigureAwait(false)}");
                var parts = header.Split(' ');
                if (parts.Length != 3 || parts[1] != "commit" || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size > MaxCommitBytes)
                    throw new InputException($"Cannot read commit {sha} in {repository}: git cat-file answered '{header}'.");
                var raw = new byte[size];
                await stdout.ReadExactlyAsync(raw, ct).ConfigureAwait(false);
                if (stdout.ReadByte() != '\n') throw new InputException($"Cannot read commit {sha} in {repository}: malformed git cat-file output.");
                yield return GitCommit.Parse(parts[0], raw);
            }
            await writer.ConfigureAwait(false);
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
            finished = true;
        }
        finally
        {
            // the caller stopped early (an error, Ctrl-C): do not leave git running
            if (!finished && !process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    private static async Task<List<string>> RevListAsync(string repository, string[] args, string shown, CancellationToken ct)
    {
        using var process = Start(repository, args);
        process.StandardInput.Close();
        var stderrTask = process.StandardError.ReadToEndAsync(ct);
        var shas = new List<string>();
        while (await process.StandardOutput.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
            if (line.Length > 0) shas.Add(line.Trim());
        await process.WaitForExitAsync(ct).ConfigureAwait(false);
        var stderr = (await stderrTask.ConfigureAwait(false)).Trim();
        if (process.ExitCode != 0)
        {
            if (stderr.Contains("not a git repository", StringComparison.OrdinalIgnoreCase))
                throw new InputException($"Cannot read commits: {repository} is not a git repository. Give the repository with --repo PATH.");
            var first = stderr.Split('\n')[0];
            throw new InputException($"Cannot read the commits of '{shown}' in {repository}: {first} Check the range (e.g. main..feature) and that the revisions exist.");
        }
        return shas;
    }

    private static Process Start(string repository, string[] args)
    {
        var info = new ProcessStartInfo("git")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        info.ArgumentList.Add("-C");
        info.ArgumentList.Add(repository);
        foreach (var a in args) info.ArgumentList.Add(a);
        // the repository's own config must not run programs or change output for us
        info.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        info.Environment["GIT_TERMINAL_PROMPT"] = "0";
        info.Environment["LC_ALL"] = "C";
        try
        {
            return Process.Start(info) ?? throw new InputException("Cannot start git: install git and put it on PATH.");
        }
        catch (Win32Exception e)
        {
            throw new InputException($"Cannot start git ({e.Message}): install git and put it on PATH.", e);
        }
    }

    private static string? ReadLine(Stream s)
    {
        var bytes = new List<byte>(64);
        while (true)
        {
            var b = s.ReadByte();
            if (b < 0) return bytes.Count == 0 ? null : Encoding.UTF8.GetString([.. bytes]);
            if (b == '\n') return Encoding.UTF8.GetString([.. bytes]);
            if (bytes.Count > 4096) throw new InputException("git cat-file sent an over-long header line.");
            bytes.Add((byte)b);
        }
    }
}
