// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Core;

/// Bad arguments or options: the user must change the command line.
public sealed class UsageException(string message, Exception? inner = null) : Exception(message, inner);

/// Input the command as a whole cannot use (missing, unreadable or malformed file).
public sealed class InputException(string message, Exception? inner = null) : Exception(message, inner);

/// A purl string that does not follow the purl specification.
public sealed class InvalidPurlException(string text, string reason)
    : FormatException($"Invalid package URL '{text}': {reason}.")
{
    public string Text { get; } = text;
    public string Reason { get; } = reason;
}
