#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Rebuilds the rpmdb fixtures beside this script from three tiny packages built here (needs Debian's rpm,
# db5.3-util and python3):
#   sqlite/var/lib/rpm/rpmdb.sqlite   a real rpm 4.18 SQLite database (rpm --initdb; rpm -i --justdb)
#   bdb/var/lib/rpm/Packages          a Berkeley DB hash database holding the same header blobs, written by
#                                     db5.3_load with 512-byte pages so every header spans overflow pages
#   bdb-inline/var/lib/rpm/Packages   the same with 4 KiB pages, so headers sit inline on the hash pages
#   many-buckets.db                   not rpm: 600 small records (key n → "value-n" padded to n % 300 bytes) with
#                                     512-byte pages, so the table splits into many buckets with overflow chains
#   ndb/usr/lib/sysimage/rpm/Packages.db  the same blobs in rpm's ndb format (SUSE), written here in python because
#                                     Debian's rpm is built without ndb; layout as in rpm's lib/backend/ndb/rpmpkg.c
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/SPECS"
spec() { # name version release epoch license requires provides
  cat > "$work/SPECS/$1.spec" <<SPEC
Name: $1
Version: $2
Release: $3
$( [ -n "$4" ] && echo "Epoch: $4" )
Summary: Bulwark test package $1
License: $5
Vendor: Bulwark Test
URL: https://example.org/$1
BuildArch: noarch
$( [ -n "$6" ] && echo "Requires: $6" )
$( [ -n "$7" ] && echo "Provides: $7" )
%description
A package that exists only to test rpmdb readers.
%files
SPEC
}
spec base-lib 1.2.3 4.el9 "" "MIT" "" "libbase.so.1()(64bit)"
spec tool 2.0 1.el9 1 "GPL-2.0-or-later AND BSD-3-Clause" "libbase.so.1()(64bit), /bin/sh" ""
spec extra 0.9 7.el9 "" "ASL 2.0" "tool >= 2.0" ""
for s in "$work"/SPECS/*.spec; do
  rpmbuild --quiet --define "_topdir $work" --define "_source_date_epoch 1700000000" --define "use_source_date_epoch_as_buildtime 1" -bb "$s"
done

db="$work/db"
mkdir -p "$db"
rpm --define "_db_backend sqlite" --dbpath "$db" --initdb
rpm --define "_db_backend sqlite" --dbpath "$db" -i --justdb --nodeps --noscripts "$work"/RPMS/noarch/*.rpm
rpm --define "_db_backend sqlite" --dbpath "$db" -qa --qf '%{NAME} %{EPOCH} %{VERSION}-%{RELEASE} %{SOURCERPM}\n' | sort

mkdir -p "$here/sqlite/var/lib/rpm" "$here/bdb/var/lib/rpm" "$here/bdb-inline/var/lib/rpm"
sqlite3 "$db/rpmdb.sqlite" 'PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE; VACUUM;' > /dev/null
cp "$db/rpmdb.sqlite" "$here/sqlite/var/lib/rpm/rpmdb.sqlite"

# db_load's printable-byte input: keys are the 4-byte header numbers in host (little-endian) order as rpm writes them
python3 - "$db/rpmdb.sqlite" "$work/dump-512.txt" 512 "$work/dump-4k.txt" 4096 <<'PY'
import sqlite3, struct, sys
rows = sqlite3.connect(sys.argv[1]).execute("select hnum, blob from Packages order by hnum").fetchall()
for out, pagesize in ((sys.argv[2], sys.argv[3]), (sys.argv[4], sys.argv[5])):
    with open(out, "w") as f:
        f.write(f"VERSION=3\nformat=bytevalue\ntype=hash\ndb_pagesize={pagesize}\nHEADER=END\n")
        for hnum, blob in rows:
            f.write(" " + struct.pack("<I", hnum).hex() + "\n")
            f.write(" " + bytes(blob).hex() + "\n")
        f.write("DATA=END\n")
PY
rm -f "$here/bdb/var/lib/rpm/Packages" "$here/bdb-inline/var/lib/rpm/Packages"
db5.3_load -f "$work/dump-512.txt" "$here/bdb/var/lib/rpm/Packages"
db5.3_load -f "$work/dump-4k.txt" "$here/bdb-inline/var/lib/rpm/Packages"
mkdir -p "$here/ndb/usr/lib/sysimage/rpm"
python3 - "$db/rpmdb.sqlite" "$here/ndb/usr/lib/sysimage/rpm/Packages.db" <<'PY'
import sqlite3, struct, sys, zlib
rows = sqlite3.connect(sys.argv[1]).execute("select hnum, blob from Packages order by hnum").fetchall()
page = bytearray(4096)
struct.pack_into("<4sIIII", page, 0, b"RpmP", 0, len(rows) + 1, 1, len(rows) + 1)
for o in range(32, 4096, 16):
    struct.pack_into("<4s", page, o, b"Slot")
data = bytearray()
block = 4096 // 16
for i, (hnum, blob) in enumerate(rows):
    blob = bytes(blob)
    count = (16 + len(blob) + 12 + 15) // 16
    struct.pack_into("<4sIII", page, 32 + 16 * i, b"Slot", hnum, block, count)
    body = struct.pack("<4sIII", b"BlbS", hnum, 1700000000, len(blob)) + blob
    body += bytes(count * 16 - 12 - len(body))
    body += struct.pack("<II4s", zlib.adler32(body), len(blob), b"BlbE")
    data += body
    block += count
open(sys.argv[2], "wb").write(bytes(page) + bytes(data))
PY
python3 - "$work/many.txt" <<'PY'
import struct, sys
with open(sys.argv[1], "w") as f:
    f.write("VERSION=3\nformat=bytevalue\ntype=hash\ndb_pagesize=512\nHEADER=END\n")
    for n in range(1, 601):
        value = f"value-{n}".encode().ljust(n % 300 + 8, b".")
        f.write(" " + struct.pack("<I", n).hex() + "\n " + value.hex() + "\n")
    f.write("DATA=END\n")
PY
rm -f "$here/many-buckets.db"
db5.3_load -f "$work/many.txt" "$here/many-buckets.db"
# the header blob of "tool" on its own, for the hostile-header tests
python3 - "$db/rpmdb.sqlite" "$here/tool.header" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
blob = con.execute("select p.blob from Packages p join Name n on n.hnum = p.hnum where n.key = 'tool'").fetchone()[0]
open(sys.argv[2], "wb").write(blob)
PY
ls -l "$here"/*/var/lib/rpm/* "$here/tool.header"
