#!/usr/bin/env python3
"""Generates a deterministic monorepo of exactly 100,000 files for `bench/sbom.sh`:
1,000 packages x 100 files: source files of several languages, READMEs, configs, and in every 10th package one real
lockfile copied from ../shared/corpora/lockfiles (so catalogers have real work among a sea of files they must skip).
Usage: make-monorepo.py OUT_DIR LOCKFILES_DIR"""
import os, shutil, sys

out, lockfiles = sys.argv[1], sys.argv[2]
if os.path.exists(out):
    shutil.rmtree(out)
os.makedirs(out)

# real lockfiles (files, not their sibling manifests) in a stable order
locks = []
for root, _, files in sorted(os.walk(lockfiles)):
    for f in sorted(files):
        if f in ("package-lock.json", "yarn.lock", "pnpm-lock.yaml", "poetry.lock", "Pipfile.lock", "uv.lock",
                 "requirements.txt", "go.mod", "Cargo.lock", "pom.xml", "gradle.lockfile", "Gemfile.lock",
                 "composer.lock", "packages.lock.json", "pubspec.lock", "mix.lock"):
            locks.append(os.path.join(root, f))

exts = [".js", ".ts", ".py", ".go", ".java", ".cs", ".rb", ".md", ".json", ".yaml"]
count = 0
for i in range(1000):
    pkg = os.path.join(out, "packages", f"pkg-{i:04d}")
    sub = os.path.join(pkg, "src", "lib")
    os.makedirs(sub)
    n_files = 100
    if i % 10 == 0:
        src = locks[(i // 10) % len(locks)]
        shutil.copyfile(src, os.path.join(pkg, os.path.basename(src)))
        n_files -= 1
        count += 1
    for j in range(n_files):
        ext = exts[(i + j) % len(exts)]
        d = sub if j % 2 else pkg
        with open(os.path.join(d, f"file{j:03d}{ext}"), "w") as fh:
            fh.write(f"// package {i} file {j}\n" * (1 + (i * 7 + j) % 20))
        count += 1
open(os.path.join(out, ".complete"), "w").close()
print(f"generated {count} files in {out}", file=sys.stderr)
