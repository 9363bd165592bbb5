// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using Bulwark.Core;

namespace Bulwark.Sbom.Tests.CycloneDx;

/// Hand-built SBOMs for writer tests: every field the writers map, each case once.
internal static class SampleSboms
{
    public static readonly Purl Shop = Purl.Parse("pkg:npm/shop@1.0.0");
    public static readonly Purl Babel = Purl.Parse("pkg:npm/%40babel/core@7.24.0");
    public static readonly Purl Debug = Purl.Parse("pkg:npm/debug@4.3.4");
    public static readonly Purl Missing = Purl.Parse("pkg:npm/not-in-the-sbom@1.0.0");
    public static readonly Purl Log4jCore = Purl.Parse("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
    public static readonly Purl Log4jApi = Purl.Parse("pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1");
    public static readonly Purl Requests = Purl.Parse("pkg:pypi/requests@2.31.0");
    public static readonly Purl Mux = Purl.Parse("pkg:golang/github.com/gorilla/mux@v1.8.0");
    public static readonly Purl Vendored = Purl.Parse("pkg:generic/vendored-zlib@1.3");

    public static Sbom Small()
    {
        var packages = new List<Package>
        {
            Package.Create(Ecosystem.Npm, "shop", "1.0.0", new FileLocation("package-lock.json")) with
            {
                IsRoot = true,
                Kind = PackageKind.Application,
                DependsOn = [Babel, Debug],
                FoundBy = ["npm-package-lock"],
            },
            Package.Create(Ecosystem.Npm, "@babel/core", "7.24.0", new FileLocation("package-lock.json", 14)) with
            {
                Scope = Scope.Dev,
                Licenses = ["MIT"],
                Hashes = [Digest.Parse("sha512:" + new string('a', 128))],
                // an edge to a package the SBOM does not hold must not become a dangling ref
                DependsOn = [Debug, Missing],
                FoundBy = ["npm-package-lock"],
            },
            (Package.Create(Ecosystem.Npm, "debug", "4.3.4", new FileLocation("package-lock.json", 30)) with
            {
                Scope = Scope.Optional,
                Licenses = ["(mit OR apache-2.0)"],
                Locations = [new FileLocation("package-lock.json", 30), new FileLocation("usr/lib/node_modules/debug/package.json", null, "sha256:" + new string('b', 64))],
                ExternalReferences = [new ExternalReference("distribution", "https://registry.npmjs.org/debug/-/debug-4.3.4.tgz")],
                FoundBy = ["npm-package-lock"],
            }).WithProperty("bulwark:source", "registry"),
            Package.Create(Ecosystem.Maven, "org.apache.logging.log4j:log4j-core", "2.14.1", new FileLocation("pom.xml", 40)) with
            {
                Licenses = ["Apache-2.0"],
                Supplier = "The Apache Software Foundation",
                Cpes = ["cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*", "cpe:2.3:a:apache:log4j-core:2.14.1:*:*:*:*:*:*:*"],
                ExternalReferences = [new ExternalReference("website", "https://logging.apache.org/log4j/2.x/"), new ExternalReference("homepage", "https://logging.apache.org/")],
                DependsOn = [Log4jApi],
                FoundBy = ["maven-pom"],
            },
            Package.Create(Ecosystem.Maven, "org.apache.logging.log4j:log4j-api", "2.14.1", new FileLocation("pom.xml")) with
            {
                Hashes = [Digest.Parse("sha1:" + new string('c', 40)), Digest.Parse("sha256:" + new string('d', 64))],
                FoundBy = ["maven-pom"],
            },
            Package.Create(Ecosystem.PyPI, "requests", "2.31.0", new FileLocation("requirements.txt", 3)) with
            {
                Licenses = ["Apache-2.0", "LicenseRef-requests-notice", "MIT OR BSD-3-Clause"],
                ConcludedLicense = "Apache-2.0",
                Author = "Kenneth Reitz",
                Description = "Python HTTP for Humans.",
                Copyright = "Copyright 2019 Kenneth Reitz",
                FoundBy = ["pip-requirements"],
            },
            Package.Create(Ecosystem.Go, "github.com/gorilla/mux", "v1.8.0", new FileLocation("go.mod", 5)) with
            {
                Hashes = [Digest.Parse("sha256:" + new string('e', 64))],
                FoundBy = ["go-mod"],
            },
            new Package
            {
                Ecosystem = Ecosystem.Generic,
                Name = "vendored-zlib",
                Version = "1.3",
                Purl = Vendored,
                PurlIsSynthetic = true,
                Kind = PackageKind.File,
                Licenses = ["Zlib License, see LICENSE"],
                Locations = [new FileLocation("third_party/zlib/zlib.h")],
                FoundBy = ["vendored-sources"],
            },
        };
        return new Sbom
        {
            Subject = new SbomSubject { Name = "shop", Version = "1.0.0", Kind = SubjectKind.Directory },
            Packages = [.. packages.OrderBy(p => p.Purl)],
            Created = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
            Tools = [new SbomTool("Bulwark", "bulwark", "0.1.0")],
            Properties =
            [
                new("bulwark:unreadable", "broken/package-lock.json: line 3: unexpected end of JSON"),
                new("bulwark:catalogers", "go-mod, maven-pom, npm-package-lock, pip-requirements, vendored-sources"),
            ],
        };
    }

    /// n synthetic npm packages in a chain, for speed tests.
    public static Sbom Large(int n)
    {
        var purls = Enumerable.Range(0, n).Select(i => Purl.Parse($"pkg:npm/package-{i:D6}@1.{i % 100}.0")).OrderBy(p => p).ToArray();
        var packages = ImmutableArray.CreateBuilder<Package>(n);
        for (var i = 0; i < n; i++)
        {
            packages.Add(new Package
            {
                Ecosystem = Ecosystem.Npm,
                Name = purls[i].Name,
                Version = purls[i].Version!,
                Purl = purls[i],
                Licenses = [i % 3 == 0 ? "MIT" : "MIT OR Apache-2.0"],
                Hashes = [Digest.Sha256Of(BitConverter.GetBytes(i))],
                Locations = [new FileLocation("package-lock.json", i + 1)],
                DependsOn = i + 1 < n ? [purls[i + 1]] : [],
                FoundBy = ["npm-package-lock"],
            });
        }
        return new Sbom
        {
            Subject = new SbomSubject { Name = "large", DependsOn = [purls[0]] },
            Packages = packages.MoveToImmutable(),
            Created = DateTimeOffset.UnixEpoch,
        };
    }
}
