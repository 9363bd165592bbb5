// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Fuzzing.Mutation;

/// What a target reads, so the structure-aware mutator that fits can be chosen alongside the byte-level ones.
public enum InputFormat
{
    /// Recognised per input from its first bytes: JSON, XML, gzip or tar; other text is treated as TOML-like lines.
    Auto,
    /// Bytes with no known structure: byte-level mutations only.
    Binary,
    /// Text with no known structure (versions, purls, references, PEM, source files).
    Text,
    Json,
    Xml,
    Yaml,
    /// `key = value` lines and `[table]` headers (Cargo.lock, poetry.lock, uv.lock) and other line-oriented lockfiles.
    TomlLike,
    /// A tar archive, plain or gzip-compressed (image layers).
    Tar,
}

/// What every mutator may use: the target's seeds (for splicing) and its dictionary tokens.
public sealed record MutationContext(IReadOnlyList<byte[]> Seeds, IReadOnlyList<string> Dictionary, int MaxSize = 1 << 20);
