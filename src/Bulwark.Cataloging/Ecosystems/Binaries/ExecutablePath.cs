// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;

namespace Bulwark.Cataloging.Ecosystems.Binaries;

/// Which paths might be executables worth opening. Deliberately broad (programs live anywhere, not only in bin/):
/// every file without an extension, or ending in .exe, .dll, .so (also versioned, "libfoo.so.1.2"), .dylib, .bin
/// or an all-digit extension ("python3.11"). Obvious text files are left out; the reader then rejects anything
/// that is not ELF, PE or Mach-O by its first bytes, so a wrong guess costs one 64-byte read.
internal static class ExecutablePath
{
    private static readonly HashSet<string> TextNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "LICENSE", "LICENCE", "COPYING", "NOTICE", "README", "AUTHORS", "CONTRIBUTORS", "CHANGELOG", "CHANGES",
        "HISTORY", "VERSION", "Makefile", "GNUmakefile", "Dockerfile", "Containerfile", "Jenkinsfile", "Vagrantfile",
        "Gemfile", "Rakefile", "Podfile", "Procfile", "Brewfile", "Pipfile", "Cartfile", "CODEOWNERS", "OWNERS",
        "MAINTAINERS", "PATENTS", "INSTALL", "TODO", "BUILD", "WORKSPACE", "go.work",
    };

    // Directories full of extensionless data files that are never programs: git objects, time zones, terminal
    // descriptions, manual pages, translations. Skipping them spares an image scan thousands of pointless opens.
    private static readonly string[] DataDirectories = [".git", "zoneinfo", "terminfo", "man", "locale", "licenses"];

    private static readonly HashSet<string> Extensions = new(StringComparer.Ordinal) { ".exe", ".dll", ".so", ".dylib", ".bin" };

    public static bool IsCandidate(FilePath path)
    {
        var name = path.FileName;
        if (name.Length == 0 || name[0] == '.') return false;            // dotfiles: .gitignore, .env
        foreach (var dir in DataDirectories)
            if (path.HasDirectorySegment(dir)) return false;
        var ext = path.Extension;
        if (ext.Length == 0) return !TextNames.Contains(name);
        if (Extensions.Contains(ext)) return true;
        if (name.Contains(".so.", StringComparison.Ordinal)) return true;
        return ext.Length > 1 && ext.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;
    }
}
