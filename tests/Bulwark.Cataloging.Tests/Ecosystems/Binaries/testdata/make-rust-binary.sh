#!/bin/sh
# Rebuilds hello-auditable-linux-amd64.gz: a real rustc-linked ELF program carrying a ".dep-v0" section, placed the
# way cargo-auditable places it (a #[used] static in that link section holding zlib-compressed JSON). cargo-auditable
# itself needs crates.io, which the fixture build must not; the JSON below follows cargo-auditable.schema.json.
# Needs rustc (1.95.0 was used) and python3; no network.
set -eu
out=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
python3 - <<'PY'
import json, zlib
audit = {"format": 1, "packages": [
    {"name": "hello-auditable", "version": "0.1.0", "source": "local", "dependencies": [1], "root": True},
    {"name": "itoa", "version": "1.0.11", "source": "crates.io"},
]}
open("dep-v0.zlib", "wb").write(zlib.compress(json.dumps(audit, separators=(",", ":")).encode(), 9))
PY
cat > main.rs <<'RS'
#[used]
#[link_section = ".dep-v0"]
static AUDITABLE_VERSION_INFO: [u8; include_bytes!("dep-v0.zlib").len()] = *include_bytes!("dep-v0.zlib");

fn main() {
    println!("hello");
}
RS
rustc --edition 2021 -C opt-level=z -C strip=symbols -C panic=abort main.rs -o hello-auditable-linux-amd64
gzip -9 -n -c hello-auditable-linux-amd64 > "$out/hello-auditable-linux-amd64.gz"
