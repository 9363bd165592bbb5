// SPDX-License-Identifier: Apache-2.0
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Bulwark.Testing;

/// Golden files (STYLE.md): testdata/golden/&lt;Class&gt;.&lt;Method&gt;.golden beside the test class.
/// Timestamps, temp paths and UUIDs are redacted (each distinct UUID becomes &lt;uuid-N&gt;, so references still line up).
/// Rebuild with UPDATE_GOLDEN=1 dotnet test, then review the diff like code.
public static partial class Golden
{
    public static void Assert(string actual, string? name = null, [CallerFilePath] string callerFile = "", [CallerMemberName] string method = "")
    {
        var cls = Path.GetFileNameWithoutExtension(callerFile);
        var dir = Path.Combine(Path.GetDirectoryName(callerFile)!, "testdata", "golden");
        var path = Path.Combine(dir, $"{cls}.{name ?? method}.golden");
        var redacted = Redact(actual);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(path, redacted);
            return;
        }
        if (!File.Exists(path))
            throw new Xunit.Sdk.XunitException($"Golden file {path} is missing. Run UPDATE_GOLDEN=1 dotnet test and review it.");
        var expected = File.ReadAllText(path);
        Xunit.Assert.Equal(expected, redacted);
    }

    public static string Redact(string text)
    {
        text = text.Replace(Path.GetTempPath().TrimEnd('/'), "<tmp>", StringComparison.Ordinal);
        text = TimestampPattern().Replace(text, "<timestamp>");
        var uuids = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        return UuidPattern().Replace(text, m =>
        {
            if (!uuids.TryGetValue(m.Value, out var r)) uuids[m.Value] = r = $"<uuid-{uuids.Count + 1}>";
            return r;
        });
    }

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")]
    private static partial Regex TimestampPattern();

    [GeneratedRegex(@"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", RegexOptions.IgnoreCase)]
    private static partial Regex UuidPattern();
}
