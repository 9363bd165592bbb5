// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Core;
using Bulwark.Fuzzing.Mutation;

namespace Bulwark.Fuzzing.Targets;

/// Purl parse and format (src/Bulwark.Core): Parse agrees with TryParse, and the canonical form parses back to an
/// equal purl with the same canonical form. Allowed: <see cref="InvalidPurlException"/>.
public sealed class PurlTarget : FuzzTarget
{
    public override string Name => "core.purl";
    public override InputFormat Format => InputFormat.Text;

    public override bool IsSeed(string relativePath) => relativePath.Contains("purl", StringComparison.OrdinalIgnoreCase);

    public override IEnumerable<byte[]> ExtraSeeds() =>
        Texts("pkg:npm/%40angular/core@16.0.0", "pkg:maven/org.apache/commons-lang3@3.12.0?type=jar&classifier=sources#sub/path",
         "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12", "pkg:golang/github.com/a/b@v1.2.3",
         "pkg:pypi/django@4.2", "pkg:oci/debian@sha256%3A244fd47e07d10?repository_url=ghcr.io/debian&tag=bookworm",
         "pkg:github/actions/checkout@v4", "pkg:generic/openssl@1.1.1?download_url=https://a/b.tgz&checksum=sha256:abc");

    public override IReadOnlyList<string> Dictionary { get; } = ["pkg:", "%", "%2F", "%40", "@", "?", "&", "=", "#", "/", "npm", "maven", "deb", "golang", "oci", "qualifier="];

    public override int MaxInputSize => 16 << 10;

    public override void Run(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        var ok = Purl.TryParse(text, out var purl);
        if (!ok)
        {
            _ = Purl.Parse(text);   // must throw InvalidPurlException
            throw new PropertyViolationException("TryParse refused a purl that Parse accepted");
        }
        var canonical = purl.ToString();
        if (!Purl.TryParse(canonical, out var again, out var why))
            throw new PropertyViolationException($"the canonical form '{canonical}' does not parse: {why}");
        if (!again.Equals(purl) || again.ToString() != canonical)
            throw new PropertyViolationException($"the canonical form '{canonical}' parses to a different purl '{again}'");
    }

    public override bool IsExpected(Exception e) => e is InvalidPurlException;
}

/// SPDX license expressions (src/Bulwark.Core/Licenses), read from every SBOM and many lockfiles: Parse agrees with
/// TryParse, and the printed form is a fixed point (it parses to an expression that prints the same).
/// Allowed: <see cref="FormatException"/>, Parse's answer to what is not an expression.
public sealed class LicenseExpressionTarget : FuzzTarget
{
    public override string Name => "core.license-expression";
    public override InputFormat Format => InputFormat.Text;
    public override int MaxInputSize => 16 << 10;

    public override bool IsSeed(string relativePath) => false;

    public override IEnumerable<byte[]> ExtraSeeds() =>
        Texts("MIT", "Apache-2.0 OR MIT", "GPL-2.0-only WITH Classpath-exception-2.0", "(MIT AND BSD-3-Clause) OR Apache-2.0",
            "LicenseRef-Custom", "DocumentRef-ext:LicenseRef-x", "GPL-2.0+", "mit and (apache-2.0 or isc)", "((((MIT))))");

    public override IReadOnlyList<string> Dictionary { get; } =
        ["AND", "OR", "WITH", "and", "or", "with", "(", ")", "+", "MIT", "Apache-2.0", "GPL-2.0-or-later", "Classpath-exception-2.0",
         "LicenseRef-", "DocumentRef-", ":", " ", "NOASSERTION", "NONE"];

    public override void Run(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        if (!LicenseExpression.TryParse(text, out var expression))
        {
            _ = LicenseExpression.Parse(text);   // must throw FormatException
            throw new PropertyViolationException("TryParse refused an expression that Parse accepted");
        }
        var printed = expression.ToString();
        if (!LicenseExpression.TryParse(printed, out var again, out var why))
            throw new PropertyViolationException($"the printed form '{printed}' does not parse: {why}");
        if (again.ToString() != printed)
            throw new PropertyViolationException($"the printed form '{printed}' prints as '{again}' once parsed");
        _ = expression.LicenseRefs().Count();
    }

    public override bool IsExpected(Exception e) => e is FormatException;
}

/// CVSS v2, v3.0, v3.1 and v4.0 vectors (src/Bulwark.Core/Cvss), read from every OSV record's severity: Parse agrees
/// with TryParse, and a vector that parses has base and full scores between 0 and 10 and a rating.
/// Allowed: <see cref="Bulwark.Core.Cvss.InvalidCvssVectorException"/>.
public sealed class CvssTarget : FuzzTarget
{
    public override string Name => "core.cvss";
    public override InputFormat Format => InputFormat.Text;
    public override int MaxInputSize => 4 << 10;

    public override bool IsSeed(string relativePath) => relativePath.Contains("cvss", StringComparison.OrdinalIgnoreCase) && relativePath.EndsWith(".txt", StringComparison.Ordinal);

    public override IEnumerable<byte[]> ExtraSeeds() =>
        Texts("AV:N/AC:L/Au:N/C:P/I:P/A:P/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:M", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:C/C:L/I:N/A:N/E:P/RL:T/RC:R/CR:H/IR:L/AR:M/MAV:P/MAC:H/MPR:L/MUI:N/MS:U/MC:N/MI:L/MA:H",
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
            "CVSS:4.0/AV:A/AC:H/AT:P/PR:L/UI:A/VC:L/VI:N/VA:N/SC:H/SI:L/SA:N/E:U/CR:H/IR:L/AR:M/MAV:N/MSC:X/MSI:S/MSA:S/S:P/AU:Y/R:A/V:C/RE:H/U:Red");

    public override IReadOnlyList<string> Dictionary { get; } =
        ["CVSS:2.0/", "CVSS:3.0/", "CVSS:3.1/", "CVSS:4.0/", "AV:", "AC:", "PR:", "UI:", "S:", "C:", "I:", "A:", "E:", "RL:", "RC:",
         "AT:", "VC:", "VI:", "VA:", "SC:", "SI:", "SA:", "MSI:S", "MSA:S", "X", "N", "L", "H", "/", ":"];

    public override void Run(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        if (!Bulwark.Core.Cvss.CvssVector.TryParse(text, out var vector))
        {
            _ = Bulwark.Core.Cvss.CvssVector.Parse(text);   // must throw InvalidCvssVectorException
            throw new PropertyViolationException("TryParse refused a vector that Parse accepted");
        }
        foreach (var (what, score) in new[] { ("base", vector.BaseScore()), ("full", vector.Score()) })
            if (!(score is >= 0 and <= 10))
                throw new PropertyViolationException($"the {what} score of '{text}' is {score}, outside 0 to 10");
        _ = vector.Severity();
    }

    public override bool IsExpected(Exception e) => e is Bulwark.Core.Cvss.InvalidCvssVectorException;
}
