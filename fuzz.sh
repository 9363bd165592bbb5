#!/usr/bin/env bash
# Bulwark's mutation fuzzer (src/Bulwark.Fuzzing): builds it (Release) and lists or runs targets.
#   ./fuzz.sh --list                      every target (a cataloger per registered cataloger, readers, parsers, verifiers)
#   ./fuzz.sh [TARGET ...] [--seconds N | --cpu-seconds N] [--seed S] [--jobs J] [--findings DIR]
#                                          TARGET is a name or a prefix ("cataloger", "versions.debian"); all by default
#   ./fuzz.sh --replay TARGET FILE...     runs saved inputs through one target
# Prints per target: executions, executions per second, seeds, outcome classes, findings; exits 1 on any finding.
# With several targets each runs in a fuzzer process of its own (--in-process: all in this one).
# Findings (minimised inputs and their stack traces) go to artifacts/fuzz/findings/<target>/ unless --findings says.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# targets that read files (image archives, settings files) write each input to a temporary file, hundreds a second:
# in memory (tmpfs) when there is one, since on disk a long run of them left the machine waiting on I/O (83% iowait)
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then export TMPDIR=/dev/shm; fi
if [ "${FUZZ_NO_BUILD:-0}" != 1 ]; then
  dotnet build src/Bulwark.Fuzzing/Bulwark.Fuzzing.csproj -c Release -nologo -v quiet >&2
fi
exec dotnet src/Bulwark.Fuzzing/bin/Release/net10.0/Bulwark.Fuzzing.dll --repo "$PWD" "$@"
