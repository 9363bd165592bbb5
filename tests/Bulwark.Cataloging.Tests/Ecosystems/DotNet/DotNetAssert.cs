// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Cataloging.Tests.Ecosystems.DotNet;

/// Small helpers shared by the .NET cataloger tests.
internal static class DotNetAssert
{
    public const string Testdata = "Ecosystems/DotNet/testdata";
    public const string Sha512Swashbuckle1017 = "be079ff033d3e35d495392631e20dbaf458ec6c215b80bde80f1adaa69b835ae09465ff6eb875f0497069223c7b00af93fe55d6bea8dd6b64a46d065d6b17d68";
    public const string Sha512Serilog311 = "3fa1b8ff82adf5b4fadf96e1bb0757949d920aaaa7da7861e20a85a90b9e08eafd6cafdeed6f6597f2285f54deafde3c715d99ff9fb9bfca407c9614212634dc";
    public const string Sha512NewtonsoftJson1303 = "1eb0b9057765d3420ff73795fb467ce3c4163c0a02afd3f76c311982e23e8242dc04a00ec62c7fb4b1000070be52f0cd3efe1ad9dd7c94e45e1cc39a80f6becd";

    public static string[] Edges(this Package p) => [.. p.DependsOn.Select(d => d.ToString())];

    public static string[] Purls(this CatalogResult r) => [.. r.Packages.Select(p => p.Purl.ToString())];

    public static string[] Hashes(this Package p) => [.. p.Hashes.Select(h => h.ToString())];

    public static string[] Locations(this Package p) => [.. p.Locations.Select(l => l.ToString())];

    public static string Sha512(string hex) => $"sha512:{hex}";
}
