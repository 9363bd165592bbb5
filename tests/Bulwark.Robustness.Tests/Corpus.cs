// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using System.Text;
using Bulwark.Cataloging;
using Bulwark.Cataloging.FileSources;
using Bulwark.Cli.Tests;
using Bulwark.Core;
using Bulwark.Hygiene.Workflows;
using Bulwark.Oci;
using Bulwark.Oci.Layers;
using Bulwark.Signing.Bundles;
using Bulwark.Testing;
using Bulwark.Vulnerabilities.Osv;

namespace Bulwark.Robustness.Tests;

/// The hostile corpus (testdata/hostile, written by make-hostile.py) and the reader each case is meant for. A case is
/// an entry directly under an area folder: a file (a layer, an archive, a document) or a directory (a source tree
/// holding a lockfile or a workflow under its real name).
internal static class Corpus
{
    public static readonly string Root = Path.Combine(TestPaths.Project("Bulwark.Robustness.Tests"), "testdata", "hostile");

    /// Where each case's recorded outcome lives; UPDATE_GOLDEN=1 rewrites them (review the diff like code).
    public static readonly string Outcomes = Path.Combine(TestPaths.Project("Bulwark.Robustness.Tests"), "testdata", "outcomes");

    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// Every case, "area/name", sorted.
    public static IReadOnlyList<string> Cases { get; } = [.. Directory.EnumerateFileSystemEntries(Root, "*", SearchOption.TopDirectoryOnly)
        .SelectMany(area => Directory.EnumerateFileSystemEntries(area).Select(e => Path.GetRelativePath(Root, e).Replace('\\', '/')))
        .Order(StringComparer.Ordinal)];

