// SPDX-License-Identifier: Apache-2.0
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.RegularExpressions;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Hygiene.Secrets.History;

/// The result of scanning git objects: findings (each at the commit that introduced it), what was left out, and counts.
public sealed record HistoryScanResult(
    ImmutableArray<SecretFinding> Findings,
    ImmutableArray<SkippedFile> Skipped,
    int Commits,
    int BlobsScanned,
    int BinaryBlobs,
    long BytesScanned);

/// Scans what git has stored rather than the working tree: every commit reachable from all refs (optionally only those
/// not reachable from a revision), or the staged content of the index. The whole repository is read whatever
/// subdirectory of it the path names, and paths are relative to its top (`--no-relative` overrides diff.relative).
/// <remarks>
/// Three kinds of work run at once, so the scan streams and never holds more than a few blobs:
/// <code>
/// git log --raw -z ──► this thread: new (blob, path) pairs ──► git cat-file --batch (one process, fed blob ids)
///                                                                     │ stdout
///                                        reader thread ◄──────────────┘ ──► bounded queue ──► N scanner threads
/// </code>
/// `git log --date-order --reverse` lists parents before children, oldest first, each commit as its change against its
/// first parent (roots and shallow boundaries against the empty tree). Every (path, blob) in any listed commit is
/// either such a change or was already in the first parent, so the first time a pair is listed is the commit that
/// introduced it. A blob is read and scanned once, at its first path, however many commits and paths hold it; its
/// findings are then placed at each path. A secret (rule, path, secret: the fingerprint) that lives on through later
/// edits of its file is reported once, at the commit that first introduced it.
/// </remarks>
public static class HistoryScan
{
    private const string LogFormat = "--format=%x01%H%x00%an <%ae>%x00%aI";

