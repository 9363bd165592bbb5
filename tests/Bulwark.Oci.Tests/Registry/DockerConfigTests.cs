// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;
using Bulwark.Oci.Registry;

namespace Bulwark.Oci.Tests.Registry;

public sealed class DockerConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bulwark-dockercfg-").FullName;
    private readonly List<(string Helper, string ServerUrl)> _helperCalls = [];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private DockerConfig Config(string json, Func<string, string, DockerConfig.HelperResult>? helper = null)
    {
        var path = Path.Combine(_dir, "config.json");
        File.WriteAllText(path, json);
        return new DockerConfig(path, (h, url, _) =>
        {
            _helperCalls.Add((h, url));
            return Task.FromResult(helper?.Invoke(h, url) ?? new DockerConfig.HelperResult(1, "credentials not found in native keychain"));
        });
    }

    private static string Auths(string key, string userColonPassword) =>
        "{\"auths\":{\"" + key + "\":{\"auth\":\"" + B64(userColonPassword) + "\"}}}";

    private static string B64(string s) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(s));

    [Fact]
    public async Task Reads_user_and_password_from_the_base64_auth_field()
    {
        var config = Config(Auths("127.0.0.1:5000", "alice:pa:ss"));

        Assert.Equal(new RegistryCredentials("alice", "pa:ss"), await config.GetAsync("127.0.0.1:5000", default));
        Assert.Null(await config.GetAsync("127.0.0.1:5001", default));
    }

    [Fact]
    public async Task Matches_keys_written_as_urls()
    {
        var config = Config(Auths("https://ghcr.io/v2/", "bob:pw"));

        Assert.Equal(new RegistryCredentials("bob", "pw"), await config.GetAsync("ghcr.io", default));
    }

    [Theory]
    [InlineData("docker.io")]
    [InlineData("index.docker.io")]
    [InlineData("registry-1.docker.io")]
    public async Task Finds_Docker_Hub_credentials_under_the_index_v1_key(string registry)
    {
        var config = Config(Auths("https://index.docker.io/v1/", "hubuser:hubpass"));

        Assert.Equal(new RegistryCredentials("hubuser", "hubpass"), await config.GetAsync(registry, default));
    }

    [Fact]
    public async Task Reads_an_identity_token()
    {
        var config = Config("""{"auths":{"myregistry.example":{"identitytoken":"refresh-123"}}}""");

        Assert.Equal(new RegistryCredentials(null, null, "refresh-123"), await config.GetAsync("myregistry.example", default));
    }

    [Fact]
    public async Task Asks_the_registry_specific_helper_first_with_the_server_url()
    {
        var config = Config($$$"""{"auths":{"ghcr.io":{"auth":"{{{B64("stale:stale")}}}"}},"credsStore":"desktop","credHelpers":{"ghcr.io":"gh"}}""",
            (h, url) => new DockerConfig.HelperResult(0, $$$"""{"ServerURL":"{{{url}}}","Username":"octo","Secret":"ghp_x"}"""));

        Assert.Equal(new RegistryCredentials("octo", "ghp_x"), await config.GetAsync("ghcr.io", default));
        Assert.Equal([("gh", "ghcr.io")], _helperCalls);
    }

    [Fact]
    public async Task Asks_the_default_store_with_the_Docker_Hub_url_and_reads_token_secrets()
    {
        var config = Config("""{"auths":{"https://index.docker.io/v1/":{}},"credsStore":"pass"}""",
            (_, _) => new DockerConfig.HelperResult(0, """{"Username":"<token>","Secret":"idtoken"}"""));

        Assert.Equal(new RegistryCredentials(null, null, "idtoken"), await config.GetAsync("docker.io", default));
        Assert.Equal([("pass", DockerConfig.DockerHubKey)], _helperCalls);
    }

    [Fact]
    public async Task Treats_credentials_not_found_from_a_helper_as_anonymous()
    {
        var config = Config("""{"credsStore":"pass"}""");

        Assert.Null(await config.GetAsync("quay.io", default));
    }

    [Fact]
    public async Task Reports_a_failing_helper()
    {
        var config = Config("""{"credsStore":"pass"}""", (_, _) => new DockerConfig.HelperResult(2, "gpg: decryption failed"));

        var e = await Assert.ThrowsAsync<InputException>(() => config.GetAsync("quay.io", default));

        Assert.Equal("docker-credential-pass get failed for quay.io (exit 2): gpg: decryption failed. Check the helper or run 'docker login'.", e.Message);
    }

    [Fact]
    public async Task Names_a_helper_that_is_not_installed()
    {
        var path = Path.Combine(_dir, "config.json");
        File.WriteAllText(path, """{"credsStore":"bulwark-test-no-such-helper"}""");
        var config = new DockerConfig(path);

        var e = await Assert.ThrowsAsync<InputException>(() => config.GetAsync("quay.io", default));

        Assert.StartsWith("Docker's config names the credential helper 'bulwark-test-no-such-helper', but docker-credential-bulwark-test-no-such-helper is not on PATH.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_a_real_helper_program_and_passes_the_server_url_on_stdin()
    {
        var bin = Path.Combine(_dir, "bin");
        Directory.CreateDirectory(bin);
        var helper = Path.Combine(bin, "docker-credential-bulwarktest");
        File.WriteAllText(helper, "#!/bin/sh\n[ \"$1\" = get ] || exit 3\nread url\nprintf '{\"ServerURL\":\"%s\",\"Username\":\"u-%s\",\"Secret\":\"s\"}' \"$url\" \"$url\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(helper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = Path.Combine(_dir, "config.json");
        File.WriteAllText(path, """{"credHelpers":{"127.0.0.1:5000":"bulwarktest"}}""");
        var oldPath = Environment.GetEnvironmentVariable("PATH");
        RegistryCredentials? creds;
        try
        {
            // helpers are found on PATH by name, as Docker finds them (only this class runs helpers by name)
            Environment.SetEnvironmentVariable("PATH", bin + Path.PathSeparator + oldPath);
            creds = await new DockerConfig(path).GetAsync("127.0.0.1:5000", default);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", oldPath);
        }

        Assert.Equal(new RegistryCredentials("u-127.0.0.1:5000", "s"), creds);
    }

    [Fact]
    public async Task Goes_anonymous_when_there_is_no_config_file()
    {
        Assert.Null(await new DockerConfig(Path.Combine(_dir, "missing.json")).GetAsync("docker.io", default));
    }

    [Fact]
    public async Task Reports_a_config_that_is_not_json()
    {
        var e = await Assert.ThrowsAsync<InputException>(() => Config("{not json").GetAsync("docker.io", default));

        Assert.StartsWith("Cannot read Docker credentials from ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keeps_secrets_out_of_ToString()
    {
        Assert.Equal("RegistryCredentials { Username = alice }", new RegistryCredentials("alice", "s3cret", "tok").ToString());
    }
}
