// SPDX-License-Identifier: Apache-2.0
using System.Formats.Tar;
using System.Text;
using Bulwark.Core;
using Bulwark.Fuzzing.Mutation;
using Bulwark.Oci;
using Bulwark.Oci.Layers;
using Bulwark.Oci.Registry;
using Bulwark.Oci.Sources;

namespace Bulwark.Fuzzing.Targets;

/// OCI image references (src/Bulwark.Oci): Parse agrees with TryParse and a parsed reference written back out parses
/// to the same reference. Allowed: <see cref="InvalidReferenceException"/>.
public sealed class ImageReferenceTarget : FuzzTarget
{
    public override string Name => "oci.reference";
    public override InputFormat Format => InputFormat.Text;
    public override int MaxInputSize => 8 << 10;
    public override bool IsSeed(string relativePath) => false;

    public override IEnumerable<byte[]> ExtraSeeds() =>
        Texts("alpine", "alpine:3.19", "docker.io/library/alpine:latest", "ghcr.io/a/b/c:v1@sha256:" + new string('a', 64), "localhost:5000/x",
         "127.0.0.1:5000/repo/name:tag", "[::1]:5000/x:y", "registry.example.com/ns/img@sha512:" + new string('b', 128), "a/b");

    public override IReadOnlyList<string> Dictionary { get; } = [":", "/", "@", "sha256:", "localhost", "docker.io", "library/", "[", "]", "..", "__", "-", "."];

    public override void Run(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        if (!ImageReference.TryParse(text, out var reference))
        {
            _ = ImageReference.Parse(text);
            throw new PropertyViolationException("TryParse refused a reference that Parse accepted");
        }
        var written = reference.Name + (reference.Tag is { } tag ? ":" + tag : "") + (reference.Digest is { } digest ? "@" + digest : "");
        if (!ImageReference.TryParse(written, out var again, out var why))
            throw new PropertyViolationException($"'{text}' written back as '{written}' does not parse: {why}");
        if (again != reference) throw new PropertyViolationException($"'{text}' written back as '{written}' parses to {again}, not {reference}");
        _ = reference.Familiar;
    }

    public override bool IsExpected(Exception e) => e is InvalidReferenceException;
}

/// OCI manifests, indexes and image configs. Allowed: <see cref="InputException"/>.
public sealed class OciDocumentTarget(string name, bool config) : FuzzTarget
{
    public override string Name => name;
    public override InputFormat Format => InputFormat.Json;

    public override bool IsSeed(string relativePath) =>
        relativePath.EndsWith(".json", StringComparison.Ordinal) && (relativePath.Contains("oci", StringComparison.OrdinalIgnoreCase)
            || relativePath.Contains("manifest", StringComparison.OrdinalIgnoreCase) || relativePath.Contains("index", StringComparison.OrdinalIgnoreCase)
            || relativePath.Contains("config", StringComparison.OrdinalIgnoreCase));

    public override IReadOnlyList<string> Dictionary { get; } =
        ["schemaVersion", "mediaType", MediaTypes.OciManifest, MediaTypes.OciIndex, MediaTypes.DockerManifest, MediaTypes.DockerManifestList,
         MediaTypes.OciLayerGzip, MediaTypes.OciConfig, "layers", "manifests", "config", "digest", "size", "platform", "architecture", "os",
         "variant", "rootfs", "diff_ids", "history", "annotations", "subject", "artifactType", "sha256:" + new string('0', 64)];

    public override void Run(byte[] input)
    {
        if (config)
        {
            _ = ImageConfig.Parse(input, "fuzz input");
            return;
        }
        var document = OciDocument.Parse(input, "fuzz input");
        if (document is ImageIndex index)
            _ = index.Manifests.Count;
    }
}

/// The layer reader and the squashed view (tar, gzip, zstd; PAX and GNU names; links; whiteouts): the input is read
/// alone and as the top layer over a base layer, and every listed file is opened. Allowed: <see cref="InputException"/>
/// and <see cref="BlobDigestException"/>.
public sealed class LayerTarget : FuzzTarget
{
    private static readonly byte[] BaseLayer = BuildBase();

    public override string Name => "oci.layer";
    public override InputFormat Format => InputFormat.Tar;
    public override int MaxInputSize => 2 << 20;

    public override bool IsSeed(string relativePath) =>
        relativePath.EndsWith(".tar", StringComparison.Ordinal) || relativePath.EndsWith(".tar.gz", StringComparison.Ordinal)
        || relativePath.EndsWith(".tgz", StringComparison.Ordinal) || relativePath.EndsWith(".tar.zst", StringComparison.Ordinal)
        || relativePath.EndsWith(".zst", StringComparison.Ordinal);

