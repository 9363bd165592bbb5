// SPDX-License-Identifier: Apache-2.0
using Bulwark.Oci.Registry;

namespace Bulwark.Oci.Tests.Registry;

public sealed class AuthChallengeTests
{
    [Fact]
    public void Reads_quoted_parameters_with_commas_inside()
    {
        var c = AuthChallenge.Parse("Bearer", """realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push" """);

        Assert.True(c.IsBearer);
        Assert.Equal(("https://auth.docker.io/token", "registry.docker.io", "repository:samalba/my-app:pull,push"), (c.Realm, c.Service, c.Scope));
    }

    [Fact]
    public void Reads_unquoted_values_and_escaped_quotes()
    {
        var c = AuthChallenge.Parse("Basic", """realm=Registry, error="invalid \"token\"" """);

        Assert.True(c.IsBasic);
        Assert.Equal("Registry", c.Realm);
        Assert.Equal("invalid \"token\"", c.Parameters["error"]);
    }
}
