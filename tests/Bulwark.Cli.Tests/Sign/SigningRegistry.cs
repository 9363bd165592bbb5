// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Bulwark.Core;
using Bulwark.Oci;
using Bulwark.Oci.Registry;
using Bulwark.Signing.Keys;
using Bulwark.Testing;

namespace Bulwark.Cli.Tests.Sign;

/// One docker-registry (distribution 2.8, no referrers API) for a test class, holding the two real images of
/// ../shared/images (pushed once with skopeo), key pairs, and the tools the tests use to tamper with what signing stored.
public sealed class SigningRegistry : IDisposable
{
    public const string DebianDigest = "sha256:8127f6d909042ed61dae7611ffb26f3510c9e8091c3cf1902563f21483c95698";
    public const string DemoDigest = "sha256:dd544121f31e16475530932c99d187ea2e36580676cfb4f9bc719f81872bebd0";

    private readonly LocalRegistry _registry = new();
    private readonly string _keys = Directory.CreateTempSubdirectory("bulwark-image-keys-").FullName;
    private readonly HttpClient _http = new();
    private int _repositories;

    public string Host => _registry.Host;
    public RegistryClient Client { get; } = new(new RegistryClientOptions { Insecure = true, Credentials = StaticCredentials.None, RetryDelay = TimeSpan.FromMilliseconds(10) });
    /// (private key PKCS#8 PEM, public key PEM) paths.
    public (string Key, string Pub) Alice { get; }
    public (string Key, string Pub) Bob { get; }

    public SigningRegistry()
    {
        var layout = Path.Combine(TestPaths.Shared, "images", "oci-layout");
        Skopeo("copy", "--quiet", "--dest-tls-verify=false", $"oci:{layout}:debian-bookworm", $"docker://{Host}/base/debian:12");
        Skopeo("copy", "--quiet", "--dest-tls-verify=false", $"oci:{layout}:demo-shop", $"docker://{Host}/base/demo:1");
        Alice = WriteKeyPair("alice");
        Bob = WriteKeyPair("bob");
    }

    private (string, string) WriteKeyPair(string name)
    {
        using var key = SigningKey.GenerateEcdsaP256();
        var keyPath = Path.Combine(_keys, name + ".key");
        var pubPath = Path.Combine(_keys, name + ".pub");
        File.WriteAllText(keyPath, System.Security.Cryptography.PemEncoding.WriteString("PRIVATE KEY", key.ExportPkcs8()));
        File.WriteAllText(pubPath, key.PublicKey.ToPem());
        return (keyPath, pubPath);
    }

    /// Copies a base image ("debian" or "demo") into a repository of its own (blobs mounted), so each test tampers alone.
    public async Task<string> NewRepositoryAsync(string image = "debian", string tag = "1")
    {
        var repository = $"t{Interlocked.Increment(ref _repositories)}/{image}";
        var source = image == "debian" ? "base/debian:12" : "base/demo:1";
        await CopyManifestAsync(source, $"{repository}:{tag}");
        return $"{Host}/{repository}:{tag}";
    }

    /// The repository of a reference NewRepositoryAsync returned: "t3/debian" of "127.0.0.1:5000/t3/debian:1".
    public static string RepositoryOf(string image) => image[(image.IndexOf('/', StringComparison.Ordinal) + 1)..image.LastIndexOf(':')];

    /// A new repository (see <see cref="NewRepositoryAsync"/>) whose image Alice has signed or attested: `VERB --key
    /// alice.key --insecure OPTIONS… IMAGE` ran and exited 0.
    public async Task<string> NewRepositoryWithAsync(string verb, string image = "debian", params string[] options)
    {
        var reference = await NewRepositoryAsync(image);
        var outcome = await CliRun.RunAsync([verb, "--key", Alice.Key, "--insecure", .. options, reference]);
        Assert.True(outcome.ExitCode == 0, $"{verb} exited {outcome.ExitCode}: {outcome.Stderr}");
        return reference;
    }

    /// Puts the demo image into <paramref name="repository"/> as tag "demo" and gives it a copy of the Debian image's
    /// Cosign tag (<paramref name="suffix"/> .sig or .att): a signature or attestation about another digest. Returns the
    /// demo image's reference.
    public async Task<string> DemoWithDebiansTagAsync(string repository, string suffix)
    {
        await CopyManifestAsync("base/demo:1", $"{repository}:demo");
        await CopyManifestAsync($"{repository}:sha256-{DebianDigest[7..]}{suffix}", $"{repository}:sha256-{DemoDigest[7..]}{suffix}");
        return $"{Host}/{repository}:demo";
    }

    /// Runs `VERB --key KEY --insecure IMAGE` (VERB verify or verify-attestation, KEY Alice's public key unless given) and
    /// asserts that verification failed (exit 4), with <paramref name="reason"/> in what it printed when given.
    public async Task<CliOutcome> AssertVerificationFailsAsync(string verb, string image, string? reason = null, string? key = null)
    {
        var outcome = await CliRun.RunAsync(verb, "--key", key ?? Alice.Pub, "--insecure", image);
        Assert.True(outcome.ExitCode == 4, $"{verb} exited {outcome.ExitCode}, expected 4: {outcome.Stderr}");
        if (reason is not null) Assert.Contains(reason, outcome.Stderr, StringComparison.Ordinal);
        return outcome;
    }