    public override IEnumerable<byte[]> ExtraSeeds()
    {
        yield return BaseLayer;
        yield return GzipMutator.Deflate(Tar(w =>
        {
            Entry(w, TarEntryType.Directory, "etc/", null, null);
            Entry(w, TarEntryType.RegularFile, "etc/.wh.passwd", null, "");
            Entry(w, TarEntryType.RegularFile, "etc/.wh..wh..opq", null, "");
            Entry(w, TarEntryType.SymbolicLink, "lib/link", "../../etc/os-release", null);
            Entry(w, TarEntryType.HardLink, "usr/hard", "etc/os-release", null);
            Entry(w, TarEntryType.RegularFile, "var/lib/dpkg/status", null, "Package: a\nVersion: 1\nStatus: install ok installed\n");
        }));
        yield return Tar(w =>
        {
            var pax = new PaxTarEntry(TarEntryType.RegularFile, new string('d', 120) + "/" + new string('f', 150)) { DataStream = new MemoryStream("x"u8.ToArray()) };
            w.WriteEntry(pax);
            var gnu = new GnuTarEntry(TarEntryType.SymbolicLink, "l/" + new string('g', 200)) { LinkName = new string('t', 180) };
            w.WriteEntry(gnu);
        });
    }

    public override void Run(byte[] input)
    {
        ReadAll([Layer(input)]);
        ReadAll([Layer(BaseLayer), Layer(input)]);
    }

    public override bool IsExpected(Exception e) => e is InputException or BlobDigestException;

    internal static void ReadAll(IReadOnlyList<LayerRef> layers)
    {
        var options = new LayerReadOptions { KeepHidden = true, MaxInMemoryBytes = 32L << 20, MaxSpilledBytes = 64L << 20 };
        using var fs = ImageFileSystem.ReadAsync(layers, _ => true, options).GetAwaiter().GetResult();
        foreach (var file in fs.Files().Take(10_000))
        {
            using var content = fs.TryOpen(file.Path);
            content?.CopyTo(Stream.Null);
            _ = fs.RealPath(file.Path);
        }
    }

    private static LayerRef Layer(byte[] blob)
    {
        var mediaType = GzipMutator.IsGzip(blob) ? MediaTypes.OciLayerGzip
            : blob.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x28, 0xB5, 0x2F, 0xFD]) ? MediaTypes.OciLayerZstd
            : MediaTypes.OciLayerTar;
        return new LayerRef(Digest.Sha256Of(blob), null, mediaType, blob.Length, _ => Task.FromResult<Stream>(new MemoryStream(blob, writable: false)));
    }

    /// A small uncompressed layer (etc/os-release, a dpkg status file), for seeds of image targets.
    internal static byte[] SampleLayer { get; } = Tar(w =>
    {
        Entry(w, TarEntryType.Directory, "etc/", null, null);
        Entry(w, TarEntryType.RegularFile, "etc/os-release", null, "ID=debian\nVERSION_ID=12\n");
        Entry(w, TarEntryType.RegularFile, "var/lib/dpkg/status", null, "Package: a\nVersion: 1\nStatus: install ok installed\n");
    });

    private static byte[] BuildBase() => GzipMutator.Deflate(Tar(w =>
    {
        Entry(w, TarEntryType.Directory, "etc/", null, null);
        Entry(w, TarEntryType.RegularFile, "etc/os-release", null, "ID=debian\nVERSION_ID=12\n");
        Entry(w, TarEntryType.RegularFile, "etc/passwd", null, "root:x:0:0::/root:/bin/sh\n");
        Entry(w, TarEntryType.Directory, "usr/lib/", null, null);
        Entry(w, TarEntryType.RegularFile, "usr/lib/a", null, "a");
        Entry(w, TarEntryType.SymbolicLink, "lib", "usr/lib", null);
    }));

    internal static byte[] Tar(Action<TarWriter> write)
    {
        using var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true)) write(writer);
        return output.ToArray();
    }

    internal static void Entry(TarWriter w, TarEntryType type, string name, string? link, string? content)
    {
        var entry = new PaxTarEntry(type, name);
        if (link is not null) entry.LinkName = link;
        if (content is not null) entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content));
        w.WriteEntry(entry);
    }
}

/// Image archives as `bulwark sbom docker-archive:FILE` and `oci-archive:FILE` open them: the input is written to a
/// file and resolved as both kinds (every image in it, every platform), and each image's layers are squashed and read
/// as in <see cref="LayerTarget"/>. Allowed: <see cref="InputException"/>, <see cref="BlobDigestException"/> and
/// <see cref="UsageException"/> (an archive holding several images, none named).
public sealed class ImageArchiveTarget : FuzzTarget
{
    public override string Name => "oci.archive";
    public override InputFormat Format => InputFormat.Tar;
    public override int MaxInputSize => 2 << 20;

