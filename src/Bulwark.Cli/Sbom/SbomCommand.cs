// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using System.CommandLine;
using System.Diagnostics;
using Bulwark.Cataloging;
using Bulwark.Cataloging.FileSources;
using Bulwark.Cli.Output;
using Bulwark.Core;
using Bulwark.Sbom;
using Spectre.Console;
using SbomDocument = Bulwark.Sbom.Sbom;

namespace Bulwark.Cli.Sbom;

/// `bulwark sbom PATH`: catalog a directory or a single lockfile and write an SBOM.
internal static class SbomCommand
{
    public static Command Create(CliContext context)
    {
        var path = new Argument<string>("PATH") { Description = "A directory to walk, a single lockfile or manifest, or an image: oci:DIR[:TAG], oci-archive:FILE, docker-archive:FILE[:REF], dir:ROOTFS, registry:REF or a reference such as 127.0.0.1:5000/team/app:1.2." };
        var format = FormatOption();
        var output = OutputOption();
        var quiet = QuietOption();
        var exclude = new Option<string[]>("--exclude")
        {
            Description = "Leave out paths matching this glob (relative to PATH; '**' crosses directories). Repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var catalogers = new Option<string?>("--catalogers") { Description = "Run only these catalogers (comma-separated names; see 'bulwark sbom catalogers')." };
        var failOnUnreadable = new Option<bool>("--fail-on-unreadable") { Description = "Exit 1 when any wanted file could not be read (the SBOM is still written)." };
        var platform = new Option<string?>("--platform") { Description = "For a multi-platform image: the platform to read (OS/ARCH[/VARIANT]; default: this machine's)." };
        var allPlatforms = new Option<bool>("--all-platforms")
        {
            Description = "For a multi-platform image: one SBOM per platform; -o must contain {platform} (replaced by e.g. linux-arm64-v8).",
        };
        var insecure = new Option<bool>("--insecure") { Description = "Allow plain HTTP to the registry (local test registries only)." };
        var layers = new Option<string>("--layers")
        {
            Description = "Image layers to report: squashed (default: what the running container sees) or all (also packages later layers deleted).",
            DefaultValueFactory = _ => "squashed",
        };
        layers.AcceptOnlyFromAmong("squashed", "all");
        var attest = Sign.SbomAttestation.AttestOption();
        var attestKey = Sign.SbomAttestation.KeyOption();

        var command = new Command("sbom", "Generate an SBOM (CycloneDX 1.6 or SPDX 2.3) for a source tree, a lockfile or a container image.")
        {
            path, format, output, quiet, exclude, catalogers, failOnUnreadable, platform, allPlatforms, insecure, layers, attest, attestKey,
            ConvertCommand(context),
            CatalogersCommand(context),
        };
        command.SetAction((parse, ct) => RunAsync(context, new SbomRequest(
            parse.GetRequiredValue(path),
            SbomFormats.Parse(parse.GetValue(format) ?? "cyclonedx-json"),
            parse.GetValue(output),
            parse.GetValue(quiet),
            parse.GetValue(exclude) ?? [],
            parse.GetValue(catalogers),
            parse.GetValue(failOnUnreadable),
            new ImageTarget.Options(parse.GetValue(platform), parse.GetValue(insecure), parse.GetValue(layers) == "all", parse.GetValue(allPlatforms))), ct,
            (parse.GetValue(attest), parse.GetValue(attestKey))));
        return command;
    }

    internal static Option<string> FormatOption() => new("--format", "-f")
    {
        Description = "Output format: cyclonedx-json (default), cyclonedx-xml, spdx-json, spdx-tag-value.",
        DefaultValueFactory = _ => "cyclonedx-json",
    };

    internal static Option<string?> OutputOption() => new("--output", "-o") { Description = "Write to FILE instead of stdout." };

    internal static Option<bool> QuietOption() => new("--quiet", "-q") { Description = "No progress or summary on stderr (errors are still printed)." };

    private sealed record SbomRequest(string Path, SbomFormat Format, string? Output, bool Quiet, string[] Excludes, string? Catalogers,
        bool FailOnUnreadable, ImageTarget.Options Image);

    private static async Task<int> RunAsync(CliContext context, SbomRequest request, CancellationToken ct, (bool Attest, string? Key) attest = default)
    {
        var stopwatch = Stopwatch.StartNew();
        using var attestation = Sign.SbomAttestation.Prepare(context, attest.Attest, attest.Key, request.Path, request.Format, request.Image.AllPlatforms);
        var isImage = ImageTarget.IsImage(request.Path);
        if (isImage && request.Excludes.Length > 0) throw new UsageException("--exclude applies to directories, not images.");
        var options = new CatalogOptions { Only = SelectCatalogers(request.Catalogers) };
        var created = SbomDocument.CreationTime(context.Environment);

        if (request.Image.AllPlatforms)
        {
            if (!isImage) throw new UsageException("--all-platforms applies to images.");
            if (request.Image.Platform is not null) throw new UsageException("Give either --platform or --all-platforms, not both.");
            if (request.Output is null || !request.Output.Contains("{platform}", StringComparison.Ordinal))
                throw new UsageException("--all-platforms writes one SBOM per platform: give -o with {platform} in the name, e.g. -o sbom-{platform}.json.");
        }

        var (result, sboms) = await CatalogTargetAsync(context, request.Path, request.Excludes, options, request.Image, created, request.Quiet, ct).ConfigureAwait(false);

        foreach (var (platformName, sbom) in sboms)
        {
            var output = platformName is not null && request.Image.AllPlatforms ? request.Output!.Replace("{platform}", platformName, StringComparison.Ordinal) : request.Output;
            await OutputTarget.WriteAsync(output, context.Stdout, s => { SbomWriters.Write(sbom, request.Format, s); return Task.CompletedTask; }).ConfigureAwait(false);
        }

        if (attestation is not null) await attestation.AttestAsync(context, sboms[0].Sbom, request.Format, request.Image.Insecure, request.Quiet, ct).ConfigureAwait(false);

        if (!request.Quiet) PrintSummary(context, result, stopwatch.Elapsed, request.Output);
        return request.FailOnUnreadable && result.Unreadable.Count > 0 ? ExitCodes.GateFailed : ExitCodes.Ok;
    }

    /// Catalogs a directory, a single file or an image into one SBOM per platform (one unless --all-platforms),
    /// showing a spinner on a terminal unless quiet. Shared by `sbom` and `scan`.
    internal static async Task<(CatalogResult Result, IReadOnlyList<(string? Platform, SbomDocument Sbom)> Sboms)> CatalogTargetAsync(
        CliContext context, string path, string[] excludes, CatalogOptions options, ImageTarget.Options image, DateTimeOffset created,
        bool quiet, CancellationToken ct)
    {
        var isImage = ImageTarget.IsImage(path);
        async Task<(CatalogResult, IReadOnlyList<(string? Platform, SbomDocument Sbom)>)> Run(IProgress<CatalogProgress>? progress, Action<string>? status)
        {
            if (isImage)
            {
                var images = await ImageTarget.CatalogAsync(path, image, Catalogers.BuiltIn, options, progress, status, ct).ConfigureAwait(false);
                var sboms = images.Select(i => (i.Platform?.ToString().Replace('/', '-'), ToSbom(i.Subject, i.Catalog, created, i.Properties))).ToList();
                // the summary covers every platform read
                var all = images[0].Catalog with
                {
                    Packages = Catalog.Merge(images.SelectMany(i => i.Catalog.Packages)),
                    Unreadable = [.. images.SelectMany(i => i.Catalog.Unreadable).Distinct().Order()],
                    Warnings = [.. images.SelectMany(i => i.Catalog.Warnings).Distinct().Order()],
                    FilesSeen = images.Sum(i => i.Catalog.FilesSeen),
                };
                return (all, sboms);
            }
            var tree = OpenTree(path, excludes);
            var result = await Catalog.RunAsync(tree, Catalogers.BuiltIn, options, progress, ct).ConfigureAwait(false);
            // a list, as for images: a one-element collection expression here is a type of its own, JIT-compiled at start
            return (result, new List<(string? Platform, SbomDocument Sbom)> { (null, ToSbom(DirectorySubject(path), result, created, [])) });
        }

        if (!quiet && context.StderrIsTerminal) return await WithSpinnerAsync(context, Run).ConfigureAwait(false);
        return await Run(null, null).ConfigureAwait(false);
    }

    // The console library is loaded only when something is shown: these two are kept out of the methods that a
    // quiet run goes through (a method's first call loads every type it names).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void PrintSummary(CliContext context, CatalogResult result, TimeSpan elapsed, string? output) =>
        Summary.Print(context.ErrorConsole, result, elapsed, output);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static Task<T> WithSpinnerAsync<T>(CliContext context, Func<IProgress<CatalogProgress>?, Action<string>?, Task<T>> run) =>
        context.ErrorConsole.Status().Spinner(Spinner.Known.Dots).StartAsync("Walking files…", async status =>
        {
            var progress = new Progress<CatalogProgress>(p => status.Status(
                p.FilesRead == 0
                    ? $"Walking files… {p.FilesSeen:N0} seen, {p.FilesWanted:N0} to read"
                    : $"Reading {p.FilesRead:N0}/{p.FilesWanted:N0} files… {p.Packages:N0} packages"));
            return await run(progress, text => status.Status(Markup.Escape(text))).ConfigureAwait(false);
        });

    private static IFileTree OpenTree(string path, string[] excludes)
    {
        List<Glob> globs;
        try
        {
            globs = [.. excludes.Select(e => new Glob(e))];
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"Bad --exclude pattern: {e.Message}");
        }
        if (Directory.Exists(path)) return new DirectoryFileTree(path, globs);
        if (File.Exists(path))
        {
            if (globs.Count > 0) throw new UsageException("--exclude applies to directories; PATH is a single file.");
            return DirectoryFileTree.ForSingleFile(path);
        }
        if (path.StartsWith('-')) throw new UsageException($"Unknown option '{path}'. Run 'bulwark sbom --help' for the options.");
        throw new InputException($"Cannot read {path}: no such file or directory. Give a directory, a lockfile, or an image (oci:DIR, docker-archive:FILE, registry:{path}).");
    }

