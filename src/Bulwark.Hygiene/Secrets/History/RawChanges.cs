// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using System.Text;
using Bulwark.Core;

namespace Bulwark.Hygiene.Secrets.History;

/// A file a commit (or the index) gives new content: the blob written at a path, by the commit listed before it.
internal readonly record struct BlobAtPath(string Blob, string Path, int Commit);

/// Reads the NUL-separated output of `git log --raw -z --format=\x01%H%x00%an <%ae>%x00%aI` (and of
/// `git diff --cached --raw -z`, which has no commit headers), calling back per commit and per changed regular file.
/// <remarks>
/// Commit header: "\x01" sha NUL author NUL date NUL. Each change: ":srcmode dstmode srcsha dstsha STATUS" NUL path NUL
/// (with --no-renames a change has one path). A newline may precede the first change. Paths are taken whole between
/// NULs, so spaces, quotes and non-ASCII names need no unquoting. Only regular files (mode 100xxx) with new content are
/// passed on: deletions, symlinks (120000) and submodule gitlinks (160000) are not blobs worth reading.
/// </remarks>
internal sealed class RawChanges(Stream input)
{
    private const int MaxToken = 1 << 20; // a path or header longer than 1 MiB is not git output we understand

    private readonly Stream _input = input;
    private readonly byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private byte[] _token = new byte[256];

    /// Reads to the end. <paramref name="onCommit"/> gets each commit (its index is its position, from 0);
    /// <paramref name="onBlob"/> gets each regular file the current commit (or -1 before any) writes.
    public int Read(Action<CommitOrigin> onCommit, Action<BlobAtPath> onBlob, CancellationToken ct)
    {
        var commits = 0;
        while (NextToken() is { } token)
        {
            ct.ThrowIfCancellationRequested();
            var t = token.AsSpan().TrimStart('\n');
            if (t.IsEmpty) continue;
            if (t[0] == '\x01')
            {
                var sha = t[1..].ToString();
                var author = NextToken() ?? throw Truncated("an author");
                var date = NextToken() ?? throw Truncated("a date");
                if (!DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, DateTimeStyles.None, out var when))
                    throw new InputException($"Cannot read git history: commit {sha} has an author date git printed as '{date}'.");
                onCommit(new CommitOrigin(sha, author, when));
                commits++;
            }
            else if (t[0] == ':')
            {
                var path = NextToken() ?? throw Truncated("a path");
                // :srcmode dstmode srcsha dstsha status
                var parts = t[1..].ToString().Split(' ');
                if (parts.Length < 5) throw new InputException($"Cannot read git history: unexpected change line ':{t[1..]}'.");
                var (dstMode, dstSha) = (parts[1], parts[3]);
                if (dstMode.StartsWith("100", StringComparison.Ordinal) && dstSha.Trim('0').Length > 0)
                    onBlob(new BlobAtPath(dstSha, path, commits - 1));
            }
            else
            {
                throw new InputException($"Cannot read git history: unexpected output '{Shorten(t.ToString())}'.");
            }
        }
        return commits;
    }

    private static InputException Truncated(string what) => new($"Cannot read git history: the output ended where {what} was expected.");

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..80] + "…";

    /// The next NUL-terminated token as UTF-8 text, or null at the end (a last token without NUL is returned too).
    private string? NextToken()
    {
        var length = 0;
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = _input.Read(_buffer, 0, _buffer.Length);
                if (_end == 0) return length == 0 ? null : Encoding.UTF8.GetString(_token, 0, length);
            }
            var span = _buffer.AsSpan(_start, _end - _start);
            var nul = span.IndexOf((byte)0);
            var take = nul < 0 ? span : span[..nul];
            if (length + take.Length > MaxToken) throw new InputException("Cannot read git history: a path or header is longer than 1 MiB.");
            if (length + take.Length > _token.Length)
            {
                var bigger = new byte[Math.Max(_token.Length * 2, length + take.Length)];
                _token.AsSpan(0, length).CopyTo(bigger);
                _token = bigger;
            }
            take.CopyTo(_token.AsSpan(length));
            length += take.Length;
            if (nul >= 0)
            {
                _start += nul + 1;
                return Encoding.UTF8.GetString(_token, 0, length);
            }
            _start = _end;
        }
    }
}