    /// Checks that <paramref name="path"/> is in a git repository (work tree or bare) that git can read.
    public static void EnsureRepository(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!Directory.Exists(path)) throw new InputException($"Cannot scan the history of {path}: no such directory.");
        if (GitProcess.Run(path, ["rev-parse", "--git-dir"], out var error) is null)
            throw new InputException($"Cannot scan the history of {path}: not a git repository ({FirstLine(error)}). " +
                                     "Run it in a clone, or leave out --history/--since/--staged to scan the files.");
    }

    /// Every commit reachable from any ref (branches, tags, remotes, stash) and HEAD; with <paramref name="since"/>, only
    /// those not reachable from it (`git log --all ^SINCE`).
    public static HistoryScanResult ScanCommits(string repository, string? since, SecretScanner scanner, SecretAllowlist allow,
        SecretScanOptions options, IReadOnlyList<Glob>? excludes = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        EnsureRepository(repository);
        List<string> args = ["log", "--all"];
        if (since is not null) args.Add("^" + ResolveCommit(repository, since));
        args.AddRange(["--date-order", "--reverse", "--root", "--raw", "-z", "--no-renames", "--no-abbrev", "--diff-merges=first-parent",
            "--no-relative", "--no-color", "--no-ext-diff", "--no-textconv", LogFormat]);
        return Run(repository, args, $"list the history of {repository}", scanner, allow, options, excludes ?? [], ct);
    }

    /// The staged content (index) of every file that differs from HEAD, as a pre-commit hook sees it (git's environment is
    /// inherited, so the temporary index of `git commit -a` or `git commit PATH`, named by GIT_INDEX_FILE, is the one read).
    public static HistoryScanResult ScanStaged(string repository, SecretScanner scanner, SecretAllowlist allow,
        SecretScanOptions options, IReadOnlyList<Glob>? excludes = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        EnsureRepository(repository);
        // against HEAD; on an unborn branch git compares with the empty tree, so every staged file is listed
        string[] args = ["diff", "--cached", "--raw", "-z", "--no-renames", "--no-abbrev", "--no-relative", "--no-color", "--no-ext-diff", "--no-textconv"];
        return Run(repository, args, $"list the staged files of {repository}", scanner, allow, options, excludes ?? [], ct);
    }

    /// The commit id <paramref name="revision"/> names, or <see cref="UsageException"/> when it names none.
    public static string ResolveCommit(string repository, string revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        if (revision.Length == 0 || revision.StartsWith('-') || revision.Contains('\0', StringComparison.Ordinal))
            throw new UsageException($"--since '{revision}' is not a revision: name a commit, branch or tag (e.g. --since origin/main).");
        var sha = GitProcess.Run(repository, ["rev-parse", "--verify", "--quiet", revision + "^{commit}"], out _)?.Trim();
        if (string.IsNullOrEmpty(sha))
            throw new UsageException($"--since '{revision}' does not name a commit in {repository}: use a commit id, branch or tag that exists (git rev-parse --verify '{revision}').");
        return sha;
    }

    private sealed record BlobRequest(string Blob, string Path, string? Commit);

    private sealed record BlobContent(BlobRequest Request, byte[] Buffer, int Length);

    /// Counters and results shared by the threads of one scan.
    private sealed class ScanState
    {
        public readonly ConcurrentQueue<BlobRequest> Requested = new();
        public readonly ConcurrentDictionary<string, IReadOnlyList<SecretFinding>> FindingsByBlob = new(StringComparer.Ordinal);
        public readonly ConcurrentBag<SkippedFile> Skipped = [];
        public required ByteBudget InFlight { get; init; }
        public int Scanned;
        public int Binary;
        public long Bytes;
        private Exception? _failure;

        public Exception? Failure => Volatile.Read(ref _failure);

        public void Fail(Exception e) => Interlocked.CompareExchange(ref _failure, e, null);
    }

    private static HistoryScanResult Run(string repository, IReadOnlyList<string> listArgs, string what, SecretScanner scanner,
        SecretAllowlist allow, SecretScanOptions options, IReadOnlyList<Glob> excludes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scanner);
        ArgumentNullException.ThrowIfNull(allow);
        ArgumentNullException.ThrowIfNull(options);
        var parallelism = Math.Max(1, options.Parallelism);
        // blob bytes read but not yet scanned: at most 128 MiB (or one blob at the size limit), however many cores
        var state = new ScanState { InFlight = new ByteBudget(Math.Max(128L << 20, options.MaxFileSize)) };
        var commits = new List<CommitOrigin>();
        var pairs = new HashSet<(string Blob, string Path)>();
        var occurrences = new Dictionary<string, List<(string Path, int Commit)>>(StringComparer.Ordinal);
        int commitCount;

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var list = GitProcess.Start(repository, listArgs);
        using var catFile = GitProcess.Start(repository, ["cat-file", "--batch", "--buffer"], writesStdin: true);
        using var stop = cts.Token.Register(() =>
        {
            list.Kill();
            catFile.Kill();
        });
        using var queue = new BlockingCollection<BlobContent>(boundedCapacity: parallelism * 2);
        var reader = Task.Factory.StartNew(() => ReadBlobs(catFile.Stdout, queue, state, options.MaxFileSize, cts.Token),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var workers = Enumerable.Range(0, parallelism).Select(_ => Task.Factory.StartNew(() => ScanBlobs(queue, scanner, state, cts.Token),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        try
        {
            // not disposed here: closing the pipe is CloseStdin's (the process's own writer would otherwise flush a closed pipe)
            var requests = new BufferedStream(catFile.Stdin, 1 << 16);
            var line = new byte[128];
            commitCount = new RawChanges(list.Stdout).Read(commits.Add, change =>
            {
                if (allow.AllowsPath(change.Path) || excludes.Any(g => g.IsMatch(change.Path))) return;
                if (!pairs.Add((change.Blob, change.Path))) return;
                if (!occurrences.TryGetValue(change.Blob, out var at))
                {
                    occurrences[change.Blob] = at = [];
                    // queued before it is asked for, so the reader always finds the request it is answering
                    state.Requested.Enqueue(new BlobRequest(change.Blob, change.Path, change.Commit >= 0 ? commits[change.Commit].Sha : null));
                    var n = Encoding.ASCII.GetBytes(change.Blob, line);
                    line[n] = (byte)'\n';
                    requests.Write(line, 0, n + 1);
                }
                at.Add((change.Path, change.Commit));
            }, cts.Token);
            list.EnsureSuccess(what);
            requests.Flush();
            catFile.CloseStdin();
            Task.WhenAll([reader, .. workers]).GetAwaiter().GetResult();
            catFile.EnsureSuccess($"read objects from {repository}");
        }
        catch (Exception) when (state.Failure is not null && !ct.IsCancellationRequested)
        {
            // a reader or scanner thread failed first and stopped git: that failure is the one to report
            ExceptionDispatchInfo.Capture(state.Failure).Throw();
            throw;
        }
        finally
        {
            cts.Cancel();
        }

        return new HistoryScanResult(
            Place(state.FindingsByBlob, occurrences, commits),
            [.. state.Skipped.OrderBy(s => s.Path, StringComparer.Ordinal).ThenBy(s => s.Reason, StringComparer.Ordinal)],
            commitCount, state.Scanned, state.Binary, state.Bytes);
    }

    /// Each blob's findings at every path that held it; for each fingerprint only those of its earliest commit.
    private static ImmutableArray<SecretFinding> Place(ConcurrentDictionary<string, IReadOnlyList<SecretFinding>> findingsByBlob,
        Dictionary<string, List<(string Path, int Commit)>> occurrences, List<CommitOrigin> commits)
    {
        var earliest = new Dictionary<string, (int Commit, List<SecretFinding> Findings)>(StringComparer.Ordinal);
        foreach (var (blob, found) in findingsByBlob)
        {
            foreach (var (path, commit) in occurrences[blob])
            {
                foreach (var f in found)
                {
                    var placed = new SecretFinding(f.RuleId, f.Description, path, f.Line, f.Column, f.Secret) { Commit = commit >= 0 ? commits[commit] : null };
                    if (!earliest.TryGetValue(placed.Fingerprint, out var e) || commit < e.Commit)
                        earliest[placed.Fingerprint] = (commit, [placed]);
                    else if (commit == e.Commit && !e.Findings.Any(x => x.Line == placed.Line && x.Column == placed.Column))
                        e.Findings.Add(placed); // the same secret twice in one file
                }
            }
        }
        return [.. earliest.Values.SelectMany(e => e.Findings).OrderBy(f => f, Comparer<SecretFinding>.Create(SecretFinding.Compare))];
    }

    /// Reads `git cat-file --batch` answers ("ID blob SIZE\n" content "\n", or "ID missing\n") in request order.
    private static void ReadBlobs(Stream stdout, BlockingCollection<BlobContent> queue, ScanState state, long maxSize, CancellationToken ct)
    {
        try
        {
            using var input = new BufferedStream(stdout, 1 << 16);
            var discard = new byte[1 << 16];
            while (ReadHeader(input) is { } header)
            {
                if (!state.Requested.TryDequeue(out var request))
                    throw new InputException($"Cannot read git objects: git cat-file answered '{header}', which was not asked for.");
                var parts = header.Split(' ');
                if (parts[0] != request.Blob)
                    throw new InputException($"Cannot read git objects: asked git cat-file for {request.Blob} and got '{header}'.");
                var where = request.Commit is null ? $"staged blob {Short(request.Blob)}" : $"blob {Short(request.Blob)} in commit {Short(request.Commit)}";
                if (parts is [_, "missing"])
                {
                    state.Skipped.Add(new SkippedFile(request.Path, $"{where} is missing from the repository (a partial clone or a damaged one); not scanned"));
                    continue;
                }
                if (parts.Length != 3 || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
                    throw new InputException($"Cannot read git objects: unexpected git cat-file header '{header}'.");
                if (parts[1] != "blob" || size > maxSize || size > Array.MaxLength)
                {
                    Discard(input, size, discard);
                    if (parts[1] == "blob")
                        state.Skipped.Add(new SkippedFile(request.Path, $"larger than {WorkingTreeScan.Size(maxSize)} ({WorkingTreeScan.Size(size)}; {where}); not scanned"));
                }
                else
                {
                    state.InFlight.Take(size, ct);
                    var buffer = ArrayPool<byte>.Shared.Rent((int)size);
                    input.ReadExactly(buffer, 0, (int)size);
                    queue.Add(new BlobContent(request, buffer, (int)size), ct);
                }
                if (input.ReadByte() != '\n') throw new InputException($"Cannot read git objects: the content of {request.Blob} is not followed by a newline.");
            }
            if (!state.Requested.IsEmpty)
                throw new InputException($"Cannot read git objects: git cat-file stopped before answering {state.Requested.Count} request(s).");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            state.Fail(e);
            throw;
        }
        finally
        {
            queue.CompleteAdding();
        }
    }

    private static void ScanBlobs(BlockingCollection<BlobContent> queue, SecretScanner scanner, ScanState state, CancellationToken ct)
    {
        try
        {
            foreach (var blob in queue.GetConsumingEnumerable(ct))
            {
                try
                {
                    var content = blob.Buffer.AsSpan(0, blob.Length);
                    if (WorkingTreeScan.IsBinary(content))
                    {
                        Interlocked.Increment(ref state.Binary);
                        continue;
                    }
                    Interlocked.Increment(ref state.Scanned);
                    Interlocked.Add(ref state.Bytes, blob.Length);
                    var path = blob.Request.Path;
                    try
                    {
                        // the bytes as they are: keywords are searched in UTF-8 and only windows around them decoded
                        var found = scanner.ScanUtf8(path, content, out var truncated);
                        if (found.Count > 0) state.FindingsByBlob[blob.Request.Blob] = found;
                        if (truncated) state.Skipped.Add(new SkippedFile(path, $"more than {SecretScanner.MaxCandidates} candidate secrets in blob {Short(blob.Request.Blob)}; the rest was not scanned"));
                    }
                    catch (RegexMatchTimeoutException e)
                    {
                        state.Skipped.Add(new SkippedFile(path, $"a rule took longer than {e.MatchTimeout.TotalSeconds:0.#} s on blob {Short(blob.Request.Blob)}; it was not fully scanned"));
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(blob.Buffer);
                    state.InFlight.Release(blob.Length);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            state.Fail(e);
            throw;
        }
    }

    /// Bytes of blob content between the reader and the scanners (the text decoded from them included). Taking waits
    /// while the budget is used up, but one blob always goes through, so a blob at the size limit is never stuck.
    internal sealed class ByteBudget(long limit)
    {
        private readonly object _lock = new(); // Monitor.Wait needs a monitor, which System.Threading.Lock is not
        private long _used;

        public void Take(long bytes, CancellationToken ct)
        {
            lock (_lock)
            {
                while (_used > 0 && _used + bytes > limit)
                {
                    ct.ThrowIfCancellationRequested();
                    Monitor.Wait(_lock, 100);
                }
                _used += bytes;
            }
        }

        public void Release(long bytes)
        {
            lock (_lock)
            {
                _used -= bytes;
                Monitor.PulseAll(_lock);
            }
        }
    }

    private static string? ReadHeader(Stream input)
    {
        var sb = new StringBuilder();
        int b;
        while ((b = input.ReadByte()) >= 0 && b != '\n')
        {
            if (sb.Length > 1024) throw new InputException("Cannot read git objects: a git cat-file header is longer than 1 KiB.");
            sb.Append((char)b);
        }
        if (b < 0 && sb.Length == 0) return null;
        if (b < 0) throw new InputException($"Cannot read git objects: git cat-file output ended inside the header '{sb}'.");
        return sb.ToString();
    }

    private static void Discard(Stream input, long size, byte[] scratch)
    {
        while (size > 0)
        {
            var n = input.Read(scratch, 0, (int)Math.Min(scratch.Length, size));
            if (n == 0) throw new InputException("Cannot read git objects: git cat-file output ended inside an object.");
            size -= n;
        }
    }

    private static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim() is { Length: > 0 } line ? line : "git rev-parse failed";
}
