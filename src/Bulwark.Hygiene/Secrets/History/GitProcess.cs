// SPDX-License-Identifier: Apache-2.0
using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Bulwark.Core;

namespace Bulwark.Hygiene.Secrets.History;

/// One running `git -C REPO …` whose stdout is read as a stream (and stdin written, for `cat-file --batch`). Its
/// stderr is drained in the background (keeping the first 4 KiB for error messages) so git never blocks on it.
internal sealed class GitProcess : IDisposable
{
    private const int StderrKept = 4096;

    private readonly Process _process;
    private readonly Task<string> _stderr;

    private GitProcess(Process process)
    {
        _process = process;
        _stderr = Task.Run(() => DrainAsync(process.StandardError));
    }

    public string Command { get; private init; } = "";
    public Stream Stdout => _process.StandardOutput.BaseStream;
    public Stream Stdin => _process.StandardInput.BaseStream;

    public static GitProcess Start(string repository, IReadOnlyList<string> args, bool writesStdin = false)
    {
        var psi = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = writesStdin,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-C");
        psi.ArgumentList.Add(repository);
        // user configuration that would change what log prints (signatures, pager, colour) is turned off
        foreach (var a in (string[])["-c", "log.showSignature=false", "-c", "core.pager=cat", "-c", "color.ui=false"]) psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["GIT_TERMINAL_PROMPT"] = "0";
        psi.Environment["GIT_OPTIONAL_LOCKS"] = "0"; // a scan never writes to the repository (no index refresh)
        // a partial clone's absent blobs are reported as missing rather than fetched one request at a time (git 2.44+)
        psi.Environment["GIT_NO_LAZY_FETCH"] = "1";
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InputException("Cannot run git: the process did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InputException($"Cannot run git ({e.Message}): history scans read the repository through the git CLI. Install git and put it on PATH.", e);
        }
        return new GitProcess(process) { Command = "git " + string.Join(' ', args) };
    }

    /// Runs git to the end and returns its stdout (for short answers such as rev-parse); null when git exits non-zero,
    /// with its stderr in <paramref name="error"/>.
    public static string? Run(string repository, IReadOnlyList<string> args, out string error)
    {
        using var git = Start(repository, args);
        var output = new StreamReader(git.Stdout, Encoding.UTF8).ReadToEnd();
        var code = git.WaitForExit(out error);
        return code == 0 ? output : null;
    }

    public void CloseStdin() => _process.StandardInput.Close();

    /// Waits for git to exit; its exit code, and what it wrote to stderr.
    public int WaitForExit(out string stderr)
    {
        _process.WaitForExit();
        stderr = _stderr.GetAwaiter().GetResult().Trim();
        return _process.ExitCode;
    }

    /// Waits for git and throws <see cref="InputException"/> naming <paramref name="what"/> when it failed.
    public void EnsureSuccess(string what)
    {
        if (WaitForExit(out var stderr) != 0)
            throw new InputException($"Cannot {what}: {Command} failed: {(stderr.Length > 0 ? stderr : $"exit code {_process.ExitCode}")}");
    }

    /// Stops git if it is still running (a scan that failed or was cancelled).
    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // exited (or was disposed) between the check and the kill: nothing left to stop
        }
    }

    public void Dispose()
    {
        Kill();
        if (_process.StartInfo.RedirectStandardInput)
        {
            try
            {
                _process.StandardInput.Close();
            }
            catch (IOException)
            {
                // git is gone (killed after a failure): its stdin is a broken pipe with nothing left to say
            }
            catch (ObjectDisposedException)
            {
                // already closed by CloseStdin
            }
        }
        _process.Dispose();
    }

    private static async Task<string> DrainAsync(StreamReader stderr)
    {
        var kept = new StringBuilder();
        var buffer = new char[4096];
        int n;
        while ((n = await stderr.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            if (kept.Length < StderrKept) kept.Append(buffer, 0, Math.Min(n, StderrKept - kept.Length));
        return kept.ToString();
    }
}
