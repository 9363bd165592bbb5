// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Core;

namespace Bulwark.Oci.Tests;

public sealed class ManifestTests
{
    private const string A = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string B = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private const string C = "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";

    private static ReadOnlyMemory<byte> Json(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Reads_an_oci_manifest_with_subject_annotations_and_layer_urls()
    {
        var m = ImageManifest.Parse(Json($$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.OciManifest}}}","artifactType":"application/x-test",
             "config":{"mediaType":"{{{MediaTypes.OciConfig}}}","digest":"{{{A}}}","size":10},
             "layers":[{"mediaType":"{{{MediaTypes.OciLayerGzip}}}","digest":"{{{B}}}","size":20,"urls":["https://example.com/l"],"annotations":{"k":"v"}}],
             "subject":{"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{C}}}","size":30},
             "annotations":{"org.opencontainers.image.created":"2026-01-01"}}
            """), "manifest x");
        Assert.Equal(MediaTypes.OciManifest, m.MediaType);
        Assert.Equal((MediaTypes.OciConfig, Digest.Parse(A), 10L), (m.Config.MediaType, m.Config.Digest, m.Config.Size));
        Assert.Equal(Digest.Parse(B), Assert.Single(m.Layers).Digest);
        Assert.Equal(["https://example.com/l"], m.Layers[0].Urls);
        Assert.Equal("v", m.Layers[0].Annotations["k"]);
        Assert.Equal(Digest.Parse(C), m.Subject!.Digest);
        Assert.Equal("application/x-test", m.ArtifactType);
        Assert.Equal("2026-01-01", m.Annotations["org.opencontainers.image.created"]);
    }

    [Fact]
    public void Reads_a_docker_schema_2_manifest()
    {
        var m = ImageManifest.Parse(Json($$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.DockerManifest}}}",
             "config":{"mediaType":"{{{MediaTypes.DockerConfig}}}","digest":"{{{A}}}","size":10},
             "layers":[{"mediaType":"{{{MediaTypes.DockerLayerGzip}}}","digest":"{{{B}}}","size":20}]}
            """), "manifest x");
        Assert.Equal(MediaTypes.DockerManifest, m.MediaType);
        Assert.Equal(MediaTypes.DockerConfig, m.Config.MediaType);
        Assert.Equal(MediaTypes.DockerLayerGzip, m.Layers[0].MediaType);
    }

    [Fact]
    public void Detects_a_manifest_without_media_type_by_its_shape()
    {
        var doc = OciDocument.Parse(Json($$$"""
            {"schemaVersion":2,"config":{"mediaType":"{{{MediaTypes.OciConfig}}}","digest":"{{{A}}}","size":1},"layers":[]}
            """), "blob x");
        Assert.Equal(MediaTypes.OciManifest, Assert.IsType<ImageManifest>(doc).MediaType);
    }

    [Fact]
    public void Detects_an_index_without_media_type_by_its_shape_and_reads_platforms()
    {
        var doc = OciDocument.Parse(Json($$$"""
            {"schemaVersion":2,"manifests":[
              {"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{A}}}","size":1,"platform":{"os":"linux","architecture":"amd64"}},
              {"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{B}}}","size":2,"platform":{"os":"linux","architecture":"arm64","variant":"v8"}},
              {"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{C}}}","size":3,"platform":{"os":"windows","architecture":"amd64","os.version":"10.0.17763.1"}}]}
            """), "blob x");
        var index = Assert.IsType<ImageIndex>(doc);
        Assert.Equal(MediaTypes.OciIndex, index.MediaType);
        Assert.Equal(["linux/amd64", "linux/arm64/v8", "windows/amd64"], index.Manifests.Select(m => m.Platform!.ToString()));
        Assert.Equal("10.0.17763.1", index.Manifests[2].Platform!.OsVersion);
    }

    [Fact]
    public void Reads_a_docker_manifest_list()
    {
        var index = ImageIndex.Parse(Json($$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.DockerManifestList}}}","manifests":[
              {"mediaType":"{{{MediaTypes.DockerManifest}}}","digest":"{{{A}}}","size":1,"platform":{"os":"linux","architecture":"arm","variant":"v7"}}]}
            """), "list x");
        Assert.Equal(MediaTypes.DockerManifestList, index.MediaType);
        Assert.Equal(new Platform("linux", "arm", "v7"), index.Manifests[0].Platform);
    }

    [Theory]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"digest":"sha256:aa","size":1},"layers":[]}""",
        "manifest sha256:x in oci:L: 'config.digest' is 'sha256:aa', not a digest of the form sha256:<64 lowercase hex>; the document is malformed.")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]}""",
        "manifest sha256:x in oci:L: 'config' is missing; the document is malformed.")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"a","digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":"1"},"layers":[]}""",
        "manifest sha256:x in oci:L: 'config.size' must be an integer; the document is malformed.")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"a","digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":-1},"layers":[]}""",
        "manifest sha256:x in oci:L: 'config.size' must not be negative; the document is malformed.")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"a","digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":1},"layers":{}}""",
        "manifest sha256:x in oci:L: 'layers' must be an array; the document is malformed.")]
    [InlineData("""{"schemaVersion":1,"name":"x","fsLayers":[]}""",
        "manifest sha256:x in oci:L is a Docker image manifest schema 1, which is deprecated and not supported; pull and push the image with a current Docker or skopeo to convert it.")]
    [InlineData("""{"schemaVersion":2}""",
        "manifest sha256:x in oci:L has no 'mediaType' and neither 'manifests' nor 'config'; it is not an OCI manifest or index.")]
    [InlineData("""{"schemaVersion":2,"mediaType":"text/plain"}""",
        "manifest sha256:x in oci:L has media type 'text/plain', which is neither an image manifest nor an image index.")]
    [InlineData("""[1,2]""", "manifest sha256:x in oci:L is not a JSON object; the file is corrupt or not an OCI document.")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}""",
        "manifest sha256:x in oci:L is an image index (application/vnd.oci.image.index.v1+json) where an image manifest was expected.")]
    public void Names_the_blob_and_field_when_a_manifest_is_malformed(string json, string message)
    {
        var e = Assert.Throws<InputException>(() => ImageManifest.Parse(Json(json), "manifest sha256:x in oci:L"));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Refuses_a_document_whose_media_type_contradicts_its_descriptor()
    {
        var e = Assert.Throws<InputException>(() => OciDocument.Parse(Json($$$"""{"schemaVersion":2,"mediaType":"{{{MediaTypes.OciIndex}}}","manifests":[]}"""), "blob y", MediaTypes.OciManifest));
        Assert.Equal($"blob y: 'mediaType' is '{MediaTypes.OciIndex}' but the descriptor pointing at it says '{MediaTypes.OciManifest}'; the document is malformed.", e.Message);
    }

    [Fact]
    public void Refuses_a_manifest_larger_than_4_MiB()
    {
        var e = Assert.Throws<InputException>(() => OciDocument.Parse(new byte[OciDocument.MaxManifestBytes + 1], "blob z"));
        Assert.Equal("blob z is 4194305 bytes, more than the 4194304 bytes a manifest may have; refusing it.", e.Message);
    }

    [Fact]
    public void Reads_an_image_config_with_labels_history_and_diff_ids()
    {
        var c = ImageConfig.Parse(Json($$$"""
            {"architecture":"arm64","variant":"v8","os":"linux","created":"2026-01-01T00:00:00Z",
             "config":{"User":"app","Env":["PATH=/bin"],"Entrypoint":["/e"],"Cmd":["run"],"WorkingDir":"/app","Labels":{"z":"1","a":"2"}},
             "rootfs":{"type":"layers","diff_ids":["{{{A}}}","{{{B}}}"]},
             "history":[{"created_by":"ADD x"},{"created_by":"ENV y","empty_layer":true},{"created_by":"RUN z","comment":"c"}]}
            """), "config q");
        Assert.Equal(new Platform("linux", "arm64", "v8"), c.Platform);
        Assert.Equal("app", c.User);
        Assert.Equal(["PATH=/bin"], c.Env);
        Assert.Equal(["/e"], c.Entrypoint);
        Assert.Equal(["run"], c.Cmd);
        Assert.Equal("/app", c.WorkingDir);
        Assert.Equal(["a", "z"], c.Labels.Keys);
        Assert.Equal([Digest.Parse(A), Digest.Parse(B)], c.DiffIds);
        Assert.Equal([false, true, false], c.History.Select(h => h.EmptyLayer));
        Assert.Equal("c", c.History[2].Comment);
    }

    [Theory]
    [InlineData("""{"os":"linux","rootfs":{"diff_ids":[]}}""", "config q: 'architecture' is missing; the document is malformed.")]
    [InlineData("""{"os":"linux","architecture":"amd64"}""", "config q: 'rootfs' is missing; the document is malformed.")]
    [InlineData("""{"os":"linux","architecture":"amd64","rootfs":{"diff_ids":["md5:x"]}}""", "config q: 'rootfs.diff_ids[0]' is 'md5:x', not a digest of the form sha256:<64 lowercase hex>; the document is malformed.")]
    [InlineData("""{"os":"linux","architecture":"amd64","config":{"Labels":{"a":1}},"rootfs":{"diff_ids":[]}}""", "config q: 'config.Labels.a' must be a string; the document is malformed.")]
    [InlineData("""{"os":"linux","architecture":"amd64","rootfs":{"diff_ids":[]},"history":[{"empty_layer":"yes"}]}""", "config q: 'history[0].empty_layer' must be true or false; the document is malformed.")]
    [InlineData("""{"os":""", "config q is not valid JSON (Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed. LineNumber: 0 | BytePositionInLine: 6.); the file is corrupt or not an OCI document.")]
    public void Names_the_config_and_field_when_a_config_is_malformed(string json, string message)
    {
        var e = Assert.Throws<InputException>(() => ImageConfig.Parse(Json(json), "config q"));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Chooses_the_requested_platform_from_an_index_and_lists_the_others_when_missing()
    {
        var index = ImageIndex.Parse(Json($$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.OciIndex}}}","manifests":[
              {"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{A}}}","size":1,"platform":{"os":"linux","architecture":"amd64"}},
              {"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{B}}}","size":2,"platform":{"os":"linux","architecture":"arm64","variant":"v8"}},
              {"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{C}}}","size":3,"platform":{"os":"unknown","architecture":"unknown"},
               "annotations":{"vnd.docker.reference.type":"attestation-manifest"}}]}
            """), "index i");
        Assert.Equal(Digest.Parse(B), PlatformChoice.Choose(index, Platform.Parse("linux/arm64"), "index i").Digest);
        Assert.Equal(Digest.Parse(A), PlatformChoice.Choose(index, Platform.Parse("linux/amd64"), "index i").Digest);
        Assert.Equal([Digest.Parse(A), Digest.Parse(B)], PlatformChoice.Images(index).Select(d => d.Digest));
        var e = Assert.Throws<InputException>(() => PlatformChoice.Choose(index, Platform.Parse("linux/s390x"), "index i"));
        Assert.Equal("index i has no image for linux/s390x; it has linux/amd64, linux/arm64/v8. Choose one with --platform, or read them all with --all-platforms.", e.Message);
    }
}
