// SPDX-License-Identifier: Apache-2.0
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using System.Xml;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging;

/// How a catalog run behaves.
public sealed record CatalogOptions
{
    /// Files larger than this are not handed to catalogers; they are reported as unreadable instead.
    public long MaxFileSize { get; init; } = 1L << 30;
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;
    /// Only these catalogers run (by name); null runs all.
    public IReadOnlySet<string>? Only { get; init; }
}

/// Counts for progress display.
public readonly record struct CatalogProgress(long FilesSeen, long FilesWanted, long FilesRead, long Packages);

/// Everything a catalog run found: packages merged by purl and sorted, files it could not read, and warnings.
public sealed record CatalogResult(
    IReadOnlyList<Package> Packages,
    IReadOnlyList<UnreadableFile> Unreadable,
    IReadOnlyList<FileWarning> Warnings,
    IReadOnlyList<string> Catalogers,
    long FilesSeen);

/// Something noteworthy about a path that is not a package (a link that leaves the tree, an unlistable directory).
public sealed record FileWarning(string Path, string Message) : IComparable<FileWarning>
{
    public int CompareTo(FileWarning? other) =>
        other is null ? 1 : string.CompareOrdinal(Path, other.Path) is var c and not 0 ? c : string.CompareOrdinal(Message, other.Message);
}

/// Runs catalogers over a file tree: one pass over paths, the wanted files read in parallel.
public static class Catalog
{
    /// The largest file handed to a cataloger that does not set its own <see cref="IFileSizeLimit"/>: far above
    /// any real lockfile or manifest, low enough that reading one whole stays affordable.
    public const long MaxTextFileSize = 256L << 20;

    /// Wanted files adding up to no more than this are read on the calling thread, one after the other.
    private const long SequentialReadLimit = 1L << 20;

    public static async Task<CatalogResult> RunAsync(IFileTree tree, IReadOnlyList<ICataloger> catalogers,
        CatalogOptions? options = null, IProgress<CatalogProgress>? progress = null, CancellationToken ct = default)
    {
        options ??= new CatalogOptions();
        var active = options.Only is null ? catalogers : catalogers.Where(c => options.Only.Contains(c.Name)).ToList();
        var warnings = new List<FileWarning>();      // added to by the walk only
        var unreadable = new List<UnreadableFile>(); // added to by the reads, under its lock
        // merged as they arrive (Package.Merge is order-independent), so only one copy per purl stays in memory
        var found = new ConcurrentDictionary<Purl, Package>();
        long seen = 0, wanted = 0, read = 0, packages = 0;

        var work = new List<(FileEntry File, ICataloger Cataloger)>();
        foreach (var file in tree.Files((p, m) => warnings.Add(new FileWarning(p.Value, m))))
        {
            seen++;
            foreach (var c in active)
            {
                if (!c.Wants(file.Path)) continue;
                work.Add((file, c));
            }
            if ((seen & 0x3FF) == 0) progress?.Report(new(seen, work.Count, 0, 0));
        }
        wanted = work.Count;
        progress?.Report(new(seen, wanted, 0, 0));

        // biggest first, so one large file does not finish alone at the end
        // (then by path and cataloger, so the order is stable; the merge itself is order-independent)
        work.Sort((a, b) => b.File.Size.CompareTo(a.File.Size) is var c and not 0 ? c
            : a.File.Path.CompareTo(b.File.Path) is var d and not 0 ? d : string.CompareOrdinal(a.Cataloger.Name, b.Cataloger.Name));
        // a few small files (a project's lockfiles) are read one after the other on this thread: starting thread-pool
        // workers and the async machinery they need costs more start-up time than the reads themselves
        long total = 0;
        foreach (var (file, _) in work) total += file.Size;
        if (work.Count <= 1 || total <= SequentialReadLimit || options.MaxParallelism <= 1)
        {
            for (var i = 0; i < work.Count; i++) await ReadItemAsync(i, ct).ConfigureAwait(false);
        }
        else
        {
            await ReadInParallelAsync(work.Count, options.MaxParallelism, ReadItemAsync, ct).ConfigureAwait(false);
        }

        return new CatalogResult(
            Merge(found.Values),
            [.. unreadable.OrderBy(u => u)],
            [.. warnings.Distinct().OrderBy(w => w)],
            [.. active.Select(c => c.Name).Order(StringComparer.Ordinal)],
            seen);

        void AddUnreadable(UnreadableFile file)
        {
            lock (unreadable) unreadable.Add(file);
        }

        async ValueTask ReadItemAsync(int item, CancellationToken token)
        {
            var (file, cataloger) = work[item];
            var location = new FileLocation(file.Path.Value);
            if (file.Size > options.MaxFileSize)
            {
                AddUnreadable(new(location, cataloger.Name, $"file is {file.Size:N0} bytes, over the {options.MaxFileSize:N0}-byte limit; not read"));
                return;
            }
            var own = cataloger is IFileSizeLimit l ? l.MaxFileSize : MaxTextFileSize;
            if (file.Size > own)
            {
                AddUnreadable(new(location, cataloger.Name, $"file is too large for {cataloger.Name}: {file.Size:N0} bytes, over its {own:N0}-byte limit; not read"));
                return;
            }
            var result = await ReadOneAsync(tree, file, cataloger, Math.Min(own, options.MaxFileSize), token).ConfigureAwait(false);
            if (result.Error is { } error) AddUnreadable(new(location, cataloger.Name, error));
            foreach (var p in result.Packages)
            {
                var sighting = p.FoundBy.IsDefaultOrEmpty ? p with { FoundBy = [cataloger.Name] } : p;
                found.AddOrUpdate(sighting.Purl, sighting, (_, seen) => seen.Merge(sighting));
            }
            var r = Interlocked.Increment(ref read);
            var n = Interlocked.Add(ref packages, result.Packages.Count);
            progress?.Report(new(seen, wanted, r, n));
        }
    }