    /// Every file of the corpus, relative to its root, sorted.
    public static IReadOnlyList<string> Files { get; } = [.. Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    /// The outcome of the reader the case is meant for, as stable text.
    public static Task<string> OutcomeAsync(string @case)
    {
        var path = PathOf(@case);
        var area = @case[..@case.IndexOf('/', StringComparison.Ordinal)];
        var name = Path.GetFileName(@case);
        return area switch
        {
            "layers" => LayerOutcomeAsync(path),
            "archives" => CliOutcomeAsync("sbom", $"{(name.StartsWith("oci", StringComparison.Ordinal) ? "oci-archive" : "docker-archive")}:{path}"),
            "java" => CatalogOutcomeAsync(path),
            "text" when name.StartsWith("workflow", StringComparison.Ordinal) => Task.FromResult(WorkflowOutcome(path)),
            "text" => CatalogOutcomeAsync(path),
            "json" when Directory.Exists(path) => CatalogOutcomeAsync(path),
            "json" when name.StartsWith("osv", StringComparison.Ordinal) => Task.FromResult(Outcome(() => OsvReader.Parse(File.ReadAllBytes(path), name).Id)),
            "json" when name.StartsWith("sigstore", StringComparison.Ordinal) => BundleOutcomeAsync(path),
            "json" => CliOutcomeAsync("sbom", "convert", path),
            _ => throw new ArgumentException($"no reader for {@case}"),
        };
    }

    public static string MediaTypeOf(string path) =>
        path.EndsWith(".gz", StringComparison.Ordinal) ? MediaTypes.OciLayerGzip
        : path.EndsWith(".zst", StringComparison.Ordinal) ? MediaTypes.OciLayerZstd
        : MediaTypes.OciLayerTar;

    public static LayerRef Layer(byte[] blob, string mediaType) =>
        new(Digest.Sha256Of(blob), null, mediaType, blob.Length, _ => Task.FromResult<Stream>(new MemoryStream(blob, writable: false)));

    /// The entries one layer gives (path, type, link target or size) and its warnings, then the squashed view.
    public static async Task<string> LayerOutcomeAsync(string path)
    {
        var blob = await File.ReadAllBytesAsync(path);
        var layer = Layer(blob, MediaTypeOf(path));
        var text = new StringBuilder();
        var links = new List<string>();
        text.Append("reader:\n");
        var error = await CatchAsync(() => LayerReader.ReadAsync(layer, new ImageByteBudget(LayerLimits.Default),
            (p, entry, ct) =>
            {
                var detail = entry.EntryType is System.Formats.Tar.TarEntryType.SymbolicLink or System.Formats.Tar.TarEntryType.HardLink
                    ? "-> " + entry.LinkName : entry.Length.ToString(CultureInfo.InvariantCulture);
                text.Append(CultureInfo.InvariantCulture, $"  entry {p} {entry.EntryType} {detail}\n");
                if (entry.EntryType is System.Formats.Tar.TarEntryType.SymbolicLink or System.Formats.Tar.TarEntryType.HardLink) links.Add(p);
                return ValueTask.CompletedTask;
            },
            (p, message) => text.Append(CultureInfo.InvariantCulture, $"  warning {p}: {message}\n"),
            verifyDiffId: true, CancellationToken.None));
        if (error is not null) text.Append(CultureInfo.InvariantCulture, $"  error {error.GetType().Name}: {error.Message}\n");
        text.Append("squashed:\n");
        ImageFileSystem? fs = null;
        error = await CatchAsync(async () => fs = await ImageFileSystem.ReadAsync([layer], _ => true));
        if (fs is not null)
        {
            using (fs)
            {
                foreach (var f in fs.Files().OrderBy(f => f.Path, StringComparer.Ordinal))
                    text.Append(CultureInfo.InvariantCulture, $"  file {f.Path} {f.Size}\n");
                foreach (var w in fs.Warnings) text.Append(CultureInfo.InvariantCulture, $"  warning {w.Path}: {w.Message}\n");
                // where each link leads inside the image root (links never leave it; a dangling one leads nowhere)
                foreach (var link in links) text.Append(CultureInfo.InvariantCulture, $"  link {link} resolves to {(fs.RealPath(link) is { } real ? "/" + real : "nothing")}\n");
            }
        }
        if (error is not null) text.Append(CultureInfo.InvariantCulture, $"  error {error.GetType().Name}: {error.Message}\n");
        // the digest depends on the compressor's exact bytes (zlib versions differ), the outcome does not
        return text.ToString().Replace(layer.Digest.ToString(), "<layer>", StringComparison.Ordinal);
    }

    /// Packages (purl and location), unreadable files and warnings of a catalog run over a directory.
    public static async Task<string> CatalogOutcomeAsync(string dir)
    {
        var result = await Catalog.RunAsync(new DirectoryFileTree(dir), Catalogers.BuiltIn, new CatalogOptions { MaxParallelism = 1 });
        var text = new StringBuilder();
        foreach (var p in result.Packages)
        {
            text.Append(CultureInfo.InvariantCulture, $"package {p.Purl} {string.Join(' ', p.Locations.Select(l => l.Path))}\n");
            // what a reader left out of a package (a nested archive too deep, too large or unreadable) is a property
            foreach (var (key, value) in p.Properties.Where(kv => kv.Key.Contains("unreadable", StringComparison.Ordinal) || kv.Key.Contains("too-", StringComparison.Ordinal)))
                text.Append(CultureInfo.InvariantCulture, $"  {key}: {value}\n");
        }
        foreach (var u in result.Unreadable) text.Append(CultureInfo.InvariantCulture, $"unreadable {u.Location.Path} ({u.Cataloger}): {u.Reason}\n");
        foreach (var w in result.Warnings) text.Append(CultureInfo.InvariantCulture, $"warning {w.Path}: {w.Message}\n");
        // the CLI gate: exit 1 when a file could not be read, 0 otherwise (the SBOM is written either way)
        var cli = await CliOutcomeAsync("sbom", dir, "--fail-on-unreadable");
        text.Append(CultureInfo.InvariantCulture, $"sbom --fail-on-unreadable: {cli}");
        return text.ToString();
    }

    public static string WorkflowOutcome(string dir)
    {
        var report = WorkflowAudit.Run(dir);
        var text = new StringBuilder();
        foreach (var f in report.Findings) text.Append(CultureInfo.InvariantCulture, $"finding {f.Rule.Id} {f.Path}:{f.Line}:{f.Column}\n");
        foreach (var u in report.Unreadable) text.Append(CultureInfo.InvariantCulture, $"not audited {u.Path}: {u.Reason}\n");
        return text.Length == 0 ? "nothing\n" : text.ToString();
    }

    /// The bundle reader's result, then `bulwark verify-bundle` with it (offline, the built-in trusted root).
    public static async Task<string> BundleOutcomeAsync(string path)
    {
        var read = Outcome(() => SigstoreBundle.Read(File.ReadAllBytes(path), Path.GetFileName(path)).ToString()!);
        var run = await CliRun.RunAsync("verify-bundle", "--bundle", path, "--certificate-identity", "someone@example.com",
            "--certificate-oidc-issuer", "https://issuer.example", "sha256:" + new string('0', 64));
        return $"{read}verify-bundle: exit {run.ExitCode}\n{Redact(run.Stderr)}";
    }

    /// Exit code and stderr of `bulwark ARGS -o TEMP --quiet`, with the corpus and temp paths redacted.
    public static async Task<string> CliOutcomeAsync(params string[] args)
    {
        var output = Path.Combine(Path.GetTempPath(), $"bulwark-hostile-{Guid.NewGuid():N}.out");
        try
        {
            var run = await CliRun.RunAsync([.. args, "-o", output, "--quiet"]);
            return $"exit {run.ExitCode}\n{Redact(run.Stderr)}";
        }
        finally
        {
            File.Delete(output);
        }
    }

    public static string Redact(string text) => text.Replace(Root, "<corpus>", StringComparison.Ordinal).Replace(Path.GetTempPath().TrimEnd('/'), "<tmp>", StringComparison.Ordinal);

    private static string Outcome(Func<string> read)
    {
        try
        {
            return $"read: {read()}\n";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"error {e.GetType().Name}: {e.Message}\n";
        }
    }

    public static async Task<Exception?> CatchAsync(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return e;
        }
    }

    public static async Task<T> WithinAsync<T>(Task<T> task, string what)
    {
        Assert.True(await Task.WhenAny(task, Task.Delay(Limit)) == task, $"{what}: no result within {Limit.TotalSeconds} s");
        return await task;
    }
}
