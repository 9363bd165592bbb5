// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Java;

/// Maven facts shared by the Java catalogers: purls for artifacts and how Maven scopes map to ours.
internal static class MavenArtifact
{
    /// A Maven package; the purl gets `type` only when the artifact is not a jar and `classifier` when there is one
    /// (purl-spec, maven type definition: "type" defaults to jar).
    public static Package Create(string groupId, string artifactId, string? version, FileLocation location,
        string? type = null, string? classifier = null)
    {
        var qualifiers = new List<KeyValuePair<string, string>>();
        if (!string.IsNullOrEmpty(type) && type != "jar") qualifiers.Add(new("type", type));
        if (!string.IsNullOrEmpty(classifier)) qualifiers.Add(new("classifier", classifier));
        return Package.Create(Ecosystem.Maven, $"{groupId}:{artifactId}", version, location, qualifiers);
    }

    /// Our scope for a Maven dependency scope (compile when absent) and its optional flag.
    public static Scope ScopeOf(string mavenScope, bool optional)
    {
        var scope = mavenScope switch
        {
            "test" => Scope.Dev,
            "provided" or "system" => Scope.Optional,
            _ => Scope.Required, // compile, runtime, and anything Maven itself would reject
        };
        // optional dependencies are not passed on to consumers; a test dependency stays Dev
        return optional && scope == Scope.Required ? Scope.Optional : scope;
    }
}
