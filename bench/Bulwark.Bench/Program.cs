// SPDX-License-Identifier: Apache-2.0
// In-process measurements the CLI benchmarks cannot make:
//   dotnet run -c Release --project bench/Bulwark.Bench -- DIR
//       phase timings for `bulwark sbom` on a directory, to find where time goes;
//   dotnet run -c Release --project bench/Bulwark.Bench -- verify-bundle BUNDLE ARTIFACT PUBLIC_KEY SECONDS
//   dotnet run -c Release --project bench/Bulwark.Bench -- verify-cert-bundle BUNDLE ARTIFACT TRUSTED_ROOT IDENTITY ISSUER SECONDS
//       Sigstore bundle verifications per second on one thread (bench/signing.sh).
using System.Diagnostics;
using Bulwark.Cataloging;
using Bulwark.Cataloging.FileSources;
using Bulwark.Signing.Blobs;
using Bulwark.Signing.Bundles;
using Bulwark.Signing.Keys;

if (args.Length == 5 && args[0] == "verify-bundle")
{
    // each round parses the bundle, hashes the artifact and checks the signature: what `verify-blob --bundle` does per file
    var bundleBytes = File.ReadAllBytes(args[1]);
    using var key = VerificationKey.FromPem(File.ReadAllText(args[3]), args[3]);
    var seconds = double.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture);
    long count = 0;
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed.TotalSeconds < 0.5)   // warm-up: JIT and caches
        Check(BlobSignatures.Verify(key, args[2], SigstoreBundle.Read(bundleBytes, args[1]), args[1]));
    clock.Restart();
    while (clock.Elapsed.TotalSeconds < seconds)
    {
        Check(BlobSignatures.Verify(key, args[2], SigstoreBundle.Read(bundleBytes, args[1]), args[1]));
        count++;
    }
    Console.WriteLine($"{count / clock.Elapsed.TotalSeconds:F0}");
    return;

    static void Check(VerificationResult result)
    {
        if (result.Outcome != VerificationOutcome.Verified) throw new InvalidOperationException($"not verified: {result.Message}");
    }
}

if (args.Length == 7 && args[0] == "verify-cert-bundle")
{
    // a certificate bundle, fully: parse, chain to the trusted root, SCT, log entry (proof, checkpoint or SET), identity
    var bundleBytes = File.ReadAllBytes(args[1]);
    var root = Bulwark.Signing.Sigstore.TrustedRoot.Read(File.ReadAllBytes(args[3]), args[3]);
    var policy = new Bulwark.Signing.Sigstore.IdentityPolicy(args[4], null, args[5]);
    var seconds = double.Parse(args[6], System.Globalization.CultureInfo.InvariantCulture);
    long count = 0;
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed.TotalSeconds < 0.5) Once();
    clock.Restart();
    while (clock.Elapsed.TotalSeconds < seconds)
    {
        Once();
        count++;
    }
    Console.WriteLine($"{count / clock.Elapsed.TotalSeconds:F0}");
    return;

    void Once()
    {
        var result = Bulwark.Signing.Sigstore.BundleVerifier.VerifyWithCertificate(SigstoreBundle.Read(bundleBytes, args[1]),
            Bulwark.Signing.Sigstore.BundleArtifact.File(args[2]), policy, root);
        if (result.Outcome != VerificationOutcome.Verified) throw new InvalidOperationException($"not verified: {result.Message}");
    }
}

var dir = args.Length > 0 ? args[0] : ".";
for (var round = 0; round < 3; round++)
{
    var sw = Stopwatch.StartNew();
    var tree = new DirectoryFileTree(dir);
    var files = tree.Files().ToList();
    var walk = sw.Elapsed.TotalMilliseconds;
    Console.WriteLine($"round {round}: walk {files.Count} files {walk:F0} ms");
    foreach (var c in Catalogers.BuiltIn)
    {
        sw.Restart();
        var n = 0;
        foreach (var f in files) if (c.Wants(f.Path)) n++;
        var wants = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        var result = await Catalog.RunAsync(tree, [c]);
        var run = sw.Elapsed.TotalMilliseconds;
        if (n > 0 || wants > 2) Console.WriteLine($"  {c.Name,-26} wants {n,6} files in {wants,6:F1} ms; run {run,7:F0} ms, {result.Packages.Count} packages");
    }
}
