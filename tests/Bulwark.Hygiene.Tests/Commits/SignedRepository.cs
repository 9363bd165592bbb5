// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Bulwark.Hygiene.Tests.Commits;

/// A real git repository whose commits were signed by real gpg and ssh-keygen, made once per test class: one commit
/// per scenario, named by its subject. The keyring and allowed-signers files trust some of the keys and not others.
public sealed class SignedRepository : IDisposable
{
    public const string SshUser = "sshuser@example.com";
    public const string Mallory = "mallory@example.com";

    public string Root { get; } = Directory.CreateTempSubdirectory("bulwark-commits-").FullName;
    public string Repo => Path.Combine(Root, "repo");
    public string GnupgHome => Path.Combine(Root, "gnupg");
    /// Every trusted OpenPGP public key (alice, rob, nina, nora, sam, olga, ron; not eve), armored.
    public string Keyring => Path.Combine(Root, "keyring.asc");
    /// Only Rob's key: for key-swap tests.
    public string RobKeyring => Path.Combine(Root, "rob.asc");
    public string AllowedSigners => Path.Combine(Root, "allowed_signers");
    /// The same SSH keys listed for someone else: for key-swap tests.
    public string SwappedAllowedSigners => Path.Combine(Root, "allowed_signers.swapped");
    public Dictionary<string, string> Fingerprints { get; } = [];
    /// Commit SHA by subject.
    public Dictionary<string, string> Commits { get; } = [];

    public SignedRepository()
    {
        try
        {
            Build();
        }
        catch (InvalidOperationException)
        {
            // xunit does not dispose a fixture whose constructor threw: stop the agent and remove the files here
            Dispose();
            throw;
        }
    }

    private void Build()
    {
        Directory.CreateDirectory(GnupgHome);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(GnupgHome, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Run("git", Root, "init", "-q", "-b", "main", Repo);

        var past = DateTimeOffset.UtcNow.AddDays(-2).ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture);
        NewKey("alice", "Alice <alice@example.com>", "ed25519");
        NewKey("rob", "Rob <rob@example.com>", "rsa3072");
        NewKey("nina", "Nina <nina@example.com>", "nistp256");
        NewKey("nora", "Nora <nora@example.com>", "nistp521");
        NewKey("eve", "Eve <eve@example.com>", "ed25519");
        NewKey("ron", "Ron <ron@example.com>", "ed25519");
        NewKey("olga", "Olga <olga@example.com>", "ed25519", "--faked-system-time", "20200101T000000");
        NewKey("sam", "Sam <sam@example.com>", "ed25519", usage: "cert");
        Gpg("--passphrase", "", "--quick-add-key", Fingerprints["sam"], "nistp256/ecdsa", "sign", "never");

        foreach (var name in new[] { "ed25519", "ecdsa256", "ecdsa384", "ecdsa521", "rsa", "stranger", "expired", "future", "fileonly" })
        {
            var (type, bits) = name switch
            {
                "ecdsa256" => ("ecdsa", "256"),
                "ecdsa384" => ("ecdsa", "384"),
                "ecdsa521" => ("ecdsa", "521"),
                "rsa" => ("rsa", "3072"),
                _ => ("ed25519", "256"),
            };
            Run("ssh-keygen", Root, "-q", "-t", type, "-b", bits, "-N", "", "-C", name, "-f", SshKey(name));
        }

        Commit("unsigned", "Alice", "alice@example.com");
        PgpCommit("pgp-ed25519", "alice", "alice@example.com");
        PgpCommit("pgp-rsa", "rob", "rob@example.com");
        PgpCommit("pgp-p256", "nina", "nina@example.com");
        PgpCommit("pgp-p521", "nora", "nora@example.com");
        PgpCommit("pgp-subkey", "sam", "sam@example.com");
        PgpCommit("pgp-unknown", "eve", "eve@example.com");
        PgpCommit("pgp-expired", "olga", "olga@example.com");
        PgpCommit("pgp-revoked", "ron", "ron@example.com");
        PgpCommit("pgp-wrong-email", "alice", Mallory);
        SshCommit("ssh-ed25519", "ed25519", SshUser);
        SshCommit("ssh-ecdsa-p256", "ecdsa256", SshUser);
        SshCommit("ssh-ecdsa-p384", "ecdsa384", SshUser);
        SshCommit("ssh-ecdsa-p521", "ecdsa521", SshUser);
        SshCommit("ssh-rsa", "rsa", SshUser);
        SshCommit("ssh-unknown", "stranger", SshUser);
        SshCommit("ssh-wrong-email", "ed25519", Mallory);
        SshCommit("ssh-expired", "expired", SshUser);
        SshCommit("ssh-not-yet-valid", "future", SshUser);
        SshCommit("ssh-namespace-not-allowed", "fileonly", SshUser);
        CraftedCommit("x509", "-----BEGIN SIGNED MESSAGE-----\nMIAGCSqGSIb3DQEHAqCAMIACAQExDTALBglghkgBZQMEAgEwgAYJKoZIhvcNAQcB\n-----END SIGNED MESSAGE-----\n");
        CraftedCommit("ssh-file-namespace", null);

        // after signing: Olga's key is given an expiry in the past (a newer self-signature), Ron's key is revoked
        Gpg("--faked-system-time", past, "--quick-set-expire", Fingerprints["olga"], "1d");
        var revocation = File.ReadAllText(Path.Combine(GnupgHome, "openpgp-revocs.d", Fingerprints["ron"] + ".rev"))
            .Replace(":-----BEGIN PGP PUBLIC KEY BLOCK-----", "-----BEGIN PGP PUBLIC KEY BLOCK-----", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(Root, "ron.rev"), revocation);
        Gpg("--import", Path.Combine(Root, "ron.rev"));

        File.WriteAllText(Keyring, Gpg("--armor", "--export", "alice", "rob", "nina", "nora", "sam", "olga", "ron"));
        File.WriteAllText(RobKeyring, Gpg("--armor", "--export", "rob"));
        File.WriteAllText(AllowedSigners, $"""
            # trusted signers (comments and blank lines are allowed)

            "{SshUser}" namespaces="git" {PublicKey("ed25519")}
            dev@example.com,{SshUser} {PublicKey("ecdsa256")}
            *@example.com,!{Mallory} namespaces="git,file" {PublicKey("ecdsa384")}
            sshuser@* {PublicKey("rsa")}
            {SshUser} {PublicKey("ecdsa521")}
            {SshUser} valid-before="20200101Z" {PublicKey("expired")}
            {SshUser} valid-after="20990101" {PublicKey("future")}
            {SshUser} namespaces="file" {PublicKey("fileonly")}
            *@example.com cert-authority {PublicKey("stranger")}

            """);
        File.WriteAllText(SwappedAllowedSigners, $"""
            someone@example.com {PublicKey("ed25519")}
            {SshUser} {PublicKey("stranger")}

            """);
    }