    public override bool IsSeed(string relativePath) =>
        relativePath.Contains("archives/", StringComparison.Ordinal) && relativePath.EndsWith(".tar", StringComparison.Ordinal);

    public override IEnumerable<byte[]> ExtraSeeds()
    {
        var layer = LayerTarget.SampleLayer;
        var layerDigest = Digest.Sha256Of(layer);
        var config = Encoding.UTF8.GetBytes($$$"""{"architecture":"amd64","os":"linux","config":{"Labels":{"a":"b"}},"rootfs":{"type":"layers","diff_ids":["{{{layerDigest}}}"]}}""");
        var configDigest = Digest.Sha256Of(config);
        // docker save: manifest.json naming the config and layers by path
        yield return LayerTarget.Tar(w =>
        {
            LayerTarget.Entry(w, TarEntryType.RegularFile, "manifest.json", null,
                $$$"""[{"Config":"{{{configDigest.Hex}}}.json","RepoTags":["example.com/app:1"],"Layers":["{{{layerDigest.Hex}}}/layer.tar"]}]""");
            LayerTarget.Entry(w, TarEntryType.RegularFile, $"{configDigest.Hex}.json", null, Encoding.UTF8.GetString(config));
            LayerTarget.Entry(w, TarEntryType.Directory, $"{layerDigest.Hex}/", null, null);
            LayerTarget.Entry(w, TarEntryType.RegularFile, $"{layerDigest.Hex}/layer.tar", null, Encoding.Latin1.GetString(layer));
        });
        // an OCI image layout in a tar: oci-layout, index.json, blobs by digest
        var manifest = Encoding.UTF8.GetBytes(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + $"\"config\":{{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"{configDigest}\",\"size\":{config.Length}}},"
            + $"\"layers\":[{{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"{layerDigest}\",\"size\":{layer.Length}}}]}}");
        var manifestDigest = Digest.Sha256Of(manifest);
        yield return LayerTarget.Tar(w =>
        {
            LayerTarget.Entry(w, TarEntryType.RegularFile, "oci-layout", null, """{"imageLayoutVersion":"1.0.0"}""");
            LayerTarget.Entry(w, TarEntryType.RegularFile, "index.json", null,
                $$$"""{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{manifestDigest}}}","size":{{{manifest.Length}}},"annotations":{"org.opencontainers.image.ref.name":"1"}}]}""");
            foreach (var (digest, bytes) in new[] { (manifestDigest, manifest), (configDigest, config), (layerDigest, layer) })
                LayerTarget.Entry(w, TarEntryType.RegularFile, $"blobs/sha256/{digest.Hex}", null, Encoding.Latin1.GetString(bytes));
        });
    }

    public override IReadOnlyList<string> Dictionary { get; } =
        ["manifest.json", "index.json", "oci-layout", "blobs/sha256/", "\"Config\"", "\"Layers\"", "\"RepoTags\"", "\"manifests\"", "\"digest\"",
         "\"size\"", "\"mediaType\"", "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json",
         "../", "/etc/passwd", "sha256:", "\"platform\"", "\"architecture\":\"arm64\""];

