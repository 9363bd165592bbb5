// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Signing.Blobs;

/// Verified, checked and wrong, or not checkable with what was given: the last two are different answers.
public enum VerificationOutcome { Verified, Failed, CouldNotVerify }

/// The answer of a verification, with a sentence for the user.
public sealed record VerificationResult(VerificationOutcome Outcome, string Message)
{
    public static VerificationResult Verified(string message) => new(VerificationOutcome.Verified, message);
    public static VerificationResult Failed(string message) => new(VerificationOutcome.Failed, message);
    public static VerificationResult CouldNotVerify(string message) => new(VerificationOutcome.CouldNotVerify, message);
}
