// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;
using Bulwark.Hygiene.Secrets;
using Bulwark.Hygiene.Workflows;
using Bulwark.Oci;
using Bulwark.Oci.Layers;
using Bulwark.Sbom;
using Bulwark.Signing.Bundles;
using Bulwark.Vulnerabilities.Osv;

namespace Bulwark.Robustness.Tests;

/// Zero unhandled exceptions across the hostile corpus: every file goes through every reader that could plausibly
/// receive it, whatever it was made for, and each gives a result or its documented error (InputException; an OSV
/// record's InvalidOsvRecordException; an unreadable-file entry whose reason is not "internal error"; CLI exit 3).
public sealed class AllReadersTests
{
    public static TheoryData<string> Files() => [.. Corpus.Files];

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Every_reader_gives_a_result_or_a_documented_error(string file)
    {
        var path = Corpus.PathOf(file);
        var bytes = await File.ReadAllBytesAsync(path);
        var name = Path.GetFileName(path);
        var failures = new List<string>();
        void Check(string reader, Exception? e, Func<Exception, bool> documented)
        {
            if (e is not null && !documented(e)) failures.Add($"{reader}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
        }

        // every cataloger, through a catalog run over a directory holding the file under its own name
        var dir = Directory.CreateTempSubdirectory("bulwark-hostile-").FullName;
        try
        {
            File.Copy(path, Path.Combine(dir, name));
            CatalogResult? catalog = null;
            Check("catalog", await Corpus.CatchAsync(async () => catalog = await Corpus.WithinAsync(Catalog.RunAsync(new DirectoryFileTree(dir), Catalogers.BuiltIn), file)), _ => false);
            foreach (var u in catalog?.Unreadable ?? [])
                if (u.Reason.StartsWith("internal error", StringComparison.Ordinal)) failures.Add($"catalog {u.Cataloger}: {u.Reason}");

            // the secrets scanner over the same directory
            Check("secrets", await Corpus.CatchAsync(() => Task.Run(() =>
                WorkingTreeScan.Scan(new DirectoryFileTree(dir), new SecretScanner(SecretRules.BuiltIn), SecretAllowlist.Empty, new SecretScanOptions { Parallelism = 1 }))), _ => false);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        // the file as a GitHub workflow
        Check("ci audit", await Corpus.CatchAsync(() => Task.Run(() =>
        {
            var report = WorkflowAudit.Run(path);
            Assert.All(report.Unreadable, u => Assert.DoesNotContain("internal error", u.Reason, StringComparison.Ordinal));
        })), _ => false);

        // SBOM readers (format detected from the content)
        Check("sbom", await Corpus.CatchAsync(() => Task.Run(() => SbomReader.Read(new MemoryStream(bytes), name))), e => e is InputException);

        // an OSV record and a Sigstore bundle
        Check("osv", await Corpus.CatchAsync(() => Task.Run(() => OsvReader.Parse(bytes, name))), e => e is InvalidOsvRecordException);
        Check("bundle", await Corpus.CatchAsync(() => Task.Run(() => SigstoreBundle.Read(bytes, name))), e => e is InputException);

        // the layer reader, as a plain, gzip and zstd layer
        foreach (var mediaType in new[] { MediaTypes.OciLayerTar, MediaTypes.OciLayerGzip, MediaTypes.OciLayerZstd })
        {
            var layer = Corpus.Layer(bytes, mediaType);
            Check($"layer {mediaType}", await Corpus.CatchAsync(async () =>
            {
                using var fs = await Corpus.WithinAsync(ImageFileSystem.ReadAsync([layer], _ => true), file);
            }), e => e is InputException);
        }

        // image archives through the CLI: a result or an input error, never an internal error
        if (name.EndsWith(".tar", StringComparison.Ordinal) || name.EndsWith(".gz", StringComparison.Ordinal))
        {
            foreach (var transport in new[] { "docker-archive", "oci-archive" })
            {
                var outcome = await Corpus.CliOutcomeAsync("sbom", $"{transport}:{path}");
                if (!outcome.StartsWith("exit 0\n", StringComparison.Ordinal) && !outcome.StartsWith("exit 3\n", StringComparison.Ordinal))
                    failures.Add($"sbom {transport}: {outcome}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
