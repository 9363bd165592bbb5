#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the hostile corpus: testdata/hostile/<area>/<case>[.*] beside this script.

Standard library only and deterministic (fixed mtimes, no randomness), so running it again gives the same bytes:
    python3 tests/Bulwark.Robustness.Tests/make-hostile.py
HostileCorpusTests asserts the exact outcome of every case; AllReadersTests runs every file through every reader.

Big inputs are never checked in as big bytes: bombs are small compressed files (a gzip of 96 MiB of zeros is 96 KiB; a
zstd frame of RLE blocks is 4 bytes per 128 KiB), and the 1 GB single-line file is a generated stream in the test.
"""
import gzip
import io
import json
import os
import shutil
import struct
import tarfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "testdata", "hostile")
MTIME = 1700000000
ZIP_TIME = (2023, 11, 14, 22, 13, 20)
DEPTH = 100_000


def write(rel, data):
    path = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)


# --- tar ----------------------------------------------------------------------------------------------------------

def entry(name, kind=tarfile.REGTYPE, data=b"", link="", pax=None):
    return (name, kind, data, link, pax)


def tar(entries, fmt=tarfile.PAX_FORMAT):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as t:
        for name, kind, data, link, pax in entries:
            info = tarfile.TarInfo(name)
            info.type = kind
            info.mtime = MTIME
            info.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.linkname = link
            if pax:
                info.pax_headers = dict(pax)
            if kind in (tarfile.CHRTYPE, tarfile.BLKTYPE):
                info.devmajor, info.devminor = 1, 3
            if kind == tarfile.REGTYPE:
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
            else:
                t.addfile(info)
    return buf.getvalue()


def gz(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


def tar_header(name, size, kind=tarfile.REGTYPE):
    """One ustar header block for an entry of the given size (for bombs whose data is not materialised)."""
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode, info.type = size, MTIME, 0o644, kind
    info.uname = info.gname = ""
    return info.tobuf(format=tarfile.USTAR_FORMAT)


def gzip_of_zeros(prefix, zeros, chunk=1 << 20):
    """gzip of prefix + zeros bytes, streamed (the zeros are never held in memory at once)."""
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9, mtime=0) as g:
        g.write(prefix)
        block = bytes(chunk)
        left = zeros
        while left > 0:
            n = min(chunk, left)
            g.write(block[:n])
            left -= n
    return buf.getvalue()


def zstd_rle(prefix, zeros):
    """A zstd frame (RFC 8878): prefix as one raw block, then RLE blocks of 128 KiB of zeros (4 bytes each)."""
    out = bytearray(struct.pack("<I", 0xFD2FB528))
    out += bytes([0x00, 0x58])  # frame header: no content size, no checksum, single segment off; window 2^(10+11) = 2 MiB
    def block(last, kind, size, body):
        header = (size << 3) | (kind << 1) | (1 if last else 0)
        return struct.pack("<I", header)[:3] + body
    out += block(False, 0, len(prefix), prefix)
    full, rest = divmod(zeros, 128 * 1024)
    sizes = [128 * 1024] * full + ([rest] if rest else [])
    for i, size in enumerate(sizes):
        out += block(i == len(sizes) - 1, 1, size, b"\x00")
    return bytes(out)


def layers():
    ok = entry("ok/file.txt", data=b"kept\n")
    write("layers/dotdot.tar", tar([entry("../evil", data=b"x"), entry("a/../../evil2", data=b"x"), entry("a/./../b", data=b"x"), ok]))
    write("layers/absolute.tar", tar([entry("/etc/abs.txt", data=b"abs\n"), entry("//twice/abs.txt", data=b"abs\n"), ok]))
    write("layers/symlink-escape-absolute.tar", tar([entry("etc", tarfile.DIRTYPE), entry("etc/shadow-link", tarfile.SYMTYPE, link="/etc/shadow"),
                                                      entry("root-link", tarfile.SYMTYPE, link="/"), ok]))
    write("layers/symlink-escape-relative.tar", tar([entry("a/b", tarfile.DIRTYPE), entry("a/b/up", tarfile.SYMTYPE, link="../../../../etc/passwd"),
                                                      entry("a/b/dir-up", tarfile.SYMTYPE, link="../../.."), entry("a/b/dir-up/escaped.txt", data=b"through a link\n"), ok]))
    write("layers/hardlink-missing.tar", tar([entry("h", tarfile.LNKTYPE, link="not/there"), ok]))
    write("layers/hardlink-outside.tar", tar([entry("h1", tarfile.LNKTYPE, link="../../etc/passwd"), entry("h2", tarfile.LNKTYPE, link="/etc/passwd"), ok]))
    write("layers/devices.tar", tar([entry("dev/null", tarfile.CHRTYPE), entry("dev/sda", tarfile.BLKTYPE), entry("run/fifo", tarfile.FIFOTYPE), ok]))
    write("layers/duplicates.tar", tar([entry("dup.txt", data=b"first\n"), entry("dup.txt", data=b"second\n"), entry("d", tarfile.DIRTYPE),
                                         entry("d", data=b"file replaces directory\n"), ok]))
    write("layers/case-colliding.tar", tar([entry("README", data=b"upper\n"), entry("readme", data=b"lower\n"), entry("ReadMe", data=b"mixed\n")]))
    long_dir = "/".join(["d" * 200] * 3)
    write("layers/pax-long-names.tar", tar([entry(long_dir + "/long.txt", data=b"long\n"),
                                             entry("link-to-long", tarfile.SYMTYPE, link=long_dir + "/long.txt"),
                                             entry("x" * 255 + ".txt", data=b"max\n")]))
    write("layers/pax-path-override.tar", tar([entry("short", data=b"renamed\n", pax={"path": "../escaped-by-pax"}),
                                                entry("short2", data=b"renamed\n", pax={"path": "pax/renamed.txt"}),
                                                entry("l", tarfile.SYMTYPE, link="short", pax={"linkpath": "/etc/passwd"})]))
    # a PAX size larger than the data: the reader must fail on the missing bytes, not allocate or hang
    write("layers/pax-size-huge.tar", tar([entry("big", data=b"12345", pax={"size": "1099511627776"})]))
    write("layers/pax-size-negative.tar", tar([entry("neg", data=b"12345", pax={"size": "-5"})]))
    # metadata entries (a PAX header, a GNU long name) claiming 1 GiB: refused from the header block, before any
    # reader allocates for the claimed size
    write("layers/pax-header-huge.tar", tar([entry("before.txt", data=b"before\n")])[:1024] + tar_header("PaxHeaders/huge", 1 << 30, tarfile.XHDTYPE)
          + b"30 path=pax-header-huge.txt\n" + bytes(2048))
    write("layers/gnu-long-name-huge.tar", tar_header("././@LongLink", 1 << 30, tarfile.GNUTYPE_LONGNAME) + b"n" * 512 + bytes(1024))
    write("layers/gnu-long-names.tar", tar([entry("g" * 300 + "/file.txt", data=b"gnu\n"), entry("gl", tarfile.SYMTYPE, link="t" * 300),
                                             entry("../" + "e" * 200, data=b"x")], fmt=tarfile.GNU_FORMAT))
    whole = tar([entry("one.txt", data=b"1" * 3000), entry("two.txt", data=b"2" * 3000)])
    write("layers/truncated.tar", whole[:2000])
    write("layers/truncated.tar.gz", gz(whole)[:60])
    half = 512 + 3072  # the first entry's header and data
    write("layers/concatenated-members.tar.gz", gz(whole[:half]) + gz(whole[half:]))
    write("layers/garbage-after-end.tar.gz", gz(whole) + b"this is not gzip, it follows the last member\n")
    bomb = 96 << 20
    write("layers/gzip-bomb.tar.gz", gzip_of_zeros(tar_header("zeros", bomb - 1024), bomb - 512))
    write("layers/zstd-bomb.tar.zst", zstd_rle(tar_header("zeros", bomb - 1024), bomb - 512))


# --- image archives -----------------------------------------------------------------------------------------------

def archives():
    manifest = json.dumps([{"Config": "../../config.json", "RepoTags": ["hostile:1"], "Layers": ["../layer.tar"]}]).encode()
    write("archives/docker-dotdot.tar", tar([entry("manifest.json", data=manifest), entry("config.json", data=b"{}"), entry("layer.tar", data=tar([]))]))
    manifest = json.dumps([{"Config": "config.json", "RepoTags": ["hostile:1"], "Layers": ["a/../../layer.tar"]}]).encode()
    config = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": ["sha256:" + "0" * 64]}}).encode()
    write("archives/docker-dotdot-layer.tar", tar([entry("manifest.json", data=manifest), entry("config.json", data=config)]))
    write("archives/docker-entry-dotdot.tar", tar([entry("../manifest.json", data=b"[]"), entry("manifest.json", data=b"[]")]))
    index = json.dumps({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                                                           "digest": "sha256:../../../etc/passwd", "size": 2}]}).encode()
    write("archives/oci-dotdot-digest.tar", tar([entry("oci-layout", data=b'{"imageLayoutVersion":"1.0.0"}'), entry("index.json", data=index)]))
    write("archives/oci-entry-dotdot.tar", tar([entry("oci-layout", data=b'{"imageLayoutVersion":"1.0.0"}'), entry("../index.json", data=b"{}")]))


# --- archives in source trees ------------------------------------------------------------------------------------

def zip_bytes(entries, method=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = method
            z.writestr(info, data, compresslevel=9)
    return buf.getvalue()


def java():
    def pom(artifact):
        return (f"META-INF/maven/com.example/{artifact}/pom.properties", f"groupId=com.example\nartifactId={artifact}\nversion=1.0\n".encode())
    # entries the reader never needs (zeros.bin) are not unpacked at all; a nested jar or metadata that would be is checked
    bomb = ("lib/zeros.jar", bytes(8 << 20))  # 8 MiB of zeros deflate to 8 KiB: over the 100:1 ratio
    write("java/zip-bomb/app.jar", zip_bytes([pom("bomb"), ("zeros.bin", bytes(8 << 20)), bomb]))
    write("java/metadata-bomb/app.jar", zip_bytes([pom("meta"), ("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\n" + b" " * (4 << 20))]))
    inner = zip_bytes([pom("inner"), bomb])
    write("java/nested-bomb/app.jar", zip_bytes([pom("outer"), ("BOOT-INF/lib/inner-1.0.jar", inner)], method=zipfile.ZIP_STORED))
    nested = zip_bytes([pom("level12")])
    for level in range(11, -1, -1):
        nested = zip_bytes([pom(f"level{level}"), (f"lib/level{level + 1}.jar", nested)], method=zipfile.ZIP_STORED)
    write("java/nested-deep/app.jar", nested)


# --- JSON nested 100,000 deep --------------------------------------------------------------------------------------

def deep(prefix, suffix):
    return prefix + "[" * DEPTH + "]" * DEPTH + suffix


def documents():
    write("json/package-lock-deep/package-lock.json", deep('{"name":"x","lockfileVersion":3,"packages":{"":{"deep":', "}}}"))
    write("json/cyclonedx-deep.cdx.json", deep('{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":', "}"))
    write("json/spdx-deep.spdx.json", deep('{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","dataLicense":"CC0-1.0","packages":', "}"))
    write("json/osv-deep.json", deep('{"id":"GHSA-hhhh-hhhh-hhhh","modified":"2024-01-01T00:00:00Z","database_specific":{"x":', "}}"))
    write("json/sigstore-bundle-deep.json", deep('{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":', "}"))


# --- text encodings ------------------------------------------------------------------------------------------------

REQUIREMENTS = "requests==2.31.0\nurllib3==2.0.7  # pinned\nidna==3.6\n"
YARN = ('# yarn lockfile v1\n\n\n"left-pad@^1.3.0":\n  version "1.3.0"\n  resolved "https://registry.yarnpkg.com/left-pad/-/left-pad-1.3.0.tgz"\n'
        '  integrity sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQ9dEsqAnq71Szs/F3N1n3pI5G8bbNafeL2qA2ClzrSKBSO9mg==\n')
CARGO = ('version = 3\n\n[[package]]\nname = "serde"\nversion = "1.0.193"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n'
         'checksum = "25dd9975e68d0cb5aa1120c288333fc98731bd1dd12f561e468ea4728c042b89"\n')
LOCK = '{\n  "name": "app",\n  "lockfileVersion": 3,\n  "packages": {\n    "": {"name": "app"},\n    "node_modules/left-pad": {"version": "1.3.0"}\n  }\n}\n'
PNPM = ("lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      left-pad:\n        specifier: ^1.3.0\n        version: 1.3.0\n\n"
        "packages:\n\n  left-pad@1.3.0:\n    resolution: {integrity: sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQ9dEsqAnq71Szs/F3N1n3pI5G8bbNafeL2qA2ClzrSKBSO9mg==}\n\n"
        "snapshots:\n\n  left-pad@1.3.0: {}\n")
WORKFLOW = ("name: ci\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
            "      - run: echo ${{ github.event.head_commit.message }}\n")


def crlf(text):
    return text.replace("\n", "\r\n")


def text():
    for name, body in [("requirements.txt", REQUIREMENTS), ("yarn.lock", YARN), ("Cargo.lock", CARGO), ("package-lock.json", LOCK), ("pnpm-lock.yaml", PNPM)]:
        stem = name.rsplit(".", 1)[0].split(".")[0].lower()
        write(f"text/{stem}-lf/{name}", body)
        write(f"text/{stem}-crlf/{name}", crlf(body))
        write(f"text/{stem}-utf8-bom/{name}", "\ufeff" + body)
        write(f"text/{stem}-utf16-bom/{name}", body.encode("utf-16"))  # little-endian with its BOM
        write(f"text/{stem}-nul/{name}", body.replace("\n", "\n\x00", 1))
        write(f"text/{stem}-invalid-utf8/{name}", body.encode().replace(b"\n", b"\n\xff\xfe\xc0\x80", 1))
    write("text/workflow-lf/.github/workflows/ci.yml", WORKFLOW)
    write("text/workflow-crlf/.github/workflows/ci.yml", crlf(WORKFLOW))
    write("text/workflow-utf8-bom/.github/workflows/ci.yml", "\ufeff" + WORKFLOW)
    write("text/workflow-utf16-bom/.github/workflows/ci.yml", WORKFLOW.encode("utf-16"))
    write("text/workflow-nul/.github/workflows/ci.yml", WORKFLOW.replace("on: push", "on: push\x00"))
    write("text/workflow-invalid-utf8/.github/workflows/ci.yml", WORKFLOW.encode().replace(b"name: ci", b"name: c\xffi"))


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    layers()
    archives()
    java()
    documents()
    text()
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(OUT) for f in fs)
    print(f"make-hostile.py: wrote {OUT} ({total:,} bytes)")


if __name__ == "__main__":
    main()