    public override void Run(byte[] input)
    {
        // a file per run: tests run targets side by side, and a worker abandoned after a timeout may still hold one
        var file = Path.Combine(Path.GetTempPath(), $"bulwark-fuzz-{Guid.NewGuid():N}-archive.tar");
        File.WriteAllBytes(file, input);
        try
        {
            foreach (var kind in (string[])["docker-archive:", "oci-archive:"])
            {
                var images = ImageSources.ResolveImagesAsync(ImageSources.Parse(kind + file), new ImageSourceOptions { AllPlatforms = true }, CancellationToken.None)
                    .GetAwaiter().GetResult();
                foreach (var image in images)
                    using (image)
                        LayerTarget.ReadAll(image.Layers);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    public override bool IsExpected(Exception e) => e is InputException or BlobDigestException or UsageException;
}

/// What a registry answers, as the registry client reads it: the input is one scripted HTTP answer (a status chosen
/// by its first byte; its first line a WWW-Authenticate challenge on 401, a Link header on 200; the rest the body),
/// given to every request of a manifest fetch, a tag listing and a referrers query; a token request the challenge
/// sends the client to gets the same body with 200. Allowed: <see cref="RegistryException"/> (the CLI's registry
/// error), <see cref="InputException"/> and <see cref="BlobDigestException"/>.
public sealed class RegistryResponseTarget : FuzzTarget
{
    private static readonly System.Net.HttpStatusCode[] Statuses =
        [System.Net.HttpStatusCode.OK, System.Net.HttpStatusCode.Unauthorized, System.Net.HttpStatusCode.NotFound,
         System.Net.HttpStatusCode.TooManyRequests, System.Net.HttpStatusCode.InternalServerError, System.Net.HttpStatusCode.Forbidden,
         System.Net.HttpStatusCode.TemporaryRedirect, System.Net.HttpStatusCode.BadRequest];

    private static readonly ImageReference Reference = ImageReference.Parse("registry.test/team/app:1");
    private static readonly Digest Subject = Digest.Sha256Of("subject"u8);

    public override string Name => "oci.registry-response";
    public override InputFormat Format => InputFormat.Json;

    public override bool IsSeed(string relativePath) =>
        relativePath.EndsWith(".json", StringComparison.Ordinal)
        && (relativePath.Contains("/oci/", StringComparison.OrdinalIgnoreCase) || relativePath.Contains("image-spec", StringComparison.Ordinal));

    public override IEnumerable<byte[]> ExtraSeeds() => new[]
    {
        "\u0001Bearer realm=\"http://registry.test/token\",service=\"registry.test\",scope=\"repository:team/app:pull\"\n{\"token\":\"abc\",\"expires_in\":300}",
        "\u0000</v2/team/app/tags/list?n=1&last=a>; rel=\"next\"\n{\"name\":\"team/app\",\"tags\":[\"1\",\"2\"]}",
        "\u0002\n{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\",\"detail\":{\"Tag\":\"1\"}}]}",
        "\u0000\n{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + Digest.Sha256Of("m"u8) + "\",\"size\":1,\"artifactType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\"}]}",
    }.Select(Encoding.UTF8.GetBytes);

    public override IReadOnlyList<string> Dictionary { get; } =
        ["Bearer ", "Basic ", "realm=", "service=", "scope=", "error=", "\"token\"", "\"access_token\"", "\"expires_in\"", "\"issued_at\"",
         "rel=\"next\"", "</v2/", "\"errors\"", "\"code\"", "\"tags\"", "\"manifests\"", "\"mediaType\"", "\"digest\"", "\"size\"",
         "application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json", "http://registry.test/token", "file:///etc/passwd"];

    public override int MaxInputSize => 64 << 10;

    public override void Run(byte[] input)
    {
        using var client = new RegistryClient(new RegistryClientOptions
        {
            Handler = new Scripted(input), Insecure = true, MaxAttempts = 2, RetryDelay = TimeSpan.Zero,
            Credentials = StaticCredentials.None, RequestTimeout = TimeSpan.FromSeconds(10),
        });
        Expect(() => client.GetManifestAsync(Reference));
        Expect(() => client.ListTagsAsync("registry.test", "team/app"));
        Expect(() => client.GetReferrersAsync("registry.test", "team/app", Subject));
    }

    // each call on its own: an expected refusal of one does not hide what the next one does
    private void Expect<T>(Func<Task<T>> call)
    {
        try
        {
            _ = call().GetAwaiter().GetResult();
        }
        catch (Exception e) when (IsExpected(e))
        {
        }
    }

    public override bool IsExpected(Exception e) => e is RegistryException or InputException or BlobDigestException;

    private sealed class Scripted(byte[] input) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var newline = input.Length > 1 ? Array.IndexOf(input, (byte)'\n', 1) : -1;
            var header = newline > 1 ? Encoding.UTF8.GetString(input, 1, newline - 1) : "";
            var body = newline >= 0 ? input[(newline + 1)..] : input.Length > 1 ? input[1..] : [];
            if (request.RequestUri?.AbsolutePath == "/token")
                return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = Json(body) });
            var status = input.Length > 0 ? Statuses[input[0] % Statuses.Length] : System.Net.HttpStatusCode.OK;
            var response = new HttpResponseMessage(status) { Content = Json(body), RequestMessage = request };
            switch (status)
            {
                case System.Net.HttpStatusCode.Unauthorized:
                    response.Headers.TryAddWithoutValidation("WWW-Authenticate", header);
                    break;
                case System.Net.HttpStatusCode.TemporaryRedirect:
                    response.Headers.TryAddWithoutValidation("Location", header);
                    break;
                default:
                    if (header.Length > 0) response.Headers.TryAddWithoutValidation("Link", header);
                    break;
            }
            return Task.FromResult(response);
        }

        private static ByteArrayContent Json(byte[] body)
        {
            var content = new ByteArrayContent(body);
            // the media type the body names, as a registry would send it; else JSON
            var mediaType = "application/json";
            var at = body.AsSpan().IndexOf("\"mediaType\":\""u8);
            if (at >= 0 && body.AsSpan(at + 13).IndexOf((byte)'"') is var end and > 0)
                mediaType = Encoding.UTF8.GetString(body, at + 13, end);
            content.Headers.TryAddWithoutValidation("Content-Type", mediaType);
            return content;
        }
    }
}
