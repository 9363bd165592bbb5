// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Go;

/// The module hashes of a go.sum file: lines "&lt;module&gt; &lt;version&gt; h1:&lt;base64&gt;". Lines whose version ends in
/// "/go.mod" hash only the module's go.mod file, not the module, and are not kept.
internal sealed class GoSum
{
    private readonly Dictionary<(string Path, string Version), Digest> _hashes = [];

    public bool TryGet(string path, string version, out Digest digest) => _hashes.TryGetValue((path, version), out digest);

    public int Count => _hashes.Count;

    /// Parses go.sum text (null when there is no go.sum). go.sum only adds hashes to what go.mod states, so a line
    /// that is not "module version hash" costs that module its hash and nothing else: it is skipped.
    public static GoSum Parse(string? text)
    {
        var sum = new GoSum();
        if (text is null) return sum;
        foreach (var line in text.Split('\n'))
        {
            var f = line.Split((char[])[' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length != 3 || f[1].EndsWith("/go.mod", StringComparison.Ordinal)) continue;
            if (GoVersions.TryParseH1(f[2], out var digest)) sum._hashes.TryAdd((f[0], f[1]), digest);
        }
        return sum;
    }
}