    /// Copies the manifest FROM (repo:tag or repo@digest) to TO (repo:tag), mounting its blobs into the target repository.
    public async Task CopyManifestAsync(string from, string to)
    {
        var source = ImageReference.Parse($"{Host}/{from}");
        var target = ImageReference.Parse($"{Host}/{to}");
        var manifest = await Client.GetManifestAsync(source);
        var json = JsonNode.Parse(manifest.Bytes.Span)!;
        var blobs = new List<JsonNode> { json["config"]! };
        blobs.AddRange(json["layers"]!.AsArray()!.Select(l => l!));
        foreach (var blob in blobs)
            Assert.True(await Client.MountBlobAsync(Host, target.Repository, Digest.Parse(blob["digest"]!.GetValue<string>()), source.Repository));
        await Client.PutManifestAsync(target, manifest.Bytes, manifest.MediaType);
    }

    public async Task<JsonNode?> ManifestAsync(string repository, string tagOrDigest)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{Host}/v2/{repository}/manifests/{tagOrDigest}");
        request.Headers.Accept.ParseAdd(MediaTypes.OciManifest);
        request.Headers.Accept.ParseAdd(MediaTypes.OciIndex);
        using var response = await _http.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync());
    }

    public async Task<byte[]> BlobAsync(string repository, string digest) =>
        await _http.GetByteArrayAsync(new Uri($"http://{Host}/v2/{repository}/blobs/{digest}"));

    /// Stores a manifest under a tag, or by its digest when <paramref name="tag"/> is null.
    public async Task<Digest> PutAsync(string repository, string? tag, JsonNode manifest)
    {
        var bytes = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        var target = new ImageReference(Host, repository, tag, tag is null ? Digest.Sha256Of(bytes) : null);
        return await Client.PutManifestAsync(target, bytes, manifest["mediaType"]!.GetValue<string>());
    }

    public async Task<Digest> PushBlobAsync(string repository, byte[] content)
    {
        var digest = Digest.Sha256Of(content);
        await Client.PushBlobAsync(Host, repository, digest, new MemoryStream(content), content.Length);
        return digest;
    }

    /// Deletes the manifest a tag points to (distribution deletes by digest, and with it every tag on it).
    public async Task DeleteTagAsync(string repository, string tag)
    {
        var head = await Client.HeadManifestAsync(new ImageReference(Host, repository, tag, null), [MediaTypes.OciManifest, MediaTypes.OciIndex]);
        Assert.NotNull(head?.Digest);
        using var response = await _http.DeleteAsync(new Uri($"http://{Host}/v2/{repository}/manifests/{head!.Digest}"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    /// Removes every referrer of the subject (the referrers tag index becomes empty).
    public Task ClearReferrersAsync(string repository, string subject) =>
        PutAsync(repository, "sha256-" + subject[7..], JsonNode.Parse($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[]}""")!);

    /// Rewrites every signed layer of the subject, in the Cosign tag (suffix .sig or .att) and in each referrer:
    /// <paramref name="change"/> gets the layer content and its annotations and returns the new content.
    public async Task TamperAsync(string repository, string subject, string suffix, Func<byte[], JsonObject, byte[]> change)
    {
        var hex = subject[7..];
        if (await ManifestAsync(repository, $"sha256-{hex}{suffix}") is { } tagged)
        {
            await RewriteLayersAsync(repository, tagged, change);
            await PutAsync(repository, $"sha256-{hex}{suffix}", tagged);
        }
        if (await ManifestAsync(repository, $"sha256-{hex}") is { } index)
        {
            foreach (var entry in index["manifests"]!.AsArray())
            {
                var manifest = (await ManifestAsync(repository, entry!["digest"]!.GetValue<string>()))!;
                await RewriteLayersAsync(repository, manifest, change);
                var digest = await PutAsync(repository, null, manifest);
                entry["digest"] = digest.ToString();
                entry["size"] = Encoding.UTF8.GetByteCount(manifest.ToJsonString());
            }
            await PutAsync(repository, $"sha256-{hex}", index);
        }
    }

    private async Task RewriteLayersAsync(string repository, JsonNode manifest, Func<byte[], JsonObject, byte[]> change)
    {
        foreach (var layer in manifest["layers"]!.AsArray())
        {
            var content = await BlobAsync(repository, layer!["digest"]!.GetValue<string>());
            var annotations = layer["annotations"] as JsonObject ?? [];
            var changed = change(content, annotations);
            layer["annotations"] = annotations;
            layer["digest"] = (await PushBlobAsync(repository, changed)).ToString();
            layer["size"] = changed.Length;
        }
    }

    public void Skopeo(params string[] args)
    {
        if (!File.Exists("/usr/bin/skopeo")) throw new InvalidOperationException("skopeo is missing: run ./test.sh (it installs Debian's skopeo).");
        var psi = new ProcessStartInfo("/usr/bin/skopeo", ["--insecure-policy", .. args]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"skopeo {string.Join(' ', args)} failed: {err.Result}\n{_registry.Log}");
    }

    public void Dispose()
    {
        Client.Dispose();
        _http.Dispose();
        _registry.Dispose();
        Directory.Delete(_keys, recursive: true);
    }
}
