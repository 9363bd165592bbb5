#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Regenerates the machine-made false-positive fixtures in ../testdata/false-positives: an npm lockfile and a go.sum
# full of integrity hashes, and an HTML page with a base64 PNG-sized data URI. Seeded, so the output is stable.
# Usage: python3 generators/false-positive-fixtures.py   (from tests/Bulwark.Hygiene.Tests/Secrets)
import base64, hashlib, json, os, random

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testdata", "false-positives")
random.seed(42)
deps, lines = {}, []
for i in range(40):
    name = f"pkg-{i}"
    data = bytes(random.getrandbits(8) for _ in range(64))
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    deps[f"node_modules/{name}"] = {"version": f"1.{i}.0", "resolved": f"https://registry.npmjs.org/{name}/-/{name}-1.{i}.0.tgz", "integrity": integrity}
    lines.append(f"github.com/org/mod{i} v1.{i}.0 h1:{base64.b64encode(hashlib.sha256(data).digest()).decode()}")
    lines.append(f"github.com/org/mod{i} v1.{i}.0/go.mod h1:{base64.b64encode(hashlib.sha256(data[::-1]).digest()).decode()}")
json.dump({"name": "shop", "lockfileVersion": 3, "packages": deps}, open(os.path.join(out, "lockfiles", "package-lock.json"), "w"), indent=2)
open(os.path.join(out, "lockfiles", "go.sum"), "w").write("\n".join(lines) + "\n")
img = base64.b64encode(bytes(random.getrandbits(8) for _ in range(6000))).decode()
open(os.path.join(out, "web", "logo.html"), "w").write(f'<img alt="logo" src="data:image/png;base64,{img}">\n')
