// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Fuzzing.Mutation;
using Bulwark.Hygiene.Commits;
using Bulwark.Hygiene.Commits.OpenPgp;
using Bulwark.Hygiene.Commits.Ssh;

namespace Bulwark.Fuzzing.Targets;

/// Real signed commits, their OpenPGP key and SSH allowed signers (tests/Bulwark.Hygiene.Tests/Commits/testdata/signed,
/// made with git, gpg and ssh-keygen), so mutated commits reach the signature checks, not only the parsers.
public sealed class CommitMaterial(string repositoryRoot)
{
    internal static string Dir(string root) => Path.Combine(root, "tests", "Bulwark.Hygiene.Tests", "Commits", "testdata", "signed");

    private readonly Lazy<CommitVerifier> _verifier = new(() => new CommitVerifier(
        PgpKeyring.Load([Path.Combine(Dir(repositoryRoot), "keyring.asc")]),
        AllowedSigners.Load(Path.Combine(Dir(repositoryRoot), "allowed_signers"))));

    public CommitVerifier Verifier => _verifier.Value;
}

/// A raw commit object (what `git cat-file commit` prints) through the commit parser and the verifier. Nothing may
/// throw: a commit whose signature does not parse is a bad signature, one we cannot check is unsupported.
public sealed class CommitVerifyTarget(CommitMaterial material) : FuzzTarget
{
    public override string Name => "commits.verify";
    public override InputFormat Format => InputFormat.Text;

    public override bool IsSeed(string relativePath) =>
        relativePath.StartsWith("Bulwark.Hygiene.Tests/Commits/testdata/signed/", StringComparison.Ordinal) && relativePath.EndsWith(".commit", StringComparison.Ordinal);

    public override IReadOnlyList<string> Dictionary { get; } =
        ["gpgsig ", "gpgsig-sha256 ", "\n ", "committer ", "author ", "-----BEGIN PGP SIGNATURE-----", "-----END PGP SIGNATURE-----",
         "-----BEGIN SSH SIGNATURE-----", "-----END SSH SIGNATURE-----", "-----BEGIN SIGNED MESSAGE-----", "U1NIU0lH", "=", "seed@example.org"];

    public override void Run(byte[] input) => _ = material.Verifier.Verify(GitCommit.Parse(new string('0', 40), input));

    public override bool IsExpected(Exception e) => false;
}

/// `--keyring` files: armored or binary OpenPGP public keys (packets, user IDs, self-signatures, subkey bindings).
/// Allowed: <see cref="Bulwark.Core.InputException"/> (the keyring cannot be used).
public sealed class PgpKeyringTarget : FuzzTarget
{
    public override string Name => "commits.pgp-keyring";
    public override InputFormat Format => InputFormat.Text;

    public override bool IsSeed(string relativePath) =>
        relativePath.EndsWith(".asc", StringComparison.Ordinal) && relativePath.Contains("Commits", StringComparison.OrdinalIgnoreCase)
        ;

    public override IReadOnlyList<string> Dictionary { get; } =
        ["-----BEGIN PGP PUBLIC KEY BLOCK-----", "-----END PGP PUBLIC KEY BLOCK-----", "-----BEGIN PGP PRIVATE KEY BLOCK-----", "Comment: x\n", "\n=", "\n\n"];

    public override void Run(byte[] input)
    {
        // the public entry point reads files: one private temporary file per input
        var path = Path.Combine(Path.GetTempPath(), $"bulwark-fuzz-keyring-{Environment.CurrentManagedThreadId}.asc");
        File.WriteAllBytes(path, input);
        try
        {
            _ = PgpKeyring.Load([path]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

/// Allowed-signers files (git's gpg.ssh.allowedSignersFile): principals, options, key types, base64 keys.
/// Allowed: <see cref="Bulwark.Core.InputException"/> naming the line.
public sealed class AllowedSignersTarget : FuzzTarget
{
    public override string Name => "commits.allowed-signers";
    public override InputFormat Format => InputFormat.Text;

    public override bool IsSeed(string relativePath) => relativePath.EndsWith("allowed_signers", StringComparison.Ordinal);

    public override IEnumerable<byte[]> ExtraSeeds() => Texts(
        "\"a b\"@example.org,!x@*,*@example.org namespaces=\"git,file\",valid-after=20240101,valid-before=20990101Z ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGlVLSwaxzrzoEmKs0IHNFrlLXdhtIbd8W53xgr06hY2 comment\n# comment\n",
        "*@example.org cert-authority ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGlVLSwaxzrzoEmKs0IHNFrlLXdhtIbd8W53xgr06hY2\n");

    public override IReadOnlyList<string> Dictionary { get; } =
        ["namespaces=\"git\"", "valid-after=", "valid-before=", "cert-authority", "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa", "sk-ssh-ed25519@openssh.com", "\"", ",", "*", "!", "?"];

    public override void Run(byte[] input) => _ = AllowedSigners.Parse(Encoding.UTF8.GetString(input), "fuzz");
}
