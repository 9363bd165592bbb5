// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using Bulwark.Core;

namespace Bulwark.Sbom.Tests.Spdx;

/// A small hand-built SBOM that uses every field the SPDX writers map.
internal static class SpdxSample
{
    public static readonly Purl App = Purl.Parse("pkg:npm/acme-web@1.0.0");
    public static readonly Purl Express = Purl.Parse("pkg:npm/express@4.18.2");
    public static readonly Purl Debug = Purl.Parse("pkg:npm/debug@2.6.9");
    public static readonly Purl Jest = Purl.Parse("pkg:npm/jest@29.7.0");
    public static readonly Purl Fsevents = Purl.Parse("pkg:npm/fsevents@2.3.3");
    public static readonly Purl Log4j = Purl.Parse("pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1");
    public static readonly Purl Zlib = Purl.Parse("pkg:generic/vendored-zlib@1.3");

    public static Sbom Build()
    {
        Digest.TryParseIntegrity("sha512-5/PsL6iGPdfQ/lKM1UuielYgv3BUoJfz1aUwU9vHZ+J7gyvwdQXFEBIEIaxeGf0GIcreATNyBExtalisDbuMqQ==", out var expressHash);
        Digest.TryCreate("sha1", "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12", out var log4jHash);
        var packages = new[]
        {
            (Package.Create(Ecosystem.Npm, "acme-web", "1.0.0", new FileLocation("package-lock.json")) with
            {
                IsRoot = true, Kind = PackageKind.Application, Licenses = ["MIT"], DependsOn = [Express, Jest, Fsevents],
            }),
            (Package.Create(Ecosystem.Npm, "express", "4.18.2", new FileLocation("package-lock.json", 12)) with
            {
                Hashes = [expressHash], Licenses = ["MIT"], DependsOn = [Debug, Purl.Parse("pkg:npm/not-in-the-sbom@1.0.0")],
                ExternalReferences = [new ExternalReference("distribution", "https://registry.npmjs.org/express/-/express-4.18.2.tgz"),
                    new ExternalReference("website", "http://expressjs.com/")],
                Supplier = "OpenJS Foundation", Author = "TJ Holowaychuk", Description = "Fast, unopinionated, minimalist web framework",
                Cpes = ["cpe:2.3:a:expressjs:express:4.18.2:*:*:*:*:node.js:*:*"],
            }),
            (Package.Create(Ecosystem.Npm, "debug", "2.6.9", new FileLocation("package-lock.json", 30)) with
            {
                Licenses = ["Apache License, Version 2.0"],
            }),
            (Package.Create(Ecosystem.Npm, "jest", "29.7.0", new FileLocation("package-lock.json", 40)) with
            {
                Scope = Scope.Dev, Licenses = ["Public Domain"],
            }).WithProperty("npm:alias", "jest-cli"),
            (Package.Create(Ecosystem.Npm, "fsevents", "2.3.3", new FileLocation("package-lock.json", 50)) with
            {
                Scope = Scope.Optional, Licenses = ["BSD"],
            }),
            (Package.Create(Ecosystem.Maven, "org.apache.logging.log4j:log4j-core", "2.17.1", new FileLocation("services/api/pom.xml")) with
            {
                Hashes = [log4jHash], Licenses = ["Apache-2.0"], ConcludedLicense = "Apache-2.0",
                Locations = [new FileLocation("services/api/pom.xml"), new FileLocation("services/worker/pom.xml", 7)],
                Cpes = ["cpe:2.3:a:apache:log4j:2.17.1:*:*:*:*:*:*:*"],
            }).WithProperty("bulwark:source", "registry"),
            (Package.Create(Ecosystem.Generic, "vendored-zlib", "1.3", new FileLocation("third_party/zlib/README")) with
            {
                PurlIsSynthetic = true, Licenses = ["Zlib"], Copyright = "Copyright (C) 1995-2023 Jean-loup Gailly and Mark Adler",
                ExternalReferences = [new ExternalReference("vcs", "https://github.com/madler/zlib.git")],
            }),
        };
        return new Sbom
        {
            Subject = new SbomSubject
            {
                Name = "acme-web", Kind = SubjectKind.Directory,
                Properties = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal).Add("bulwark:git-commit", "0a1b2c3d"),
            },
            Packages = [.. packages.OrderBy(p => p.Purl)],
            Created = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero),
            Tools = [new SbomTool("Bulwark", "bulwark", "0.1.0")],
            Properties = [new("bulwark:unreadable", "broken/package-lock.json: line 3: expected ','")],
        };
    }
}