    // its own method, so a run that reads on the calling thread does not load the parallel library at all
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static Task ReadInParallelAsync(int count, int parallelism, Func<int, CancellationToken, ValueTask> read, CancellationToken ct) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, read);

    /// Merges packages with equal purls, writes declared licenses as SPDX expressions, and sorts by purl.
    public static IReadOnlyList<Package> Merge(IEnumerable<Package> packages)
    {
        var licenses = new Dictionary<string, string>(StringComparer.Ordinal);
        return [.. PackageSightings.Merge(packages).Select(p => WithSpdxLicenses(p, licenses).Normalised()).OrderBy(p => p.Purl)];
    }

    // Catalogers record licenses as the source states them; the SBOM wants SPDX expressions. Text that names SPDX
    // licenses unambiguously ("Apache License, Version 2.0", "MIT/X11") becomes the expression; anything else keeps
    // its original words, which SBOM writers carry as a license name (CycloneDX) or an extracted LicenseRef (SPDX).
    private static Package WithSpdxLicenses(Package p, Dictionary<string, string> cache)
    {
        if (p.Licenses.IsDefaultOrEmpty) return p;
        var result = ImmutableArray.CreateBuilder<string>(p.Licenses.Length);
        foreach (var declared in p.Licenses)
        {
            if (!cache.TryGetValue(declared, out var text))
            {
                var n = Licenses.Normalise(declared);
                cache[declared] = text = n is null ? "" : n.IsSpdx ? n.Expression.ToString() : declared.Trim();
            }
            if (text.Length > 0) result.Add(text);
        }
        return p with { Licenses = result.ToImmutable() };
    }

    private static async Task<(IReadOnlyList<Package> Packages, string? Error)> ReadOneAsync(
        IFileTree tree, FileEntry file, ICataloger cataloger, long limit, CancellationToken ct)
    {
        try
        {
            await using var opened = tree.TryOpen(file.Path);
            if (opened is null) return ([], "file disappeared or could not be opened");
            await using var stream = new SizeCappedStream(opened, limit, file.Path.Value, file.Size);
            var input = new CatalogInput(tree, file.Path, stream, file.Size);
            return (await cataloger.ReadAsync(input, ct).ConfigureAwait(false), null);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (IsInputError(e))
        {
            // a per-file failure becomes a recorded result (STYLE.md, Errors)
            return ([], Describe(e));
        }
        catch (Exception e)
        {
            // not an input error: a bug in the cataloger. Still recorded and shown, never silently dropped.
            return ([], $"internal error in cataloger {cataloger.Name} ({e.GetType().Name}: {e.Message}); please report this file");
        }
    }

    internal static bool IsInputError(Exception e) => e is InputException or FormatException or JsonException or XmlException
        or InvalidDataException or IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException
        or System.Text.DecoderFallbackException or InvalidPurlException;

    internal static string Describe(Exception e) => e switch
    {
        JsonException j when j.LineNumber is { } line => $"line {line + 1}: {FirstLine(j.Message)}",
        XmlException x when x.LineNumber > 0 => $"line {x.LineNumber}: {x.Message}",
        YamlDotNet.Core.YamlException y => $"line {y.Start.Line}: {y.Message}",
        _ => FirstLine(e.Message),
    };

    private static string FirstLine(string s)
    {
        var i = s.IndexOf('\n');
        return (i < 0 ? s : s[..i]).Trim();
    }
}