    public string SshKey(string name) => Path.Combine(Root, "ssh_" + name);

    public string PublicKey(string name)
    {
        var parts = File.ReadAllText(SshKey(name) + ".pub").Trim().Split(' ');
        return $"{parts[0]} {parts[1]}";
    }

    private void NewKey(string name, string uid, string algorithm, string? faked = null, string? time = null, string usage = "sign")
    {
        List<string> args = ["--passphrase", "", "--quick-gen-key", uid, algorithm, usage, "never"];
        if (faked is not null) args.InsertRange(0, [faked, time!]);
        Gpg([.. args]);
        var colons = Gpg("--list-keys", "--with-colons", uid);
        Fingerprints[name] = colons.Split('\n').First(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Split(':')[9];
    }

    private void PgpCommit(string subject, string key, string email) =>
        Commit(subject, key, email, "-c", $"user.signingkey={Fingerprints[key]}", "-c", "gpg.format=openpgp", "commit", "-S");

    private void SshCommit(string subject, string key, string email) =>
        Commit(subject, key, email, "-c", $"user.signingkey={SshKey(key)}", "-c", "gpg.format=ssh", "commit", "-S");

    private void Commit(string subject, string name, string email, params string[] commitArgs)
    {
        File.AppendAllText(Path.Combine(Repo, "file.txt"), subject + "\n");
        Run("git", Repo, "add", "file.txt");
        string[] args = commitArgs.Length == 0 ? ["commit"] : commitArgs;
        Run("git", Repo, ["-c", $"user.name={name}", "-c", $"user.email={email}", .. args, "-q", "-m", subject]);
        Commits[subject] = Run("git", Repo, "rev-parse", "HEAD").Trim();
    }

    /// A commit object written by hand: an X.509 placeholder signature, or an SSH signature in the "file" namespace.
    private void CraftedCommit(string subject, string? signature)
    {
        var tree = Run("git", Repo, "rev-parse", "HEAD^{tree}").Trim();
        var parent = Run("git", Repo, "rev-parse", "HEAD").Trim();
        var headers = $"tree {tree}\nparent {parent}\nauthor Alice <{SshUser}> 1700000000 +0000\ncommitter Alice <{SshUser}> 1700000000 +0000\n";
        var message = $"\n{subject}\n";
        signature ??= Run("ssh-keygen", Root, ["-Y", "sign", "-f", SshKey("ed25519"), "-n", "file"], headers + message);
        var gpgsig = "gpgsig " + signature.TrimEnd('\n').Replace("\n", "\n ", StringComparison.Ordinal) + "\n";
        var sha = Run("git", Repo, ["hash-object", "-t", "commit", "-w", "--stdin"], headers + gpgsig + message).Trim();
        Run("git", Repo, "update-ref", "HEAD", sha);
        Commits[subject] = sha;
    }

    public string Gpg(params string[] args) => Run("gpg", Root, ["--batch", "--yes", .. args]);

    public string Run(string file, string directory, params string[] args) => Run(file, directory, args, null);

    public string Run(string file, string directory, string[] args, string? stdin)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["GNUPGHOME"] = GnupgHome;
        info.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        info.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        info.Environment["LC_ALL"] = "C";
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stdin ?? "");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {stderr.Result}");
        return stdout;
    }

    /// The raw commit object of a scenario (`git cat-file commit`).
    public byte[] RawCommit(string subject) => Encoding.UTF8.GetBytes(Run("git", Repo, "cat-file", "commit", Commits[subject]));

    public void Dispose()
    {
        try
        {
            Run("gpgconf", Root, "--kill", "gpg-agent");
        }
        catch (InvalidOperationException)
        {
            // the agent may never have started
        }
        Directory.Delete(Root, recursive: true);
    }
}
