// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics.CodeAnalysis;

namespace Bulwark.Core.Cvss;

/// A vector string that does not follow its CVSS specification.
public sealed class InvalidCvssVectorException(string text, string reason)
    : FormatException($"Invalid CVSS vector '{Shorten(text)}': {reason}. Check the vector against the CVSS specification of its version.")
{
    /// The rejected input.
    public string Text { get; } = text;

    /// Which metric or part is wrong and why.
    public string Reason { get; } = reason;

    private static string Shorten(string text) => text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 200), "…");
}

/// A parsed CVSS v2, v3.0, v3.1 or v4.0 vector string; values are exactly those the specification allows.
/// Metric order: v2 vectors must follow Table 13's order (v2 guide §2.4). v3.x vectors may list metrics in any
/// order (v3.0 and v3.1 specifications §6: Table 15's order is the preferred one, other orders are valid). The v4.0 specification
/// asks for Table 23's order, but published advisories (GHSA) carry v4.0 vectors in other orders, so any order is
/// accepted and <see cref="IsInSpecificationOrder"/> tells the two apart. A metric given twice is always an error.
public sealed class CvssVector
{
    /// Longer input is not a vector; the longest valid v4.0 vector is about 200 characters.
    public const int MaxLength = 512;

    private readonly string?[] values;   // indexed like CvssMetrics.For(Version); null = not given

    private CvssVector(CvssVersion version, string text, string?[] values, bool inOrder)
    {
        Version = version;
        Text = text;
        this.values = values;
        IsInSpecificationOrder = inOrder;
    }

    /// The specification the vector follows, from its prefix (none for v2).
    public CvssVersion Version { get; }

    /// The vector as given.
    public string Text { get; }

    /// Whether the metrics were listed in the specification's table order.
    public bool IsInSpecificationOrder { get; }

    /// The metrics given in the vector, in specification order, with their values.
    public IEnumerable<KeyValuePair<string, string>> Metrics
    {
        get
        {
            var table = CvssMetrics.For(Version);
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] is { } value)
                {
                    yield return new(table[i].Name, value);
                }
            }
        }
    }

    /// The value of a metric, or null when the vector does not give it (for v3/v4 optional metrics: Not Defined).
    public string? Get(string metric) =>
        CvssMetrics.IndexFor(Version).TryGetValue(metric, out var i) ? values[i] : null;

    /// The base score under this vector's specification.
    public double BaseScore() => Version switch
    {
        CvssVersion.V2 => Cvss2.BaseScore(this),
        CvssVersion.V3_0 or CvssVersion.V3_1 => Cvss3.BaseScore(this),
        _ => Cvss4.Score(this),
    };

    /// The score using every metric the vector defines: for v4.0 CVSS-BT, CVSS-BE or CVSS-BTE (threat and
    /// environmental metrics applied); for v2 and v3 the environmental score when an environmental metric is
    /// defined, else the temporal score when a temporal metric is defined, else the base score.
    public double Score() => Version switch
    {
        CvssVersion.V2 => Cvss2.Score(this),
        CvssVersion.V3_0 or CvssVersion.V3_1 => Cvss3.Score(this),
        _ => Cvss4.Score(this, allMetrics: true),
    };

    /// The qualitative rating of <see cref="BaseScore"/>.
    public CvssSeverity Severity() => CvssRating.Of(Version, BaseScore());

    public override string ToString() => Text;

    /// Parses a vector or throws <see cref="InvalidCvssVectorException"/> naming the wrong metric.
    public static CvssVector Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var vector, out var error) ? vector : throw new InvalidCvssVectorException(text, error);
    }

    /// Parses a vector; false when it does not follow its specification.
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out CvssVector? vector) =>
        TryParse(text, out vector, out _);

    /// Parses a vector; on failure <paramref name="error"/> names the metric that is wrong and why.
    public static bool TryParse(
        [NotNullWhen(true)] string? text, [NotNullWhen(true)] out CvssVector? vector, [NotNullWhen(false)] out string? error)
    {
        vector = null;
        error = Validate(text, out var version, out var values, out var inOrder);
        if (error is not null || text is null)
        {
            error ??= "the vector is empty";
            return false;
        }

        vector = new CvssVector(version, text, values!, inOrder);
        return true;
    }

    private static string? Validate(string? text, out CvssVersion version, out string?[]? values, out bool inOrder)
    {
        version = CvssVersion.V2;
        values = null;
        inOrder = true;
        if (string.IsNullOrEmpty(text))
        {
            return "the vector is empty";
        }

        if (text.Length > MaxLength)
        {
            return $"the vector is {text.Length} characters long, more than the {MaxLength} any CVSS vector needs";
        }

        var body = text.AsSpan();
        if (body.StartsWith("CVSS:", StringComparison.Ordinal))
        {
            var slash = body.IndexOf('/');
            var prefix = slash < 0 ? body : body[..slash];
            switch (prefix)
            {
                case "CVSS:3.0": version = CvssVersion.V3_0; break;
                case "CVSS:3.1": version = CvssVersion.V3_1; break;
                case "CVSS:4.0": version = CvssVersion.V4_0; break;
                default:
                    return $"unsupported version prefix '{prefix}' (expected CVSS:3.0, CVSS:3.1 or CVSS:4.0, or a v2 vector without prefix)";
            }

            if (slash < 0)
            {
                return "no metrics follow the version prefix";
            }

            body = body[(slash + 1)..];
        }

        var table = CvssMetrics.For(version);
        var index = CvssMetrics.IndexFor(version);
        var found = new string?[table.Count];
        var last = -1;
        var position = 0;
        foreach (var range in body.Split('/'))
        {
            position++;
            var part = body[range];
            var colon = part.IndexOf(':');
            if (part.IsEmpty)
            {
                return $"part {position} is empty (a stray '/')";
            }

            if (colon < 0 || part[(colon + 1)..].Contains(':'))
            {
                return $"part {position} '{part}' is not METRIC:VALUE";
            }

            var name = part[..colon].ToString();
            var value = part[(colon + 1)..].ToString();
            if (!index.TryGetValue(name, out var i))
            {
                return $"unknown metric '{name}' for CVSS {Label(version)}";
            }

            var metric = table[i];
            if (found[i] is not null)
            {
                return $"metric '{name}' is given more than once";
            }

            if (!metric.Values.Contains(value, StringComparer.Ordinal))
            {
                return $"metric '{name}' has value '{value}'; CVSS {Label(version)} allows {string.Join(", ", metric.Values)}";
            }

            if (i < last)
            {
                if (version == CvssVersion.V2)
                {
                    return $"metric '{name}' comes after '{table[last].Name}'; CVSS v2 vectors list metrics in the order {string.Join("/", table.Select(m => m.Name))}";
                }

                inOrder = false;
            }

            last = Math.Max(last, i);
            found[i] = value;
        }

        var missing = table.Where((m, i) => m.Mandatory && found[i] is null).Select(m => m.Name).ToList();
        if (missing.Count > 0)
        {
            return $"mandatory base metric{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)} missing";
        }

        values = found;
        return null;
    }

    internal static string Label(CvssVersion version) => version switch
    {
        CvssVersion.V2 => "v2",
        CvssVersion.V3_0 => "v3.0",
        CvssVersion.V3_1 => "v3.1",
        _ => "v4.0",
    };
}
