// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Testing;

namespace Bulwark.Cli.Tests.Key;

public sealed class KeyCommandTests : IDisposable
{
    private static readonly string Vector = Path.Combine(TestPaths.Shared, "testvectors", "cosign", "cosign_generated_encrypted_empty_private.key");
    private const string VectorPublicKey = """
        -----BEGIN PUBLIC KEY-----
        MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEGmsWpZNuu+SUX70n3lVK4JLsaoV7
        T+rhea2rQUu29EQiatoLB06QdsmSd+GsQGlQzfcDtsKPzb+B2zLggrWZjg==
        -----END PUBLIC KEY-----

        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("bulwark-key-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static UnixFileMode ModeOf(string path) =>
        OperatingSystem.IsWindows() ? throw new PlatformNotSupportedException() : File.GetUnixFileMode(path);

    private static Dictionary<string, string> Password(string value, string variable = "BULWARK_PASSWORD") => new() { [variable] = value };

    [Fact]
    public async Task Generate_writes_an_encrypted_private_key_and_its_public_key()
    {
        var prefix = Path.Combine(_dir, "release");
        var outcome = await CliRun.RunAsync(["key", "generate", "--output-key-prefix", prefix], Password("s3cret"));

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal($"bulwark: private key written to {prefix}.key, public key to {prefix}.pub.\n", outcome.Stderr);
        Assert.StartsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n", File.ReadAllText(prefix + ".key"), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, ModeOf(prefix + ".key"));
        // openssl agrees the .pub is a P-256 PKIX key
        Assert.Contains("ASN1 OID: prime256v1", OpenSsl.Ok("pkey", "-pubin", "-in", prefix + ".pub", "-text", "-noout"), StringComparison.Ordinal);

        var again = await CliRun.RunAsync(["key", "public", "--key", prefix + ".key"], Password("s3cret"));
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(File.ReadAllText(prefix + ".pub"), again.Stdout);
    }

    [Fact]
    public async Task Generate_refuses_to_overwrite_keys_without_force()
    {
        var prefix = Path.Combine(_dir, "k");
        Assert.Equal(0, (await CliRun.RunAsync(["key", "generate", "--output-key-prefix", prefix], Password(""))).ExitCode);
        var before = File.ReadAllText(prefix + ".key");

        var refused = await CliRun.RunAsync(["key", "generate", "--output-key-prefix", prefix], Password(""));
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal($"bulwark: {prefix}.key already exists: choose another --output-key-prefix, or pass --force to overwrite it.\n", refused.Stderr);
        Assert.Equal(before, File.ReadAllText(prefix + ".key"));

        Assert.Equal(0, (await CliRun.RunAsync(["key", "generate", "--output-key-prefix", prefix, "--force"], Password(""))).ExitCode);
        Assert.NotEqual(before, File.ReadAllText(prefix + ".key"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, ModeOf(prefix + ".key"));
    }

    [Fact]
    public async Task Without_a_password_variable_or_a_terminal_generate_is_a_usage_error()
    {
        var outcome = await CliRun.RunAsync("key", "generate", "--output-key-prefix", Path.Combine(_dir, "k"));
        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal("bulwark: A password is needed to encrypt the new private key, and there is no terminal to ask on: set BULWARK_PASSWORD (or COSIGN_PASSWORD).\n", outcome.Stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "k.key")));
    }

    private async Task<CliOutcome> WithPrompt(string[] args, params string[] answers)
    {
        var queue = new Queue<string>(answers);
        var prompts = new List<string>();
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        var context = new CliContext
        {
            Stdout = stdout,
            Stderr = stderr,
            Environment = _ => null,
            PromptSecret = prompt =>
            {
                prompts.Add(prompt);
                return queue.Dequeue();
            },
        };
        var code = await Program.RunAsync(args, context);
        return new CliOutcome(code, Encoding.UTF8.GetString(stdout.ToArray()), string.Join("|", prompts) + "|" + stderr);
    }

    [Fact]
    public async Task The_terminal_prompt_asks_twice_for_a_new_key_and_once_to_use_it()
    {
        var prefix = Path.Combine(_dir, "p");
        var generated = await WithPrompt(["key", "generate", "--output-key-prefix", prefix], "pw", "pw");
        Assert.Equal(0, generated.ExitCode);
        Assert.StartsWith("Enter password for private key: |Enter password for private key again: |", generated.Stderr, StringComparison.Ordinal);

        var used = await WithPrompt(["key", "public", "--key", prefix + ".key"], "pw");
        Assert.Equal(0, used.ExitCode);
        Assert.Equal($"Enter password for private key {prefix}.key: |", used.Stderr);
        Assert.Equal(File.ReadAllText(prefix + ".pub"), used.Stdout);
    }

    [Fact]
    public async Task The_prompt_refuses_an_empty_or_mistyped_new_password()
    {
        var empty = await WithPrompt(["key", "generate", "--output-key-prefix", Path.Combine(_dir, "e")], "");
        Assert.Equal(2, empty.ExitCode);
        Assert.EndsWith("bulwark: An empty password is allowed only explicitly: set BULWARK_PASSWORD='' to create a key without one.\n", empty.Stderr, StringComparison.Ordinal);

        var mistyped = await WithPrompt(["key", "generate", "--output-key-prefix", Path.Combine(_dir, "m")], "one", "two");
        Assert.Equal(2, mistyped.ExitCode);
        Assert.EndsWith("bulwark: The two passwords differ; run the command again.\n", mistyped.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Theory]
    [InlineData("BULWARK_PASSWORD")]
    [InlineData("COSIGN_PASSWORD")]
    public async Task Public_prints_the_public_key_of_the_cosign_test_vector(string variable)
    {
        var outcome = await CliRun.RunAsync(["key", "public", "--key", Vector], Password("", variable));
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(VectorPublicKey, outcome.Stdout);
        Assert.Equal("", outcome.Stderr);
    }

    [Fact]
    public async Task Public_reads_a_key_from_an_environment_variable()
    {
        var env = new Dictionary<string, string> { ["BULWARK_PASSWORD"] = "", ["SIGNING_KEY"] = File.ReadAllText(Vector) };
        var outcome = await CliRun.RunAsync(["key", "public", "--key", "env://SIGNING_KEY"], env);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(VectorPublicKey, outcome.Stdout);
    }

    [Fact]
    public async Task A_wrong_password_is_an_input_error_with_exit_code_3()
    {
        var outcome = await CliRun.RunAsync(["key", "public", "--key", Vector], Password("guess"));
        Assert.Equal(3, outcome.ExitCode);
        Assert.Equal($"bulwark: Cannot decrypt key {Vector}: wrong password (or the file was altered). Set BULWARK_PASSWORD (or COSIGN_PASSWORD) " +
                     "to the password the key was created with; an empty password must be set explicitly as BULWARK_PASSWORD=''.\n", outcome.Stderr);
        Assert.Equal("", outcome.Stdout);
    }

    [Theory]
    [InlineData("pkcs11:token=t;object=o?module-path=libsofthsm2.so", 2)]
    [InlineData("hashivault://release", 3)]
    [InlineData("awskms:///alias/release", 2)]
    [InlineData("/nonexistent/cosign.key", 3)]
    [InlineData("env://UNSET_KEY", 3)]
    public async Task Unsupported_or_missing_keys_have_stable_exit_codes(string key, int expected)
    {
        var outcome = await CliRun.RunAsync(["key", "public", "--key", key], Password(""));
        Assert.Equal(expected, outcome.ExitCode);
    }

    [Fact]
    public async Task Public_prints_an_openssl_public_key_unchanged()
    {
        var pub = OpenSsl.PublicKeyOf(OpenSsl.GeneratePrivateKey(_dir, "ed25519"));
        var outcome = await CliRun.RunAsync("key", "public", "--key", pub);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(File.ReadAllText(pub), outcome.Stdout);
    }
}
