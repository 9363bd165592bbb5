// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Hygiene.Commits;

/// A signature, key or allowed-signers entry that does not follow its format. A commit whose signature throws this
/// is reported as a bad signature (fail closed); a keyring that throws it cannot be used at all.
public sealed class MalformedSignatureException(string message) : FormatException(message);

/// A signature of a kind or algorithm we cannot check: reported as "unsupported", never as good or bad.
public sealed class UnsupportedSignatureException(string message) : Exception(message);