    internal static IReadOnlySet<string>? SelectCatalogers(string? names)
    {
        if (string.IsNullOrWhiteSpace(names)) return null;
        var known = Catalogers.BuiltIn.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var chosen = names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var unknown = chosen.Where(n => !known.Contains(n)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
            throw new UsageException($"Unknown cataloger(s): {string.Join(", ", unknown)}. Run 'bulwark sbom catalogers' to list them.");
        return chosen;
    }

    private static SbomSubject DirectorySubject(string path)
    {
        var full = Path.GetFullPath(path);
        return new SbomSubject
        {
            Name = Path.GetFileName(Path.TrimEndingDirectorySeparator(full)) is { Length: > 0 } n ? n : "root",
            Kind = File.Exists(full) ? SubjectKind.File : SubjectKind.Directory,
        };
    }

    internal static SbomDocument ToSbom(SbomSubject subject, CatalogResult result, DateTimeOffset created,
        ImmutableArray<KeyValuePair<string, string>> extra)
    {
        var properties = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
        properties.AddRange(extra);
        properties.Add(new("bulwark:catalogers", string.Join(",", result.Catalogers)));
        foreach (var u in result.Unreadable) properties.Add(new("bulwark:unreadable", $"{u.Location.Path}: {u.Reason} [{u.Cataloger}]"));
        foreach (var w in result.Warnings) properties.Add(new("bulwark:warning", $"{w.Path}: {w.Message}"));
        return new SbomDocument
        {
            Subject = subject,
            Packages = [.. result.Packages],
            Created = created,
            Tools = [new SbomTool("Bulwark", "bulwark", BulwarkVersion.Current)],
            Properties = properties.ToImmutable(),
        };
    }

    private static Command ConvertCommand(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "An SBOM: CycloneDX 1.2–1.6 (JSON or XML) or SPDX 2.2/2.3 (JSON or tag-value)." };
        var format = FormatOption();
        var output = OutputOption();
        var quiet = QuietOption();
        var command = new Command("convert", "Convert an SBOM from any supported format and version to another.") { file, format, output, quiet };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetRequiredValue(file);
            var target = SbomFormats.Parse(parse.GetValue(format) ?? "cyclonedx-json");
            if (!File.Exists(path)) throw new InputException($"Cannot read {path}: no such file. Give the path of an SBOM file.");
            SbomDocument sbom;
            await using (var input = File.OpenRead(path))
            {
                sbom = SbomReader.Read(input, path);
            }
            await OutputTarget.WriteAsync(parse.GetValue(output), context.Stdout, s => { SbomWriters.Write(sbom, target, s); return Task.CompletedTask; }).ConfigureAwait(false);
            if (!parse.GetValue(quiet))
                context.ErrorConsole.MarkupLine($"Converted [bold]{Markup.Escape(path)}[/]: {sbom.Packages.Length:N0} packages → {Markup.Escape(SbomFormats.Names.First(n => n.Format == target).Name)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CatalogersCommand(CliContext context)
    {
        var command = new Command("catalogers", "List the catalogers 'bulwark sbom' runs, one name per line.");
        command.SetAction(async (_, ct) =>
        {
            await using var writer = new StreamWriter(context.Stdout, leaveOpen: true);
            foreach (var c in Catalogers.BuiltIn.Select(c => c.Name).Order(StringComparer.Ordinal))
                await writer.WriteLineAsync(c.AsMemory(), ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
