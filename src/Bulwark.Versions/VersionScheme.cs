// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Versions;

/// A version string that its scheme cannot parse. Never compared by string order instead.
public sealed class InvalidVersionException(string scheme, string text, string? reason = null)
    : FormatException($"'{text}' is not a valid {scheme} version{(reason is null ? "" : ": " + reason)}.")
{
    public string Scheme { get; } = scheme;
    public string Text { get; } = text;
}

/// An ecosystem name (OSV's) that has no version scheme here: matching must refuse, not guess.
public sealed class UnsupportedEcosystemException(string ecosystem)
    : NotSupportedException($"No version ordering is known for ecosystem '{ecosystem}'; its versions cannot be compared.")
{
    public string Ecosystem { get; } = ecosystem;
}

/// Parses a version without throwing.
public delegate bool TryParseFunc(string text, out IComparable version);

/// Parses a version of one type without throwing.
public delegate bool TryParseOf<T>(string text, out T version);

/// One version ordering: parses a version once into a comparable value (STYLE.md: parse once, compare values).
public sealed class VersionScheme(string name, Func<string, IComparable> parse, TryParseFunc tryParse) : IComparer<string>
{
    public string Name { get; } = name;

    /// Parses or throws <see cref="InvalidVersionException"/>.
    public IComparable Parse(string text) => parse(text);

    public bool TryParse(string text, out IComparable version) => tryParse(text, out version);

    /// Compares two version strings of this scheme; throws <see cref="InvalidVersionException"/> for unparsable ones.
    public int Compare(string? x, string? y) => Parse(x ?? "").CompareTo(Parse(y ?? ""));

    /// A scheme from a value type's Parse/TryParse pair.
    public static VersionScheme Of<T>(string name, Func<string, T> parse, TryParseOf<T> tryParse) where T : IComparable<T>, IComparable =>
        new(name, s => parse(s), (string s, out IComparable v) =>
        {
            var ok = tryParse(s, out var t);
            v = t;
            return ok;
        });

    public override string ToString() => Name;
}
