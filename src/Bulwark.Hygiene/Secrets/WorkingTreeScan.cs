// SPDX-License-Identifier: Apache-2.0
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;
using Bulwark.Cataloging.FileSources;

namespace Bulwark.Hygiene.Secrets;

/// A file that was not (fully) scanned, and why: too large, unreadable, a rule that ran out of time.
public sealed record SkippedFile(string Path, string Reason);

public sealed record SecretScanOptions
{
    /// Files larger than this are not read and are reported as skipped (default 10 MiB).
    public long MaxFileSize { get; init; } = 10L << 20;
    /// Files scanned at once (default: the BULWARK_JOBS environment variable when it holds a positive number, else
    /// one per processor). BULWARK_JOBS=1 measures the speed of one core.
    public int Parallelism { get; init; } = DefaultParallelism();

    /// BULWARK_JOBS when set to a positive number, else <see cref="Environment.ProcessorCount"/>.
    public static int DefaultParallelism() =>
        int.TryParse(Environment.GetEnvironmentVariable("BULWARK_JOBS"), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var jobs) && jobs > 0
            ? jobs : Environment.ProcessorCount;
}

/// The result of scanning a tree: findings sorted by path and position, and what was left out.
public sealed record SecretScanResult(
    ImmutableArray<SecretFinding> Findings,
    ImmutableArray<SkippedFile> Skipped,
    int FilesScanned,
    int BinaryFiles,
    long BytesScanned);

/// Scans every text file of a file tree (the working tree: .git is not walked), in parallel.
public static class WorkingTreeScan
{
    /// How much of a file's start is searched for a NUL byte to call it binary (as git does).
    public const int BinarySniffLength = 8192;

    public static SecretScanResult Scan(IFileTree tree, SecretScanner scanner, SecretAllowlist allow, SecretScanOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(scanner);
        ArgumentNullException.ThrowIfNull(allow);
        ArgumentNullException.ThrowIfNull(options);
        var findings = new ConcurrentBag<SecretFinding>();
        var skipped = new ConcurrentBag<SkippedFile>();
        var scanned = 0;
        var binary = 0;
        long bytes = 0;
        var files = tree.Files((path, why) => skipped.Add(new SkippedFile(path.Value, why)))
            .Where(f => !allow.AllowsPath(f.Path.Value));
        Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism), CancellationToken = ct }, file =>
        {
            var path = file.Path.Value;
            if (file.Size > options.MaxFileSize)
            {
                skipped.Add(new SkippedFile(path, $"larger than {Size(options.MaxFileSize)} ({Size(file.Size)}); not scanned"));
                return;
            }
            byte[]? rented = null;
            try
            {
                int length;
                using (var stream = tree.TryOpen(file.Path))
                {
                    if (stream is null)
                    {
                        skipped.Add(new SkippedFile(path, "removed or unreadable during the scan"));
                        return;
                    }
                    try
                    {
                        (rented, length) = ReadBounded(stream, file.Size, options.MaxFileSize);
                    }
                    catch (IOException e)
                    {
                        skipped.Add(new SkippedFile(path, $"cannot read: {e.Message}"));
                        return;
                    }
                    catch (InvalidDataException)
                    {
                        skipped.Add(new SkippedFile(path, $"grew beyond {Size(options.MaxFileSize)} while being read; not scanned"));
                        return;
                    }
                }
                var content = rented.AsSpan(0, length);
                if (IsBinary(content))
                {
                    Interlocked.Increment(ref binary);
                    return;
                }
                Interlocked.Increment(ref scanned);
                Interlocked.Add(ref bytes, length);
                try
                {
                    var found = scanner.ScanUtf8(path, content, out var truncated);
                    foreach (var f in found) findings.Add(f);
                    if (truncated) skipped.Add(new SkippedFile(path, $"more than {SecretScanner.MaxCandidates} candidate secrets; the rest of the file was not scanned"));
                }
                catch (RegexMatchTimeoutException e)
                {
                    skipped.Add(new SkippedFile(path, $"a rule took longer than {e.MatchTimeout.TotalSeconds:0.#} s; the file was not fully scanned"));
                }
            }
            finally
            {
                if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
            }
        });
        return new SecretScanResult(
            [.. findings.OrderBy(f => f, Comparer<SecretFinding>.Create(SecretFinding.Compare))],
            [.. skipped.OrderBy(s => s.Path, StringComparer.Ordinal).ThenBy(s => s.Reason, StringComparer.Ordinal)],
            scanned, binary, bytes);
    }

    /// A NUL byte in the first 8 KiB: binary (images, archives, UTF-16 text), not scanned.
    public static bool IsBinary(ReadOnlySpan<byte> content) =>
        content[..Math.Min(content.Length, BinarySniffLength)].IndexOf((byte)0) >= 0;

    /// UTF-8 text (invalid sequences become U+FFFD, which no rule matches); a byte order mark is dropped so columns count from the first character.
    public static string Decode(ReadOnlySpan<byte> content)
    {
        if (content is [0xEF, 0xBB, 0xBF, ..]) content = content[3..];
        return Encoding.UTF8.GetString(content);
    }

    /// The whole stream into a pooled buffer (returned with its length), sized from the file's listed size and grown
    /// if the file grew; more than <paramref name="max"/> bytes throws <see cref="InvalidDataException"/>.
    private static (byte[] Buffer, int Length) ReadBounded(Stream stream, long size, long max)
    {
        var cap = Math.Min(max + 1, Array.MaxLength);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(size + 1, 4096), cap));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > max) throw new InvalidDataException();
                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, cap));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var n = stream.Read(buffer, length, buffer.Length - length);
                if (n == 0) break;
                length += n;
                if (length > max) throw new InvalidDataException();
            }
            return (buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    internal static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.#} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.#} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:0.#} KiB",
        _ => $"{bytes} B",
    };
}
