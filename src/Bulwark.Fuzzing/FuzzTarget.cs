// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;
using Bulwark.Fuzzing.Mutation;

namespace Bulwark.Fuzzing;

/// One thing to fuzz: a name, which seed files fit it, how to run one input, and which errors are its documented
/// answers to bad input. Run either returns (a result) or throws; the oracle decides whether the exception is allowed.
public abstract class FuzzTarget
{
    /// Stable, lower-case, dotted: "cataloger.cargo-lock", "versions.debian", "oci.layer".
    public abstract string Name { get; }

    public virtual InputFormat Format => InputFormat.Auto;

    /// Whether a file (path relative to the repository's tests/ or to ../shared/corpora, '/'-separated) is a seed.
    public abstract bool IsSeed(string relativePath);

    /// The seeds one matching file yields: the file itself by default; line-oriented test tables give a seed per line.
    public virtual IEnumerable<byte[]> SeedsFrom(byte[] file) => [file];

    /// One seed per line that is not blank or a comment, with ' | ' columns as lines (the comparison-table layout).
    protected static IEnumerable<byte[]> TableLines(byte[] file) =>
        System.Text.Encoding.UTF8.GetString(file).Split('\n')
            .Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'))
            .Select(l => System.Text.Encoding.UTF8.GetBytes(string.Join('\n', l.Split(" | ").Take(3)).Trim()));

    /// Seeds written as text.
    protected static IEnumerable<byte[]> Texts(params string[] texts) => texts.Select(System.Text.Encoding.UTF8.GetBytes);

    /// Seeds built in code, for targets whose inputs the test data does not hold in a usable form.
    public virtual IEnumerable<byte[]> ExtraSeeds() => [];

    /// Words the byte and structure mutators insert.
    public virtual IReadOnlyList<string> Dictionary => [];

    /// The largest input generated.
    public virtual int MaxInputSize => 256 << 10;

    /// Runs one input. Throws what the code under test throws.
    public abstract void Run(byte[] input);

    /// The documented answers to bad input; everything else is a finding. <see cref="InputException"/> by default.
    public virtual bool IsExpected(Exception e) => e is InputException;

    public override string ToString() => Name;
}
