// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Cli;

/// The exit codes of every verb. They are stable: scripts and CI gates depend on them. README.md lists them too.
public static class ExitCodes
{
    /// The command did what was asked and no gate failed.
    public const int Ok = 0;
    /// A policy or finding gate failed (e.g. `--fail-on-unreadable` met an unreadable file).
    public const int GateFailed = 1;
    /// Bad arguments or options: fix the command line.
    public const int Usage = 2;
    /// Input the command as a whole cannot use: missing path, unreadable or malformed file.
    public const int Input = 3;
    /// A signature, certificate or digest was checked and is wrong.
    public const int VerificationFailed = 4;
    /// Verification could not be done (no trust root, network or key unavailable): not a pass, not a fail.
    public const int CouldNotVerify = 5;
    /// Interrupted by the user (Ctrl-C).
    public const int Interrupted = 130;
    /// A bug in Bulwark: please report it with the message printed.
    public const int InternalError = 70;
}
