#!/usr/bin/env python3
"""Builds a large (>= 1 GiB of layers) OCI image layout for bench/images.sh: the real Debian bookworm base layer
from ../shared/images plus one generated layer of incompressible files (so the gzip layer is as big as its content),
with a node_modules tree and some jars' worth of paths among them.
Usage: make-large-image.py OUT_DIR SHARED_IMAGES_LAYOUT [SIZE_MIB]"""
import gzip, hashlib, io, json, os, shutil, sys, tarfile

out, shared = sys.argv[1], sys.argv[2]
size_mib = int(sys.argv[3]) if len(sys.argv) > 3 else 1100
blobs = os.path.join(out, "blobs", "sha256")
if os.path.exists(out):
    shutil.rmtree(out)
os.makedirs(blobs)

def put_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    digest = h.hexdigest()
    os.replace(path, os.path.join(blobs, digest))
    return "sha256:" + digest, os.path.getsize(os.path.join(blobs, digest))

def put_bytes(data):
    digest = hashlib.sha256(data).hexdigest()
    with open(os.path.join(blobs, digest), "wb") as f:
        f.write(data)
    return "sha256:" + digest, len(data)

# the base: debian-bookworm's manifest and its single layer, copied as they are
index = json.load(open(os.path.join(shared, "index.json")))
base = next(m for m in index["manifests"] if m["annotations"]["org.opencontainers.image.ref.name"] == "debian-bookworm")
base_manifest = json.load(open(os.path.join(shared, "blobs", "sha256", base["digest"][7:])))
base_config = json.load(open(os.path.join(shared, "blobs", "sha256", base_manifest["config"]["digest"][7:])))
layers = []
for l in base_manifest["layers"]:
    shutil.copyfile(os.path.join(shared, "blobs", "sha256", l["digest"][7:]), os.path.join(blobs, l["digest"][7:]))
    layers.append(l)
diff_ids = list(base_config["rootfs"]["diff_ids"])

# the generated layer: ~size_mib MiB of random bytes in 4 MiB files, plus 300 small package.json files
tmp = os.path.join(out, "layer.tar.gz")
raw_hash = hashlib.sha256()
class Hashing(io.RawIOBase):
    def __init__(self, inner): self.inner = inner
    def writable(self): return True
    def write(self, b): raw_hash.update(b); return self.inner.write(b)
with open(tmp, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", compresslevel=1, mtime=0) as gz:
    stream = io.BufferedWriter(Hashing(gz), 1 << 20)
    with tarfile.open(fileobj=stream, mode="w|", format=tarfile.PAX_FORMAT) as tar:
        rnd = open("/dev/urandom", "rb")
        for i in range(size_mib // 4):
            data = rnd.read(4 << 20)
            info = tarfile.TarInfo(f"srv/data/blob-{i:05d}.bin"); info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for i in range(300):
            data = json.dumps({"name": f"bench-pkg-{i}", "version": f"1.0.{i}", "license": "MIT"}).encode()
            info = tarfile.TarInfo(f"srv/app/node_modules/bench-pkg-{i}/package.json"); info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    stream.flush()
digest, size = put_file(tmp)
layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": digest, "size": size})
diff_ids.append("sha256:" + raw_hash.hexdigest())

config = dict(base_config)
config["rootfs"] = {"type": "layers", "diff_ids": diff_ids}
config.pop("history", None)
cdigest, csize = put_bytes(json.dumps(config, sort_keys=True).encode())
manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cdigest, "size": csize},
            "layers": layers}
mdigest, msize = put_bytes(json.dumps(manifest, sort_keys=True).encode())
json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": mdigest,
           "size": msize, "annotations": {"org.opencontainers.image.ref.name": "large"}}]}, open(os.path.join(out, "index.json"), "w"))
open(os.path.join(out, "oci-layout"), "w").write('{"imageLayoutVersion":"1.0.0"}')
open(os.path.join(out, ".complete"), "w").close()
print(f"large image: {sum(l['size'] for l in layers) / 2**20:.0f} MiB of layers in {out}", file=sys.stderr)
