// SPDX-License-Identifier: Apache-2.0
using System.CommandLine;
using System.Globalization;
using Bulwark.Core;
using Bulwark.Signing.Blobs;
using Bulwark.Signing.Bundles;
using Bulwark.Signing.Keys;
using Bulwark.Signing.Sigstore;

namespace Bulwark.Cli.Sign;

/// `bulwark verify-bundle --bundle B (--certificate-identity ID | --certificate-identity-regexp RE)
/// --certificate-oidc-issuer ISS | --key PUB) [--trusted-root TR] FILE_OR_sha256:DIGEST`, offline, as the
/// sigstore-conformance client protocol calls it.
/// <remarks>
/// Exit codes: 0 verified; 4 verification failed (signature, digest, log entry, chain, SCT or identity wrong);
/// 5 could not verify (bundle, key or trusted root missing or unreadable, or no trusted root for a logged bundle); 2 bad arguments.
/// </remarks>
internal static class VerifyBundleCommand
{
    public static Command Create(CliContext context)
    {
        var bundle = new Option<string>("--bundle") { Description = "The Sigstore bundle (JSON, media type v0.1 to v0.3).", Required = true };
        var identity = new Option<string?>("--certificate-identity") { Description = "The signer's exact certificate identity (email or URI SAN)." };
        var identityRegexp = new Option<string?>("--certificate-identity-regexp") { Description = "A regular expression the signer's identity must match." };
        var issuer = new Option<string?>("--certificate-oidc-issuer") { Description = "The OIDC issuer the signer's certificate must name." };
        var key = new Option<string?>("--key") { Description = "Verify with this public key (PEM file or env://VAR) instead of a certificate identity." };
        var trustedRoot = new Option<string?>("--trusted-root") { Description = "A Sigstore trusted_root.json (default: the built-in public-good trusted root from @sigstore/tuf 5.0.1)." };
        var artifact = new Argument<string>("FILE_OR_DIGEST") { Description = "The signed file, or its digest as sha256:HEX." };
        var command = new Command("verify-bundle", "Verify a Sigstore bundle offline (exit 0 verified, 4 failed, 5 could not verify).")
        {
            bundle, identity, identityRegexp, issuer, key, trustedRoot, artifact,
        };
        command.SetAction(async (parse, ct) =>
        {
            var keyText = parse.GetValue(key);
            var id = parse.GetValue(identity);
            var idRegexp = parse.GetValue(identityRegexp);
            var iss = parse.GetValue(issuer);
            if (keyText is not null && (id is not null || idRegexp is not null || iss is not null))
                throw new UsageException("Give either --key or a certificate identity (--certificate-identity/-regexp with --certificate-oidc-issuer), not both.");
            if (keyText is null && ((id is null) == (idRegexp is null) || iss is null))
                throw new UsageException("Give --key PUB, or exactly one of --certificate-identity and --certificate-identity-regexp together with --certificate-oidc-issuer.");
            if (idRegexp is not null) ValidateRegex(idRegexp);
            var target = ParseArtifact(parse.GetValue(artifact)!);
            VerificationResult result;
            try
            {
                result = Verify(context, parse.GetValue(bundle)!, keyText, new IdentityPolicy(id, idRegexp, iss ?? ""), parse.GetValue(trustedRoot), target, ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                result = VerificationResult.CouldNotVerify(e.Message);
            }
            return await ImageVerbs.ReportAsync(context, result).ConfigureAwait(false);
        });
        return command;
    }

    private static void ValidateRegex(string pattern)
    {
        try
        {
            _ = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--certificate-identity-regexp '{pattern}' is not a valid regular expression: {e.Message}");
        }
    }

    private static BundleArtifact ParseArtifact(string text)
    {
        if (!text.StartsWith("sha256:", StringComparison.Ordinal)) return BundleArtifact.File(text);
        var hex = text["sha256:".Length..];
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
            throw new UsageException($"'{text}' is not a SHA-256 digest: give sha256: followed by 64 hex digits, or a file path.");
        return BundleArtifact.Digest(Convert.FromHexString(hex));
    }

    // Missing or unreadable material is "could not verify": the verb is the edge where those exceptions become a result.
    private static VerificationResult Verify(CliContext context, string bundlePath, string? keyText, IdentityPolicy policy, string? rootPath, BundleArtifact artifact, CancellationToken ct)
    {
        if (artifact.Path is { } path && !File.Exists(path)) return VerificationResult.CouldNotVerify($"Cannot read {path}: no such file.");
        if (ReadSmall(bundlePath, SigstoreBundle.MaxBytes) is not { } json) return Missing(bundlePath, "bundle");
        SigstoreBundle parsed;
        TrustedRoot? root = null;
        try
        {
            parsed = SigstoreBundle.Read(json, bundlePath);
            if (rootPath is not null)
            {
                if (ReadSmall(rootPath, TrustedRoot.MaxBytes) is not { } rootJson) return Missing(rootPath, "trusted root");
                root = TrustedRoot.Read(rootJson, rootPath);
            }
        }
        catch (InputException e)
        {
            return VerificationResult.CouldNotVerify(e.Message);
        }
        // without --trusted-root: the public-good instance's, for certificates and logged key signatures alike
        if (keyText is null) return BundleVerifier.VerifyWithCertificate(parsed, artifact, policy, root ?? TrustedRoot.PublicGood(), ct);
        if (root is null && parsed.TlogEntries.Count > 0) root = TrustedRoot.PublicGood();
        VerificationKey verificationKey;
        try
        {
            verificationKey = KeyReference.Parse(keyText).OpenVerificationKey(context.Environment);
        }
        catch (InputException e)
        {
            return VerificationResult.CouldNotVerify(e.Message);
        }
        using (verificationKey)
        {
            return BundleVerifier.VerifyWithKey(parsed, artifact, verificationKey, root, ct);
        }
    }

    private static VerificationResult Missing(string path, string what) =>
        VerificationResult.CouldNotVerify(File.Exists(path)
            ? string.Create(CultureInfo.InvariantCulture, $"Cannot read {what} {path}: it is too large to be a {what}.")
            : $"Cannot read {what} {path}: no such file.");

    private static byte[]? ReadSmall(string path, int limit)
    {
        if (!File.Exists(path)) return null;
        using var stream = File.OpenRead(path);
        if (stream.Length > limit) return null;
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
